"""Load the bundled sample workbooks (voorbeelddata) into a store, once, on a fresh start."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from gezinsmonitor.config import PROJECT_ROOT
from gezinsmonitor.importer import import_registration
from gezinsmonitor.store import SAMPLE_STATE_KEY, Store
from gezinsmonitor.validation import validate

from .registratieformat import read_registration

SAMPLE_DIR = PROJECT_ROOT / "sample_data"


def sample_files(directory: Path = SAMPLE_DIR) -> list[Path]:
    return sorted(directory.glob("*.xlsx"))


def should_load(store: Store) -> bool:
    """Only into an empty store that never had its samples removed."""
    return store.is_empty() and store.get_meta(SAMPLE_STATE_KEY) != "removed"


def load_samples(store: Store, force: bool = False, on_progress: Callable[[float, str], None] | None = None) -> str:
    if not force and not should_load(store):
        return "Voorbeelddata niet geladen: de database bevat al gegevens of de voorbeelddata zijn verwijderd."
    files = sample_files()
    imported = 0
    for i, path in enumerate(files):
        if on_progress:
            on_progress(i / max(len(files), 1), f"Voorbeelddata: {path.name}")
        loaded = read_registration(path)
        result = import_registration(store, validate(loaded.raw), file_name=path.name, sha256=loaded.sha256,
                                     is_sample=True)
        if result.status == "refused" and any(i.column == "B3" for i in result.report.errors):
            continue  # a real organisation uses this sample's name: leave its rows alone
        if result.status == "refused":  # a broken sample is a bug, not user input
            raise RuntimeError(f"Voorbeeldbestand {path.name} geweigerd:\n{result.report.to_text()}")
        imported += result.status == "imported"
    return f"Voorbeelddata: {imported} van {len(files)} bestanden ingelezen."
