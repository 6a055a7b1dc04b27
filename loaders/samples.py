"""Load the bundled sample workbooks (voorbeelddata) into a store, once, on a fresh start.

Five sample organisations keep their sheets in a layout of their own and one uses the
registratieformat: their harmonisation is the showcase. Samples are read with the suggested
column choices (saved as each organisation's profile) and uncertain values go to the review queue.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from gezinsmonitor.config import PROJECT_ROOT
from gezinsmonitor.store import SAMPLE_STATE_KEY, Store

from .upload import import_upload, read_upload

SAMPLE_DIR = PROJECT_ROOT / "sample_data"


def sample_files(directory: Path = SAMPLE_DIR) -> list[Path]:
    return sorted(directory.glob("*.xlsx"))


def sample_organisation(path: Path) -> str | None:
    """The invented organisation of a sample file (None: the file names it itself)."""
    try:
        from sample_data.generate import ORGANISATIONS, sample_file_name
    except ImportError:  # the generator is not shipped: the file must name its organisation
        return None
    return next((o.name for o in ORGANISATIONS if sample_file_name(o.name) == path.name), None)


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
        upload = read_upload(path)
        result, _ = import_upload(store, upload, organisation=sample_organisation(path), accept_suggestions=True,
                                  is_sample=True, created_by="voorbeelddata")
        if result.status == "refused" and any("voorbeeldorganisatie" in i.message or i.column == "B3"
                                              for i in result.report.errors):
            continue  # a real organisation uses this sample's name: leave its rows alone
        if result.status == "refused":  # a broken sample is a bug, not user input
            raise RuntimeError(f"Voorbeeldbestand {path.name} geweigerd:\n{result.report.to_text()}")
        imported += result.status == "imported"
    return f"Voorbeelddata: {imported} van {len(files)} bestanden ingelezen."


def showcase(store: Store) -> "pd.DataFrame":
    """Per sample organisation: how its own sheet is laid out and what the harmonisation made of it."""
    import pandas as pd

    try:
        from sample_data.generate import LAYOUTS, ORGANISATIONS
    except ImportError:
        return pd.DataFrame()
    batches = store.batches()
    profiles = store.profiles()
    rows = []
    for org in ORGANISATIONS:
        batch = batches[batches["organisation"] == org.name].head(1)
        if batch.empty:
            continue
        own = profiles[profiles["organisation"] == org.name]
        rows.append({
            "organisatie": org.name,
            "eigen indeling": LAYOUTS[org.layout],
            "gelezen als": batch["format"].iloc[0],
            "profiel": f"versie {int(own['version'].max())}" if len(own) else "–",
            "gezinnen": int(batch["n_families"].iloc[0]),
            "hulpvragen": int(batch["n_requests"].iloc[0]),
            "metingen": int(batch["n_measurements"].iloc[0]),
            "inzet/contacten": int(batch["n_hours"].iloc[0]),
            "waarschuwingen": int(batch["n_warnings"].iloc[0]),
        })
    return pd.DataFrame(rows)
