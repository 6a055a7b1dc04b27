"""Own layouts end to end: suggestions, refusal with the open decisions, profiles, review queue.

The workbooks are built in tests/own_layouts.py; every expected value below is worked out by hand
from their cells.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from gezinsmonitor import columns as cols
from gezinsmonitor import harmonise, intake
from gezinsmonitor import taxonomy as tx
from gezinsmonitor import vocabulary as vocab
from gezinsmonitor.store import Store
from loaders.upload import import_upload, read_upload
from tests import own_layouts as ol
from tests.helpers import with_raw_keys

TODAY = dt.date(2026, 11, 22)


def _import(store, path, org, **kw):
    return import_upload(store, read_upload(path), organisation=org, today=TODAY, **kw)


def test_free_text_layout_refused_until_decided_then_imported(db_url, tmp_path):
    store = Store(db_url)
    path = ol.free_text(tmp_path / "buurtwerk.xlsx")
    result, converted = _import(store, path, "Buurtwerk Test")
    assert result.status == "refused" and store.is_empty()
    errors = " ".join(i.message for i in result.report.errors)
    assert "Kolom 'Opmerkingen'" in errors  # an unknown column needs a person
    assert "Hulpvraag 'diversen'" in errors  # a vague request needs a person

    result, converted = _import(store, path, "Buurtwerk Test", accept_suggestions=True)
    assert result.status == "imported", result.report.to_text()
    ds = with_raw_keys(store.load_dataset())
    fam = ds.trajectories.set_index("family_key")
    assert fam.loc["B1", "status"] == "afgerond" and fam.loc["B1", "end_date"] == pd.Timestamp(2024, 9, 10)
    assert fam.loc["B2", "status"] == "lopend" and pd.isna(fam.loc["B2", "end_date"])
    assert fam.loc["B2", "start_date"] == pd.Timestamp(2024, 2, 3)  # "3-2-2024" is d-m-yyyy
    # "naar verwachting januari 2027": still running, the expected end kept apart from an actual one
    assert fam.loc["B3", "status"] == "lopend" and pd.isna(fam.loc["B3", "end_date"])
    assert pd.Timestamp(fam.loc["B3", "expected_end"]) == pd.Timestamp(2027, 1, 1)
    assert fam.loc["B3", "start_date"] == pd.Timestamp(2025, 10, 1)  # "Oktober 2025", month precision
    comp = ds.families.set_index("family_key")["composition"]
    assert comp.to_dict() == {"B1": "eenouder", "B2": "tweeouder", "B3": "eenouder"}

    req = ds.requests.sort_values("id")
    got = list(zip(req["family_key"], req["leefgebied"], req["categorie"].fillna(""), req["herkomst"]))
    assert got[:4] == [("B1", "Financiën", "Schulden", "tekstregel"), ("B1", "Financiën", "Acute nood", "tekstregel"),
                       ("B2", "Participatie", "Nederlandse taal", "tekstregel"), ("B2", "Participatie", "Werk", "tekstregel")]
    assert got[4][0] == "B3" and got[4][3] == tx.HERKOMST_TE_BEOORDELEN
    queue = store.review_queue()
    assert queue["tekst"].tolist() == ["diversen"] and queue["aantal"].tolist() == [1]

    m = ds.measurements
    assert len(m) == 5 and int(m["not_applicable"].sum()) == 1
    scores = m[~m["not_applicable"]].set_index(["family_key", "leefgebied"])["value"].to_dict()
    assert scores == {("B1", "Financiën"): 4, ("B1", "Participatie"): 3, ("B2", "Sociaal"): 5, ("B2", "Participatie"): 2}
    assert store.profiles()["version"].tolist() == [1]


def test_same_layout_next_time_uses_the_profile_without_questions(db_url, tmp_path):
    store = Store(db_url)
    first = ol.free_text(tmp_path / "a.xlsx")
    result, _ = _import(store, first, "Buurtwerk Test", accept_suggestions=True)
    assert result.status == "imported"
    # A new year's file: same sheets and headers, one more family whose request is clear.
    second = ol.free_text(tmp_path / "b.xlsx", extra_family=True)
    upload = read_upload(second)
    plan = intake.plan(store, upload.grids, "Buurtwerk Test")
    assert plan.profile is not None and plan.profile[1] == 1 and not plan.uncertain_columns
    # B3's "diversen" is still uncertain: without the flag the value decision is asked for, not the columns.
    result, _ = _import(store, second, "Buurtwerk Test")
    errors = [i.message for i in result.report.errors]
    assert result.status == "refused" and all("Kolom" not in e for e in errors) and any("diversen" in e for e in errors)
    # Once a person decided "diversen", the same file imports without any question.
    store.remember_value(vocab.learned_key("diversen"), "diversen", "Overig", "Overig", "test")
    result, _ = _import(store, second, "Buurtwerk Test")
    assert result.status == "imported", result.report.to_text()
    assert "profiel versie 1" in result.message
    assert len(store.profiles()) == 1  # nothing new to save


def test_person_decision_is_applied_retroactively_to_all_organisations(db_url, tmp_path):
    store = Store(db_url)
    for org in ("Org A", "Org B"):
        path = ol.free_text(tmp_path / f"{org}.xlsx", extra_family=org == "Org B")  # two different files
        result, _ = _import(store, path, org, accept_suggestions=True)
        assert result.status == "imported"
    assert store.review_queue()["aantal"].tolist() == [2]
    revision = store.revision()
    store.remember_value(vocab.learned_key("Diversen"), "Diversen", "Overig", "Zingeving", "beheerder")
    moved = harmonise.reapply(store)
    assert moved["aantal"].sum() == 2 and set(moved["herkomst"]) == {tx.HERKOMST_PERSOON}
    assert store.review_queue().empty and store.revision() > revision
    req = with_raw_keys(store.load_dataset()).requests
    rows = req[req["label_raw"] == "diversen"]
    assert len(rows) == 2 and set(rows["categorie"]) == {"Zingeving"} and set(rows["organisation"]) == {"Org A", "Org B"}
    # Undo: the rows go back to the queue; nothing is lost.
    store.forget_value(vocab.learned_key("diversen"))
    harmonise.reapply(store)
    assert store.review_queue()["aantal"].tolist() == [2]


def test_tick_boxes_under_merged_group_headers_and_hours_per_moment(sqlite_url, tmp_path):
    store = Store(sqlite_url)
    result, _ = _import(store, ol.ticks(tmp_path / "anker.xlsx"), "Anker Test", accept_suggestions=True)
    assert result.status == "imported", result.report.to_text()
    ds = with_raw_keys(store.load_dataset())
    req = ds.requests.sort_values("id")
    assert list(zip(req["family_key"], req["leefgebied"], req["categorie"].fillna(""))) == [
        ("HA-1", "Financiën", "Schulden"), ("HA-1", "Sociaal", "Opvoeding"),
        ("HA-2", "Financiën", "Materiële tekorten"), ("HA-2", "Sociaal", "Opvoeding"), ("HA-2", "Wonen", "")]
    h = ds.hours.set_index(["family_key", "support_type", "moment"])
    assert h.loc[("HA-1", "Regelzaken", "start"), "hours_per_week"] == pytest.approx(4 + 5 / 60)
    assert h.loc[("HA-1", "Regelzaken", "later"), "hours_per_week"] == pytest.approx(9)  # "8 a 10 uur": midpoint
    assert h.loc[("HA-1", "Gesprekken met gezin", "later"), "hours_per_week"] == pytest.approx(50 / 60)
    assert h.loc[("HA-2", "Ondersteuning door maatje", "start"), "hours_per_week"] == pytest.approx(2)  # note dropped
    assert bool(h.loc[("HA-1", "Ondersteuning door maatje", "start"), "not_applicable"])
    assert h.loc[("HA-2", "Regelzaken", "start"), "hours_per_week"] == pytest.approx(2)  # bare number in an hours column
    assert any("Bereik" in i.message for i in result.report.warnings)


def test_codes_with_a_legend_and_long_scores(sqlite_url, tmp_path):
    store = Store(sqlite_url)
    result, _ = _import(store, ol.codes(tmp_path / "thuis.xlsx"), "Thuis Test")
    assert result.status == "imported", result.report.to_text()  # everything understood: no flag needed
    ds = with_raw_keys(store.load_dataset())
    req = ds.requests.sort_values("id")
    assert list(zip(req["label_raw"], req["leefgebied"], req["categorie"])) == [
        ("FIN-SCH: Schulden", "Financiën", "Schulden"), ("SOC-OPV: Opvoeding", "Sociaal", "Opvoeding"),
        ("PAR-TAAL: Nederlandse taal", "Participatie", "Nederlandse taal")]
    assert len(ds.families) == 2  # the legend's codes are not families
    m = ds.measurements.sort_values("id")
    assert m["value"].tolist()[:2] == [3, 4] and bool(m["not_applicable"].iloc[2])


def test_zrm_levels_at_moments_from_sheet_names(sqlite_url, tmp_path):
    store = Store(sqlite_url)
    result, _ = _import(store, ol.zrm(tmp_path / "zrm.xlsx"), "Wijkpost Test")
    assert result.status == "imported", result.report.to_text()
    m = with_raw_keys(store.load_dataset()).measurements
    assert set(m["instrument"]) == {"zrm"} and len(m) == 7  # W2's empty Financiën at T1 is not a level
    lvl = m.set_index(["family_key", "indicator", "moment"])["value"]
    assert lvl[("W1", "Huisvesting", "T0")] == 2 and lvl[("W1", "Huisvesting", "T1")] == 3
    assert set(m.loc[m["indicator"] == "Huisvesting", "leefgebied"]) == {"Wonen"}
    req = with_raw_keys(store.load_dataset()).requests.sort_values("id")
    assert list(zip(req["leefgebied"], req["categorie"].fillna(""))) == [
        ("Wonen", ""), ("Sociaal", "Opvoeding"), ("Financiën", "Schulden")]


def test_contact_log_and_severity(sqlite_url, tmp_path):
    store = Store(sqlite_url)
    result, _ = _import(store, ol.contacts(tmp_path / "naast.xlsx"), "Naast Test")
    assert result.status == "imported", result.report.to_text()
    ds = with_raw_keys(store.load_dataset())
    h = ds.hours.sort_values("measured_on")
    assert h["minutes"].tolist() == [90, 45, 75] and set(h["moment"]) == {"contact"}
    assert h["support_type"].tolist() == ["Gesprekken met gezin", "Gesprekken met gezin", "Regelzaken"]
    assert h["herkomst"].notna().all() and (h["confidence"] >= 0.8).all()  # every mapped value says how
    e = ds.measurements
    assert set(e["instrument"]) == {"ernst"} and len(e) == 3  # "onbekend" is dropped, so N differs per moment
    sev = e.set_index(["indicator", "unit", "moment"])["value"]
    assert sev[("Schulden", "gezin", "T0")] == 3 and sev[("Schulden", "gezin", "T1")] == 2
    assert sev[("Opvoeding", "ouder", "T0")] == 2
    assert set(e["leefgebied"]) == {"Financiën", "Sociaal"} and e["herkomst"].notna().all()


def test_profile_round_trip_and_person_edits():
    from gezinsmonitor.layout import SheetGrid, read_table
    table = read_table(SheetGrid("2024", [["Dossiernummer", "Opmerkingen"], ["A1", "bel eerst"]]))
    choices = cols.suggest([table])
    assert [c.target for c in choices] == ["gezin", cols.IGNORE] and not choices[1].certain
    frame = cols.to_frame(choices)
    frame.loc[1, "betekenis"] = cols.TARGET_BY_KEY["hulpvraag"].label
    edited = cols.from_frame(frame, choices)
    assert edited[1].target == "hulpvraag" and edited[1].certain and "aangepast" in edited[1].reason
    content = cols.profile_content(edited)
    other_year = read_table(SheetGrid("2025", [["Dossiernummer", "Opmerkingen"], ["A9", "x"]]))
    again = cols.apply_profile([other_year], content, 3)
    assert [c.target for c in again] == ["gezin", "hulpvraag"] and again[0].reason == "profiel versie 3"
    changed = read_table(SheetGrid("2025", [["Dossiernummer", "Notities"], ["A9", "x"]]))
    assert cols.apply_profile([changed], content, 3) is None  # a new column: ask again
    assert json.loads(content)[0]["sheet"] == "#"


def test_moment_in_a_column_of_its_own(sqlite_url, tmp_path):
    store = Store(sqlite_url)
    result, _ = _import(store, ol.moment_column(tmp_path / "m.xlsx"), "Moment Test")
    assert result.status == "imported", result.report.to_text()
    m = with_raw_keys(store.load_dataset()).measurements
    levels = m.set_index(["indicator", "moment"])["value"].to_dict()
    assert levels == {("Huisvesting", "start"): 2, ("Financiën", "start"): 1,
                      ("Huisvesting", "T1"): 3, ("Financiën", "T1"): 2}
    assert set(m["instrument"]) == {"zrm"}


def test_duration_without_a_date_column_is_not_taken_for_a_contact_log():
    from gezinsmonitor.layout import SheetGrid, read_table
    with_date = read_table(SheetGrid("Contacten", [["Nr", "Datum", "Duur"], ["N1", "4-3-2024", "45 min"]]))
    without = read_table(SheetGrid("Blad1", [["Nr", "Duur"], ["N1", "45 min"]]))
    assert [c.target for c in cols.suggest([with_date])][2] == "contact_duur"
    duur = cols.suggest([without])[1]
    assert duur.target == "contact_duur" and not duur.certain  # a person is asked
