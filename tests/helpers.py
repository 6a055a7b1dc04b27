"""Small helpers shared by tests: import a workbook through the same path as the CLI and the page."""
from __future__ import annotations

from pathlib import Path

from gezinsmonitor.importer import import_registration
from gezinsmonitor.store import Store
from gezinsmonitor.validation import validate
from loaders.registratieformat import read_registration


def import_file(store: Store, source, file_name: str | None = None, **kw):
    loaded = read_registration(source, file_name)
    return import_registration(store, validate(loaded.raw), file_name=loaded.file_name, sha256=loaded.sha256, **kw)


def fixture_store(url: str, paths: list[Path]) -> Store:
    store = Store(url)
    for path in paths:
        result = import_file(store, path)
        assert result.status == "imported", result.report.to_text()
    return store


def trajectories_frame(rows):
    """A trajectories table as the metrics read it, from rows (family, organisation, start, end, status)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["family", "organisation", "start_date", "end_date", "status"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame
