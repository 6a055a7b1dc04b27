"""Write the registration format: an empty template, or a filled workbook (sample data, bench).

Write-only mode keeps memory flat for the 20,000-family benchmark workbook.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import registratieformat as rf

LISTS_SHEET = "Lijsten"
TEMPLATE_ROWS = 2000  # rows that carry the dropdowns in an empty template
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
INPUT_FILL = PatternFill("solid", fgColor="FFF4C2")

INSTRUCTIONS = [
    "Zo vult u dit registratieformat in",
    "",
    "1. Vul hierboven de naam van uw organisatie in (geel vak). Optioneel: de peildatum, de datum "
    "tot wanneer deze registratie bijgewerkt is.",
    "2. Blad Gezinnen: één rij per gezin met intensieve begeleiding. Gebruik een eigen code per gezin "
    "(bijv. G-017), nooit een naam, adres, telefoonnummer, geboortedatum of BSN.",
    "3. Blad Hulpvragen: één rij per hulpvraag. Kies het leefgebied en (als het kan) de categorie uit "
    "de lijst. Schrijf de hulpvraag zoals u hem noteert in de kolom Hulpvraag.",
    "4. Blad Voortgang: per meetmoment en leefgebied een score van 1 tot 5, of n.v.t. als er op dat "
    "leefgebied geen steun was. 1 = negatieve ontwikkeling, 2 = geen ontwikkeling, 3 = positieve "
    "ontwikkeling met nog intensieve steun, 4 = positief met nog beperkte steun, 5 = geen steun meer nodig.",
    "5. Blad Inzet: per meetmoment en soort steun het gemiddelde aantal uren per week (bijv. 1,5). "
    "0 = geen uren; n.v.t. = deze soort steun is niet van toepassing voor dit gezin.",
    "6. Datums als dd-mm-jjjj. Een traject zonder einddatum telt als lopend.",
    "",
    "Uploaden: Gezinsmonitor → Gegevens → Bestand kiezen. U ziet direct een controle per blad, rij en "
    "kolom. Een bestand met fouten wordt in zijn geheel geweigerd; er verandert dan niets.",
    "Een nieuwere upload vervangt de eerdere gegevens van dezelfde gezinnen; eerdere uploads blijven in "
    "de geschiedenis en kunnen worden teruggezet.",
]


def _header_cell(ws, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.fill = HEADER_FILL
    cell.font = HEADER_FONT
    return cell


def _write_info_sheet(wb: Workbook, organisation: str | None, peildatum: dt.date | None) -> None:
    ws = wb.create_sheet(rf.INFO_SHEET)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    title = WriteOnlyCell(ws, value="Gezinsmonitor – registratieformat")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([WriteOnlyCell(ws, value=f"Formaatversie {rf.FORMAT_VERSION}")])
    for label, value in (("Naam organisatie", organisation), ("Peildatum", peildatum)):
        cell = WriteOnlyCell(ws, value=value)
        cell.fill = INPUT_FILL
        if isinstance(value, dt.date):
            cell.number_format = "DD-MM-YYYY"
        ws.append([WriteOnlyCell(ws, value=label), cell])
    ws.append([])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in INSTRUCTIONS:
        cell = WriteOnlyCell(ws, value=line)
        cell.alignment = wrap
        ws.append([None, cell])
    ws.append([])
    ws.append([None, WriteOnlyCell(ws, value="Kolommen per blad (* = verplicht)")])
    for sheet in rf.SHEETS:
        ws.append([WriteOnlyCell(ws, value=sheet.name), WriteOnlyCell(ws, value=sheet.description)])
        for col in sheet.columns:
            star = " *" if col.required else ""
            ws.append([None, WriteOnlyCell(ws, value=f"{col.header}{star}: {col.help}".rstrip(": "))])


def _write_lists_sheet(wb: Workbook) -> dict[str, str]:
    """Dropdown values live on a hidden sheet: inline lists are capped at 255 characters."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    lists: dict[str, tuple[str, ...]] = {}
    for sheet in rf.SHEETS:
        for col in sheet.columns:
            if col.choices:
                lists.setdefault(col.key, col.choices)
    keys = list(lists)
    longest = max(len(v) for v in lists.values())
    ws.append(keys)
    for i in range(longest):
        ws.append([lists[k][i] if i < len(lists[k]) else None for k in keys])
    refs = {}
    for j, k in enumerate(keys, start=1):
        letter = get_column_letter(j)
        refs[k] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(lists[k]) + 1}"
    return refs


def cell_value(value):
    """A pandas/numpy value as openpyxl takes it (dates without time, None for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def write_workbook(
    target: str | Path | IO[bytes],
    data: Mapping[str, pd.DataFrame] | None = None,
    *,
    organisation: str | None = None,
    peildatum: dt.date | None = None,
) -> None:
    """Write the format. `data` maps a sheet key (families, requests, …) to rows with column keys."""
    data = data or {}
    wb = Workbook(write_only=True)
    _write_info_sheet(wb, organisation, peildatum)
    refs = _write_lists_sheet(wb)
    for sheet in rf.SHEETS:
        ws = wb.create_sheet(sheet.name)
        ws.freeze_panes = "A2"
        frame = data.get(sheet.key)
        n_rows = len(frame) if frame is not None else 0
        last_row = max(TEMPLATE_ROWS, n_rows + 1)
        for j, col in enumerate(sheet.columns, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = col.width
            if col.choices:
                dv = DataValidation(
                    type="list",
                    formula1=refs[col.key],
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="warning",
                    errorTitle="Waarde niet in de lijst",
                    error=f"Kies een waarde uit de lijst voor {col.header}.",
                )
                dv.add(f"{letter}2:{letter}{last_row}")
                ws.data_validations.append(dv)
        ws.append([_header_cell(ws, c.header + (" *" if c.required else "")) for c in sheet.columns])
        if frame is None:
            continue
        columns = [frame[c.key] if c.key in frame else pd.Series([None] * n_rows) for c in sheet.columns]
        for row in zip(*(col.tolist() for col in columns)):
            ws.append([cell_value(v) for v in row])
    wb.save(target)


def write_template(target: str | Path | IO[bytes]) -> None:
    write_workbook(target)
