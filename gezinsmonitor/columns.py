"""Suggest what each column of an organisation's own sheet means, with a confidence.

A registry of target fields (`TARGETS`), each with header synonyms and the kind of values it
expects. A column's suggestion combines its header (synonyms, rapidfuzz) with value sniffing
(dates, scores 1–5, durations, ticks, severity words). Columns whose header names a leefgebied,
categorie, ZRM domain, support type or moment become "wide" fields with a parameter. A person
confirms or corrects the suggestions; the result is saved as the organisation's profile
(`profile_content` / `apply_profile`) so the same layout is read without questions next time.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

from . import identifiers as ids
from . import taxonomy as tx
from . import values as vals
from . import vocabulary as vocab
from .layout import SheetTable, SourceColumn, column_letter, sheet_pattern

AUTO_CONFIDENCE = vocab.AUTO_CONFIDENCE  # one threshold for columns and values
SAMPLE_ROWS = 200  # values sniffed per column


@dataclass(frozen=True)
class Target:
    key: str
    label: str  # Dutch, shown in the mapping table
    synonyms: tuple[str, ...] = ()
    sniff: str | None = None  # the value kind it expects (see `_sniffers`)
    param: str | None = None  # what the detail means for a wide field


TARGETS: tuple[Target, ...] = (
    Target("gezin", "Gezinscode", ("gezin", "gezinscode", "gezinsnummer", "code", "dossier", "dossiernummer",
                                   "dossiernr", "dossier nr", "clientnr", "client nr", "clientnummer", "client",
                                   "nr", "nummer", "id", "registratienummer", "kenmerk", "casusnummer", "huishouden nr"),
           "id"),
    Target("start", "Startdatum", ("startdatum", "start", "start traject", "datum aanmelding", "aanmelddatum",
                                   "aanmelding", "intake", "intakedatum", "ingang", "ingangsdatum", "begin",
                                   "begindatum", "start begeleiding", "datum start"), "date"),
    Target("einde", "Einddatum", ("einddatum", "eind", "einde", "einde traject", "afsluiting", "afsluitdatum",
                                  "uitstroom", "uitstroomdatum", "afgesloten", "datum afsluiting", "einde begeleiding",
                                  "datum einde"), "end"),
    Target("status", "Status", ("status", "stand van zaken", "trajectstatus", "status traject")),
    Target("reden_einde", "Reden einde", ("reden einde", "reden afsluiting", "reden", "uitstroomreden",
                                         "reden uitstroom", "reden beeindiging")),
    Target("samenstelling", "Gezinssamenstelling", ("gezinssamenstelling", "samenstelling", "gezinssituatie",
                                                    "huishouden", "gezinsvorm", "type gezin", "gezinstype",
                                                    "samenstelling gezin")),
    Target("kinderen", "Aantal kinderen", ("aantal kinderen", "kinderen", "kids", "aantal kids", "aant kinderen"),
           "int"),
    Target("wijk", "Wijk", ("wijk", "buurt", "stadsdeel", "woonwijk")),
    Target("schulden", "Schulden", ("schulden", "schuldenproblematiek", "schuld", "schuldenlast", "schulden ja nee")),
    Target("taal", "Beheersing Nederlandse taal", ("taal", "beheersing nederlands", "beheersing nederlandse taal",
                                                   "nederlandse taal", "nederlands", "taalniveau", "taalbeheersing",
                                                   "taalvaardigheid", "niveau nederlands", "beheersing taal",
                                                   "spreekt nederlands", "taal ouder", "taalniveau ouder"),
           "language"),
    Target("fase", "Fase (trechter)", ("fase", "trajectfase", "fase traject", "stap", "bereikte fase", "verste fase",
                                       "huidige fase", "fase begeleiding"), "phase"),
    Target("resultaat", "Resultaat (trechter)", ("resultaat", "uitkomst", "resultaat traject", "uitkomst traject",
                                                 "eindresultaat", "resultaat begeleiding", "traject geslaagd"),
           "result"),
    Target("hulpvraag", "Hulpvraag (tekst)", ("hulpvraag", "hulpvragen", "omschrijving", "vraag", "hulpvraag omschrijving",
                                             "omschrijving hulpvraag", "toelichting", "toelichting hulpvraag",
                                             "hulpvragen gezin", "vragen"), "text"),
    Target("leefgebied", "Leefgebied", ("leefgebied", "leefgebieden", "domein", "cluster", "thema", "leefgebied zrm",
                                        "leefgebieden hulpvraag", "zrm domein", "levensgebied")),
    Target("categorie", "Categorie", ("categorie", "subcategorie", "sub categorie", "soort hulpvraag")),
    Target("hulpvraag_code", "Hulpvraag (eigen code)", ("code", "hulpvraagcode", "codering", "code hulpvraag"), "code"),
    Target("aangevinkt", "Aangevinkt hulpvraag", sniff="tick", param="leefgebied / categorie"),
    Target("datum", "Datum", ("datum", "meetdatum", "datum meting", "datum hulpvraag", "datum contact", "contactdatum",
                              "peildatum", "datum gesprek"), "date"),
    Target("score", "Voortgangsscore", ("score", "voortgangsscore", "voortgang", "cijfer", "score voortgang"), "score"),
    Target("score_leefgebied", "Voortgangsscore per leefgebied", sniff="score", param="leefgebied"),
    Target("zrm", "ZRM-niveau per domein", sniff="score", param="ZRM-domein"),
    Target("meetmoment", "Meetmoment", ("meetmoment", "moment", "meting", "tijdstip meting", "fase")),
    Target("indicator", "Indicator (ernst)", ("indicator", "probleem", "item", "probleemgebied", "onderwerp")),
    Target("eenheid", "Eenheid (gezin/ouder/kind)", ("eenheid", "voor wie", "betreft", "persoon", "gezinslid")),
    Target("ernst", "Ernst op meetmoment", sniff="severity", param="moment"),
    Target("uren", "Uren per week", ("uren", "uren per week", "aantal uren", "tijd per week", "inzet uren"), "duration"),
    Target("soort_steun", "Soort steun", ("soort steun", "type steun", "soort inzet", "steun")),
    Target("uren_steun", "Uren per week per soort steun", sniff="duration", param="soort steun"),
    Target("contact_duur", "Duur van het contact", ("duur", "duur contact", "minuten", "tijdsduur", "duur min",
                                                    "tijd", "contactduur"), "duration"),
    Target("contact_soort", "Soort contact", ("soort contact", "type contact", "contactvorm", "contacttype",
                                              "soort", "vorm")),
    Target("legenda_code", "Code (legenda)", ()),
    Target("legenda_omschrijving", "Omschrijving (legenda)", ()),
    Target("persoonsgegeven", "Persoonsgegeven (niet opslaan)"),
    Target("negeren", "Niet inlezen"),
)
TARGET_BY_KEY = {t.key: t for t in TARGETS}
TARGET_BY_LABEL = {t.label: t for t in TARGETS}
IGNORE = "negeren"
PERSONAL = "persoonsgegeven"  # a column with direct identifiers: never read, never stored, not re-mappable
WIDE = ("aangevinkt", "score_leefgebied", "zrm", "ernst", "uren_steun")
FAMILY_FIELDS = ("start", "einde", "status", "reden_einde", "samenstelling", "kinderen", "wijk", "schulden", "taal",
                 "fase", "resultaat")
# Targets whose header is a common word or part of one ("Taal" ~ "Totaal", "Taal" over ticks; "Fase" is also a
# meetmoment, "Resultaat" anything): the header counts only when at least this share of the values fits too.
VALUES_MUST_FIT = {"taal": 0.5, "fase": 0.6, "resultaat": 0.6}
# A "Fase" column whose values are funnel phases is the funnel, not a meetmoment.
PHASE_VALUES = 0.8


@dataclass
class Choice:
    """What one source column is taken to mean."""

    sheet: str
    index: int
    header: str
    target: str
    param: str | None = None
    moment: str | None = None
    confidence: float = 0.0
    reason: str = ""
    examples: str = ""

    @property
    def certain(self) -> bool:
        return self.confidence >= AUTO_CONFIDENCE


# -- value sniffing ----------------------------------------------------------------------
def _filled(s: pd.Series) -> pd.Series:
    return s[~vals.is_empty(s)]


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else 0.0


def _sniffers() -> dict:
    def date(s):
        d = vals.parse_date_detail(s)
        return _share(d["state"].isin(["datum"]))

    def end(s):
        e = vals.parse_end(s)
        return _share(e["state"].isin(["einde", "verwacht", "loopt"]))

    def score(s):
        v, nvt, invalid = vals.parse_score(s)
        return _share(~invalid) if (v.notna().any()) else 0.0

    def duration(s):
        d = vals.parse_duration(s)
        return _share(d["state"].isin(["waarde", "nvt"])) * (1.0 if units(s) else 0.7)

    def units(s):
        """Share of cells that write a time unit ("uur", "min"): bare numbers could be anything."""
        return _share(s.map(lambda v: isinstance(v, str) and bool(re.search(r"uur|uren|min|\du\b", v.lower()))))

    def tick(s):
        y = vals.parse_yes_no(s)
        marks = s.map(lambda v: str(v).strip().lower() in {"x", "ja", "1", "✓", "✔", "v", "1.0", "true"})
        return _share(y["state"] == "waarde") if marks.any() else 0.0

    def severity(s):
        return _share(vals.parse_severity(s)["state"].isin(["waarde", "onbekend"]))

    def ident(s):
        text = vals.as_text(s)
        short = text.str.len().fillna(99) <= 20
        return _share(short) * (0.6 + 0.4 * (text.nunique() / max(len(text), 1)))

    def text(s):
        t = vals.as_text(s)
        return _share(t.str.contains(r"[a-zA-Z]{3}", regex=True, na=False))

    def integer(s):
        v, invalid = vals.parse_int(s, 0, 20)
        return _share(~invalid)

    def language(s):
        return _share(vals.parse_language(s)["state"].isin(["waarde", "onbekend"]))

    def phase(s):
        return _share(vals.parse_phase(s)["state"].isin(["waarde", "onbekend"]))

    def result(s):
        return _share(vals.parse_result(s)["state"].isin(["waarde", "onbekend"]))

    def code(s):
        t = vals.as_text(s)
        return _share(t.str.fullmatch(r"[A-Za-z]{1,6}[-_ .]?[A-Za-z0-9]{0,8}", na=False))

    return {"date": date, "end": end, "score": score, "duration": duration, "tick": tick, "severity": severity,
            "id": ident, "text": text, "int": integer, "code": code, "units": units, "language": language,
            "phase": phase, "result": result}


SNIFFERS = _sniffers()


def sniff(values: pd.Series) -> dict[str, float]:
    filled = _filled(values.head(SAMPLE_ROWS))
    if filled.empty:
        return {}  # no evidence either way: the header decides
    out = {}
    for kind, fn in SNIFFERS.items():
        try:
            out[kind] = fn(filled)
        except Exception:  # a sniffer must never stop a suggestion
            out[kind] = 0.0
    return out


# -- header matching -------------------------------------------------------------------------
def _header_key(text: str) -> str:
    key = tx.normalise_label(text)
    key = re.sub(r"[()\[\]*:.?_]", " ", key)
    key = re.sub(r"\b\d+\b", " ", key)  # "Hulpvraag 1", "Hulpvraag 2"
    return re.sub(r"\s+", " ", key).strip()


def _header_score(header: str, target: Target) -> tuple[float, str]:
    key = _header_key(header)
    best, which = 0.0, ""
    for syn in target.synonyms:
        if key == syn:
            return 100.0, syn
        score = max(fuzz.ratio(key, syn), fuzz.token_sort_ratio(key, syn))
        if score > best:
            best, which = score, syn
    return best, which


def _examples(values: pd.Series, n: int = 3) -> str:
    texts = vals.as_text(_filled(values)).drop_duplicates().head(n)
    return " | ".join(t[:40] for t in texts)


def _sheet_is_zrm(table: SheetTable) -> bool:
    return "zrm" in tx.normalise_label(table.sheet) or any("zrm" in tx.normalise_label(c.header)
                                                           for c in table.columns)


def _wide_candidate(table: SheetTable, col: SourceColumn, sniffed: dict[str, float], taxonomy) -> Choice | None:
    if not sniffed:
        # An empty column under a leefgebied group header is an unticked category, not noise.
        label = _tick_label(col, taxonomy) if col.group else None
        if label is not None and vocab.classify_label(col.group, taxonomy).leefgebied == label[0].leefgebied:
            return Choice(col.sheet, col.index, col.header, "aangevinkt", label[1], None, 0.9,
                          f"lege kolom onder groepskop '{col.group}'; kop {label[0].reason}")
        return None
    base = col.base or _header_key(col.sub)
    if sniffed["severity"] >= 0.8 and col.moment and not col.base:
        return Choice(col.sheet, col.index, col.header, "ernst", col.moment, col.moment, 0.9,
                      f"kop is meetmoment {col.moment}, waarden geen/licht/middel/zwaar")
    if sniffed["tick"] >= 0.8:
        label = _tick_label(col, taxonomy)
        if label is not None:
            match, param = label
            conf = min(0.95, 0.55 + 0.4 * match.confidence)
            if col.group and vocab.classify_label(col.group, taxonomy).leefgebied == match.leefgebied:
                conf = 1.0  # ticks under a leefgebied group header: clearer than any header synonym
            return Choice(col.sheet, col.index, col.header, "aangevinkt", param, None, conf,
                          f"vinkjes; kop {match.reason}")
    duration_like = sniffed["duration"] >= 0.7 and sniffed["date"] < 0.5
    if duration_like and (sniffed["units"] > 0 or sniffed["score"] < 0.8):
        support, herkomst, conf = vocab.classify_support_type(base)
        if support:
            return Choice(col.sheet, col.index, col.header, "uren_steun", support, col.moment,
                          min(0.95, 0.5 + 0.45 * conf), f"duur-waarden; kop lijkt op '{support}'")
    if sniffed["score"] >= 0.8:
        if _sheet_is_zrm(table):
            match = vocab.classify_zrm_domain(col.sub)
            if match.leefgebied:
                return Choice(col.sheet, col.index, col.header, "zrm", col.sub, col.moment,
                              min(0.95, 0.5 + 0.45 * match.confidence), f"ZRM-blad; domein → {match.leefgebied}")
        match = vocab.classify_label(col.sub, taxonomy)
        if match.leefgebied and match.categorie is None:
            return Choice(col.sheet, col.index, col.header, "score_leefgebied", match.leefgebied, col.moment,
                          min(0.95, 0.5 + 0.45 * match.confidence), f"scores 1–5; kop is leefgebied ({match.reason})")
    return None


def _tick_label(col: SourceColumn, taxonomy) -> tuple[vocab.Match, str] | None:
    """(match, "leefgebied / categorie") for a tick column, using its group header as context."""
    group = vocab.classify_label(col.group, taxonomy) if col.group else None
    group_lg = group.leefgebied if group is not None and group.certain else None
    candidates = [col.sub] + [p for p in re.split(r"[/,]", col.sub) if p.strip() and p.strip() != col.sub]
    for text in candidates:
        match = vocab.classify_label(text.strip(), taxonomy)
        if match.leefgebied and (group_lg is None or match.leefgebied == group_lg):
            return match, _param(match.leefgebied, match.categorie)
    if group_lg:  # the group says the leefgebied; the sub header is the organisation's own category name
        text = vocab.classify_request(col.sub, taxonomy)
        if text.leefgebied == group_lg and text.categorie and text.certain:
            return text, _param(group_lg, text.categorie)
        cats = taxonomy.leefgebieden.get(group_lg, ())
        best = max(cats, key=lambda c: fuzz.partial_ratio(tx.normalise_label(c), tx.normalise_label(col.sub)),
                   default=None)
        if best and fuzz.partial_ratio(tx.normalise_label(best), tx.normalise_label(col.sub)) >= 80:
            return vocab.Match(group_lg, best, tx.HERKOMST_FUZZY, 0.85, f"groep '{col.group}', lijkt op '{best}'"), \
                _param(group_lg, best)
        return vocab.Match(group_lg, None, tx.HERKOMST_WOORDENLIJST, 0.6, f"groep '{col.group}'"), _param(group_lg, None)
    return None


def _param(leefgebied: str, categorie: str | None) -> str:
    return f"{leefgebied} / {categorie}" if categorie else leefgebied


def split_param(param: str | None) -> tuple[str | None, str | None]:
    if not param:
        return None, None
    parts = [p.strip() for p in param.split(" / ", 1)]
    return parts[0], (parts[1] if len(parts) > 1 else None)


def suggest_table(table: SheetTable, taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY,
                  legend_codes: set[str] | None = None) -> list[Choice]:
    """A suggestion for every column of one sheet."""
    choices: list[Choice] = []
    family_candidates: list[tuple[float, Choice]] = []
    for col in table.columns:
        values = table.values(col.index)
        personal = _personal_choice(col.sheet, col.index, col.header, values)
        if personal is not None:  # decided before anything else, so it can never win the family key either
            choices.append(personal)
            continue
        sniffed = sniff(values)
        examples = _examples(values)
        best: Choice | None = None
        for target in TARGETS:
            if not target.synonyms:
                continue
            hscore, syn = _header_score(col.base or col.sub, target)
            if hscore < 72:
                continue
            fit = sniffed.get(target.sniff, 1.0) if target.sniff else 1.0
            if target.key in VALUES_MUST_FIT:
                if not sniffed:
                    fit = 0.5  # an empty column under a leefgebied group is an unticked category first
                elif fit < VALUES_MUST_FIT[target.key]:
                    continue
            if target.key == "meetmoment" and sniffed.get("phase", 0.0) >= PHASE_VALUES:
                continue
            conf = 0.7 * hscore / 100 + 0.3 * fit
            if target.key == "hulpvraag_code" and legend_codes:
                in_legend = _share(vals.as_text(_filled(values)).map(lambda v: tx.normalise_label(v) in legend_codes))
                conf = 0.6 + 0.38 * in_legend
            elif target.key == "hulpvraag_code":
                conf = min(conf, 0.5)
            reason = f"kop '{col.sub}'" + (" = " if hscore == 100 else f" lijkt op '{syn}' ({hscore:.0f}%) → ") \
                     + target.label.lower()
            if target.sniff:
                reason += f"; waarden passen {fit:.0%}"
            cand = Choice(col.sheet, col.index, col.header, target.key, None, col.moment, round(conf, 2), reason,
                          examples)
            if target.key == "gezin":
                family_candidates.append((conf + 0.05 * (col.index == table.columns[0].index), cand))
                continue
            if best is None or cand.confidence > best.confidence:
                best = cand
        wide = _wide_candidate(table, col, sniffed, taxonomy)
        if wide is not None and (best is None or wide.confidence >= best.confidence):
            wide.examples = examples
            best = wide
        if best is None:
            best = Choice(col.sheet, col.index, col.header, IGNORE, None, col.moment, 0.5,
                          "kop niet herkend; niet ingelezen", examples)
        choices.append(best)

    # One family key per sheet: the strongest candidate wins, the others keep their next best meaning.
    if family_candidates:
        family_candidates.sort(key=lambda fc: -fc[0])
        winner = family_candidates[0][1]
        for i, ch in enumerate(choices):
            if ch.index == winner.index and (ch.target == IGNORE or ch.confidence < winner.confidence + 0.1):
                choices[i] = winner
    _resolve_sheet_context(choices)
    return choices


def _resolve_sheet_context(choices: list[Choice]) -> None:
    """"Duur" or "Soort" only mean contact-log fields in a sheet that also has a date column."""
    if any(c.target == "datum" for c in choices):
        return
    for c in choices:
        if c.target in ("contact_duur", "contact_soort"):
            c.confidence = min(c.confidence, 0.6)


_LEGEND_CODE = {"code", "codes", "afkorting", "hulpvraagcode"}
_LEGEND_TEXT = {"omschrijving", "betekenis", "toelichting", "beschrijving", "naam", "hulpvraag", "categorie"}


def _legend_choices(table: SheetTable) -> list[Choice] | None:
    """A code list (code + description, nothing else of substance): the key to codes used elsewhere."""
    if len(table.columns) > 3:
        return None
    keys = {c.index: _header_key(c.sub) for c in table.columns}
    code = next((c for c in table.columns if keys[c.index] in _LEGEND_CODE), None)
    text = next((c for c in table.columns if keys[c.index] in _LEGEND_TEXT), None)
    if code is None or text is None:
        return None
    out = []
    for c in table.columns:
        target = "legenda_code" if c is code else "legenda_omschrijving" if c is text else IGNORE
        out.append(Choice(c.sheet, c.index, c.header, target, None, None, 0.95 if target != IGNORE else 0.5,
                          "codelijst: code met omschrijving" if target != IGNORE else "kop niet herkend; niet ingelezen",
                          _examples(table.values(c.index))))
    return out


def _personal_choice(sheet: str, index: int, header: str, values: pd.Series, trust_header: bool = True
                     ) -> Choice | None:
    finding = ids.detect_column(header, values, trust_header=trust_header)
    if finding is None:
        return None
    # The examples would show the identifiers themselves: only the marker is shown.
    return Choice(sheet, index, header, PERSONAL, finding.kind, None, 1.0, finding.reason, ids.marker(finding.kind))


def is_detected_personal(choice: Choice) -> bool:
    return choice.target == PERSONAL and choice.reason.startswith(ids.REASON)


def mark_personal(tables: list[SheetTable], choices: list[Choice]) -> list[Choice]:
    """Every column that holds identifiers becomes "persoonsgegeven", whatever a profile, a suggestion or a
    person said: it is never mapped to a stored field. Code lists are judged on their values only (there
    "Naam" is the description of a code)."""
    by_key = {(t.sheet, c.index): t for t in tables for c in t.columns}
    out = []
    for c in choices:
        table = by_key.get((c.sheet, c.index))
        if table is None or is_detected_personal(c):
            out.append(c)
            continue
        legend = c.target in ("legenda_code", "legenda_omschrijving")
        personal = _personal_choice(c.sheet, c.index, c.header, table.values(c.index), trust_header=not legend)
        out.append(personal or c)
    return out


def suggest(tables: list[SheetTable], taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY) -> list[Choice]:
    # Legends first, so a code column elsewhere can be recognised by them.
    legends = {t.sheet: _legend_choices(t) for t in tables}
    codes: set[str] = set()
    for t in tables:
        for c in legends[t.sheet] or ():
            if c.target == "legenda_code":
                codes |= set(vals.as_text(_filled(t.values(c.index))).map(tx.normalise_label))
    out: list[Choice] = []
    for t in tables:
        if legends[t.sheet]:
            out.extend(mark_personal([t], legends[t.sheet]))  # suggest_table checked the other sheets already
        else:
            out.extend(suggest_table(t, taxonomy, codes or None))
    return out


# -- profiles ---------------------------------------------------------------------------------
def _profile_header(header: str) -> str:
    # A header that is itself personal data (a name in a wide layout) is kept in the profile only as its marker.
    return tx.normalise_label(ids.scrub_text(header)[0])


def _profile_sheet(sheet: str) -> str:
    return sheet_pattern(ids.scrub_text(sheet)[0])


def profile_content(choices: list[Choice]) -> str:
    """The confirmed choices as JSON, keyed by sheet pattern and header so a new year's sheet matches."""
    items = [{"sheet": _profile_sheet(c.sheet), "header": _profile_header(c.header), "target": c.target,
              "param": ids.scrub_text(c.param)[0] if c.param else c.param, "moment": c.moment} for c in choices]
    return json.dumps(items, ensure_ascii=False, sort_keys=True)


def apply_profile(tables: list[SheetTable], content: str, version: int) -> list[Choice] | None:
    """Choices from a saved profile, or None when a column of this file is not in it."""
    saved = {(i["sheet"], i["header"]): i for i in json.loads(content)}
    out = []
    for t in tables:
        for col in t.columns:
            item = saved.get((_profile_sheet(t.sheet), _profile_header(col.header)))
            if item is None:
                return None
            target = item["target"] if item["target"] in TARGET_BY_KEY else IGNORE
            out.append(Choice(t.sheet, col.index, col.header, target, item.get("param"), item.get("moment"),
                              1.0, f"profiel versie {version}", _examples(t.values(col.index))))
    return mark_personal(tables, out)


# -- the mapping table a person edits ----------------------------------------------------------
TABLE_COLUMNS = ["blad", "kolom", "kop", "voorbeelden", "betekenis", "detail", "moment", "zekerheid", "reden"]


def to_frame(choices: list[Choice]) -> pd.DataFrame:
    return pd.DataFrame([{
        "blad": c.sheet, "kolom": column_letter(c.index), "kop": c.header, "voorbeelden": c.examples,
        "betekenis": TARGET_BY_KEY[c.target].label, "detail": c.param or "", "moment": c.moment or "",
        "zekerheid": round(c.confidence * 100), "reden": c.reason,
    } for c in choices], columns=TABLE_COLUMNS)


def from_frame(frame: pd.DataFrame, choices: list[Choice]) -> list[Choice]:
    """Apply a person's edits (betekenis, detail, moment) to the suggestions; edited rows become certain."""
    out = []
    for c, (_, row) in zip(choices, frame.iterrows()):
        if is_detected_personal(c):
            out.append(c)  # personal data is never read, even when someone picks another meaning
            continue
        target = TARGET_BY_LABEL.get(str(row["betekenis"]), TARGET_BY_KEY[c.target]).key
        param = str(row["detail"]).strip() or None if pd.notna(row["detail"]) else None
        moment = str(row["moment"]).strip() or None if pd.notna(row["moment"]) else None
        changed = (target, param, moment) != (c.target, c.param, c.moment)
        out.append(Choice(c.sheet, c.index, c.header, target, param, moment, 1.0,
                          "aangepast door een persoon" if changed else "bevestigd door een persoon", c.examples))
    return out


def uncertain(choices: list[Choice]) -> list[Choice]:
    return [c for c in choices if c.confidence < AUTO_CONFIDENCE]

