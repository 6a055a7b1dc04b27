"""The trajectory funnel (DOMAIN §3.3: aanmelding → intake → begeleiding → resultaat): parser, registratieformat
columns Fase and Resultaat, own-layout columns, store and export, the bundled samples and the Trajectduur page.
Expected values are worked out by hand from the cells written here; the sample round trip is checked against
the generator's own truth and the counts its constants give."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook

from gezinsmonitor import columns as cols
from gezinsmonitor import endings
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
SV = "Stichting Samen Verder"
PAGE = "pages/trajectduur.py"


# -- parser ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell,value,state", [
    ("aanmelding", "aanmelding", "waarde"),
    ("Aangemeld", "aanmelding", "waarde"),
    ("alleen aanmelding", "aanmelding", "waarde"),
    (" INTAKE ", "intake", "waarde"),
    ("intake gehad", "intake", "waarde"),
    ("Intakegesprek gevoerd.", "intake", "waarde"),
    ("intake (telefonisch)", "intake", "waarde"),  # a remark in brackets does not change the phase
    ("begeleiding", "begeleiding", "waarde"),
    ("in begeleiding", "begeleiding", "waarde"),
    ("begeleiding gestart", "begeleiding", "waarde"),
    ("onbekend", None, "onbekend"),
    ("n.v.t.", None, "nvt"),
    (None, None, "leeg"),
    ("  ", None, "leeg"),
    # Not guessed: a waiting list, a stop or a number says nothing certain about the furthest phase.
    ("wachtlijst", None, "ongeldig"),
    ("gestopt", None, "ongeldig"),
    ("afgerond", None, "ongeldig"),
    ("intake/begeleiding", None, "ongeldig"),
    (2, None, "ongeldig"),
    (True, None, "ongeldig"),
    (D(2024, 1, 1), None, "ongeldig"),
])
def test_parse_phase_forms(cell, value, state):
    got = vals.parse_phase(pd.Series([cell], dtype=object))
    assert (got["value"].iloc[0], got["state"].iloc[0]) == (value, state)


@pytest.mark.parametrize("cell,value,state", [
    ("geslaagd", "geslaagd", "waarde"),
    ("Succesvol afgerond", "geslaagd", "waarde"),
    ("geslaagd (werk gevonden)", "geslaagd", "waarde"),
    ("Niet geslaagd", "niet geslaagd", "waarde"),
    ("mislukt", "niet geslaagd", "waarde"),
    ("lopend", "lopend", "waarde"),
    ("loopt nog", "lopend", "waarde"),
    ("?", None, "onbekend"),
    ("nvt", None, "nvt"),
    (None, None, "leeg"),
    # Not guessed: stopping or ending may be a failure, a move or a referral.
    ("gestopt", None, "ongeldig"),
    ("uitgevallen", None, "ongeldig"),
    ("afgerond", None, "ongeldig"),
    ("doelen bereikt", None, "ongeldig"),  # a reason for ending, not the registered result
    ("deels geslaagd", None, "ongeldig"),
    (1, None, "ongeldig"),
])
def test_parse_result_forms(cell, value, state):
    got = vals.parse_result(pd.Series([cell], dtype=object))
    assert (got["value"].iloc[0], got["state"].iloc[0]) == (value, state)


def test_vocabulary():
    assert tx.FUNNEL_PHASES == endings.PHASES == ("aanmelding", "intake", "begeleiding")
    assert tx.FUNNEL_RESULTS == endings.RESULTS == ("geslaagd", "niet geslaagd", "lopend")
    assert set(vals.PHASE_WORDS.values()) == set(tx.FUNNEL_PHASES)
    assert set(vals.RESULT_WORDS.values()) == set(tx.FUNNEL_RESULTS)


# -- registratieformat ---------------------------------------------------------------------------------
FAMILIES = pd.DataFrame({
    "family": ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8"],
    "start": [D(2024, 1, 1)] * 8,
    "end": [D(2025, 1, 1), None, D(2025, 1, 1), None, D(2025, 1, 1), None, D(2025, 1, 1), None],
    "status": ["afgerond", "lopend", "afgerond", "lopend", "afgerond", "lopend", "afgerond", "lopend"],
    # G1 list; G2 a known phrasing; G3 list; G4 not understood; G5 intake with a result (contradiction);
    # G6 empty phase, result lopend; G7 afgerond with result lopend; G8 lopend with result geslaagd.
    "phase": ["begeleiding", "in begeleiding", "intake", "wachtlijst", "intake", None, "begeleiding", "begeleiding"],
    "result": ["geslaagd", "loopt nog", None, None, "niet geslaagd", "lopend", "lopend", "geslaagd"],
})


def _workbook(families: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, {"families": families}, organisation="Trechter Test")
    return buf.getvalue()


def test_template_has_fase_and_resultaat_with_their_lists():
    wb = openpyxl.load_workbook(io.BytesIO(_workbook(FAMILIES.iloc[0:0])))
    headers = [c.value for c in wb["Gezinnen"][1]]
    # After "Reden einde" (trajectory fields together); Taal stays last.
    at = headers.index("Reden einde")
    assert headers[at + 1:at + 3] == ["Fase", "Resultaat"] and headers[-1] == "Taal"
    lists = {col[0].value: [c.value for c in col[1:] if c.value is not None] for col in wb[LISTS_SHEET].iter_cols()}
    assert lists["phase"] == ["aanmelding", "intake", "begeleiding"]
    assert lists["result"] == ["geslaagd", "niet geslaagd", "lopend"]
    validated = {str(dv.sqref).split(":")[0] for dv in wb["Gezinnen"].data_validations.dataValidation}
    for header in ("Fase", "Resultaat"):
        assert f"{openpyxl.utils.get_column_letter(headers.index(header) + 1)}2" in validated, header
    help_lines = [c.value for c in wb["Toelichting"]["B"] if isinstance(c.value, str)]
    assert any(line.startswith("Fase: Optioneel: de verste fase") for line in help_lines)
    assert any(line.startswith("Resultaat: Optioneel, alleen na begeleiding") for line in help_lines)


def test_registratieformat_funnel_columns_are_validated_and_kept_raw():
    reg = validate(read_registration(_workbook(FAMILIES), "t.xlsx").raw, today=TODAY)
    assert reg.report.ok
    fam = reg.families.set_index("family_key")
    assert fam["phase"].to_dict() == {"G1": "begeleiding", "G2": "begeleiding", "G3": "intake", "G4": None,
                                      "G5": "intake", "G6": None, "G7": "begeleiding", "G8": "begeleiding"}
    assert fam["result"].to_dict() == {"G1": "geslaagd", "G2": "lopend", "G3": None, "G4": None,
                                       "G5": "niet geslaagd", "G6": "lopend", "G7": "lopend", "G8": "geslaagd"}
    assert fam.loc["G4", "phase_raw"] == "wachtlijst" and fam.loc["G2", "result_raw"] == "loopt nog"
    assert fam["status"].tolist() == FAMILIES["status"].tolist()  # the funnel never changes the status
    warnings = sorted((i.row, i.column, i.message) for i in reg.report.issues if i.severity == WARNING)
    # Header in row 1, so G1 is row 2 … G8 row 9.
    assert warnings == [
        (3, "Fase", "Waarde staat niet in de lijst; gelezen als 'begeleiding'."),
        (3, "Resultaat", "Waarde staat niet in de lijst; gelezen als 'lopend'."),
        (5, "Fase", "Fase niet herkend; de waarde wordt bewaard maar niet meegeteld in de trechter."),
        (6, "Resultaat", ("Er is een resultaat ingevuld, maar de fase is geen begeleiding; in de trechter telt het "
                          "traject als begeleiding bereikt.")),
        (8, "Resultaat", "Resultaat is lopend maar het traject is afgerond."),
        (9, "Resultaat", "Het traject loopt nog maar heeft al een eindresultaat."),
    ]


def test_registratieformat_without_funnel_columns_still_reads():
    buf = io.BytesIO()
    wb = Workbook()
    ws = wb.active
    ws.title = "Gezinnen"
    ws.append(["Gezin", "Startdatum", "Taal"])  # a file from before Fase and Resultaat
    ws.append(["G1", D(2024, 1, 1), "goed"])
    wb.save(buf)
    reg = validate(read_registration(buf.getvalue(), "oud.xlsx").raw, today=TODAY)
    assert reg.report.ok and not [i for i in reg.report.warnings if i.sheet == "Gezinnen"]
    assert reg.families[["phase", "result", "phase_raw", "result_raw"]].isna().all().all()


def test_funnel_is_stored_exported_and_counted(sqlite_url):
    store = Store(sqlite_url)
    result = import_file(store, _workbook(FAMILIES), "trechter.xlsx")
    assert result.status == "imported", result.report.to_text()
    ds = with_raw_keys(store.load_dataset())
    tr = ds.trajectories.set_index("family_key")
    assert tr["phase"].fillna("-").to_dict() == {"G1": "begeleiding", "G2": "begeleiding", "G3": "intake",
                                                 "G4": "-", "G5": "intake", "G6": "-", "G7": "begeleiding",
                                                 "G8": "begeleiding"}
    assert tr.loc["G4", "phase_raw"] == "wachtlijst" and pd.isna(tr.loc["G3", "result_raw"])
    trajecten = export_tables(ds)["trajecten"].set_index("gezin")
    assert trajecten.loc["G2", ["fase", "resultaat", "fase_origineel", "resultaat_origineel"]].tolist() == [
        "begeleiding", "lopend", "in begeleiding", "loopt nog"]
    # Known: all but G4 (7). Every known one reached aanmelding and intake (7 of 7); begeleiding: G1, G2, G7, G8
    # by phase and G5, G6 by their result = 6 of 7; results among those 6: geslaagd G1, G8 = 2; niet geslaagd G5
    # = 1; lopend G2, G6, G7 = 3.
    funnel = endings.funnel_rates(ds.trajectories)
    assert funnel["n"].tolist() == [7, 7, 6, 2, 1, 3]
    assert funnel["of"].tolist() == [7, 7, 7, 6, 6, 6]
    assert funnel.attrs == {"n": 7, "excluded": {"geen fase of resultaat": 1}}
    # Wilson at k = n = 7: lower bound n / (n + z²) = 7 / (7 + 1.95996²) = 7 / 10.8415 = 64.57%, upper 100%.
    assert funnel.loc[0, ["pct", "pct_lo", "pct_hi"]].tolist() == pytest.approx([100, 64.566, 100], abs=1e-3)
    # Final results: G1 and G8 geslaagd, G5 niet geslaagd (lopend ones have none yet) → 2 of 3 = 66,67%. Wilson:
    # denominator 1 + 3.8415/3 = 2.2805; centre (0.6667 + 0.6402) / 2.2805 = 0.5731; half-width
    # 1.96 × √(0.2222/3 + 3.8415/36) / 2.2805 = 0.3654 → 20,77–93,85%.
    success = endings.funnel_success(ds.trajectories)
    assert (success["n"], success["k"]) == (3, 2)
    assert [success["pct"], success["pct_lo"], success["pct_hi"]] == pytest.approx([66.667, 20.77, 93.85], abs=0.01)
    assert endings.funnel_success(ds.trajectories.iloc[0:0])["n"] == 0


def test_funnel_organisations_names_those_without_a_funnel():
    frame = pd.DataFrame({"organisation": ["P", "P", "Q", "Q", "Q", "R"],
                          "phase": ["intake", None, None, None, None, None],
                          "result": [None, None, None, None, None, "geslaagd"]})
    # P has a phase, R only a result; Q has nothing (3 trajectories).
    assert endings.funnel_organisations(frame) == (["P", "R"], {"Q": 3})
    assert endings.funnel_organisations(frame.iloc[0:0]) == ([], {})


# -- own layouts ----------------------------------------------------------------------------------------
def _suggest(rows, name="Gezinnen"):
    return cols.suggest([read_table(SheetGrid(name, rows))])


@pytest.mark.parametrize("header", ["Fase", "Trajectfase", "Stap", "Bereikte fase"])
def test_own_layout_fase_is_recognised_when_the_values_are_phases(header):
    choices = _suggest([["Dossiernr", "Startdatum", header], ["D1", D(2024, 1, 1), "aangemeld"],
                        ["D2", D(2024, 2, 1), "intake gehad"], ["D3", D(2024, 3, 1), "in begeleiding"],
                        ["D4", D(2024, 4, 1), None]])
    assert choices[2].target == "fase" and choices[2].certain, (header, choices[2])


@pytest.mark.parametrize("header", ["Resultaat", "Uitkomst", "Resultaat traject", "Eindresultaat"])
def test_own_layout_resultaat_is_recognised_when_the_values_are_results(header):
    choices = _suggest([["Dossiernr", "Startdatum", header], ["D1", D(2024, 1, 1), "geslaagd"],
                        ["D2", D(2024, 2, 1), "niet geslaagd"], ["D3", D(2024, 3, 1), "loopt nog"]])
    assert choices[2].target == "resultaat" and choices[2].certain, (header, choices[2])


def test_fase_and_resultaat_do_not_steal_other_columns():
    # A meetmoment called "Fase" (T0/T1 or start/eind) stays a meetmoment.
    moments = _suggest([["Gezin", "Fase", "Score"], ["G1", "T0", 2], ["G1", "T1", 3], ["G2", "start", 2]],
                       name="Voortgang")
    assert moments[1].target == "meetmoment"
    # Mostly other words (1 of 3 a phase, below 60%): not the funnel.
    mixed = _suggest([["Gezin", "Fase"], ["G1", "intake"], ["G2", "wachtlijst"], ["G3", "gestopt"]])
    assert mixed[1].target != "fase"
    # A "Resultaat" with numbers or free text is no funnel result.
    numbers = _suggest([["Gezin", "Resultaat"], ["G1", 3], ["G2", 4]])
    assert numbers[1].target != "resultaat"
    text = _suggest([["Gezin", "Uitkomst"], ["G1", "woning gevonden"], ["G2", "schulden geregeld"]])
    assert text[1].target != "resultaat"


def test_every_bundled_sample_column_keeps_its_meaning(monkeypatch):
    """Suggestions with and without the funnel targets are the same on all five own layouts."""
    tables_of = {}
    for org in gen.ORGANISATIONS:
        upload = read_upload(gen.SAMPLE_DIR / gen.sample_file_name(org.name))
        if not upload.is_registratieformat:
            tables_of[org.letter] = [t for t in (read_table(g) for g in upload.grids) if t is not None]
    with_funnel = {letter: cols.suggest(tables) for letter, tables in tables_of.items()}
    monkeypatch.setattr(cols, "TARGETS", tuple(t for t in cols.TARGETS if t.key not in ("fase", "resultaat")))
    monkeypatch.setattr(cols, "PHASE_VALUES", 2.0)  # never: a "Fase" meetmoment as before
    assert set(tables_of) == {"A", "B", "C", "D", "E"}
    for letter, tables in tables_of.items():
        before = [(c.header, c.target, c.param, c.confidence) for c in cols.suggest(tables)]
        assert [(c.header, c.target, c.param, c.confidence) for c in with_funnel[letter]] == before, letter


def test_own_layout_funnel_is_converted_and_stored(sqlite_url, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Cliënten"
    ws.append(["Clientnr", "Ingang", "Einde", "Fase", "Uitkomst"])
    for row in (["C1", dt.datetime(2024, 4, 1), dt.datetime(2025, 4, 1), "in begeleiding", "geslaagd"],
                ["C2", dt.datetime(2024, 5, 1), None, "begeleiding", "loopt nog"],
                ["C3", dt.datetime(2024, 6, 1), dt.datetime(2024, 8, 1), "intake gehad", None],
                ["C4", dt.datetime(2024, 7, 1), dt.datetime(2025, 1, 1), "begeleiding", "gestopt"],
                ["C5", dt.datetime(2024, 8, 1), None, "aangemeld", None]):
        ws.append(row)
    path = tmp_path / "trechter.xlsx"
    wb.save(path)
    store = Store(sqlite_url)
    result, _ = import_upload(store, read_upload(path), organisation="Trechter Eigen", today=TODAY)
    assert result.status == "imported", result.report.to_text()  # every column understood: no question
    tr = with_raw_keys(store.load_dataset()).trajectories.set_index("family_key")
    assert tr["phase"].to_dict() == {"C1": "begeleiding", "C2": "begeleiding", "C3": "intake", "C4": "begeleiding",
                                     "C5": "aanmelding"}
    assert tr["result"].fillna("-").to_dict() == {"C1": "geslaagd", "C2": "lopend", "C3": "-", "C4": "-", "C5": "-"}
    assert tr.loc["C4", "result_raw"] == "gestopt"  # kept as written, not counted, not guessed
    unread = [(i.sheet, i.row, i.column, i.value) for i in result.report.warnings if "trechter" in i.message]
    assert unread == [("Cliënten", 5, "Uitkomst", "gestopt")]


# -- the bundled samples ---------------------------------------------------------------------------------
def test_samples_funnel_round_trip(samples):
    """Only Samen Verder registers a funnel, exactly as the generator wrote it; the others have none."""
    truth = gen.funnel_truth()
    got = samples.trajectories.merge(truth, left_on=["organisation", "family_key"],
                                     right_on=["organisation", "family"])
    assert len(got) == len(samples.trajectories) == 213
    assert (got["phase_x"].fillna("-") == got["phase_y"].fillna("-")).all()
    assert (got["result_x"].fillna("-") == got["result_y"].fillna("-")).all()
    with_funnel, without = endings.funnel_organisations(samples.trajectories)
    assert with_funnel == [SV]
    assert set(without) == {o.name for o in gen.ORGANISATIONS} - {SV}
    assert sum(without.values()) == 213 - 46


def test_samples_funnel_counts_for_samen_verder(samples):
    sv = samples.trajectories[samples.trajectories["organisation"] == SV]
    funnel = endings.funnel_rates(sv).set_index("step")
    # 46 families, all reached intake; round(0.10 × 46) = 5 stop at intake → 41 in begeleiding. The 27 lopend
    # families and 19 afgerond ones (the calibrated statuses) split over those: a in begeleiding afgerond,
    # geslaagd = round(0.70 × a), the rest niet geslaagd; lopend = 41 − a.
    assert funnel["n"].tolist()[:3] == [46, 46, 41] and funnel.attrs == {"n": 46, "excluded": {}}
    done = int(((sv["phase"] == "begeleiding") & (sv["status"] == tx.STATUS_AFGEROND)).sum())
    assert 12 <= done <= 19
    assert funnel.loc["resultaat: geslaagd", "n"] == int(0.70 * done + 0.5)
    assert funnel.loc["resultaat: niet geslaagd", "n"] == done - int(0.70 * done + 0.5)
    assert funnel.loc["resultaat: lopend", "n"] == 41 - done
    # Every lopend family in begeleiding is "lopend", every afgerond one has a final result: no warnings in F.
    assert (sv.loc[sv["result"] == "lopend", "status"] == tx.STATUS_LOPEND).all()


def test_samen_verder_workbook_carries_the_list_values():
    wb = openpyxl.load_workbook(gen.SAMPLE_DIR / gen.sample_file_name(SV), read_only=True)
    rows = list(wb["Gezinnen"].iter_rows(values_only=True))
    header = [str(h).rstrip(" *") for h in rows[0]]
    phases = {r[header.index("Fase")] for r in rows[1:]}
    results = {r[header.index("Resultaat")] for r in rows[1:]}
    assert phases == {"intake", "begeleiding"} and results == {"geslaagd", "niet geslaagd", "lopend", None}


# -- the Trajectduur page ---------------------------------------------------------------------------------
def test_page_shows_the_funnel_for_samen_verder(monkeypatch, samples_db):
    from tests import apptest as ui
    at = ui.start(monkeypatch, samples_db, PAGE, D(2026, 10, 31))
    table = ui.table(at, "Stap", "Van vorige stap", "% (95%-BI)").set_index("Stap")
    assert table["Trajecten"].tolist()[:3] == [46, 46, 41]
    assert table["Van vorige stap"].tolist() == [46, 46, 46, 41, 41, 41]
    # 41 of 46 = 89,13%; Wilson: centre (0.8913 + 3.8415/92) / (1 + 3.8415/46) = 0.8612, half-width
    # 1.96 × √(0.8913 × 0.1087 / 46 + 3.8415 / 8464) / 1.0835 = 0.0915 → 77,0–95,3%.
    assert table.loc["begeleiding", "% (95%-BI)"] == "89,1% (95%-BI 77,0–95,3%)"
    assert any(c.value.startswith("**n = 46 trajecten met een fase of resultaat") for c in at.caption)
    named = [i.value for i in at.info if i.value.startswith("Geen trechter geregistreerd bij:")]
    assert len(named) == 1 and "Buurtkracht Noord (24 trajecten)" in named[0] and "niet als 0%" in named[0]
    assert SV not in named[0]
    # Final results in Samen Verder: 12 geslaagd, 5 niet geslaagd → 12 of 17 = 70,59%; Wilson: denominator
    # 1 + 3.8415/17 = 1.2260, centre (0.7059 + 0.1130) / 1.2260 = 0.6679, half-width
    # 1.96 × √(0.7059 × 0.2941 / 17 + 3.8415 / 1156) / 1.2260 = 0.1993 → 46,9–86,7%.
    assert any("Van de **17** trajecten met een eindresultaat" in m.value and "**12** geslaagd: 70,6% (95%-BI "
               "46,9–86,7%)" in m.value for m in at.markdown)

    at.multiselect(key="f_orgs").set_value(["Buurtkracht Noord"]).run()
    ui.assert_ok(at)
    assert not [df for df in at.dataframe if "Van vorige stap" in df.value.columns]
    assert any("geen trechter geregistreerd" in i.value for i in at.info)

    at.multiselect(key="f_orgs").set_value([SV]).run()
    ui.assert_ok(at)
    assert ui.table(at, "Stap", "Van vorige stap")["Trajecten"].tolist()[:3] == [46, 46, 41]
    assert not [i for i in at.info if i.value.startswith("Geen trechter geregistreerd bij:")]
