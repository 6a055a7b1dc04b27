"""Open an uploaded workbook safely and read its sheets as cell grids (python-calamine).

Shared by both paths: the registratieformat (`registratieformat.py`) and an organisation's own
layout (`read_grids`). Anything unreadable becomes a Dutch refusal, never an exception.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from python_calamine import CalamineWorkbook

from gezinsmonitor import registratieformat as rf
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.layout import SheetGrid
from gezinsmonitor.report import Report

ProgressCallback = Callable[[float, str], None]
XLSX_MAGIC = b"PK\x03\x04"
# The reader materialises a sheet's whole used range: one stray cell in column XFD of a 5 KB file
# would take gigabytes. Both limits are far above a real registration (20,000 families ≈ 1M cells).
MAX_SHEET_CELLS = 5_000_000
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _noop(fraction: float, text: str) -> None:
    pass


@dataclass
class OpenedWorkbook:
    file_name: str
    sha256: str
    workbook: CalamineWorkbook | None
    refusal: Report | None = None  # why the file cannot be read at all

    @property
    def is_registratieformat(self) -> bool:
        """Our own template: only the format's sheets, and Gezinnen's header has Gezin and Startdatum.
        A workbook with sheets of its own goes through the harmonisation, which reads any layout."""
        if self.workbook is None:
            return False
        names = {tx.normalise_label(n): n for n in self.workbook.sheet_names}
        known = {tx.normalise_label(s.name) for s in rf.SHEETS} | {tx.normalise_label(rf.INFO_SHEET), "lijsten"}
        if set(names) - known:
            return False
        families = names.get(tx.normalise_label(rf.SHEETS[0].name))
        if families is None:
            return False
        try:
            rows = self.workbook.get_sheet_by_name(families).to_python()[:15]
        except Exception:
            return False
        wanted = {tx.normalise_label(rf.FAMILY.header), tx.normalise_label("Startdatum")}
        return any(wanted <= {tx.normalise_label(str(v).replace("*", "")) for v in row} for row in rows)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_large(data: bytes) -> str | None:
    """Why the workbook may not be read (uncompressed size, or a sheet's declared range), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
                return "Het bestand is uitgepakt veel te groot."
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with zf.open(info) as fh:
                        m = _DIMENSION.search(fh.read(4096))
                    if m and m.group(3):
                        rows = int(m.group(4)) - int(m.group(2)) + 1
                        cols = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
                        if rows * cols > MAX_SHEET_CELLS:
                            return "Een blad beslaat een veel te groot bereik (tot kolom " \
                                   f"{m.group(3).decode()}, rij {int(m.group(4))})."
    except zipfile.BadZipFile:
        return None  # calamine reports it as unreadable
    return None


def _refusal(message: str, fix: str) -> Report:
    report = Report()
    report.error(None, None, None, message, fix)
    return report


def open_workbook(source: str | Path | bytes | BinaryIO, file_name: str | None = None,
                  on_progress: ProgressCallback = _noop) -> OpenedWorkbook:
    """Check and open a workbook; a refused file carries its Dutch reason and no workbook."""
    if isinstance(source, (str, Path)):
        data = Path(source).read_bytes()
        file_name = file_name or Path(source).name
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    file_name = file_name or "upload.xlsx"
    digest = hashlib.sha256(data).hexdigest()
    on_progress(0.02, "Bestand openen")
    if not data.startswith(XLSX_MAGIC):
        return OpenedWorkbook(file_name, digest, None, _refusal(
            "Dit bestand is geen Excel-werkmap (.xlsx).",
            "Sla het bestand in Excel op als 'Excel-werkmap (*.xlsx)' en upload het opnieuw."))
    if reason := _too_large(data):
        return OpenedWorkbook(file_name, digest, None, _refusal(
            reason, "Verwijder lege rijen en kolommen achter de gegevens (selecteer ze, Verwijderen) of kopieer "
                    "alleen de gegevens naar een nieuwe werkmap, en upload opnieuw."))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine raises several types for broken files
        return OpenedWorkbook(file_name, digest, None, _refusal(
            "Het bestand kan niet worden gelezen (beschadigd of beveiligd met een wachtwoord).",
            "Open het in Excel, verwijder een eventueel wachtwoord en sla het opnieuw op als .xlsx."))
    return OpenedWorkbook(file_name, digest, workbook)


def read_grids(opened: OpenedWorkbook, on_progress: ProgressCallback = _noop) -> tuple[list[SheetGrid], Report]:
    """Every visible sheet as a grid with its merged ranges; unreadable sheets are reported."""
    report = Report()
    grids: list[SheetGrid] = []
    meta = {m.name: m for m in opened.workbook.sheets_metadata}
    names = opened.workbook.sheet_names
    for i, name in enumerate(names):
        visible = getattr(meta.get(name), "visible", None)
        if visible is not None and "Visible" not in str(visible):
            continue  # hidden lists (e.g. for drop-downs) are not data
        on_progress(0.05 + 0.6 * i / max(len(names), 1), f"Blad {name} lezen")
        try:
            sheet = opened.workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = tuple(sheet.merged_cell_ranges or ())
        except Exception:
            report.warning(name, None, None, "Dit blad kan niet worden gelezen en wordt overgeslagen.",
                           "Open het bestand in Excel, controleer het blad en sla het opnieuw op.")
            continue
        grids.append(SheetGrid(name, rows, merged))
    return grids, report
