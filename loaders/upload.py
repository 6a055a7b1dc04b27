"""One door for every upload: the registratieformat or an organisation's own layout (a CSV file is always one).

Used by the command line, the sample loader and the Gegevens page. The registratieformat is
validated strictly; an own layout goes through `gezinsmonitor.intake` (profile or suggestions).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from gezinsmonitor import intake
from gezinsmonitor.convert import Converted
from gezinsmonitor.importer import REFUSED, ImportResult, import_registration
from gezinsmonitor.report import Report
from gezinsmonitor.store import Store
from gezinsmonitor.validation import validate

from .registratieformat import LoadedFile, registration_from
from .workbook import OpenedWorkbook, ProgressCallback, _noop, open_workbook, read_grids


@dataclass
class Upload:
    opened: OpenedWorkbook
    loaded: LoadedFile | None = None  # the registratieformat
    grids: list = field(default_factory=list)  # an own layout
    report: Report = field(default_factory=Report)

    @property
    def file_name(self) -> str:
        return self.opened.file_name

    @property
    def sha256(self) -> str:
        return self.opened.sha256

    @property
    def refused(self) -> bool:
        return self.opened.refusal is not None

    @property
    def is_registratieformat(self) -> bool:
        return self.loaded is not None


def read_upload(source: str | Path | bytes | BinaryIO, file_name: str | None = None,
                on_progress: ProgressCallback = _noop) -> Upload:
    """Read any upload: xlsx, xlsm, xls, ods or CSV, judged by content (see loaders/workbook.py). A refused
    file carries its Dutch reason in `report` and is never imported."""
    opened = open_workbook(source, file_name, on_progress)
    if opened.refusal is not None:
        return Upload(opened, report=opened.refusal)
    if opened.is_registratieformat:
        loaded = registration_from(opened, on_progress)
        loaded.raw.report.extend(opened.notes)
        return Upload(opened, loaded=loaded, report=loaded.raw.report)
    grids, report = read_grids(opened, on_progress)
    if refusal := too_wide(grids):
        opened.refusal = refusal
        return Upload(opened, report=refusal)
    on_progress(0.7, "Kolommen herkennen")
    return Upload(opened, grids=grids, report=report)


# Recognising a column costs tens of milliseconds: a small file with 20,000 columns would hold a page for many
# minutes. A registration has a few dozen (the widest sample 28; voortgang per leefgebied and moment ~100).
MAX_COLUMNS = 400


def used_width(rows) -> int:
    return max((max((i + 1 for i, v in enumerate(row) if v not in (None, "")), default=0) for row in rows), default=0)


def too_wide(grids) -> Report | None:
    """A refusal when a sheet has more filled columns than any registration needs, else None."""
    for grid in grids:
        width = used_width(grid.rows)
        if width > MAX_COLUMNS:
            report = Report()
            report.error(grid.name, None, None,
                         f"Blad {grid.name} heeft {width} gevulde kolommen; een registratie heeft er hooguit "
                         f"{MAX_COLUMNS}. Er is niets opgeslagen.",
                         "Verwijder kolommen die niet bij de registratie horen (of zet ze op een apart bestand) en "
                         "upload opnieuw.")
            return report
    return None


def import_upload(store: Store, upload: Upload, *, organisation: str | None = None, accept_suggestions: bool = False,
                  is_sample: bool = False, created_by: str | None = None,
                  today: dt.date | None = None) -> tuple[ImportResult, Converted | None]:
    """Import without a person in the loop (command line, samples): profile or suggestions."""
    if upload.refused:
        return ImportResult(REFUSED, upload.report, organisation,
                            message="Bestand geweigerd. Er is niets opgeslagen."), None
    if upload.is_registratieformat:
        registration = validate(upload.loaded.raw, today=today, taxonomy=store.taxonomy())
        return import_registration(store, registration, file_name=upload.file_name, sha256=upload.sha256,
                                   organisation=organisation, is_sample=is_sample), None
    if not (organisation or "").strip():
        report = Report()
        report.extend(upload.report)
        report.error(None, None, None, "Naam van de organisatie ontbreekt.",
                     "Dit bestand heeft een eigen indeling: geef de naam van de organisatie op "
                     "(op de pagina Gegevens, of met --org op de opdrachtregel).")
        return ImportResult(REFUSED, report, None, message="Bestand geweigerd: naam van de organisatie. "
                                                          "Er is niets opgeslagen."), None
    plan = intake.plan(store, upload.grids, organisation.strip(), upload.report)
    return intake.import_plan(store, plan, file_name=upload.file_name, sha256=upload.sha256,
                              organisation=organisation.strip(), accept_suggestions=accept_suggestions,
                              is_sample=is_sample, created_by=created_by, today=today)
