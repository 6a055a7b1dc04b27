"""The audit log and the right to erasure, in the core: every change writes exactly one entry in its own
transaction (with who, role, action and organisation), a refused or failed change writes none, and erasing an
organisation leaves no row anywhere that carries its id, name, uploads or families."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import MetaData, select

from gezinsmonitor import audit, geo, harmonise
from gezinsmonitor import taxonomy as tx
from gezinsmonitor import vocabulary as vocab
from gezinsmonitor.store import Store
from gezinsmonitor.template import write_workbook
from loaders.upload import import_upload, read_upload
from tests import own_layouts as ol
from tests.fixtures import FRAMES, ORG_A, ORG_B
from tests.helpers import import_file

TODAY = dt.date(2026, 11, 22)
WHO = audit.Actor("Anna Beheer", "beheerder")
OWN = "Buurtwerk Eigen"  # an organisation with an own layout: it gets a mapping profile


@pytest.fixture
def actor():
    """A logged-in user for this test; the command-line default again afterwards (the actor is a contextvar)."""
    audit.set_actor(WHO)
    yield WHO
    audit.set_actor(audit.COMMAND_LINE)


def log(store: Store) -> pd.DataFrame:
    return audit.entries(store.engine)


def one_new(store: Store, before: int) -> pd.Series:
    """The single entry written since the log had `before` entries."""
    entries = log(store)
    assert len(entries) == before + 1, entries.head(len(entries) - before)
    return entries.iloc[0]


def assert_entry(entry: pd.Series, action: str, organisation: str | None, who: audit.Actor = WHO) -> None:
    assert (entry["wie"], entry["rol"], entry["actie"]) == (who.name, who.role, action)
    assert (entry["organisatie"] if pd.notna(entry["organisatie"]) else None) == organisation


def test_uploads_and_every_change_write_exactly_one_entry(db_url, fixture_paths, tmp_path, actor):
    store = Store(db_url)
    assert log(store).empty

    assert import_file(store, fixture_paths[0]).status == "imported"
    entry = one_new(store, 0)
    assert_entry(entry, audit.UPLOAD, ORG_A)
    assert fixture_paths[0].name in entry["toelichting"] and "4 gezinnen" in entry["toelichting"]

    # A newer upload replaces A1; restoring the first one is logged with the file and the count.
    buf = io.BytesIO()
    write_workbook(buf, {"families": pd.DataFrame({"family": ["A1"], "start": [dt.date(2020, 1, 15)]}),
                         "requests": pd.DataFrame({"family": ["A1"], "leefgebied": ["Wonen"]})}, organisation=ORG_A)
    newer = tmp_path / "nieuwer.xlsx"
    newer.write_bytes(buf.getvalue())
    assert import_file(store, newer).status == "imported"
    first = int(store.batches().set_index("file_name").loc[fixture_paths[0].name, "id"])
    n = len(log(store))
    assert store.restore_batch(first) == 4
    entry = one_new(store, n)
    assert_entry(entry, audit.RESTORE, ORG_A)
    assert f"upload {first}" in entry["toelichting"] and "4 gezinnen" in entry["toelichting"]

    # An own layout: the upload and the confirmed column mapping (the profile) are one entry each.
    n = len(log(store))
    result, _ = import_upload(store, read_upload(ol.free_text(tmp_path / "eigen.xlsx")), organisation=OWN,
                              today=TODAY, accept_suggestions=True)
    assert result.status == "imported", result.report.to_text()
    entries = log(store)
    assert len(entries) == n + 2
    assert sorted(entries.head(2)["actie"]) == sorted([audit.UPLOAD, audit.PROFILE])
    assert set(entries.head(2)["organisatie"]) == {OWN}
    assert "kolomindeling versie 1" in entries.set_index("actie").loc[audit.PROFILE, "toelichting"]

    # A value decision: logged with its leefgebied, never with the text an organisation wrote.
    n = len(log(store))
    store.remember_value(vocab.learned_key("diversen"), "diversen", "Overig", "Overig", "test")
    entry = one_new(store, n)
    assert_entry(entry, audit.VALUE, None)
    assert "Overig" in entry["toelichting"] and "diversen" not in entry["toelichting"]

    n = len(log(store))
    moved = harmonise.reapply(store)
    assert moved["aantal"].sum() == 1
    entry = one_new(store, n)
    assert_entry(entry, audit.REHARMONISED, None)
    assert entry["toelichting"].startswith("1 hulpvragen")
    n = len(log(store))
    assert harmonise.reapply(store).empty  # nothing moved, nothing changed: no entry
    assert len(log(store)) == n

    n = len(log(store))
    assert store.forget_value(vocab.learned_key("diversen")) == 1
    assert_entry(one_new(store, n), audit.VALUE_FORGOTTEN, None)
    assert "diversen" not in log(store)["toelichting"].str.cat(sep=" ")

    n = len(log(store))
    taxonomy = tx.Taxonomy(dict(tx.DEFAULT_TAXONOMY.leefgebieden), dict(tx.DEFAULT_TAXONOMY.synonyms))
    version = store.save_taxonomy(taxonomy, author="beheerder", note="test")
    entry = one_new(store, n)
    assert_entry(entry, audit.TAXONOMY, None)
    assert entry["toelichting"].startswith(f"versie {version}:")

    n = len(log(store))
    assert geo.upload_area_file(store, "kaart.csv", b"naam;lat;lon\nNoord;51,9;4,4\nZuid;51,8;4,4\n") == {"wijk": 2}
    entry = one_new(store, n)
    assert_entry(entry, audit.AREAS, None)
    assert entry["toelichting"] == "kaart.csv: 2 wijken"
    n = len(log(store))
    assert geo.restore_bundled(store) == 2
    assert_entry(one_new(store, n), audit.AREAS_RESTORED, None)

    n = len(log(store))
    counts = store.erase_organisation(OWN)
    entry = one_new(store, n)
    assert_entry(entry, audit.ERASE, OWN)
    assert counts["gezinnen"] == 3 and counts["kolomprofielen"] == 1
    assert "3 gezinnen" in entry["toelichting"] and "1 kolomprofielen" in entry["toelichting"]


def test_the_command_line_is_the_default_actor(db_url, fixture_paths):
    store = Store(db_url)
    import_file(store, fixture_paths[1])
    assert_entry(log(store).iloc[0], audit.UPLOAD, ORG_B, audit.COMMAND_LINE)


def test_refused_duplicate_and_failed_changes_write_nothing(db_url, fixture_paths, tmp_path, actor):
    store = Store(db_url)
    # An own layout with open questions is refused: nothing stored, nothing logged.
    result, _ = import_upload(store, read_upload(ol.free_text(tmp_path / "eigen.xlsx")), organisation=OWN,
                              today=TODAY)
    assert result.status == "refused" and store.is_empty()
    assert log(store).empty
    # A real file under a sample organisation's name is refused inside the transaction: rolled back, no entry.
    assert import_file(store, fixture_paths[0], is_sample=True).status == "imported"
    assert len(log(store)) == 1
    buf = io.BytesIO()
    write_workbook(buf, FRAMES[ORG_B], organisation=ORG_A)  # another file, a sample's name
    other = tmp_path / "echt.xlsx"
    other.write_bytes(buf.getvalue())
    assert import_file(store, other).status == "refused"
    assert len(log(store)) == 1
    # The same file again changes nothing.
    assert import_file(store, fixture_paths[0], is_sample=True).status == "duplicate"
    assert len(log(store)) == 1
    # Changes that fail roll back with their entry.
    with pytest.raises(KeyError):
        store.restore_batch(9999)
    with pytest.raises(KeyError):
        store.erase_organisation("Bestaat Niet")
    assert len(log(store)) == 1


def test_removing_sample_data_logs_one_entry_per_organisation(db_url, fixture_paths, actor):
    store = Store(db_url)
    import_file(store, fixture_paths[0], is_sample=True)
    import_file(store, fixture_paths[1], is_sample=True)
    n = len(log(store))
    assert store.remove_sample_data() == 2
    entries = log(store).head(len(log(store)) - n)
    assert len(entries) == 2
    assert set(entries["actie"]) == {audit.SAMPLES_REMOVED} and set(entries["organisatie"]) == {ORG_A, ORG_B}
    assert set(entries["wie"]) == {WHO.name}
    details = entries.set_index("organisatie")["toelichting"]
    assert details[ORG_A].startswith("verwijderd: 4 gezinnen") and "uploads" in details[ORG_B]
    assert store.remove_sample_data() == 0 and len(log(store)) == n + 2  # nothing left: nothing logged


# -- right to erasure ------------------------------------------------------------------------------
def dump(store: Store) -> dict[str, pd.DataFrame]:
    """Every table in the database as it is on disk (reflected, so a table the code forgot is included)."""
    meta = MetaData()
    meta.reflect(store.engine)
    with store.engine.connect() as conn:
        return {name: pd.read_sql(select(table), conn) for name, table in meta.tables.items()}


def rows(frame: pd.DataFrame) -> set[tuple]:
    return {tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)}


def cells_with(frame: pd.DataFrame, needle: str) -> list:
    needle = needle.casefold()
    return [v for col in frame.columns for v in frame[col] if isinstance(v, str) and needle in v.casefold()]


@pytest.fixture
def two_organisations(sqlite_url, fixture_paths, tmp_path, actor):
    """ORG_A with two uploads (one replaced), an own-layout organisation with a profile, a map point for each,
    a shared value decision, and ORG_B as the bystander."""
    store = Store(sqlite_url)
    for path in fixture_paths:
        assert import_file(store, path).status == "imported"
    result, _ = import_upload(store, read_upload(ol.free_text(tmp_path / "eigen.xlsx")), organisation=OWN,
                              today=TODAY, accept_suggestions=True)
    assert result.status == "imported"
    store.remember_value(vocab.learned_key("diversen"), "diversen", "Overig", "Overig", "test")
    harmonise.reapply(store)
    geo.upload_area_file(store, "orgs.csv", (f"naam;soort;lat;lon\n{ORG_A.upper()};organisatie;51,9;4,4\n"
                                             f"{OWN};organisatie;51,8;4,4\n{ORG_B};organisatie;51,7;4,4\n").encode())
    return store


@pytest.mark.parametrize("erased", [ORG_A, OWN])
def test_erasure_leaves_nothing_of_the_organisation_and_touches_no_other(two_organisations, erased):
    store = two_organisations
    before = dump(store)
    org_id = int(before["organisations"].set_index("name").loc[erased, "id"])
    batch_ids = set(before["batches"].loc[before["batches"]["organisation_id"] == org_id, "id"])
    file_names = set(before["batches"].loc[before["batches"]["organisation_id"] == org_id, "file_name"])
    family_keys = set(before["families"].loc[before["families"]["organisation_id"] == org_id, "family_key"])
    profile_ids = set(before["mapping_profiles"].loc[before["mapping_profiles"]["organisation"] == erased, "id"])
    assert batch_ids and file_names and family_keys

    counts = store.erase_organisation(erased)
    after = dump(store)
    assert set(after) == set(before)  # the same tables

    assert counts["gezinnen"] == len(family_keys) and counts["uploads"] == len(batch_ids)
    assert counts["kaartpunten"] == 1 and counts["kolomprofielen"] == len(profile_ids)
    assert counts["hulpvragen"] == int(before["help_requests"]["batch_id"].isin(batch_ids).sum()) > 0

    for name, frame in after.items():
        if name == "audit_log":
            continue
        assert not cells_with(frame, erased), name
        for col in frame.columns:
            values = set(frame[col].dropna())
            if col == "organisation_id" or (name == "organisations" and col == "id"):
                assert org_id not in values, (name, col)
            if col == "batch_id" or (name == "batches" and col == "id"):
                assert not values & batch_ids, (name, col)
            if col == "profile_id" or (name == "mapping_profiles" and col == "id"):
                assert not values & profile_ids, (name, col)
            if frame[col].dtype == object:
                assert not {v for v in values if isinstance(v, str)} & (family_keys | file_names), (name, col)

    # The audit log keeps who did what when, but no file name of the erased organisation's uploads.
    logged = after["audit_log"]
    assert not any(f in d for d in logged["detail"].dropna() for f in file_names)
    erasure = logged.loc[logged["action"] == audit.ERASE]
    assert erasure["organisation"].tolist() == [erased] and erasure["actor"].tolist() == [WHO.name]
    assert len(logged) == len(before["audit_log"]) + 1

    # Every other organisation's rows are exactly as they were.
    def others(frames: dict[str, pd.DataFrame]) -> dict[str, set]:
        out = {}
        for name, frame in frames.items():
            if name in ("audit_log", "meta"):
                continue
            keep = pd.Series(True, index=frame.index)
            if "organisation_id" in frame:
                keep &= frame["organisation_id"] != org_id
            if "batch_id" in frame:
                keep &= ~frame["batch_id"].isin(batch_ids)
            if name == "organisations":
                keep &= frame["id"] != org_id
            if name == "mapping_profiles":
                keep &= frame["organisation"] != erased
            if name == "areas":
                keep &= frame["name"].str.casefold() != erased.casefold()
            out[name] = rows(frame[keep])
        return out

    assert others(after) == others(before)
    assert rows(after["value_mappings"]) == rows(before["value_mappings"])  # shared vocabulary: kept
    remaining = store.load_dataset()
    assert erased not in set(remaining.families["organisation"]) and ORG_B in set(remaining.families["organisation"])
    assert before["meta"].set_index("key").loc["revision", "value"] != after["meta"].set_index("key").loc[
        "revision", "value"]  # the pages' caches see the change


def test_erasure_is_one_transaction(two_organisations, monkeypatch):
    """A failure halfway (here: writing the log entry) leaves every row in place."""
    store = two_organisations
    before = dump(store)

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        store.erase_organisation(ORG_A)
    after = dump(store)
    assert {name: rows(frame) for name, frame in after.items()} == {name: rows(frame) for name, frame in before.items()}

