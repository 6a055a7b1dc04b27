"""Store a validated registration: one transaction per file, all or nothing.

- a file whose sha256 is already stored is recognised and not counted twice;
- a newer upload replaces the organisation's active rows for the same families; the earlier
  batch stays in the history and can be restored (`Store.restore_batch`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from . import audit, disclosure, identifiers, pseudonym
from . import registratieformat as rf
from . import schema as s
from .report import Report
from .store import SAMPLE_STATE_KEY, Store, utcnow
from .validation import Registration

IMPORTED = "imported"
DUPLICATE = "duplicate"
REFUSED = "refused"
INSERT_CHUNK = 20_000


@dataclass
class ImportResult:
    status: str  # imported | duplicate | refused
    report: Report
    organisation: str | None = None
    batch_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    replaced_families: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (IMPORTED, DUPLICATE)


def _column_values(col: pd.Series) -> list:
    """Python values with None for missing (drivers take neither NaN, NaT nor pd.NA)."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return [None if pd.isna(v) else v.date() for v in col]
    values = col.astype(object)
    return values.where(values.notna(), None).tolist()


def _insert(conn, table, frame: pd.DataFrame, columns: list[str], **constants) -> None:
    """Bulk insert as tuples through the driver's executemany: dict rows cost more than the write."""
    names = list(columns) + list(constants)
    data = [_column_values(frame[c]) for c in columns] + [[v] * len(frame) for v in constants.values()]
    rows = list(zip(*data))
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    for i in range(0, len(rows), INSERT_CHUNK):
        conn.exec_driver_sql(sql, rows[i:i + INSERT_CHUNK])


def import_registration(
    store: Store,
    registration: Registration,
    *,
    file_name: str,
    sha256: str,
    organisation: str | None = None,
    is_sample: bool = False,
    format_name: str | None = None,
    profile_id: int | None = None,
) -> ImportResult:
    report = registration.report
    # Defence in depth: whatever built the registration, no identifier reaches the store (a no-op when the
    # reader already scrubbed it; an identifier family key refuses the file).
    identifiers.scrub_registration(registration)
    file_name = identifiers.scrub_text(file_name)[0]  # "Fatima Yilmaz.xlsx" would end up in the history and audit log
    name = (organisation or "").strip() or (registration.organisation or "").strip()
    if not name and report.ok:
        report.error(rf.INFO_SHEET, None, rf.ORG_CELL, "Naam van de organisatie ontbreekt.",
                     f"Vul de naam in op blad {rf.INFO_SHEET} (cel {rf.ORG_CELL}) of kies de organisatie bij het uploaden.")
    if not report.ok:
        return ImportResult(REFUSED, report, name or None,
                            message=f"Bestand geweigerd: {len(report.errors)} fout(en). Er is niets opgeslagen.")

    try:
        return _store_registration(store, registration, name, file_name, sha256, is_sample,
                                   format_name or f"registratieformat v{rf.FORMAT_VERSION}", profile_id)
    except SQLAlchemyError as exc:  # the transaction was rolled back: nothing is stored
        report.error(None, None, None, "Het bestand kon niet worden opgeslagen; er is niets veranderd.",
                     f"Probeer het opnieuw of neem contact op met de beheerder. (Technische melding: {type(exc).__name__})")
        return ImportResult(REFUSED, report, name, message="Bestand niet opgeslagen: databasefout. Er is niets opgeslagen.")


def _store_registration(store, registration, name, file_name, sha256, is_sample, format_name, profile_id) -> ImportResult:
    report = registration.report
    with store.engine.begin() as conn:
        existing = conn.execute(
            select(s.batches.c.id, s.organisations.c.name)
            .join(s.organisations, s.organisations.c.id == s.batches.c.organisation_id)
            .where(s.batches.c.sha256 == sha256)
        ).first()
        if existing is not None:
            # Whose upload it was is told only to someone who may see that organisation's uploads.
            mine = disclosure.current().owns([existing.name])
            return ImportResult(
                DUPLICATE, report, existing.name if mine else None, batch_id=existing.id if mine else None,
                message=(f"Dit bestand is al eerder ingelezen (upload {existing.id}, {existing.name}); "
                         "er is niets dubbel geteld. Wilt u die gegevens terugzetten, gebruik dan de uploadgeschiedenis."
                         if mine else "Dit bestand is al eerder ingelezen; er is niets dubbel geteld."),
            )

        secret = pseudonym.secret()
        made_with = conn.execute(select(s.meta.c.value).where(s.meta.c.key == pseudonym.FINGERPRINT_KEY)).scalar()
        if made_with is None:
            Store.set_meta(conn, pseudonym.FINGERPRINT_KEY, pseudonym.fingerprint(secret))
        elif made_with != pseudonym.fingerprint(secret):
            # Another secret would make every family of this file a new one, counted twice.
            report.error(None, None, None,
                         "Het geheim voor de pseudoniemen is niet hetzelfde als waarmee de opgeslagen gezinnen zijn "
                         "vastgelegd. Er is niets opgeslagen.",
                         "Zet het oorspronkelijke geheim terug (GEZINSMONITOR_SECRET, [privacy] secret of "
                         "data/pseudonym.key, zie README) en upload opnieuw.")
            return ImportResult(REFUSED, report, name, message="Bestand geweigerd: ander geheim voor pseudoniemen. "
                                                               "Er is niets opgeslagen.")

        org = conn.execute(select(s.organisations.c.id, s.organisations.c.is_sample)
                           .where(s.organisations.c.name == name)).first()
        if org is not None and bool(org.is_sample) != is_sample:
            # Sample data and real uploads never mix: removing the samples must not remove real rows.
            report.error(rf.INFO_SHEET, None, rf.ORG_CELL,
                         "Deze naam hoort bij een voorbeeldorganisatie." if not is_sample
                         else "Er bestaat al een echte organisatie met de naam van deze voorbeeldorganisatie.",
                         "Kies een andere naam voor de organisatie, of verwijder eerst de voorbeelddata.", name)
            return ImportResult(REFUSED, report, name, message="Bestand geweigerd: naam van de organisatie. "
                                                               "Er is niets opgeslagen.")
        org_id = org.id if org is not None else None
        if org_id is None:
            org_id = conn.execute(
                s.organisations.insert().values(name=name, is_sample=is_sample, created_at=utcnow())
            ).inserted_primary_key[0]

        counts = registration.counts
        # The organisation's own family key is never stored: only its keyed hash (see pseudonym.py).
        families, requests, measurements, hours = (
            frame.assign(family_key=pseudonym.pseudonymise(frame["family_key"], name, secret))
            for frame in (registration.families, registration.requests, registration.measurements,
                          registration.hours))
        batch_id = conn.execute(
            s.batches.insert().values(
                organisation_id=org_id, file_name=file_name, sha256=sha256, uploaded_at=utcnow(),
                peildatum=registration.peildatum, status="actief", n_families=counts["families"],
                n_requests=counts["requests"], n_measurements=counts["measurements"], n_hours=counts["hours"],
                n_warnings=len(report.warnings), format=format_name[:64], profile_id=profile_id,
            )
        ).inserted_primary_key[0]

        keys = families["family_key"].tolist()
        replaced = 0
        f = s.families
        for i in range(0, len(keys), 1000):  # bound the IN-list
            replaced += conn.execute(
                update(f).where(f.c.organisation_id == org_id, f.c.active.is_(True), f.c.family_key.in_(keys[i:i + 1000]))
                .values(active=False)
            ).rowcount

        family_cols = ["family_key", "composition", "composition_raw", "children", "wijk", "debts", "debts_raw",
                       "language", "language_raw"]
        _insert(conn, f, families, family_cols, batch_id=batch_id, organisation_id=org_id, active=True)
        trajectory_cols = ["family_key", "row_number", "start_date", "end_date", "expected_end", "status",
                           "end_reason", "start_raw", "end_raw", "status_raw", "phase", "result", "phase_raw", "result_raw"]
        _insert(conn, s.trajectories, families, trajectory_cols, batch_id=batch_id)
        for table, frame in ((s.help_requests, requests), (s.measurements, measurements), (s.hours, hours)):
            columns = [c.name for c in table.columns if c.name not in ("id", "batch_id")]
            _insert(conn, table, frame, columns, batch_id=batch_id)

        Store.refresh_batch_status(conn, org_id)
        Store.bump_revision(conn)
        audit.record(conn, audit.UPLOAD, name, f"{file_name}: {counts['families']} gezinnen, {counts['requests']} "
                                               f"hulpvragen (upload {batch_id})" + (f"; {replaced} vervangen" if replaced else ""))
        if is_sample:
            Store.set_meta(conn, SAMPLE_STATE_KEY, "loaded")

    message = f"Ingelezen: {counts['families']} gezinnen, {counts['requests']} hulpvragen"
    if replaced:
        message += f"; {replaced} gezinnen vervangen door deze nieuwere upload"
    return ImportResult(IMPORTED, report, name, batch_id, counts, replaced, message + ".")
