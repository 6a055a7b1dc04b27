"""Tables as files a fund officer can use: Excel with Dutch number formats and CSV that Dutch Excel opens.

What is written is the table as a page shows it (formatted text, marks such as '<10' and '×' included); text
that is a plain Dutch number becomes a number again so that a spreadsheet can compute with it. No cell is ever a
live formula, whatever text a user typed (an organisation called '=HYPERLINK(…)')."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# Text a spreadsheet program could take for a formula (OWASP's CSV/formula injection list, with the tab and
# carriage return some programs strip first). Such cells are written as text, never as a live formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

NOTES_SHEET = "Toelichting"
MAX_WIDTH = 60  # characters; longer text still fits in the cell, the column just does not grow further
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"

# A number as formatting.number/count/percent print it: optional minus, thousands points, decimal comma, an
# optional percent sign (with or without a space). No leading zeros ('007', a postcode is text), no other text.
_DUTCH_NUMBER = re.compile(
    r"^(?P<sign>[-\u2212]?)(?P<int>0|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)(?:,(?P<dec>\d+))?"
    r"(?P<pct>[ \u00a0\u202f]?%)?$")
_DUTCH_DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")


def dutch_number(text: str) -> tuple[float | int, str] | None:
    """'1.234' → (1234, '#,##0'), '79,3 %' → (0.793, '0.0%'), '-0,5' → (-0.5, '#,##0.0'); None for other text.

    The format keeps the decimals the page printed, written in Excel's own notation (Dutch Excel shows it with a
    decimal comma)."""
    match = _DUTCH_NUMBER.match(text.strip())
    if match is None:
        return None
    digits = len(match["dec"] or "")
    whole = match["int"].replace(".", "")
    value: float | int = float(f"{whole}.{match['dec']}") if digits else int(whole)
    if match["sign"]:
        value = -value
    if match["pct"]:
        return round(value / 100, digits + 2), "0" + ("." + "0" * digits if digits else "") + "%"
    return value, "#,##0" + ("." + "0" * digits if digits else "")


def _dutch_date(text: str) -> dt.date | None:
    match = _DUTCH_DATE.match(text.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def _plain(value):
    """A pandas/numpy scalar as a plain Python value; None for missing."""
    if value is None or (not isinstance(value, (str, list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
        return value.date() if value.time() == dt.time(0) and value.tzinfo is None else value.replace(tzinfo=None)
    if hasattr(value, "item"):
        return value.item()
    return value


def safe_cell(ws, value):
    """A cell that never becomes a live formula, whatever text a user typed; dates as dd-mm-yyyy."""
    value = _plain(value)
    if isinstance(value, (list, tuple, dict, set)):
        value = str(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT if value.time() != dt.time(0) else DATE_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _number_cell(ws, value, integer_format: bool):
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "#,##0" if integer_format else "#,##0.0"
    return cell


def _whole_columns(frame: pd.DataFrame) -> list[bool]:
    """Per column: numeric with only whole numbers (counts, also with gaps that made them float)."""
    out = []
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            out.append(False)
            continue
        values = col.dropna()
        out.append(bool(pd.api.types.is_integer_dtype(col) or (values == values.round()).all()))
    return out


def table_cell(ws, value, whole: bool = False):
    """A cell of a table as a page shows it: numbers as numbers (also Dutch number text), dates as dates, marks
    ('<10', '×', '–') and all other text as text, never a formula."""
    value = _plain(value)
    if isinstance(value, bool) or value is None:
        return safe_cell(ws, value)
    if isinstance(value, (int, float)):
        return _number_cell(ws, value, isinstance(value, int) or whole)
    if isinstance(value, str):
        parsed = dutch_number(value)
        if parsed is not None:
            cell = WriteOnlyCell(ws, value=parsed[0])
            cell.number_format = parsed[1]
            return cell
        if (day := _dutch_date(value)) is not None:
            return safe_cell(ws, day)
    return safe_cell(ws, value)


def _shown(value) -> str:
    """About how wide a value reads in its cell (for the column width)."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "00-00-0000 00:00" if value.time() != dt.time(0) else "00-00-0000"
    if isinstance(value, dt.date):
        return "00-00-0000"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return max(str(value).splitlines() or [""], key=len)


WIDTH_SAMPLE = 2000  # rows read for column widths: a long export is not read twice in full


def column_widths(frame: pd.DataFrame) -> list[float]:
    """Per column: the width of its longest header or cell (of the first WIDTH_SAMPLE rows), capped at MAX_WIDTH."""
    head = frame.head(WIDTH_SAMPLE)
    widths = []
    for i, col in enumerate(frame.columns):
        longest = max([len(str(col)), *(len(_shown(v)) for v in head.iloc[:, i])])
        widths.append(min(MAX_WIDTH, max(6, longest + 2)))
    return widths


def _sheet(wb: Workbook, name: str, frame: pd.DataFrame, cell) -> None:
    ws = wb.create_sheet(_sheet_name(name, wb.sheetnames))
    ws.freeze_panes = "A2"
    for i, width in enumerate(column_widths(frame)):  # set before the first row of a write-only sheet
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    bold = Font(bold=True)
    header = []
    for col in frame.columns:
        head = safe_cell(ws, str(col))
        head.font = bold
        header.append(head)
    ws.append(header)
    whole = _whole_columns(frame)
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell(ws, v, w) for v, w in zip(row, whole)])


def _sheet_name(name: str, taken: Sequence[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", "-", str(name)).strip("'") or "Tabel"
    base = base[:31]
    out, i = base, 2
    while out.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        out, i = base[:31 - len(suffix)] + suffix, i + 1
    return out


def _notes_sheet(wb: Workbook, notes: Sequence[str]) -> None:
    ws = wb.create_sheet(_sheet_name(NOTES_SHEET, wb.sheetnames))
    ws.column_dimensions["A"].width = 120
    wrap = Alignment(wrap_text=True, vertical="top")
    for note in notes:
        cell = safe_cell(ws, str(note))
        cell.alignment = wrap
        ws.append([cell])


def workbook(sheets: Mapping[str, pd.DataFrame], notes: Sequence[str] = ()) -> bytes:
    """Several tables as one .xlsx (one sheet each, in order), with the `notes` (n, definition, filters, data
    version, source) on a last sheet 'Toelichting' so that every table stays a clean grid."""
    wb = Workbook(write_only=True)
    for name, frame in sheets.items():
        _sheet(wb, name, frame, table_cell)
    if notes:
        _notes_sheet(wb, notes)
    if not wb.sheetnames:
        _sheet(wb, "Tabel", pd.DataFrame(), table_cell)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "Tabel", notes: Sequence[str] = ()) -> bytes:
    """One table as .xlsx: bold, frozen header; column widths from the content; Dutch number formats."""
    return workbook({sheet: frame}, notes)


def write_raw(target: str | Path | IO[bytes], tables: Mapping[str, pd.DataFrame]) -> None:
    """Tables of raw values (the harmonised data set): every value as it is, text stays text (no number
    parsing), only the formula guard, date formats and column widths."""
    wb = Workbook(write_only=True)
    for name, frame in tables.items():
        _sheet(wb, name, frame, lambda ws, v, _numeric: safe_cell(ws, v))
    wb.save(target)


# -- CSV --------------------------------------------------------------------------------------------
def _csv_text(value, whole: bool) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M") if value.time() != dt.time(0) else value.strftime("%d-%m-%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        if value.is_integer() and whole:
            return str(int(value))
        return (repr(value) if "e" not in repr(value) else f"{value:.10f}".rstrip("0")).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_START) and dutch_number(text) is None:
        return "'" + text  # OWASP: shown as text by every spreadsheet program, never evaluated
    return text


def to_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV for Dutch Excel: ';'-separated, UTF-8 with BOM, decimal comma, dates dd-mm-yyyy; text that
    a spreadsheet could take for a formula starts with an apostrophe (a Dutch number such as '-0,5' does not)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(str(c), False) for c in frame.columns])
    whole = _whole_columns(frame)
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_text(v, w) for v, w in zip(row, whole)])
    return out.getvalue().encode("utf-8-sig")
