"""Beheersing Nederlandse taal (families.language): parser, registratieformat column, own-layout
column, store and export, and the bundled samples. Expected values are worked out by hand from
the cells written here; the sample round trip is checked against the generator's own truth."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook

from gezinsmonitor import columns as cols
from gezinsmonitor import taxonomy as tx
from gezinsmonitor import values as vals
from gezinsmonitor.export import export_tables
from gezinsmonitor.layout import SheetGrid, read_table
from gezinsmonitor.report import WARNING
from gezinsmonitor.store import Store
from gezinsmonitor.template import LISTS_SHEET, write_workbook
from gezinsmonitor.validation import validate
from loaders.registratieformat import read_registration
from loaders.upload import import_upload, read_upload
from sample_data import generate as gen
from tests.helpers import import_file
from tests.helpers import with_raw_keys

D = dt.date
TODAY = D(2026, 11, 22)


# -- parser ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell,value,state", [
    ("goed", "goed", "waarde"),
    ("Goed", "goed", "waarde"),
    (" VOLDOENDE ", "voldoende", "waarde"),
    ("redelijk", "voldoende", "waarde"),
    ("matig", "matig", "waarde"),
    ("matig (volgt taalles)", "matig", "waarde"),  # a remark in brackets does not change the level
    ("een beetje", "matig", "waarde"),
    ("slecht.", "slecht", "waarde"),
    ("spreekt geen Nederlands", "slecht", "waarde"),
    ("spreekt nauwelijks Nederlands", "slecht", "waarde"),
    ("spreekt goed Nederlands", "goed", "waarde"),
    ("Nederlands: redelijk", "voldoende", "waarde"),
    ("Nederlandse taal - matig", "matig", "waarde"),
    ("onbekend", "onbekend", "onbekend"),
    ("onb.", "onbekend", "onbekend"),
    ("?", "onbekend", "onbekend"),
    ("weet niet", "onbekend", "onbekend"),
    ("n.v.t.", None, "nvt"),
    (None, None, "leeg"),
    ("  ", None, "leeg"),
    # Not guessed: a judgement that is not written in one of the known phrasings.
    ("onvoldoende", None, "ongeldig"),  # matig or slecht?
    ("NT2", None, "ongeldig"),
    ("volgt NT2-les", None, "ongeldig"),
    ("B1", None, "ongeldig"),
    ("geen", None, "ongeldig"),  # "geen taalprobleem"? only "geen Nederlands" says no Dutch
    ("matig/slecht", None, "ongeldig"),
    ("spreekt Nederlands", None, "ongeldig"),  # no level
    (3, None, "ongeldig"),
    (True, None, "ongeldig"),
    (D(2024, 1, 1), None, "ongeldig"),
])
def test_parse_language_forms(cell, value, state):
    got = vals.parse_language(pd.Series([cell], dtype=object))
    assert (got["value"].iloc[0], got["state"].iloc[0]) == (value, state)


def test_parse_language_keeps_the_index_and_reads_each_distinct_value_once():
    s = pd.Series(["goed", None, "goed", "redelijk"], index=[10, 11, 12, 13], dtype=object)
    got = vals.parse_language(s)
    assert list(got.index) == [10, 11, 12, 13]
    assert got["value"].tolist() == ["goed", None, "goed", "voldoende"]
    assert got["state"].tolist() == ["waarde", "leeg", "waarde", "waarde"]


def test_vocabulary_and_hampered_levels():
    assert tx.TAAL == ("goed", "voldoende", "matig", "slecht", "onbekend")
    assert tx.TAAL_LEVELS == ("goed", "voldoende", "matig", "slecht")
    assert tx.TAAL_HAMPERED == ("matig", "slecht")
    assert set(vals.LANGUAGE_WORDS.values()) == set(tx.TAAL_LEVELS)


# -- registratieformat ---------------------------------------------------------------------------------
FAMILIES = pd.DataFrame({
    "family": ["G1", "G2", "G3", "G4", "G5", "G6"],
    "start": [D(2024, 1, 1)] * 6,
    # G1, G2, G5 from the list (any case); G3 a known phrasing; G4 not understood; G6 empty.
    "language": ["goed", "Matig", "redelijk", "onvoldoende", "onbekend", None],
})


def _workbook(families: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, {"families": families}, organisation="Taal Test")
    return buf.getvalue()


def test_template_has_the_taal_column_with_its_list():
    wb = openpyxl.load_workbook(io.BytesIO(_workbook(FAMILIES.iloc[0:0])))
    headers = [c.value for c in wb["Gezinnen"][1]]
    assert headers[-1] == "Taal"
    lists = {col[0].value: [c.value for c in col[1:] if c.value is not None] for col in wb[LISTS_SHEET].iter_cols()}
    assert lists["language"] == ["goed", "voldoende", "matig", "slecht", "onbekend"]
    letter = openpyxl.utils.get_column_letter(len(headers))
    validated = {str(dv.sqref).split(":")[0] for dv in wb["Gezinnen"].data_validations.dataValidation}
    assert f"{letter}2" in validated  # the dropdown sits on the Taal column


def test_registratieformat_taal_column_is_validated_and_kept_raw():
    reg = validate(read_registration(_workbook(FAMILIES), "t.xlsx").raw, today=TODAY)
    assert reg.report.ok
    fam = reg.families.set_index("family_key")
    assert fam["language"].to_dict() == {"G1": "goed", "G2": "matig", "G3": "voldoende", "G4": None,
                                         "G5": "onbekend", "G6": None}
    assert fam["language_raw"].to_dict() == {"G1": "goed", "G2": "Matig", "G3": "redelijk", "G4": "onvoldoende",
                                             "G5": "onbekend", "G6": None}
    warnings = [(i.row, i.column, i.message) for i in reg.report.issues if i.severity == WARNING]
    # Rows: header in row 1, so G3 is row 4 and G4 row 5.
    assert warnings == [
        (5, "Taal", "Taalniveau niet herkend; de waarde wordt bewaard maar niet meegeteld."),
        (4, "Taal", "Waarde staat niet in de lijst; gelezen als 'voldoende'."),
    ]


def test_registratieformat_without_a_taal_column_still_reads():
    families = FAMILIES.drop(columns="language")
    buf = io.BytesIO()
    wb = Workbook()
    ws = wb.active
    ws.title = "Gezinnen"
    ws.append(["Gezin", "Startdatum"])  # an older file: no Taal column at all
    for f, s in zip(families["family"], families["start"]):
        ws.append([f, s])
    wb.save(buf)
    reg = validate(read_registration(buf.getvalue(), "oud.xlsx").raw, today=TODAY)
    assert reg.report.ok and reg.families["language"].isna().all()


def test_taal_is_stored_and_exported(sqlite_url):
    store = Store(sqlite_url)
    result = import_file(store, _workbook(FAMILIES), "taal.xlsx")
    assert result.status == "imported", result.report.to_text()
    ds = with_raw_keys(store.load_dataset())
    fam = ds.families.set_index("family_key")
    assert fam["language"].fillna("-").to_dict() == {"G1": "goed", "G2": "matig", "G3": "voldoende", "G4": "-",
                                                     "G5": "onbekend", "G6": "-"}
    assert fam.loc["G4", "language_raw"] == "onvoldoende"
    gezinnen = export_tables(ds)["gezinnen"].set_index("gezin")
    assert gezinnen.loc["G3", "taal"] == "voldoende" and gezinnen.loc["G3", "taal_origineel"] == "redelijk"
    assert list(gezinnen.columns).index("taal") == list(gezinnen.columns).index("schulden") + 1


# -- own layouts ----------------------------------------------------------------------------------------
def _suggest(rows, name="Gezinnen"):
    return cols.suggest([read_table(SheetGrid(name, rows))])


@pytest.mark.parametrize("header", ["Taal", "Beheersing Nederlands", "Beheersing Nederlandse taal", "Nederlandse taal",
                                    "Taalniveau", "Taalvaardigheid", "Niveau Nederlands", "Taal (ouder)"])
def test_own_layout_taal_column_is_recognised_by_its_header(header):
    choices = _suggest([["Dossiernr", "Startdatum", header],
                        ["D1", D(2024, 1, 1), "goed"], ["D2", D(2024, 2, 1), "matig"], ["D3", D(2024, 3, 1), None]])
    taal = choices[2]
    assert taal.target == "taal" and taal.certain, (header, taal)


def test_an_odd_value_lowers_the_certainty_but_keeps_the_suggestion():
    # Exact header, values fit 1 of 2 filled cells: 0.7 × 1 + 0.3 × 0.5 = 0.85.
    taal = _suggest([["Dossiernr", "Taal"], ["D1", "goed"], ["D2", "volgt taalles"]])[1]
    assert (taal.target, taal.confidence) == ("taal", 0.85)


def test_taal_does_not_steal_other_columns():
    # A tick column "Taal" (a help request), with and without a leefgebied group above it.
    grouped = cols.suggest([read_table(SheetGrid("Gezinnen", [
        ["Gezin", None, "Participatie", None], ["Code", "Start", "Taal", "Werk"],
        ["H1", D(2024, 1, 1), "x", None], ["H2", D(2024, 1, 1), None, "x"]], merged=(((0, 2), (0, 3)),)))])
    assert (grouped[2].target, grouped[2].param) == ("aangevinkt", "Participatie / Nederlandse taal")
    # Without a group the ticks name no category: a person decides, as before there was a taal field.
    plain = _suggest([["Code", "Start", "Taal"], ["H1", D(2024, 1, 1), "x"], ["H2", D(2024, 1, 1), "ja"]])
    assert plain[2].target == cols.IGNORE and not plain[2].certain
    # An empty tick column under its leefgebied group stays an unticked category.
    empty = cols.suggest([read_table(SheetGrid("Gezinnen", [
        ["Gezin", None, "Participatie", None], ["Code", "Start", "Taal", "Werk"],
        ["H1", D(2024, 1, 1), None, "x"]], merged=(((0, 2), (0, 3)),)))])
    assert empty[2].target == "aangevinkt"
    # "Totaal" looks like "Taal" (80%) but its numbers are no levels.
    totals = _suggest([["Code", "Totaal"], ["H1", 12], ["H2", 7]])
    assert totals[1].target != "taal"


def test_every_bundled_sample_column_keeps_its_meaning_except_the_new_taal_columns(monkeypatch):
    """Suggestions with and without the taal target differ only on the taal columns of A and B."""
    tables_of = {}
    for org in gen.ORGANISATIONS:
        upload = read_upload(gen.SAMPLE_DIR / gen.sample_file_name(org.name))
        if not upload.is_registratieformat:
            tables_of[org.letter] = [t for t in (read_table(g) for g in upload.grids) if t is not None]
    with_taal = {letter: cols.suggest(tables) for letter, tables in tables_of.items()}
    monkeypatch.setattr(cols, "TARGETS", tuple(t for t in cols.TARGETS if t.key != "taal"))
    changed = {}
    for letter, tables in tables_of.items():
        for a, b in zip(with_taal[letter], cols.suggest(tables)):
            if (a.target, a.param, a.confidence) != (b.target, b.param, b.confidence):
                changed.setdefault(letter, set()).add((a.header, b.target, a.target, a.certain))
    assert set(tables_of) == {"A", "B", "C", "D", "E"}
    assert changed == {"A": {("Beheersing Nederlands", cols.IGNORE, "taal", True)},
                       "B": {("Taalniveau", cols.IGNORE, "taal", True)}}


def test_own_layout_taal_is_converted_and_stored(sqlite_url, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Cliënten"
    ws.append(["Clientnr", "Ingang", "Taalniveau"])
    for row in (["C1", dt.datetime(2024, 4, 1), "spreekt geen Nederlands"], ["C2", dt.datetime(2024, 5, 1), "redelijk"],
                ["C3", dt.datetime(2024, 6, 1), "onb."], ["C4", dt.datetime(2024, 7, 1), "NT2"],
                ["C5", dt.datetime(2024, 8, 1), None]):
        ws.append(row)
    path = tmp_path / "taal.xlsx"
    wb.save(path)
    store = Store(sqlite_url)
    result, _ = import_upload(store, read_upload(path), organisation="Taal Eigen", today=TODAY)
    assert result.status == "imported", result.report.to_text()  # every column understood: no question
    fam = with_raw_keys(store.load_dataset()).families.set_index("family_key")
    assert fam["language"].fillna("-").to_dict() == {"C1": "slecht", "C2": "voldoende", "C3": "onbekend",
                                                     "C4": "-", "C5": "-"}
    assert fam.loc["C4", "language_raw"] == "NT2" and pd.isna(fam.loc["C5", "language_raw"])
    unread = [(i.sheet, i.row, i.column, i.value) for i in result.report.warnings if "taal" in i.message.lower()]
    assert unread == [("Cliënten", 5, "Taalniveau", "NT2")]


# -- the bundled samples ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_families(samples):
    """The families of the session's sample store (tests/conftest.py), loaded once per run."""
    return samples.families


def test_samples_carry_taal_in_a_b_and_f_as_the_generator_wrote_it(sample_families):
    truth = gen.language_truth()
    got = sample_families.merge(truth, left_on=["organisation", "family_key"], right_on=["organisation", "family"])
    assert len(got) == len(sample_families) == 213
    assert (got["language_x"].fillna("-") == got["expected"].fillna("-")).all()
    carried = {gen.ORGANISATIONS[i].name for i, o in enumerate(gen.ORGANISATIONS) if o.letter in gen.CARRIES_LANGUAGE}
    assert carried == {"Buurtkracht Noord", "Huiskamer Het Anker", "Stichting Samen Verder"}
    assert sample_families.loc[~sample_families["organisation"].isin(carried), "language"].isna().all()
    # A's one remark is kept as written but not counted.
    remark = sample_families[sample_families["language_raw"] == gen.A_LANGUAGE_REMARK]
    assert len(remark) == 1 and remark["language"].isna().all()


def test_samples_taal_distribution_per_organisation(sample_families):
    counts = (sample_families.assign(taal=sample_families["language"].fillna("leeg"))
              .groupby(["organisation", "taal"]).size().unstack(fill_value=0))
    truth = gen.language_truth()
    for org in ("Buurtkracht Noord", "Huiskamer Het Anker", "Stichting Samen Verder"):
        row = counts.loc[org]
        want = truth.loc[truth["organisation"] == org, "expected"].fillna("leeg").value_counts()
        assert row[row > 0].to_dict() == want.to_dict(), org
        known = sum(row.get(level, 0) for level in tx.TAAL_LEVELS)
        hampered = sum(row.get(level, 0) for level in tx.TAAL_HAMPERED)
        assert 0.30 <= hampered / known <= 0.36, (org, hampered, known)  # DOMAIN §3.5: a third hampered
        assert row.get("onbekend", 0) >= 2 and row.get("leeg", 0) >= 1, org
        assert all(row.get(level, 0) > 0 for level in tx.TAAL_LEVELS), org
    # Stichting Samen Verder (46 families, registratieformat), worked out from LANGUAGE:
    # onbekend round(0.08 × 46) = 4, empty round(0.05 × 46) = 2, 40 known split 0.40/0.27/0.21/0.12 by
    # largest remainder: 16, 10.8 → 11, 8.4 → 8, 4.8 → 5.
    assert counts.loc["Stichting Samen Verder"].to_dict() == {"goed": 16, "leeg": 2, "matig": 8, "onbekend": 4,
                                                               "slecht": 5, "voldoende": 11}


def test_samples_taal_follows_a_nederlandse_taal_request(sample_families):
    truth = gen.language_truth()
    generated = gen.generate()
    asks = {(o, f) for o, s in generated.items()
            for f in s["requests"].loc[s["requests"]["categorie"] == "Nederlandse taal", "family"]}
    known = truth[truth["language"].isin(tx.TAAL_LEVELS)]
    hampered = known["language"].isin(tx.TAAL_HAMPERED)
    by_ask = hampered.groupby([(o, f) in asks for o, f in zip(known["organisation"], known["family"])]).mean()
    assert by_ask[True] > 2 * by_ask[False]
