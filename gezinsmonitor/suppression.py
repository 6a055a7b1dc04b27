"""Small-count suppression: counts from 1 to k-1 are shown as "<k" (national statistics practice, DOMAIN §5).

0 stays 0 (an empty cell reveals nobody). The threshold k comes from GEZINSMONITOR_SUPPRESS_BELOW, then
.streamlit/secrets.toml, then 10. Only primary suppression: a suppressed cell can still be derived from a
shown total minus the other cells; callers that publish beyond one organisation should keep that in mind.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pandas as pd

from . import config, formatting

ENV_K = "GEZINSMONITOR_SUPPRESS_BELOW"
DEFAULT_K = 10


def threshold(secrets_path: Path = config.SECRETS_PATH) -> int:
    """The configured k: counts 1..k-1 are suppressed. Invalid or < 2 falls back to the default."""
    raw = os.environ.get(ENV_K)
    if raw is None and secrets_path.exists():
        with secrets_path.open("rb") as fh:
            raw = tomllib.load(fh).get(ENV_K)
    try:
        value = int(raw) if raw is not None else DEFAULT_K
    except (TypeError, ValueError):
        return DEFAULT_K
    return value if value >= 2 else DEFAULT_K


def _k(k: int | None) -> int:
    return threshold() if k is None else int(k)


def is_suppressed(n, k: int | None = None) -> bool:
    """True for 1 <= n < k; missing values are not counts and are never suppressed."""
    if n is None or n != n:
        return False
    return 0 < int(n) < _k(k)


def label(k: int | None = None) -> str:
    """The text shown instead of a suppressed count, e.g. '<10'."""
    return f"<{_k(k)}"


def suppress(n, k: int | None = None) -> str:
    """A count as text: 0 → '0', 1..k-1 → '<k', k and more in Dutch notation ('1.234'); missing → '–'."""
    k = _k(k)
    if n is None or n != n:
        return formatting.MISSING
    return label(k) if is_suppressed(n, k) else formatting.count(n)


def suppress_series(values: pd.Series, k: int | None = None) -> pd.Series:
    k = _k(k)
    return values.map(lambda n: suppress(n, k)).astype(object)


def suppress_frame(frame: pd.DataFrame, columns: list[str], k: int | None = None) -> pd.DataFrame:
    """A copy of `frame` with the count `columns` replaced by their suppressed text."""
    k = _k(k)
    out = frame.copy()
    for col in columns:
        out[col] = suppress_series(out[col], k)
    return out
