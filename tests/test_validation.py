"""Loader + validation on workbooks that go wrong in the ways real sheets do."""
import datetime as dt
import io

import openpyxl
import pandas as pd

from gezinsmonitor.report import ERROR, WARNING
from gezinsmonitor.template import write_workbook
from gezinsmonitor.validation import validate
from loaders.registratieformat import read_registration

D = dt.date


def workbook(data, organisation="Org", **kw) -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, data, organisation=organisation, **kw)
    return buf.getvalue()


def check(data, organisation="Org"):
    return validate(read_registration(workbook(data, organisation), "t.xlsx").raw, today=D(2022, 1, 1))


def issues(reg, severity=None):
    return [(i.sheet, i.row, i.column, i.message) for i in reg.report.issues if severity in (None, i.severity)]


FAMILIES = pd.DataFrame({"family": ["G1", "G2"], "start": [D(2020, 1, 1), D(2020, 2, 1)], "end": [None, None]})


def test_clean_workbook_has_no_issues():
    reg = check({"families": FAMILIES, "requests": pd.DataFrame({"family": ["G1"], "leefgebied": ["Wonen"]})})
    assert reg.report.issues == []
    assert reg.organisation == "Org"
    assert list(reg.families["status"]) == ["lopend", "lopend"]  # derived from the missing end date


def test_errors_name_sheet_row_and_column():
    families = pd.DataFrame({
        "family": ["G1", "G1", None, "G4"],
        "start": [D(2020, 1, 1), "31-02-2020", D(2020, 1, 1), D(2020, 5, 1)],
        "end": [None, None, None, D(2020, 1, 1)],
    })
    requests = pd.DataFrame({"family": ["G1", "G9", "G4"], "leefgebied": ["Geluk", "Wonen", None]})
    reg = check({"families": families, "requests": requests})
    errors = issues(reg, ERROR)
    assert ("Gezinnen", 2, "Gezin", "Deze gezinscode komt meer dan één keer voor.") in errors
    assert ("Gezinnen", 3, "Startdatum", "Geen geldige datum.") in errors
    assert ("Gezinnen", 4, "Gezin", "Gezinscode ontbreekt.") in errors
    assert ("Gezinnen", 5, "Einddatum", "Einddatum ligt vóór de startdatum.") in errors
    assert ("Hulpvragen", 2, "Leefgebied", "Onbekend leefgebied.") in errors
    assert ("Hulpvragen", 3, "Gezin", "Dit gezin staat niet op blad Gezinnen.") in errors
    assert ("Hulpvragen", 4, "Leefgebied", "Leefgebied ontbreekt.") in errors
    assert all(i.fix for i in reg.report.errors), "every error says how to fix it"


def test_warnings_do_not_refuse():
    families = FAMILIES.assign(status=["afgerond", "lopend"], composition=["eenouder", "samengesteld"])
    requests = pd.DataFrame({"family": ["G1", "G2", "G2"], "leefgebied": ["Meedoen", "Wonen", None],
                             "categorie": [None, "Opvoeding", "Opvoeding"]})
    reg = check({"families": families, "requests": requests})
    assert reg.report.ok
    warnings = issues(reg, WARNING)
    assert ("Gezinnen", 2, "Einddatum", "Traject is afgerond maar heeft geen einddatum.") in warnings
    assert ("Gezinnen", 3, "Gezinssamenstelling", "Waarde staat niet in de lijst.") in warnings
    assert ("Hulpvragen", 2, "Leefgebied", "Leefgebied herkend via de woordenlijst.") in warnings
    rq = reg.requests
    assert list(rq["leefgebied"]) == ["Participatie", "Wonen", "Sociaal"]
    assert list(rq["herkomst"]) == ["woordenlijst", "registratieformat", "afgeleid"]
    assert rq["categorie"].iloc[1] is None  # Opvoeding does not belong to Wonen
    assert rq["leefgebied_raw"].iloc[0] == "Meedoen"  # raw kept next to the harmonised value


def test_progress_and_hours_values():
    progress = pd.DataFrame({"family": ["G1"] * 4, "date": [D(2020, 3, 1)] * 4,
                             "leefgebied": ["Wonen", "Sociaal", "Financiën", "Gezondheid"],
                             "score": [4, "n.v.t.", 7, None]})
    hours = pd.DataFrame({"family": ["G1"] * 3, "date": [D(2020, 3, 1)] * 3,
                          "support_type": ["Regelzaken", "Praktische steun", "Bellen"], "hours": ["1,5", "8-12 uur", 1]})
    reg = check({"families": FAMILIES, "progress": progress, "hours": hours})
    errors = issues(reg, ERROR)
    assert ("Voortgang", 4, "Score", "Geen geldige voortgangsscore.") in errors
    assert ("Inzet", 3, "Uren per week", "Geen geldig aantal uren per week.") in errors
    assert ("Inzet", 4, "Soort steun", "Waarde staat niet in de lijst.") in errors
    assert ("Voortgang", 5, "Score", "Score ontbreekt; de rij wordt overgeslagen.") in issues(reg, WARNING)
    assert len(reg.measurements) == 3  # the empty score is skipped, n.v.t. kept
    assert reg.measurements["not_applicable"].tolist() == [False, True, False]


def test_header_below_a_title_and_extra_columns(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Gezinnen"
    ws.append(["Registratie 2021 – wijkteam"])
    ws.append([])
    ws.append(["Gezin", "Startdatum", "Opmerking"])
    ws.append(["G1", D(2021, 1, 1), "loopt goed"])
    info = wb.create_sheet("Toelichting")
    info.append(["Naam organisatie", "Eigen Org"])
    path = tmp_path / "eigen.xlsx"
    wb.save(path)
    reg = validate(read_registration(path).raw)
    assert reg.report.ok
    assert reg.organisation == "Eigen Org"
    assert reg.families["row_number"].tolist() == [4]
    assert ("Gezinnen", 3, "Opmerking", "Onbekende kolom; deze wordt niet ingelezen.") in issues(reg, WARNING)
    assert any(i.sheet == "Hulpvragen" and "ontbreekt" in i.message for i in reg.report.warnings)


def test_not_a_workbook_and_missing_sheet():
    reg = validate(read_registration(b"Gezin;Startdatum\nG1;1-1-2020\n", "lijst.csv").raw)
    assert [i.message for i in reg.report.errors] == ["Dit bestand is geen Excel-werkmap (.xlsx)."]
    wb = openpyxl.Workbook()
    wb.active.title = "Blad1"
    buf = io.BytesIO()
    wb.save(buf)
    reg = validate(read_registration(buf.getvalue(), "leeg.xlsx").raw)
    assert any(i.message == "Blad Gezinnen ontbreekt." for i in reg.report.errors)


def test_missing_required_column():
    wb = openpyxl.Workbook()
    wb.active.title = "Gezinnen"
    wb.active.append(["Gezin", "Einddatum"])
    wb.active.append(["G1", None])
    buf = io.BytesIO()
    wb.save(buf)
    reg = validate(read_registration(buf.getvalue(), "x.xlsx").raw)
    assert ("Gezinnen", None, "Startdatum", "Verplichte kolom ontbreekt.") in issues(reg, ERROR)


def test_report_frames_for_the_page():
    reg = check({"families": pd.DataFrame({"family": ["G1", "G2", "G3"], "start": ["x", "y", D(2020, 1, 1)]})})
    summary = reg.report.summary()
    row = summary[summary["kolom"] == "Startdatum"].iloc[0]
    assert row["aantal"] == 2 and row["eerste rijen"] == "2, 3"
    frame = reg.report.to_frame()
    assert list(frame.columns) == ["ernst", "blad", "rij", "kolom", "waarde", "probleem", "oplossing"]
    assert "blad Gezinnen rij 2 kolom Startdatum" in reg.report.to_text()


def test_stray_far_cell_is_refused_before_reading(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Gezinnen"
    ws.append(["Gezin", "Startdatum"])
    ws["XFD1000"] = "x"
    path = tmp_path / "ver.xlsx"
    wb.save(path)
    reg = validate(read_registration(path).raw)
    assert [i.message for i in reg.report.errors] == [
        "Een blad beslaat een veel te groot bereik (tot rij 1000, kolom 16384)."]


def test_cells_of_the_wrong_type_are_errors_not_silence():
    progress = pd.DataFrame({"family": ["G1"], "date": [D(2020, 3, 1)], "leefgebied": ["Wonen"],
                             "score": [D(2020, 3, 4)]})
    hours = pd.DataFrame({"family": ["G1", "G1"], "date": [D(2020, 3, 1)] * 2,
                          "support_type": ["Regelzaken", "Praktische steun"], "hours": [dt.time(1, 30), D(2020, 1, 1)]})
    families = FAMILIES.assign(start=[D(2020, 1, 1), "01-01-1000"])
    reg = check({"families": families, "progress": progress, "hours": hours})
    errors = issues(reg, ERROR)
    assert ("Voortgang", 2, "Score", "Geen geldige voortgangsscore.") in errors
    assert ("Inzet", 3, "Uren per week", "Geen geldig aantal uren per week.") in errors
    assert ("Gezinnen", 3, "Startdatum", "Geen geldige datum.") in errors
    assert reg.hours["hours_per_week"].iloc[0] == 1.5  # a time cell 1:30 is one and a half hours


def test_missing_gezinnen_column_does_not_cascade():
    wb = openpyxl.Workbook()
    wb.active.title = "Gezinnen"
    wb.active.append(["Gezin", "Start"])
    wb.active.append(["G1", D(2020, 1, 1)])
    rq = wb.create_sheet("Hulpvragen")
    rq.append(["Gezin", "Leefgebied"])
    rq.append(["G1", "Wonen"])
    buf = io.BytesIO()
    wb.save(buf)
    reg = validate(read_registration(buf.getvalue(), "x.xlsx").raw)
    assert [i.sheet for i in reg.report.errors] == ["Gezinnen"]
