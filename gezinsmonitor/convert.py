"""Turn an organisation's own sheets, read with a column mapping, into the common model.

Input: the tables found by `layout`, one `columns.Choice` per column (suggested, from a profile
or confirmed by a person), the taxonomy and the values a person decided before. Output: a
`Registration` like the registratieformat's, a Dutch report naming the organisation's own
sheet, row and header, and the help-request texts that still need a person ("te beoordelen").
Nothing is dropped silently: every value that is not used is listed in the report.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import harmonise
from . import identifiers as ids
from . import taxonomy as tx
from . import values as vals
from . import vocabulary as vocab
from .columns import FAMILY_FIELDS, IGNORE, PERSONAL, Choice, is_detected_personal, mark_personal, split_param
from .layout import ROW, SheetTable, moment_of, moment_rank
from .report import WARNING, Report
from .validation import (
    FAMILY_COLUMNS,
    FUNNEL_MESSAGES,
    HOURS_COLUMNS,
    MAX_WEEKLY_HOURS,
    MEASUREMENT_COLUMNS,
    REQUEST_COLUMNS,
    Registration,
    funnel_consistency,
)

ZRM_INSTRUMENT = "zrm"
ERNST_INSTRUMENT = "ernst"
CONTACT_MOMENT = "contact"
UNKNOWN_CONTACT = "Contact (soort onbekend)"
UNITS = {"gezin": "gezin", "ouder": "ouder", "ouders": "ouder", "moeder": "ouder", "vader": "ouder",
         "kind": "kind", "kinderen": "kind"}
_TWO_PARENTS = re.compile(r"\b(2|twee)[- ]?ouder|tweeouder|ouders (samen|met)|vader en moeder|moeder en vader"
                          r"|echtpaar|samenwonend|gehuwd|getrouwd|beide ouders")
_ONE_PARENT = re.compile(r"\b(1|een)[- ]?ouder|eenouder|alleenstaand|moeder met|vader met|alleen|single")
_RUNNING = ("lopend", "loopt", "actief", "in begeleiding", "bezig", "open")
_ENDED = ("afgerond", "afgesloten", "gestopt", "beeindigd", "klaar", "uitgestroomd", "einde", "gesloten")


@dataclass
class Converted:
    registration: Registration
    review: pd.DataFrame  # distinct help-request texts waiting for a person, with the suggestion
    notes: list[str] = field(default_factory=list)


class _Sheet:
    """One table with its choices; messages name the organisation's own sheet, row and header."""

    def __init__(self, table: SheetTable, choices: list[Choice], report: Report):
        self.table, self.report = table, report
        self.by_target: dict[str, list[Choice]] = {}
        for c in choices:
            self.by_target.setdefault(c.target, []).append(c)
        self.rows = table.data[ROW]
        self.sources = {c.index: c for c in table.columns}

    def sub(self, choice: Choice) -> str:
        """The lowest header cell of a column (without its group header)."""
        return self.sources[choice.index].sub

    def one(self, target: str) -> Choice | None:
        found = self.by_target.get(target, [])
        return found[0] if found else None

    def all(self, target: str) -> list[Choice]:
        return self.by_target.get(target, [])

    def values(self, choice: Choice | None) -> pd.Series:
        if choice is None:
            return pd.Series([None] * len(self.table.data), index=self.table.data.index, dtype=object)
        return self.table.values(choice.index)

    def flag(self, severity: str, mask: pd.Series, choice: Choice | None, message: str, fix: str = "") -> None:
        if mask is not None and mask.any():
            header = choice.header if choice is not None else None
            raw = vals.as_text(self.values(choice)[mask]) if choice is not None else None
            self.report.add_rows(severity, self.table.sheet, self.rows[mask], header, message, fix, raw)


def _contains_any(text: str, words) -> bool:
    return any(w in text for w in words)


def _composition(text: object) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    t = tx.normalise_label(text)
    if t == "onbekend":
        return "onbekend"
    if _TWO_PARENTS.search(t):
        return "tweeouder"
    if _ONE_PARENT.search(t):
        return "eenouder"
    return None


def _status(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    t = tx.normalise_label(text)
    if _contains_any(t, _ENDED):
        return tx.STATUS_AFGEROND
    if _contains_any(t, _RUNNING):
        return tx.STATUS_LOPEND
    return None


def _end_reason(text: object) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    t = tx.normalise_label(text)
    for reason in tx.END_REASONS:
        if tx.normalise_label(reason) in t:
            return reason
    rules = (("doel", "doelen bereikt"), ("maximale", "maximale duur"), ("max", "maximale duur"),
             ("medewerking", "onvoldoende medewerking/onbereikbaar"), ("onbereikbaar", "onvoldoende medewerking/onbereikbaar"),
             ("verhuis", "verhuisd"), ("doorverw", "doorverwezen"), ("verwezen", "doorverwezen"))
    return next((reason for word, reason in rules if word in t), text.strip())


def _debts(s: pd.Series) -> pd.Series:
    yn = vals.parse_yes_no(s)
    out = pd.Series(None, index=s.index, dtype=object)
    out[yn["value"].fillna(False).astype(bool)] = "ja"
    out[(yn["value"] == False).fillna(False).astype(bool)] = "nee"  # noqa: E712 (nullable boolean)
    out[yn["state"] == "onbekend"] = "onbekend"
    starts = vals.as_text(s).str.lower().str.match(r"^\s*(ja|nee)\b", na=False)
    out[starts & out.isna()] = vals.as_text(s)[starts & out.isna()].str.lower().str.extract(r"^(ja|nee)")[0]
    return out


# -- families -----------------------------------------------------------------------------------
_FAMILY_TARGETS = FAMILY_FIELDS


def _family_rows(sheets: list[_Sheet]) -> pd.DataFrame:
    parts = []
    for sh in sheets:
        fam = sh.one("gezin")
        present = [t for t in _FAMILY_TARGETS if sh.one(t) is not None]
        if fam is None or not present:
            continue
        frame = pd.DataFrame({"family_key": vals.as_text(sh.values(fam))})
        for t in _FAMILY_TARGETS:
            frame[t] = sh.values(sh.one(t))
        frame["_sheet"] = sh.table.sheet
        frame["_row"] = sh.rows.to_numpy()
        frame["_headers"] = [{t: sh.one(t).header for t in present}] * len(frame)
        parts.append(frame[frame["family_key"].notna()])
    if not parts:
        return pd.DataFrame(columns=["family_key", *_FAMILY_TARGETS, "_sheet", "_row", "_headers"])
    return pd.concat(parts, ignore_index=True)


def _families(sheets: list[_Sheet], report: Report, today: dt.date, keys_elsewhere: list[str]) -> pd.DataFrame:
    rows = _family_rows(sheets)
    dup = rows["family_key"].duplicated(keep="first")
    for idx in rows.index[dup]:
        report.warning(rows.at[idx, "_sheet"], rows.at[idx, "_row"], None,
                       f"Gezin {rows.at[idx, 'family_key']} staat vaker dan één keer op een gezinnenblad; de eerste rij telt.",
                       "Gebruik één rij per gezin, of geef verschillende gezinnen verschillende codes.")
    rows = rows[~dup].reset_index(drop=True)
    missing = [k for k in dict.fromkeys(keys_elsewhere) if k not in set(rows["family_key"])]
    if missing:
        rows = pd.concat([rows, pd.DataFrame({"family_key": missing, "_sheet": None, "_row": None})],
                         ignore_index=True)
        if len(rows) > len(missing):
            report.warning(None, None, None,
                           f"{len(missing)} gezin(nen) komen alleen voor op andere bladen dan het gezinnenblad "
                           f"(bijv. {', '.join(missing[:3])}); ze tellen mee zonder trajectgegevens.",
                           "Voeg deze gezinnen toe aan het gezinnenblad als ze daar horen.")

    start = vals.parse_date_detail(rows["start"].astype(object))
    end = vals.parse_end(rows["einde"].astype(object))

    def flag(mask, target, message, fix, severity=WARNING):
        for idx in rows.index[mask.fillna(False).astype(bool)]:
            headers = rows.at[idx, "_headers"]
            header = headers.get(target) if isinstance(headers, dict) else None
            raw = rows.at[idx, target]
            report.add(severity, rows.at[idx, "_sheet"], rows.at[idx, "_row"], header, message, fix,
                       None if raw is None or (isinstance(raw, float) and np.isnan(raw)) else str(raw))

    flag(start["state"] == "ongeldig", "start", "Startdatum niet begrepen; het traject telt niet mee in de trajectduur.",
         "Schrijf de datum als dd-mm-jjjj of als maand en jaar (bijv. oktober 2020).")
    has_sheet = rows["_sheet"].notna()
    flag(has_sheet & start["state"].isin(["leeg", "nvt", "onbekend"]), "start",
         "Startdatum ontbreekt; het traject telt niet mee in de trajectduur.", "Vul de startdatum in.")
    flag(start["precision"] == "maand", "start", "Startdatum alleen als maand; de 1e van de maand wordt gebruikt.", "")
    flag(end["state"] == "ongeldig", "einde", "Einddatum niet begrepen; het traject telt als lopend.",
         "Schrijf de datum als dd-mm-jjjj, of laat de cel leeg zolang het traject loopt.")
    end_date = end["end_date"]
    expected = end["expected_end"]
    future = end_date.notna() & (end_date > pd.Timestamp(today))
    flag(future, "einde", "Einddatum ligt in de toekomst; opgevat als verwachte einddatum, het traject loopt nog.",
         "Laat de einddatum leeg tot het traject echt is afgerond.")
    expected = expected.where(~future, end_date)
    end_date = end_date.where(~future)
    before = end_date.notna() & start["date"].notna() & (end_date < start["date"])
    flag(before, "einde", "Einddatum ligt vóór de startdatum; het traject telt niet mee in de trajectduur.",
         "Verbeter de start- of einddatum.")

    status_text = rows["status"].map(_status)
    status = status_text.where(status_text.notna(), np.where(end_date.notna(), tx.STATUS_AFGEROND, tx.STATUS_LOPEND))
    status = status.where(~(expected.notna() & status_text.isna()), tx.STATUS_LOPEND)
    composition = rows["samenstelling"].map(_composition)
    flag(rows["samenstelling"].notna() & ~vals.is_empty(rows["samenstelling"]) & composition.isna(), "samenstelling",
         "Gezinssamenstelling niet herkend; telt als onbekend.", "Schrijf bijv. 'eenouder' of 'twee ouders'.")
    children, children_invalid = vals.parse_int(rows["kinderen"].astype(object), 0, 20)
    flag(children_invalid, "kinderen", "Geen geldig aantal kinderen; de waarde wordt niet gebruikt.",
         "Vul een heel getal van 0 tot 20 in.")
    language = vals.parse_language(rows["taal"].astype(object))
    flag(language["state"].isin([vals.ONGELDIG, vals.NVT]), "taal",
         "Beheersing Nederlandse taal niet herkend; de waarde wordt bewaard maar niet meegeteld.",
         f"Schrijf {', '.join(tx.TAAL_LEVELS)} of onbekend.")
    phase = vals.parse_phase(rows["fase"].astype(object))
    flag(phase["state"] == vals.ONGELDIG, "fase", "Fase niet herkend; de waarde wordt bewaard maar niet meegeteld "
         "in de trechter.", f"Schrijf {', '.join(tx.FUNNEL_PHASES)}.")
    result = vals.parse_result(rows["resultaat"].astype(object))
    flag(result["state"] == vals.ONGELDIG, "resultaat", "Resultaat niet herkend; de waarde wordt bewaard maar niet "
         "meegeteld in de trechter.", f"Schrijf {', '.join(tx.FUNNEL_RESULTS)}.")
    for name, mask in funnel_consistency(phase["value"], result["value"], status).items():
        flag(mask, "resultaat", *FUNNEL_MESSAGES[name])
    return pd.DataFrame({
        "family_key": rows["family_key"],
        "start_date": start["date"].where(~before).dt.date,
        "end_date": end_date.where(~before).dt.date,
        "expected_end": expected.dt.date,
        "status": status,
        "end_reason": rows["reden_einde"].map(_end_reason),
        "start_raw": vals.as_text(rows["start"].astype(object)),
        "end_raw": vals.as_text(rows["einde"].astype(object)),
        "status_raw": vals.as_text(rows["status"].astype(object)),
        "composition": composition.where(composition.notna(), None),
        "composition_raw": vals.as_text(rows["samenstelling"].astype(object)),
        "children": children,
        "wijk": vals.as_text(rows["wijk"].astype(object)),
        "debts": _debts(rows["schulden"].astype(object)),
        "debts_raw": vals.as_text(rows["schulden"].astype(object)),
        "language": language["value"],
        "language_raw": vals.as_text(rows["taal"].astype(object)),
        "phase": phase["value"],
        "phase_raw": vals.as_text(rows["fase"].astype(object)),
        "result": result["value"],
        "result_raw": vals.as_text(rows["resultaat"].astype(object)),
        "row_number": pd.to_numeric(rows["_row"], errors="coerce").astype("Int64"),
    }, columns=FAMILY_COLUMNS)


# -- help requests ------------------------------------------------------------------------------
def _legend(sheets: list[_Sheet]) -> dict[str, str]:
    legend = {}
    for sh in sheets:
        code, desc = sh.one("legenda_code"), sh.one("legenda_omschrijving")
        if code and desc:
            for k, v in zip(vals.as_text(sh.values(code)), vals.as_text(sh.values(desc))):
                if k and v:
                    legend[tx.normalise_label(k)] = v
    return legend


def _request_rows(sheets: list[_Sheet], legend: dict[str, str], report: Report) -> list[dict]:
    out: list[dict] = []
    for sh in sheets:
        fam = sh.one("gezin")
        text_cols = sh.all("hulpvraag")
        # In a sheet with scores the leefgebied column says what was scored, not what was asked.
        lg_cols = [] if sh.one("score") is not None else sh.all("leefgebied")
        cat_col = sh.one("categorie")
        code_col = sh.one("hulpvraag_code")
        ticks = sh.all("aangevinkt")
        if fam is None or not (text_cols or lg_cols or cat_col or code_col or ticks):
            continue
        keys = vals.as_text(sh.values(fam))
        dates = vals.parse_date_detail(sh.values(sh.one("datum")))["date"] if sh.one("datum") else None
        texts = [vals.as_text(sh.values(c)) for c in text_cols]
        lgs = [vals.as_text(sh.values(c)) for c in lg_cols]
        cats = vals.as_text(sh.values(cat_col)) if cat_col else None
        codes = vals.as_text(sh.values(code_col)) if code_col else None
        tick_values = [(c, vals.parse_yes_no(sh.values(c))) for c in ticks]
        unknown_codes: dict[str, int] = {}
        for i, idx in enumerate(sh.table.data.index):
            key = keys[idx]
            if key is None:
                continue
            row = int(sh.rows[idx])
            date = dates[idx] if dates is not None else None
            base = {"family_key": key, "row_number": row, "request_date": None if date is None or pd.isna(date) else date.date()}
            text_parts = [p for t in texts if t[idx] for p in vocab.split_values(t[idx])]
            lg_parts = [p for lg in lgs if lg[idx] for p in vocab.split_values(lg[idx])]
            cat = cats[idx] if cats is not None else None
            if codes is not None and codes[idx]:
                code = codes[idx]
                desc = legend.get(tx.normalise_label(code))
                if desc is None:
                    unknown_codes[code] = unknown_codes.get(code, 0) + 1
                text_parts.append(f"{code}: {desc}" if desc else code)
            if len(lg_parts) == 1 and len(text_parts) <= 1:
                out.append({**base, "label_raw": text_parts[0] if text_parts else None, "leefgebied_raw": lg_parts[0],
                            "categorie_raw": cat})
            else:
                for p in text_parts:
                    out.append({**base, "label_raw": p, "leefgebied_raw": None, "categorie_raw": cat if not lg_parts else None})
                for p in lg_parts:
                    out.append({**base, "label_raw": None, "leefgebied_raw": p, "categorie_raw": None})
                if not text_parts and not lg_parts and cat:
                    out.append({**base, "label_raw": None, "leefgebied_raw": None, "categorie_raw": cat})
            for col, yn in tick_values:
                if bool(yn["value"].fillna(False).iloc[i]):
                    lg, c = split_param(col.param)
                    out.append({**base, "label_raw": sh.sub(col), "leefgebied_raw": lg, "categorie_raw": c})
        for code, n in unknown_codes.items():
            report.warning(sh.table.sheet, None, code_col.header,
                           f"Code '{code}' staat niet in de legenda ({n} keer); de code wordt als tekst beoordeeld.",
                           "Voeg de code toe aan het blad met de codes en hun omschrijving.", code)
        for col, yn in tick_values:
            bad = yn["state"] == "ongeldig"
            sh.flag(WARNING, bad, col, "Vinkje niet begrepen; niet meegeteld.",
                    "Zet een x, ja of 1 in de cel, of laat de cel leeg.")
    return out


def _requests(sheets, legend, report, taxonomy, learned) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = pd.DataFrame(_request_rows(sheets, legend, report),
                        columns=["family_key", "row_number", "request_date", "label_raw", "leefgebied_raw", "categorie_raw"])
    mapped = harmonise.classify_rows(rows["label_raw"], rows["leefgebied_raw"], rows["categorie_raw"], taxonomy, learned)
    frame = pd.DataFrame({
        "family_key": rows["family_key"],
        "label_raw": rows["label_raw"],
        "leefgebied_raw": rows["leefgebied_raw"],
        "categorie_raw": rows["categorie_raw"],
        "leefgebied": mapped["leefgebied"],
        "categorie": mapped["categorie"],
        "herkomst": mapped["herkomst"],
        "request_date": rows["request_date"],
        "confidence": mapped["confidence"],
        "row_number": rows["row_number"],
    }, columns=REQUEST_COLUMNS)
    uncertain = frame["herkomst"] == tx.HERKOMST_TE_BEOORDELEN
    text = frame["label_raw"].fillna(frame["leefgebied_raw"]).fillna(frame["categorie_raw"])
    review = (
        pd.DataFrame({"tekst": text, "voorstel leefgebied": mapped["suggestion"], "voorstel categorie": mapped["categorie"],
                      "zekerheid": (mapped["confidence"] * 100).round(), "reden": mapped["reason"]})[uncertain]
        .groupby(["tekst"], dropna=False, sort=False)
        .agg(**{"voorstel leefgebied": ("voorstel leefgebied", "first"), "voorstel categorie": ("voorstel categorie", "first"),
                "zekerheid": ("zekerheid", "first"), "reden": ("reden", "first"), "aantal": ("zekerheid", "size")})
        .reset_index()
    )
    return frame, review


# -- measurements -------------------------------------------------------------------------------
def _measurement_frame(keys, instrument, lg_raw, leefgebied, moment, measured_on, raw, value, nvt, unit, indicator,
                       rows, herkomst, confidence):
    return pd.DataFrame({
        "family_key": keys, "instrument": instrument, "leefgebied_raw": lg_raw, "leefgebied": leefgebied,
        "moment": moment, "measured_on": measured_on, "value_raw": vals.as_text(raw), "value": value,
        "not_applicable": nvt, "unit": unit, "indicator": indicator, "herkomst": herkomst,
        "confidence": confidence, "row_number": rows,
    }, columns=MEASUREMENT_COLUMNS)


def _matched(series: pd.Series, classify) -> pd.DataFrame:
    """leefgebied (certain matches only), herkomst and confidence per value, each distinct value once."""
    def one(v):
        if not v:
            return None, None, None
        m = classify(v)
        return (m.leefgebied if m.certain else None), m.herkomst, float(m.confidence)
    parts = vals.map_unique(series, one)
    return pd.DataFrame(parts.tolist(), index=series.index, columns=["leefgebied", "herkomst", "confidence"])


def _support(series: pd.Series) -> pd.DataFrame:
    """support type (certain only), herkomst and confidence per value."""
    def one(v):
        if not v:
            return None, None, None
        name, herkomst, conf = vocab.classify_support_type(v)
        return (name if herkomst != tx.HERKOMST_TE_BEOORDELEN else None), herkomst, float(conf)
    parts = vals.map_unique(series, one)
    return pd.DataFrame(parts.tolist(), index=series.index, columns=["support_type", "herkomst", "confidence"])


def _moment_and_date(sh: _Sheet, col: Choice | None) -> tuple[pd.Series, pd.Series]:
    """Per row: the moment (a column of its own, the date, the column header or the sheet name) and date."""
    date_col = sh.one("datum")
    n = len(sh.table.data)
    moment_col = sh.one("meetmoment")
    if moment_col is not None:
        named = vals.as_text(sh.values(moment_col)).map(
            lambda v: (moment_of(v, in_header=False)[0] or v) if v else None)
        dates = vals.parse_date_detail(sh.values(date_col))["date"] if date_col is not None else None
        fallback = (col.moment if col else None) or sh.table.moment
        return named.where(named.notna(), fallback), (dates.dt.date if dates is not None else
                                                      pd.Series([None] * n, index=sh.table.data.index, dtype=object))
    if date_col is not None:
        dates = vals.parse_date_detail(sh.values(date_col))["date"]
        moment = dates.dt.strftime("%Y-%m-%d")
        fallback = (col.moment if col else None) or sh.table.moment
        return moment.where(moment.notna(), fallback), dates.dt.date
    moment = (col.moment if col else None) or sh.table.moment
    return pd.Series([moment] * n, index=sh.table.data.index, dtype=object), pd.Series([None] * n, index=sh.table.data.index, dtype=object)


def _with_families(sheets: list[_Sheet]):
    """(sheet, family keys, Excel rows) for every sheet that has a family-code column."""
    for sh in sheets:
        fam = sh.one("gezin")
        if fam is not None:
            yield sh, vals.as_text(sh.values(fam)), sh.rows


def _in_moment_order(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Concatenated in time order of the moments, so "first" and "latest" follow them without dates."""
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = pd.concat(parts, ignore_index=True)
    order = out["moment"].map(moment_rank)
    return out.assign(_o=order).sort_values(["_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


def _measurements(sheets: list[_Sheet], report: Report, taxonomy) -> pd.DataFrame:
    parts = []
    for sh, keys, rows in _with_families(sheets):
        # Long: one row per measurement with a leefgebied column and a score column.
        score, lg_col = sh.one("score"), sh.one("leefgebied")
        if score is not None:
            moment, measured_on = _moment_and_date(sh, score)
            lg_raw = vals.as_text(sh.values(lg_col))
            m = _matched(lg_raw, lambda v: vocab.classify_label(v, taxonomy))
            lg = m["leefgebied"]
            value, nvt, invalid = vals.parse_score(sh.values(score))
            sh.flag(WARNING, invalid, score, "Geen geldige voortgangsscore (1–5 of n.v.t.); niet meegeteld.", "")
            sh.flag(WARNING, lg.isna() & ~vals.is_empty(sh.values(score)), lg_col or score,
                    "Leefgebied van de score niet (zeker) herkend; niet meegeteld.", "Schrijf een leefgebied uit de lijst.")
            keep = keys.notna() & lg.notna() & (value.notna() | nvt)
            parts.append(_measurement_frame(keys, tx.VOORTGANG_INSTRUMENT, lg_raw, lg, moment, measured_on,
                                            sh.values(score), value, nvt, None, None, rows,
                                            m["herkomst"], m["confidence"])[keep])
        for col in sh.all("score_leefgebied") + sh.all("zrm"):
            instrument = ZRM_INSTRUMENT if col.target == "zrm" else tx.VOORTGANG_INSTRUMENT
            moment, measured_on = _moment_and_date(sh, col)
            if instrument == ZRM_INSTRUMENT:
                match = vocab.classify_zrm_domain(col.param or sh.sub(col))
                indicator = col.param or sh.sub(col)
            else:
                match = vocab.classify_label(col.param or sh.sub(col), taxonomy)
                indicator = None
            if not match.leefgebied:
                report.warning(sh.table.sheet, None, col.header, "Leefgebied van deze kolom niet herkend; niet ingelezen.",
                               "Kies bij de kolomindeling het leefgebied (detail).")
                continue
            value, nvt, invalid = vals.parse_score(sh.values(col))
            sh.flag(WARNING, invalid, col, "Geen geldige score (1–5 of n.v.t.); niet meegeteld.", "")
            keep = keys.notna() & (value.notna() | nvt)
            parts.append(_measurement_frame(keys, instrument, col.param or sh.sub(col), match.leefgebied, moment, measured_on,
                                            sh.values(col), value, nvt, None, indicator, rows, match.herkomst,
                                            min(match.confidence, col.confidence))[keep])
        ernst = sh.all("ernst")
        if ernst:
            indicator = vals.as_text(sh.values(sh.one("indicator")))
            unit_raw = vals.as_text(sh.values(sh.one("eenheid")))
            unit = unit_raw.map(lambda v: UNITS.get(tx.normalise_label(v)) if v else None)
            m = _matched(indicator, lambda v: vocab.classify_request(v, taxonomy))
            unknown_lg = m["leefgebied"].isna() & indicator.notna()
            if unknown_lg.any():
                sh.flag(WARNING, unknown_lg, sh.one("indicator"),
                        "Indicator niet (zeker) bij een leefgebied herkend; telt onder Overig.",
                        "Pas zo nodig de taxonomie aan (synoniem voor deze indicator).")
            lg = m["leefgebied"].where(~unknown_lg, "Overig")
            herkomst = m["herkomst"].where(~unknown_lg, tx.HERKOMST_TE_BEOORDELEN)
            for col in ernst:
                parsed = vals.parse_severity(sh.values(col))
                sh.flag(WARNING, parsed["state"] == "ongeldig", col,
                        "Ernst niet begrepen (geen/licht/middel/zwaar); niet meegeteld.", "")
                keep = keys.notna() & (parsed["state"] == "waarde") & indicator.notna()
                parts.append(_measurement_frame(keys, ERNST_INSTRUMENT, indicator, lg, col.param or col.moment, None,
                                                sh.values(col), parsed["value"], False, unit, indicator, rows,
                                                herkomst, m["confidence"])[keep])
    return _in_moment_order(parts, MEASUREMENT_COLUMNS)


# -- hours --------------------------------------------------------------------------------------
def _hours_frame(keys, support_raw, support, moment, measured_on, raw, hours, minutes, nvt, rows, herkomst, confidence):
    return pd.DataFrame({
        "family_key": keys, "support_type_raw": support_raw, "support_type": support, "moment": moment,
        "measured_on": measured_on, "value_raw": vals.as_text(raw), "hours_per_week": hours, "minutes": minutes,
        "not_applicable": nvt, "herkomst": herkomst, "confidence": confidence, "row_number": rows,
    }, columns=HOURS_COLUMNS)


def _durations(sh: _Sheet, col: Choice, bare_unit: str) -> pd.DataFrame:
    parsed = vals.parse_duration(sh.values(col), bare_unit=bare_unit)
    sh.flag(WARNING, parsed["is_range"].astype(bool), col, "Bereik opgegeven; het midden wordt gebruikt.", "")
    sh.flag(WARNING, parsed["state"] == "ongeldig", col, "Duur niet begrepen; niet meegeteld.",
            "Schrijf bijv. 1,5 uur, 50 minuten of 4 uur en 5 minuten.")
    return parsed


def _hours(sheets: list[_Sheet], report: Report) -> pd.DataFrame:
    parts = []
    for sh, keys, rows in _with_families(sheets):
        for col in sh.all("uren_steun"):
            moment, measured_on = _moment_and_date(sh, col)
            parsed = _durations(sh, col, "uur")
            too_many = parsed["hours"] > MAX_WEEKLY_HOURS
            sh.flag(WARNING, too_many, col, f"Meer dan {MAX_WEEKLY_HOURS} uur per week; niet meegeteld.",
                    "Controleer of het om uren per week gaat.")
            nvt = parsed["state"] == "nvt"
            keep = keys.notna() & ((parsed["state"] == "waarde") & ~too_many | nvt)
            by_header = vocab.classify_support_type(sh.sub(col))
            herkomst = by_header[1] if by_header[0] == col.param else tx.HERKOMST_PERSOON
            parts.append(_hours_frame(keys, sh.sub(col), col.param, moment, measured_on, sh.values(col),
                                      parsed["hours"].where(~nvt), np.nan, nvt, rows, herkomst, col.confidence)[keep])
        hours_col, type_col = sh.one("uren"), sh.one("soort_steun")
        if hours_col is not None and type_col is not None:
            moment, measured_on = _moment_and_date(sh, hours_col)
            parsed = _durations(sh, hours_col, "uur")
            support_raw = vals.as_text(sh.values(type_col))
            sup = _support(support_raw)
            support = sup["support_type"]
            sh.flag(WARNING, support.isna() & support_raw.notna(), type_col,
                    "Soort steun niet (zeker) herkend; niet meegeteld.", "Gebruik een soort steun uit de lijst.")
            nvt = parsed["state"] == "nvt"
            keep = keys.notna() & support.notna() & ((parsed["state"] == "waarde") | nvt)
            parts.append(_hours_frame(keys, support_raw, support, moment, measured_on, sh.values(hours_col),
                                      parsed["hours"].where(~nvt), np.nan, nvt, rows, sup["herkomst"],
                                      sup["confidence"])[keep])
        duration = sh.one("contact_duur")
        if duration is not None:
            header = tx.normalise_label(duration.header)
            bare = sh.values(duration)
            numbers = pd.to_numeric(bare, errors="coerce")
            minutes_unit = "min" in header or (numbers.notna().any() and numbers.median() > 10)
            parsed = _durations(sh, duration, "minuut" if minutes_unit else "uur")
            date_col = sh.one("datum")
            dates = vals.parse_date_detail(sh.values(date_col))["date"] if date_col else pd.Series(pd.NaT, index=bare.index)
            sh.flag(WARNING, dates.isna() & (parsed["state"] == "waarde"), date_col or duration,
                    "Contact zonder geldige datum; niet meegeteld.", "Vul de datum van het contact in.")
            kind_raw = vals.as_text(sh.values(sh.one("contact_soort")))
            sup = _support(kind_raw)
            unsure = sup["support_type"].isna() & kind_raw.notna()
            sh.flag(WARNING, unsure, sh.one("contact_soort"),
                    f"Soort contact niet (zeker) herkend; telt als '{UNKNOWN_CONTACT}'.",
                    "Gebruik bijv. huisbezoek, telefonisch gesprek, mee naar instantie of maatje.")
            kind = sup["support_type"].where(sup["support_type"].notna(), UNKNOWN_CONTACT)
            herkomst = sup["herkomst"].where(~unsure, tx.HERKOMST_TE_BEOORDELEN)
            keep = keys.notna() & dates.notna() & (parsed["state"] == "waarde")
            parts.append(_hours_frame(keys, kind_raw, kind, CONTACT_MOMENT, dates.dt.date, bare, np.nan,
                                      parsed["hours"] * 60, False, rows, herkomst, sup["confidence"])[keep])
    return _in_moment_order(parts, HOURS_COLUMNS)


# -- the whole workbook ------------------------------------------------------------------------
def convert(tables: list[SheetTable], choices: list[Choice], *, taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY,
            learned: dict | None = None, report: Report | None = None, organisation: str | None = None,
            today: dt.date | None = None) -> Converted:
    report = report or Report()
    today = today or dt.date.today()
    # Whatever path gave the choices, a column with identifiers is never read.
    choices = mark_personal(tables, choices)
    by_sheet: dict[str, list[Choice]] = {}
    for c in choices:
        by_sheet.setdefault(c.sheet, []).append(c)
    tables = [_without_identifiers(t, by_sheet.get(t.sheet, []), report) for t in tables]
    sheets = [_Sheet(t, by_sheet.get(t.sheet, []), report) for t in tables]

    for sh in sheets:
        used = [c for c in sh.by_target if c not in (IGNORE, PERSONAL)]
        key_like = [c for c in sh.all(PERSONAL) if is_detected_personal(c) and c.param in ids.KEY_KINDS]
        if sh.one("gezin") is None and used and key_like and not sh.one("legenda_code"):
            # The only thing that tells families apart here is personal data: refuse rather than store it.
            c = key_like[0]
            report.error(sh.table.sheet, None, c.header,
                         f"{ids.KEY_REFUSED} ({ids.LABELS[c.param]}): de enige kolom die de gezinnen onderscheidt "
                         f"('{c.header}') wordt niet opgeslagen, dus dit bestand kan niet worden ingelezen.",
                         ids.KEY_FIX)
        if sh.one("gezin") is None and used and not sh.one("legenda_code"):
            report.warning(sh.table.sheet, None, None, "Dit blad heeft geen kolom met de gezinscode en wordt niet ingelezen.",
                           "Geef bij de kolomindeling aan welke kolom de gezinscode bevat.")
        for c in sh.all(IGNORE):
            filled = int((~vals.is_empty(sh.values(c))).sum())
            if filled:
                report.warning(sh.table.sheet, sh.table.header_row, c.header,
                               f"Kolom niet ingelezen ({filled} gevulde cellen).",
                               "Kies bij de kolomindeling een betekenis als deze kolom meetelt.")
        fam = sh.one("gezin")
        if fam is not None:
            keyless = vals.is_empty(sh.values(fam))
            if keyless.any():
                sh.flag(WARNING, keyless, fam, "Rij zonder gezinscode; overgeslagen.", "Vul de gezinscode in.")

    legend = _legend(sheets)
    requests, review = _requests(sheets, legend, report, taxonomy, learned or {})
    measurements = _measurements(sheets, report, taxonomy)
    hours = _hours(sheets, report)
    elsewhere = list(requests["family_key"]) + list(measurements["family_key"]) + list(hours["family_key"])
    families = _families(sheets, report, today, elsewhere)
    if families.empty:
        report.error(None, None, None, "Geen gezinnen gevonden in dit bestand.",
                     "Geef bij de kolomindeling aan welke kolom de gezinscode bevat.")
    registration = Registration(organisation, None, families, requests, measurements, hours, report)
    ids.scrub_registration(registration)  # text made from headers (ticks, wide columns) was not in a cell
    return Converted(registration, review)


def _without_identifiers(table: SheetTable, choices: list[Choice], report: Report) -> SheetTable:
    """The table with identifiers scrubbed from every cell that is read, reported per sheet, row and header;
    the family-key column is checked instead (an identifier as key refuses the file)."""
    personal = [c for c in choices if c.target == PERSONAL and c.index in table.data]
    for c in personal:
        if is_detected_personal(c):
            filled = int((~vals.is_empty(table.data[c.index])).sum())
            ids.report_column(report, table.sheet, table.header_row, c.header,
                              ids.Finding(c.param if c.param in ids.LABELS else ids.NAAM, ""), filled)
    # Personal columns leave the copy: nothing downstream can pick them up. Ignored columns are only counted.
    data = table.data.drop(columns=[c.index for c in personal])
    read = {c.index: c for c in choices if c.target not in (IGNORE, PERSONAL) and c.index in data}
    key = next((c.index for c in choices if c.target == "gezin"), None)
    headers = {i: c.header for i, c in read.items()}
    scrubbed = ids.scrub_sheet(data[[ROW] + [i for i in read if i != key] + ([key] if key in read else [])],
                               table.sheet, headers, report, key, ROW)
    for i in scrubbed.columns:
        data[i] = scrubbed[i]
    return replace(table, data=data)
