"""Read a workbook in the registration format with python-calamine.

The loader only finds sheets, header rows and columns; checking values is the core's job
(`gezinsmonitor.validation`). Anything unreadable becomes a Dutch error, never an exception.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from gezinsmonitor import identifiers
from gezinsmonitor import registratieformat as rf
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.report import Report
from gezinsmonitor.validation import ROW, RawWorkbook

from .workbook import OpenedWorkbook, ProgressCallback, _noop, open_workbook

HEADER_SEARCH_ROWS = 15  # a title or blank lines may stand above the header row


@dataclass
class LoadedFile:
    file_name: str
    sha256: str
    raw: RawWorkbook


def _header_key(text: object) -> str:
    return tx.normalise_label(str(text).replace("*", ""))


def _find_header(rows: list[list], sheet: rf.Sheet) -> int | None:
    wanted = {_header_key(c.header) for c in sheet.columns}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _header_key(rf.FAMILY.header) in {_header_key(v) for v in row if v != ""} & wanted:
            return i
    return None


def _sheet_frame(rows: list[list], sheet: rf.Sheet, report: Report) -> pd.DataFrame | None:
    header_at = _find_header(rows, sheet)
    if header_at is None:
        report.error(sheet.name, None, rf.FAMILY.header, "Geen kopregel gevonden met de kolom 'Gezin'.",
                     f"Zet de kolomnamen van het registratieformat in de eerste rij van blad {sheet.name}.")
        return None
    by_header = {_header_key(c.header): c.key for c in sheet.columns}
    positions: dict[str, int] = {}
    for j, value in enumerate(rows[header_at]):
        if value == "" or value is None:
            continue
        key = by_header.get(_header_key(value))
        if key is None:
            # Never read; said plainly when it holds personal data, so the user removes it next time.
            column = pd.Series([r[j] if j < len(r) else "" for r in rows[header_at + 1:]], dtype=object)
            finding = identifiers.detect_column(value, column)
            if finding is not None:
                identifiers.report_column(report, sheet.name, header_at + 1, str(value), finding)
                continue
            report.warning(sheet.name, header_at + 1, str(value), "Onbekende kolom; deze wordt niet ingelezen.",
                           "Laat de kolom weg of hernoem hem naar een kolom van het registratieformat.")
        elif key in positions:
            report.error(sheet.name, header_at + 1, str(value), "Deze kolom staat er twee keer in.",
                         "Verwijder een van de twee kolommen.")
        else:
            positions[key] = j
    body = rows[header_at + 1:]
    data = {key: pd.Series([r[j] if j < len(r) else "" for r in body], dtype=object) for key, j in positions.items()}
    frame = pd.DataFrame(data)
    frame[ROW] = range(header_at + 2, header_at + 2 + len(body))
    return frame


def _info(rows: list[list]) -> tuple[str | None, object]:
    """Organisation and peildatum from the instruction sheet, found by their labels."""
    found = {}
    for row in rows[:20]:
        if len(row) >= 2:
            label = tx.normalise_label(row[0])
            if label in ("naam organisatie", "organisatie", "peildatum"):
                found[label] = row[1] if row[1] != "" else None
    organisation = found.get("naam organisatie") or found.get("organisatie")
    return (str(organisation).strip() if organisation is not None else None), found.get("peildatum")


def read_registration(
    source: str | Path | bytes | BinaryIO,
    file_name: str | None = None,
    on_progress: ProgressCallback = _noop,
) -> LoadedFile:
    """Read sheets and headers; problems go into the report of the returned raw workbook."""
    opened = open_workbook(source, file_name, on_progress)
    if opened.refusal is not None:
        return LoadedFile(opened.file_name, opened.sha256, RawWorkbook(sheets={}, report=opened.refusal))
    if opened.workbook is None:  # a CSV file: one sheet cannot hold the format's sheets
        report = Report()
        report.error(None, None, None, "Dit bestand is geen Excel-werkmap (.xlsx).",
                     "Het registratieformat heeft meerdere bladen: vul het gedownloade registratieformat in Excel in "
                     "en sla het op als 'Excel-werkmap (*.xlsx)'.")
        return LoadedFile(opened.file_name, opened.sha256, RawWorkbook(sheets={}, report=report))
    return registration_from(opened, on_progress)


def registration_from(opened: OpenedWorkbook, on_progress: ProgressCallback = _noop) -> LoadedFile:
    """The registratieformat's sheets of an opened workbook."""
    workbook, file_name, digest = opened.workbook, opened.file_name, opened.sha256
    report = Report()
    names = {tx.normalise_label(n): n for n in workbook.sheet_names}
    organisation, peildatum = None, None
    if tx.normalise_label(rf.INFO_SHEET) in names:
        organisation, peildatum = _info(workbook.get_sheet_by_name(names[tx.normalise_label(rf.INFO_SHEET)]).to_python())

    sheets: dict[str, pd.DataFrame] = {}
    for i, sheet in enumerate(rf.SHEETS):
        actual = names.get(tx.normalise_label(sheet.name))
        if actual is None:
            continue
        on_progress(0.05 + 0.9 * i / len(rf.SHEETS), f"Blad {sheet.name} lezen")
        try:
            rows = workbook.get_sheet_by_name(actual).to_python(skip_empty_area=False)
        except Exception:
            report.error(sheet.name, None, None, "Dit blad kan niet worden gelezen.",
                         "Open het bestand in Excel, controleer het blad en sla het opnieuw op.")
            continue
        frame = _sheet_frame(rows, sheet, report)
        if frame is not None:
            sheets[sheet.key] = frame
    on_progress(0.95, "Gelezen")
    return LoadedFile(file_name, digest, RawWorkbook(sheets=sheets, organisation=organisation, peildatum=peildatum, report=report))
