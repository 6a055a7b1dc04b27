"""Validate a workbook in the registration format and turn it into typed, harmonised tables.

Input is what the loader read (raw cell values per sheet and column key); output is a
`Registration` ready for the store plus a Dutch `Report`. Errors refuse the whole file.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from . import harmonise
from . import identifiers as ids
from . import registratieformat as rf
from . import taxonomy as tx
from . import values as vals
from .report import ERROR, WARNING, Report

ROW = "_row"  # Excel row number of each raw row
MAX_WEEKLY_HOURS = 80


@dataclass
class RawWorkbook:
    """What the loader read: raw cell values keyed by column key, per sheet key."""

    sheets: dict[str, pd.DataFrame]
    organisation: str | None = None
    peildatum: object = None
    report: Report = field(default_factory=Report)


@dataclass
class Registration:
    organisation: str | None
    peildatum: dt.date | None
    families: pd.DataFrame
    requests: pd.DataFrame
    measurements: pd.DataFrame
    hours: pd.DataFrame
    report: Report

    @property
    def counts(self) -> dict[str, int]:
        return {
            "families": len(self.families),
            "requests": len(self.requests),
            "measurements": len(self.measurements),
            "hours": len(self.hours),
        }


FAMILY_COLUMNS = [
    "family_key", "start_date", "end_date", "expected_end", "status", "end_reason", "start_raw", "end_raw",
    "status_raw", "composition", "composition_raw", "children", "wijk", "debts", "debts_raw", "language",
    "language_raw", "phase", "phase_raw", "result", "result_raw", "row_number",
]
REQUEST_COLUMNS = [
    "family_key", "label_raw", "leefgebied_raw", "categorie_raw", "leefgebied", "categorie", "herkomst",
    "request_date", "confidence", "row_number",
]
MEASUREMENT_COLUMNS = [
    "family_key", "instrument", "leefgebied_raw", "leefgebied", "moment", "measured_on", "value_raw", "value",
    "not_applicable", "unit", "indicator", "herkomst", "confidence", "row_number",
]
HOURS_COLUMNS = [
    "family_key", "support_type_raw", "support_type", "moment", "measured_on", "value_raw", "hours_per_week",
    "minutes", "not_applicable", "herkomst", "confidence", "row_number",
]


class _SheetCheck:
    """Helpers bound to one sheet, so every message names its sheet and column header."""

    def __init__(self, sheet: rf.Sheet, frame: pd.DataFrame, report: Report):
        self.sheet, self.frame, self.report = sheet, frame, report

    def flag(self, severity: str, mask: pd.Series, key: str, message: str, fix: str = "") -> None:
        if mask.any():
            sub = self.frame.loc[mask]
            values = vals.as_text(sub[key]) if key in sub else None
            self.report.add_rows(severity, self.sheet.name, sub[ROW], self.sheet.header_of(key), message, fix, values)

    def column(self, key: str) -> pd.Series:
        if key in self.frame:
            return self.frame[key]
        return pd.Series([None] * len(self.frame), index=self.frame.index, dtype=object)

    def choice(self, key: str, choices: tuple[str, ...], severity: str = WARNING) -> tuple[pd.Series, pd.Series]:
        """(harmonised value or None, raw text). Unknown values are flagged and kept raw only."""
        raw = vals.as_text(self.column(key))
        by_key = {tx.normalise_label(c): c for c in choices}
        mapped = vals.map_unique(raw, lambda v: by_key.get(tx.normalise_label(v)) if isinstance(v, str) else None)
        unknown = raw.notna() & mapped.isna()
        self.flag(severity, unknown, key, "Waarde staat niet in de lijst.",
                  f"Kies een van: {', '.join(choices)}." + (" De waarde wordt bewaard maar niet meegeteld." if severity == WARNING else ""))
        return mapped.astype(object), raw


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    data_cols = [c for c in frame.columns if c != ROW]
    if frame.empty or not data_cols:
        return frame.iloc[0:0]
    blank = np.logical_and.reduce([vals.is_empty(frame[c]).to_numpy() for c in data_cols])
    return frame.loc[~blank].copy()


def _check_required_columns(sheet: rf.Sheet, frame: pd.DataFrame, report: Report) -> bool:
    missing = [c.header for c in sheet.columns if c.required and c.key not in frame.columns]
    for header in missing:
        report.error(sheet.name, None, header, "Verplichte kolom ontbreekt.",
                     f"Voeg een kolom '{header}' toe in de kopregel van blad {sheet.name} (zie het registratieformat).")
    return not missing


def _known_family(check: _SheetCheck, keys: pd.Series, known: set[str]) -> pd.Series:
    empty = keys.isna()
    check.flag(ERROR, empty, "family", "Gezinscode ontbreekt.", "Vul de code van het gezin in, zoals op blad Gezinnen.")
    unknown = ~empty & ~keys.isin(known)
    check.flag(ERROR, unknown, "family", "Dit gezin staat niet op blad Gezinnen.",
               "Voeg het gezin toe op blad Gezinnen of verbeter de code.")
    return ~empty & ~unknown


def _required_dates(check: _SheetCheck, key: str, what: str) -> pd.Series:
    dates, invalid = vals.parse_dates(check.column(key))
    missing = dates.isna() & ~invalid
    check.flag(ERROR, missing, key, f"{what} ontbreekt.", "Vul een datum in als dd-mm-jjjj.")
    check.flag(ERROR, invalid, key, "Geen geldige datum.",
               "Schrijf de datum als dd-mm-jjjj, bijv. 15-03-2020, met een jaartal tussen 1990 en 2100.")
    return dates


def _language(check: _SheetCheck) -> tuple[pd.Series, pd.Series]:
    """(taal, as written). Beyond the list only the fixed phrasings of `values.parse_language` are
    read, each with a warning that says how; other text is kept raw and not counted."""
    raw = vals.as_text(check.column("language"))
    parsed = vals.parse_language(check.column("language"))
    value = parsed["value"]
    check.flag(WARNING, parsed["state"].isin([vals.ONGELDIG, vals.NVT]), "language",
               "Taalniveau niet herkend; de waarde wordt bewaard maar niet meegeteld.",
               f"Kies een van: {', '.join(tx.TAAL)}.")
    listed = raw.map(lambda v: tx.normalise_label(v) in tx.TAAL if isinstance(v, str) else False).astype(bool)
    for level in tx.TAAL:
        check.flag(WARNING, (value == level) & ~listed, "language",
                   f"Waarde staat niet in de lijst; gelezen als '{level}'.",
                   f"Kies bij voorkeur een waarde uit de lijst: {', '.join(tx.TAAL)}.")
    return value, raw


def _funnel_value(check: _SheetCheck, key: str, parse, choices: tuple[str, ...], what: str
                  ) -> tuple[pd.Series, pd.Series]:
    """(fase or resultaat, as written), read like the taal: the list plus fixed phrasings, each with a
    warning; other text is kept raw and not counted. n.v.t. and onbekend count as not registered."""
    raw = vals.as_text(check.column(key))
    parsed = parse(check.column(key))
    value = parsed["value"]
    check.flag(WARNING, parsed["state"] == vals.ONGELDIG, key,
               f"{what} niet herkend; de waarde wordt bewaard maar niet meegeteld in de trechter.",
               f"Kies een van: {', '.join(choices)}.")
    listed = raw.map(lambda v: tx.normalise_label(v) in choices if isinstance(v, str) else False).astype(bool)
    for name in choices:
        check.flag(WARNING, (value == name) & ~listed, key, f"Waarde staat niet in de lijst; gelezen als '{name}'.",
                   f"Kies bij voorkeur een waarde uit de lijst: {', '.join(choices)}.")
    return value, raw


def funnel_consistency(phase: pd.Series, result: pd.Series, status: pd.Series) -> dict[str, pd.Series]:
    """Masks of funnel values that contradict each other or the status (warnings only, nothing is changed):
    a result while the phase stayed before begeleiding, a result 'lopend' on an afgerond trajectory, and a
    final result on a lopend one."""
    return {
        "before_begeleiding": result.notna() & phase.isin(tx.FUNNEL_PHASES[:2]),
        "running_result_done": (result == "lopend") & (status == tx.STATUS_AFGEROND),
        "final_result_running": result.isin(("geslaagd", "niet geslaagd")) & (status == tx.STATUS_LOPEND),
    }


FUNNEL_MESSAGES = {
    "before_begeleiding": (("Er is een resultaat ingevuld, maar de fase is geen begeleiding; in de trechter telt "
                            "het traject als begeleiding bereikt."),
                           ("Een resultaat hoort alleen bij begeleiding: zet de fase op begeleiding of maak het "
                            "resultaat leeg.")),
    "running_result_done": ("Resultaat is lopend maar het traject is afgerond.",
                            "Vul geslaagd of niet geslaagd in, of maak het resultaat leeg als dat niet is vastgesteld."),
    "final_result_running": ("Het traject loopt nog maar heeft al een eindresultaat.",
                             "Zet het resultaat op lopend, of rond het traject af."),
}


def _families(frame: pd.DataFrame, report: Report, today: dt.date) -> pd.DataFrame:
    sheet = rf.SHEET_BY_KEY["families"]
    check = _SheetCheck(sheet, frame, report)
    keys = vals.as_text(check.column("family"))
    check.flag(ERROR, keys.isna(), "family", "Gezinscode ontbreekt.", "Geef elk gezin een eigen code, bijv. G-001.")
    dup = keys.notna() & keys.duplicated(keep=False)
    check.flag(ERROR, dup, "family", "Deze gezinscode komt meer dan één keer voor.",
               "Gebruik één rij per gezin; geef verschillende gezinnen verschillende codes.")

    start = _required_dates(check, "start", "Startdatum")
    end, end_invalid = vals.parse_dates(check.column("end"))
    check.flag(ERROR, end_invalid, "end", "Geen geldige datum.",
               "Schrijf de einddatum als dd-mm-jjjj, of laat de cel leeg als het traject nog loopt.")
    before = end.notna() & start.notna() & (end < start)
    check.flag(ERROR, before, "end", "Einddatum ligt vóór de startdatum.", "Verbeter de start- of einddatum.")
    future = end.notna() & (end > pd.Timestamp(today))
    check.flag(WARNING, future, "end", "Einddatum ligt in de toekomst.",
               "Is dit een verwachte einddatum? Laat de cel dan leeg en zet de status op lopend.")

    status, status_raw = check.choice("status", tx.STATUSES, severity=ERROR)
    derived = status.isna() & status_raw.isna()
    status = status.where(~derived, np.where(end.notna(), tx.STATUS_AFGEROND, tx.STATUS_LOPEND))
    no_end = (status == tx.STATUS_AFGEROND) & end.isna()
    check.flag(WARNING, no_end, "end", "Traject is afgerond maar heeft geen einddatum.",
               "Vul de einddatum in; zonder einddatum telt het traject niet mee in de trajectduur.")
    running_with_end = (status == tx.STATUS_LOPEND) & end.notna()
    check.flag(WARNING, running_with_end, "status", "Status is lopend maar er is een einddatum; het traject telt als lopend.",
               "Zet de status op afgerond of maak de einddatum leeg.")

    end_reason, _ = check.choice("end_reason", tx.END_REASONS)
    end_reason = end_reason.where(end_reason.notna(), vals.as_text(check.column("end_reason")))
    composition, composition_raw = check.choice("composition", tx.GEZINSSAMENSTELLING)
    debts, debts_raw = check.choice("debts", tx.SCHULDEN)
    language, language_raw = _language(check)
    phase, phase_raw = _funnel_value(check, "phase", vals.parse_phase, tx.FUNNEL_PHASES, "Fase")
    result, result_raw = _funnel_value(check, "result", vals.parse_result, tx.FUNNEL_RESULTS, "Resultaat")
    for name, mask in funnel_consistency(phase, result, status).items():
        check.flag(WARNING, mask, "result", *FUNNEL_MESSAGES[name])
    children, children_invalid = vals.parse_int(check.column("children"), 0, 20)
    check.flag(WARNING, children_invalid, "children", "Geen geldig aantal kinderen; de waarde wordt niet gebruikt.",
               "Vul een heel getal van 0 tot 20 in.")

    return pd.DataFrame({
        "family_key": keys,
        "start_date": start.dt.date,
        "end_date": end.dt.date,
        "expected_end": None,
        "status": status,
        "end_reason": end_reason,
        "start_raw": vals.as_text(check.column("start")),
        "end_raw": vals.as_text(check.column("end")),
        "status_raw": status_raw,
        "composition": composition,
        "composition_raw": composition_raw,
        "children": children,
        "wijk": vals.as_text(check.column("wijk")),
        "debts": debts,
        "debts_raw": debts_raw,
        "language": language,
        "language_raw": language_raw,
        "phase": phase,
        "phase_raw": phase_raw,
        "result": result,
        "result_raw": result_raw,
        "row_number": frame[ROW].astype(int),
    }, columns=FAMILY_COLUMNS)


def _requests(frame: pd.DataFrame, report: Report, known: set[str],
              taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY) -> pd.DataFrame:
    sheet = rf.SHEET_BY_KEY["requests"]
    check = _SheetCheck(sheet, frame, report)
    keys = vals.as_text(check.column("family"))
    _known_family(check, keys, known)
    label_raw = vals.as_text(check.column("label"))
    lg_raw = vals.as_text(check.column("leefgebied"))
    cat_raw = vals.as_text(check.column("categorie"))

    mapped = harmonise.map_requests(lg_raw, cat_raw, taxonomy)
    leefgebied, categorie, herkomst = mapped["leefgebied"], mapped["categorie"], mapped["herkomst"]
    check.flag(ERROR, mapped["missing_leefgebied"], "leefgebied", "Leefgebied ontbreekt.",
               f"Kies een leefgebied: {', '.join(tx.LEEFGEBIED_NAMES)}.")
    check.flag(ERROR, mapped["unknown_leefgebied"], "leefgebied", "Onbekend leefgebied.",
               f"Kies een leefgebied uit de lijst: {', '.join(tx.LEEFGEBIED_NAMES)}.")
    check.flag(WARNING, herkomst.isin([tx.HERKOMST_WOORDENLIJST, tx.HERKOMST_FUZZY]), "leefgebied",
               "Leefgebied herkend via de woordenlijst.", "Controleer of het leefgebied klopt.")
    check.flag(WARNING, mapped["unknown_categorie"], "categorie",
               "Onbekende categorie; alleen het leefgebied wordt meegeteld.", "Kies een categorie uit de lijst.")
    check.flag(WARNING, mapped["categorie_mismatch"], "categorie",
               "Categorie hoort niet bij dit leefgebied; alleen het leefgebied wordt meegeteld.",
               "Kies een categorie die bij het leefgebied hoort, of pas het leefgebied aan.")
    dates, invalid = vals.parse_dates(check.column("date"))
    check.flag(WARNING, invalid, "date", "Geen geldige datum; de datum wordt niet gebruikt.", "Schrijf de datum als dd-mm-jjjj.")

    return pd.DataFrame({
        "family_key": keys,
        "label_raw": label_raw,
        "leefgebied_raw": lg_raw,
        "categorie_raw": cat_raw,
        "leefgebied": leefgebied.astype(object),
        "categorie": categorie.astype(object),
        "herkomst": herkomst.astype(object),
        "request_date": dates.dt.date,
        "confidence": 1.0,
        "row_number": frame[ROW].astype(int),
    }, columns=REQUEST_COLUMNS)


def _measured_rows(check: _SheetCheck, key: str, what: str, keys: pd.Series, known: set[str]):
    _known_family(check, keys, known)
    dates = _required_dates(check, "date", "Datum")
    raw = check.column(key)
    empty = vals.is_empty(raw)
    check.flag(WARNING, empty, key, f"{what} ontbreekt; de rij wordt overgeslagen.",
               f"Vul de {what.lower()} in, of n.v.t. als die niet van toepassing is.")
    return dates, raw, empty


def _measurements(frame: pd.DataFrame, report: Report, known: set[str]) -> pd.DataFrame:
    sheet = rf.SHEET_BY_KEY["progress"]
    check = _SheetCheck(sheet, frame, report)
    keys = vals.as_text(check.column("family"))
    dates, raw, empty = _measured_rows(check, "score", "Score", keys, known)
    leefgebied, lg_raw = check.choice("leefgebied", tx.LEEFGEBIED_NAMES, severity=ERROR)
    check.flag(ERROR, lg_raw.isna(), "leefgebied", "Leefgebied ontbreekt.", "Kies een leefgebied uit de lijst.")
    score, nvt, invalid = vals.parse_score(raw)
    check.flag(ERROR, invalid, "score", "Geen geldige voortgangsscore.", "Vul een heel getal van 1 tot 5 in, of n.v.t.")
    dup = keys.notna() & dates.notna() & leefgebied.notna() & ~empty
    dup &= pd.DataFrame({"k": keys, "d": dates, "l": leefgebied}).duplicated(keep=False)
    check.flag(WARNING, dup, "score", "Meer dan één score voor dit gezin, leefgebied en datum; de onderste telt.",
               "Verwijder de dubbele rij.")
    keep = ~empty
    return pd.DataFrame({
        "family_key": keys,
        "instrument": tx.VOORTGANG_INSTRUMENT,
        "leefgebied_raw": lg_raw,
        "leefgebied": leefgebied,
        "moment": dates.dt.strftime("%Y-%m-%d"),
        "measured_on": dates.dt.date,
        "value_raw": vals.as_text(raw),
        "value": score,
        "not_applicable": nvt,
        "unit": None,
        "indicator": None,
        "herkomst": tx.HERKOMST_FORMAT,
        "confidence": 1.0,
        "row_number": frame[ROW].astype(int),
    }, columns=MEASUREMENT_COLUMNS).loc[keep]


def _hours(frame: pd.DataFrame, report: Report, known: set[str]) -> pd.DataFrame:
    sheet = rf.SHEET_BY_KEY["hours"]
    check = _SheetCheck(sheet, frame, report)
    keys = vals.as_text(check.column("family"))
    dates, raw, empty = _measured_rows(check, "hours", "Aantal uren", keys, known)
    support, support_raw = check.choice("support_type", tx.SUPPORT_TYPE_NAMES, severity=ERROR)
    check.flag(ERROR, support_raw.isna(), "support_type", "Soort steun ontbreekt.", "Kies de soort steun uit de lijst.")
    hours, nvt, invalid = vals.parse_hours(raw)
    check.flag(ERROR, invalid, "hours", "Geen geldig aantal uren per week.",
               "Vul één getal in (bijv. 1,5 of '50 minuten'), 0 voor geen uren, of n.v.t.; een bereik zoals 8-12 kan niet.")
    out_of_range = hours.notna() & ((hours < 0) | (hours > MAX_WEEKLY_HOURS))
    check.flag(ERROR, out_of_range, "hours", f"Aantal uren per week moet tussen 0 en {MAX_WEEKLY_HOURS} liggen.",
               "Controleer of het om uren per week gaat (niet per maand of in minuten).")
    keep = ~empty
    return pd.DataFrame({
        "family_key": keys,
        "support_type_raw": support_raw,
        "support_type": support,
        "moment": dates.dt.strftime("%Y-%m-%d"),
        "measured_on": dates.dt.date,
        "value_raw": vals.as_text(raw),
        "hours_per_week": hours,
        "minutes": np.nan,
        "not_applicable": nvt,
        "herkomst": tx.HERKOMST_FORMAT,
        "confidence": 1.0,
        "row_number": frame[ROW].astype(int),
    }, columns=HOURS_COLUMNS).loc[keep]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def validate(raw: RawWorkbook, today: dt.date | None = None,
             taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY) -> Registration:
    """Check every sheet, row and column; the returned report decides whether the file may be stored."""
    today = today or dt.date.today()
    report = Report()
    report.extend(raw.report)
    organisation = raw.organisation.strip() if isinstance(raw.organisation, str) and raw.organisation.strip() else None
    peildatum = None
    if raw.peildatum is not None:
        parsed, invalid = vals.parse_dates(pd.Series([raw.peildatum], dtype=object))
        if invalid.iloc[0]:
            report.warning(rf.INFO_SHEET, None, rf.PEILDATUM_CELL, "Peildatum is geen geldige datum en wordt niet gebruikt.",
                           "Schrijf de peildatum als dd-mm-jjjj.", raw.peildatum)
        elif pd.notna(parsed.iloc[0]):
            peildatum = parsed.iloc[0].date()

    tables = {"families": _empty(FAMILY_COLUMNS), "requests": _empty(REQUEST_COLUMNS),
              "measurements": _empty(MEASUREMENT_COLUMNS), "hours": _empty(HOURS_COLUMNS)}
    builders = {"requests": ("requests", partial(_requests, taxonomy=taxonomy)), "progress": ("measurements", _measurements),
                "hours": ("hours", _hours)}

    fam_sheet = rf.SHEET_BY_KEY["families"]
    if raw.report.errors and not raw.sheets:  # the loader could not read the file at all
        return Registration(organisation, peildatum, report=report, **tables)
    # Identifiers leave every cell before anything is read from it, so the preview is already clean.
    sheets = {key: ids.scrub_sheet(frame, rf.SHEET_BY_KEY[key].name,
                                   {c.key: c.header for c in rf.SHEET_BY_KEY[key].columns}, report, "family", ROW)
              for key, frame in raw.sheets.items()}
    if "families" not in sheets:
        report.error(fam_sheet.name, None, None, "Blad Gezinnen ontbreekt.",
                     "Gebruik het registratieformat (download het op de pagina Gegevens) en vul blad Gezinnen in.")
        return Registration(organisation, peildatum, report=report, **tables)
    frame = _drop_blank_rows(sheets["families"])
    if _check_required_columns(fam_sheet, frame, report):
        if frame.empty:
            report.error(fam_sheet.name, None, None, "Blad Gezinnen bevat geen gezinnen.", "Vul minstens één gezin in.")
        tables["families"] = _families(frame, report, today)
    # Codes as written, even when Gezinnen itself has errors: no cascade of "unknown family" errors.
    known = set(vals.as_text(frame["family"]).dropna()) if "family" in frame else set()

    for sheet_key, (table, build) in builders.items():
        sheet = rf.SHEET_BY_KEY[sheet_key]
        if sheet_key not in sheets:
            report.warning(sheet.name, None, None, f"Blad {sheet.name} ontbreekt; er worden geen gegevens van dit blad ingelezen.",
                           "Voeg het blad toe als u deze gegevens bijhoudt (zie het registratieformat).")
            continue
        frame = _drop_blank_rows(sheets[sheet_key])
        if _check_required_columns(sheet, frame, report) and not frame.empty:
            tables[table] = build(frame, report, known)
    return Registration(organisation, peildatum, report=report, **tables)
