"""Small hand-made workbooks in organisations' own layouts, with what they must harmonise to.

Each builder writes an .xlsx with openpyxl and returns its path; the expectations in the tests
are worked out by hand from these cells.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

D = dt.datetime


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def free_text(path: Path, extra_family: bool = False) -> Path:
    """Title above the header, one sheet per year, free-text requests, end dates as text, wide progress."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2024"
    ws.append(["Gezinnen Buurtwerk Test – aanmeldingen 2024"])
    ws.append([])
    ws.append(["Dossiernummer", "Datum aanmelding", "Einddatum", "Gezinssituatie", "Hulpvragen", "Opmerkingen"])
    ws.append(["B1", D(2024, 2, 3), D(2024, 9, 10), "alleenstaande moeder", "schulden door scheiding, lege koelkast",
               "bel eerst"])
    ws.append(["B2", "3-2-2024", "(nog) niet van toepassing", "twee ouders", "taalles\nwil graag werk", None])
    ws2 = wb.create_sheet("2025")
    ws2.append(["Gezinnen Buurtwerk Test – aanmeldingen 2025"])
    ws2.append([])
    ws2.append(["Dossiernummer", "Datum aanmelding", "Einddatum", "Gezinssituatie", "Hulpvragen", "Opmerkingen"])
    ws2.append(["B3", "Oktober 2025", "naar verwachting januari 2027", "eenoudergezin", "diversen", None])
    if extra_family:
        ws2.append(["B4", "5-11-2025", None, "twee ouders", "eenzaam", None])
    wv = wb.create_sheet("Voortgang")
    wv.append(["Dossiernummer", "Datum", "Financiën", "Sociaal", "Participatie"])
    wv.append(["B1", D(2024, 6, 1), 4, "nvt", 3])
    wv.append(["B2", D(2024, 6, 1), None, 5, 2])
    return _save(wb, path)


def ticks(path: Path) -> Path:
    """Two-row header with merged group cells, tick-box columns, hours per support type and moment."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Gezinnen"
    ws.append(["Gezin", None, None, "Financiën", None, "Sociaal", "Wonen"])
    ws.merge_cells("A1:C1")
    ws.merge_cells("D1:E1")
    ws.append(["Code", "Start", "Eind", "Schulden", "Spullen/tekorten", "Opvoeding", "Wonen/huisvesting"])
    ws.append(["HA-1", D(2024, 1, 5), None, "x", None, "ja", None])
    ws.append(["HA-2", D(2024, 3, 1), D(2025, 1, 31), None, "✓", 1, "X"])
    wi = wb.create_sheet("Inzet")
    wi.append(["Code", "Gesprekken (start)", "Regelzaken (start)", "Maatje (start)", "Gesprekken (nu)",
               "Regelzaken (nu)", "Maatje (nu)"])
    wi.append(["HA-1", "1,5 uur", "4 uur en 5 minuten", "nvt", "50 minuten", "8 a 10 uur", "nvt"])
    wi.append(["HA-2", "0,75 uur", 2, "2 uur (Humanitas)", "45 min", "1 uur", "1,5"])
    return _save(wb, path)


def codes(path: Path) -> Path:
    """Long layout with the organisation's own codes and a legend sheet; long progress scores."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cliënten"
    ws.append(["Clientnr", "Ingang", "Uitstroom", "Huishouden"])
    ws.append(["C1", D(2024, 4, 1), None, "eenouder"])
    ws.append(["C2", D(2024, 5, 1), D(2024, 12, 1), "tweeouder"])
    wh = wb.create_sheet("Hulpvragen")
    wh.append(["Clientnr", "Datum", "Code"])
    wh.append(["C1", D(2024, 4, 2), "FIN-SCH"])
    wh.append(["C1", D(2024, 4, 2), "SOC-OPV"])
    wh.append(["C2", D(2024, 5, 2), "PAR-TAAL"])
    wl = wb.create_sheet("Codes")
    wl.append(["Code", "Omschrijving"])
    wl.append(["FIN-SCH", "Schulden"])
    wl.append(["SOC-OPV", "Opvoeding"])
    wl.append(["PAR-TAAL", "Nederlandse taal"])
    wm = wb.create_sheet("Metingen")
    wm.append(["Clientnr", "Datum", "Leefgebied", "Score"])
    wm.append(["C1", D(2024, 7, 1), "Financiën", 3])
    wm.append(["C1", D(2024, 10, 1), "Financiën", 4])
    wm.append(["C2", D(2024, 7, 1), "Participatie", "n.v.t."])
    return _save(wb, path)


def zrm(path: Path) -> Path:
    """ZRM levels per domain, moments in the sheet names; requests as ZRM domains with a description."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Gezinnen"
    ws.append(["Overzicht gezinnen Wijkpost Test"])
    ws.append(["Gezin", "Start traject", "Einde traject", "Wijk"])
    ws.append(["W1", D(2024, 1, 10), None, "Oost"])
    ws.append(["W2", D(2024, 2, 10), None, "West"])
    wh = wb.create_sheet("Hulpvragen")
    wh.append(["Gezin", "Leefgebied (ZRM)", "Omschrijving"])
    wh.append(["W1", "Huisvesting", "urgentie aanvragen"])
    wh.append(["W1", "Huiselijke relaties", "hulp bij opvoeding"])
    wh.append(["W2", "Geldzaken", "schulden"])
    for moment, levels in (("T0", ((2, 3), (1, 2))), ("T1", ((3, 3), (2, None)))):
        wz = wb.create_sheet(f"ZRM {moment}")
        wz.append(["Gezin", "Huisvesting", "Financiën"])
        for fam, (a, b) in zip(("W1", "W2"), levels):
            wz.append([fam, a, b])
    return _save(wb, path)


def contacts(path: Path) -> Path:
    """A contact log with text durations and contact types, and severity per indicator and unit at T0–T1."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Trajecten"
    ws.append(["Nr", "Aanmelding", "Afsluiting", "Hulpvraag 1", "Hulpvraag 2"])
    ws.append(["N1", "1-3-2024", None, "Geldzaken", "Meedoen - taal"])
    wc = wb.create_sheet("Contacten")
    wc.append(["Nr", "Datum", "Duur", "Soort contact"])
    wc.append(["N1", "4-3-2024", "1,5 uur", "huisbezoek"])
    wc.append(["N1", "11-3-2024", "45 min", "huisbezoek"])
    wc.append(["N1", "2-4-2024", "1 uur en 15 minuten", "mee naar instantie"])
    we = wb.create_sheet("Ernst")
    we.append(["Nr", "Indicator", "Eenheid", "T0", "T1"])
    we.append(["N1", "Schulden", "gezin", "zwaar", "middel"])
    we.append(["N1", "Opvoeding", "ouder", "middel", "onbekend"])
    return _save(wb, path)


def moment_column(path: Path) -> Path:
    """Long ZRM levels with the moment in a column of its own."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Gezinnen"
    ws.append(["Gezin", "Startdatum"])
    ws.append(["M1", D(2024, 1, 10)])
    wz = wb.create_sheet("ZRM")
    wz.append(["Gezin", "Meetmoment", "Huisvesting", "Financiën"])
    wz.append(["M1", "nulmeting", 2, 1])
    wz.append(["M1", "T1", 3, 2])
    return _save(wb, path)
