"""The store on a real database: SQLite always, PostgreSQL with TEST_DATABASE_URL (required in CI)."""
import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import func, inspect, select

from gezinsmonitor import harmonise, migrations
from gezinsmonitor import schema as s
from gezinsmonitor.store import Store
from gezinsmonitor.summary import build_summary
from gezinsmonitor.template import write_workbook
from tests.fixtures import EXPECTED, FRAMES, ORG_A, PEILDATUM
from tests.helpers import fixture_store, import_file, with_raw_keys

D = dt.date


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (s.organisations, s.batches, s.families, *s.CHILD_TABLES)}


def workbook(frames, organisation=ORG_A) -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, frames, organisation=organisation)
    return buf.getvalue()


def test_schema_is_versioned_and_upgrade_is_idempotent(db_url):
    store = Store(db_url)
    assert migrations.current_version(store.engine) == migrations.LATEST_VERSION
    assert migrations.upgrade(store.engine) == []
    tables = set(inspect(store.engine).get_table_names())
    assert {"organisations", "batches", "families", "trajectories", "help_requests", "measurements", "hours",
            "schema_migrations", "meta"} <= tables


def test_fixture_summary_matches_hand_computed_figures(db_url, fixture_paths):
    store = fixture_store(db_url, fixture_paths)
    summary = build_summary(with_raw_keys(store.load_dataset()), PEILDATUM)
    assert (summary["organisations"], summary["families"], summary["help_requests"]) == (2, 5, 6)
    needs = {r["leefgebied"]: (r["families"], r["families_pct"], r["requests"], r["requests_pct"]) for r in summary["needs"]}
    assert needs == EXPECTED["needs"]
    assert {r["months"]: (r["completed"], r["ongoing"]) for r in summary["duration"]} == EXPECTED["duration"]
    assert {r["leefgebied"]: (r["n"], r["mean"], r["counts"]) for r in summary["progress"]} == EXPECTED["progress"]
    assert {(r["support_type"], r["moment"]): (r["n"], r["mean_hours_per_week"]) for r in summary["hours"]} == EXPECTED["hours"]


def test_refused_file_stores_nothing_and_keeps_earlier_data(db_url, fixture_paths):
    store = fixture_store(db_url, fixture_paths)
    before, revision = counts(store), store.revision()
    broken = dict(FRAMES[ORG_A])
    broken["requests"] = pd.DataFrame({"family": ["A1", "A1"], "leefgebied": ["Wonen", "Onzin"]})
    result = import_file(store, workbook(broken), "kapot.xlsx")
    assert result.status == "refused"
    assert counts(store) == before and store.revision() == revision


def test_same_file_twice_is_not_counted_twice(db_url, fixture_paths):
    store = fixture_store(db_url, fixture_paths)
    before = counts(store)
    result = import_file(store, fixture_paths[0])
    assert result.status == "duplicate" and result.ok
    assert counts(store) == before


KEYS = ["A1", "A2", "A3", "A4", "A9"]


def test_newer_upload_replaces_same_families_and_earlier_batch_can_be_restored(db_url, fixture_paths):
    store = fixture_store(db_url, fixture_paths)
    newer = {
        # A1 gets a new trajectory end and only one request; A9 is new. A2–A4 are not in this file.
        "families": pd.DataFrame({"family": ["A1", "A9"], "start": [D(2020, 1, 15), D(2021, 3, 1)],
                                  "end": [D(2021, 1, 15), None]}),
        "requests": pd.DataFrame({"family": ["A1", "A9"], "leefgebied": ["Wonen", "Gezondheid"]}),
    }
    result = import_file(store, workbook(newer), "nieuwer.xlsx")
    assert result.status == "imported" and result.replaced_families == 1
    ds = with_raw_keys(store.load_dataset(), KEYS)
    a = ds.families[ds.families["organisation"] == ORG_A]
    assert sorted(a["family_key"]) == ["A1", "A2", "A3", "A4", "A9"]
    assert ds.requests.loc[ds.requests["family_key"] == "A1", "leefgebied"].tolist() == ["Wonen"]
    batches = store.batches().set_index("file_name")
    assert batches.loc["fixture_1.xlsx", "status"] == "deels vervangen"
    assert batches.loc["nieuwer.xlsx", "status"] == "actief"

    restored = store.restore_batch(int(batches.loc["fixture_1.xlsx", "id"]))
    assert restored == 4
    ds = with_raw_keys(store.load_dataset(), KEYS)
    assert sorted(ds.requests.loc[ds.requests["family_key"] == "A1", "leefgebied"]) == ["Financiën", "Participatie"]
    assert "A9" in set(ds.families["family_key"])  # families only in the newer batch stay
    batches = store.batches().set_index("file_name")
    assert batches.loc["fixture_1.xlsx", "status"] == "actief"
    assert batches.loc["nieuwer.xlsx", "status"] == "deels vervangen"
    assert len(batches) == 3  # history keeps every batch


def test_sample_removal_is_remembered(db_url, fixture_paths):
    store = Store(db_url)
    import_file(store, fixture_paths[0], is_sample=True)
    import_file(store, fixture_paths[1])
    assert store.has_sample_data()
    assert store.remove_sample_data() == 1
    assert not store.has_sample_data()
    assert store.get_meta("sample_data") == "removed"
    assert list(with_raw_keys(store.load_dataset()).families["organisation"].unique()) == ["Fixture Gezinshuis"]


def test_reapply_mapping_from_raw_values(db_url, fixture_paths):
    """A new taxonomy version re-harmonises stored rows without an upload and says what moved."""
    from gezinsmonitor import taxonomy as tx
    store = fixture_store(db_url, fixture_paths)
    assert harmonise.reapply(store).empty  # nothing changed yet
    # An administrator moves "Opvoeding" from Sociaal to Participatie.
    cats = dict(tx.DEFAULT_TAXONOMY.leefgebieden)
    cats["Sociaal"] = tuple(c for c in cats["Sociaal"] if c != "Opvoeding")
    cats["Participatie"] = cats["Participatie"] + ("Opvoeding",)
    store.save_taxonomy(tx.Taxonomy(cats, tx.DEFAULT_TAXONOMY.synonyms), "test", "Opvoeding verplaatst")
    revision = store.revision()
    moved = harmonise.reapply(store)
    # The row says leefgebied Sociaal; its categorie no longer belongs there, so only the categorie goes.
    assert moved[["van leefgebied", "van categorie", "naar leefgebied", "naar categorie"]].values.tolist() == [
        ["Sociaal", "Opvoeding", "Sociaal", ""]]
    assert moved["aantal"].tolist() == [1] and store.revision() == revision + 1
    assert store.taxonomy().version == 1 and len(store.taxonomy_history()) == 1


def test_long_free_text_is_stored_on_every_database(db_url):
    long = "x" * 300
    frames = {"families": pd.DataFrame({"family": ["F" * 250], "start": [D(2020, 1, 1)], "end": [D(2020, 6, 1)],
                                        "status": ["afgerond"], "end_reason": [long], "wijk": [long]})}
    store = Store(db_url)
    result = import_file(store, workbook(frames, organisation="O" * 250), "lang.xlsx")
    assert result.status == "imported", result.report.to_text()
    assert with_raw_keys(store.load_dataset()).families["wijk"].iloc[0] == long


def test_real_upload_never_lands_in_a_sample_organisation(db_url, fixture_paths):
    store = Store(db_url)
    import_file(store, fixture_paths[0], is_sample=True)
    result = import_file(store, workbook({"families": pd.DataFrame({"family": ["Z1"], "start": [D(2021, 1, 1)]})}),
                         "echt.xlsx")
    assert result.status == "refused"
    assert "voorbeeldorganisatie" in result.report.errors[0].message
    assert len(store.batches()) == 1


def test_v1_store_is_upgraded_to_latest_without_losing_rows(db_url, fixture_paths):
    """A store made before harmonisation (no v2/v3 tables or columns) keeps its rows and gains the new ones."""
    from sqlalchemy import inspect, text
    from gezinsmonitor import migrations, schema
    store = fixture_store(db_url, fixture_paths)
    n_requests = len(with_raw_keys(store.load_dataset()).requests)
    with store.engine.begin() as conn:  # take the store back to version 1
        for table in (*schema.V2_TABLES, *schema.V3_TABLES, *schema.V4_TABLES, *schema.V5_TABLES):
            conn.execute(text(f"DROP TABLE {table.name}"))
        for table, column in (*schema.V2_COLUMNS, *schema.V3_COLUMNS):
            conn.execute(text(f"ALTER TABLE {table.name} DROP COLUMN {column}"))
        conn.execute(text("DELETE FROM schema_migrations WHERE version >= 2"))
    assert "confidence" not in {c["name"] for c in inspect(store.engine).get_columns("help_requests")}
    assert migrations.upgrade(store.engine) == [2, 3, 4, 5]
    assert migrations.upgrade(store.engine) == []  # once only
    assert {"language", "language_raw"} <= {c["name"] for c in inspect(store.engine).get_columns("families")}
    assert inspect(store.engine).has_table("areas") and inspect(store.engine).has_table("audit_log")
    assert inspect(store.engine).has_table("presentations")
    again = Store(engine=store.engine)
    assert len(with_raw_keys(again.load_dataset()).requests) == n_requests
    assert {"unit", "indicator"} <= {c["name"] for c in inspect(store.engine).get_columns("measurements")}
    assert again.taxonomy().version == 0 and again.review_queue().empty
