"""One file of the hostile-upload corpus: how to make it, and what the product must answer.

The corpus (tests/corpus.py) is generated at test time, never committed as binaries."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Case:
    name: str  # file name written into the corpus directory
    make: Callable[[Path], bytes]  # the file's bytes (may use the directory for scratch files)
    expect: str  # a piece of the Dutch message the user must see (case-insensitive)
    stored: bool = False  # True when the file is accepted (then `expect` describes what was removed)
    organisation: str | None = None  # for an own layout: the organisation chosen at upload
    why: str = ""  # the threat or breakage this case stands for (listed in the closing note)
