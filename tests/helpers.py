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


KNOWN_KEYS: set[str] = set()  # every raw family key this test session uploaded (see record_raw_keys)


def record_raw_keys() -> None:
    """Remember each raw key the importer pseudonymises, so tests can read stored keys back (`raw_keys`)."""
    from gezinsmonitor import pseudonym

    original = pseudonym.pseudonymise
    if getattr(original, "records", False):
        return

    def recording(keys, organisation, key=None):
        KNOWN_KEYS.update(str(k).strip() for k in keys.dropna().unique())
        return original(keys, organisation, key)

    recording.records = True
    pseudonym.pseudonymise = recording


def raw_keys(frame, candidates=None):
    """`frame` with each stored family key (a pseudonym) replaced by the raw key among `candidates` it was made
    from, per organisation: the store never keeps raw keys, but a test knows which it uploaded."""
    from gezinsmonitor import pseudonym

    frame = frame.copy()
    candidates = [str(c) for c in (KNOWN_KEYS if candidates is None else candidates)]
    lookup = {(org, pseudonym.pseudonym(org, key)): key
              for org in frame["organisation"].dropna().unique() for key in candidates}
    frame["family_key"] = [lookup.get((org, key), key) for org, key in zip(frame["organisation"], frame["family_key"])]
    return frame


def with_raw_keys(ds, candidates=None):
    """A Dataset whose family keys read as the raw `candidates` again (see raw_keys)."""
    from dataclasses import replace

    return replace(ds, **{name: raw_keys(getattr(ds, name), candidates)
                          for name in ("families", "trajectories", "requests", "measurements", "hours")})
