"""Deterministic synthetic sample data (voorbeelddata): six invented organisations, each in a layout of its own.

The calibrated truth: 213 intensive families, calibrated on the published programme figures of
DOMAIN.md (§2, §3.1, §3.3, §3.4, §3.5, §3.7), shifted five years so the programme runs from 2024-01
to the fixed peildatum 2026-10-31. The families are drawn exactly as before (same seed, same draw:
`CALIBRATION_DRAW`) and then redistributed over six organisations (`ORGANISATIONS`, `_redistribute`);
only the organisation, the family code and the wijk of a family changed. `generate()` returns that
truth in the common model, per organisation.

Each organisation keeps its sheet its own way (DOMAIN §4), see `LAYOUTS` and `layout_of`:

    A  Buurtkracht Noord       free-text requests, one sheet per year, title above the header
    B  Huiskamer Het Anker     ticks under a two-row merged header; hours as typed text
    C  Stichting Thuisfront    long layout with the organisation's own codes and a legend
    D  Wijkpost De Overkant    ZRM domains and ZRM levels at T0/T1/T2 (no voortgangsscore, no hours)
    E  Stichting Naast Elkaar  contact log instead of weekly hours; problem severity T0–T3
    F  Stichting Samen Verder  the common registratieformat (gezinsmonitor.template.write_workbook)

A layout carries what it has columns for, losslessly in its own form; what it has no place for
(e.g. B has no wijk or voortgang, E no family background) is listed per organisation in
`expected_import()`, which gives the common-model frames an importer should arrive at. New data
that only some layouts carry: `zrm_truth()` (D), `contacts_truth()` and `severity_truth()` (E), and
`language_truth()`: the beheersing Nederlandse taal of every family, in a column of A, B and F only
(drawn with a generator of its own, so adding it changed no other value), and `funnel_truth()`: fase and
resultaat (DOMAIN §3.3), in F only (likewise drawn on its own).
Nothing depends on today's date: the same seed gives the same bytes on every run.

    python -m sample_data.generate          # rewrite sample_data/voorbeeld_*.xlsx

`generate_one(n)` makes one organisation of any size with the same calibration (benchmark).
All organisation names, family codes and labels are invented; no names of people.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gezinsmonitor import taxonomy as tx  # noqa: E402
from gezinsmonitor.template import cell_value, write_workbook  # noqa: E402

PEILDATUM = dt.date(2026, 10, 31)
SEED = 2026
SAMPLE_DIR = Path(__file__).resolve().parent
DAYS_PER_MONTH = 365.25 / 12
EDGE_MARGIN_DAYS = 4  # keep durations this far from bucket edges
MIN_DURATION_DAYS = 21  # the shortest trajectory
PROGRESS_FIRST_AFTER_DAYS = 91  # first voortgangsmeting about three months after the start

NVT = tx.NVT
LEEFGEBIEDEN = tx.LEEFGEBIED_NAMES


@dataclass(frozen=True)
class OrgSpec:
    name: str
    prefix: str  # family codes: PREFIX-001
    start: dt.date  # first intake of the project
    size: int  # intensive families
    wijken: tuple[str, ...]
    wijk_weights: tuple[float, ...]
    # Mild profile: sampling weight multipliers per leefgebied or categorie name.
    needs_profile: tuple[tuple[str, float], ...] = field(default_factory=tuple)


# The draw of the calibrated families (213 in all). Sizes as the five monitored projects of DOMAIN §2
# (152/25/31/31/23 intensive, 213 monitored), rescaled to 120/22/26/25/20; start dates shifted +5 years.
# These specs only shape the random draw (windows, mild need profiles); the families are then
# redistributed over the six sample organisations (`ORGANISATIONS`, `_redistribute`).
CALIBRATION_DRAW: tuple[OrgSpec, ...] = (
    OrgSpec("Stichting Thuisfront", "TF", dt.date(2024, 1, 1), 120,
            ("Charlois", "Carnisse", "Katendrecht"), (0.45, 0.35, 0.20),
            (("Nederlandse taal", 1.5), ("Overig", 1.4), ("Werk", 1.2))),
    OrgSpec("Buurtkracht Noord", "BN", dt.date(2024, 4, 1), 22,
            ("Oude Noorden", "Zevenkamp"), (0.7, 0.3),
            (("Sociaal netwerk", 1.5), ("Daginvulling kind", 1.3))),
    OrgSpec("Wijkpost De Overkant", "WO", dt.date(2024, 5, 1), 26,
            ("Middelland", "Nieuwe Westen"), (0.55, 0.45),
            (("Opvoeding", 1.4), ("Wonen", 1.3))),
    OrgSpec("Stichting Naast Elkaar", "NE", dt.date(2024, 6, 1), 25,
            ("Beverwaard", "Charlois", "Zevenkamp"), (0.5, 0.3, 0.2),
            (("Gezondheid", 1.4), ("Huiselijke relaties", 1.3))),
    OrgSpec("Huiskamer Het Anker", "HA", dt.date(2024, 9, 1), 20,
            ("Delfshaven", "Nieuwe Westen"), (0.6, 0.4),
            (("Daginvulling ouder", 1.4), ("Algemene dagelijkse levensvaardigheden (ADL)", 1.3))),
)
BENCH_ORGANISATION = OrgSpec("Benchmarkorganisatie", "BM", dt.date(2024, 1, 1), 0,
                             ("Charlois", "Delfshaven", "Oude Noorden"), (0.4, 0.35, 0.25))

# -- calibration (DOMAIN §3.1): (leefgebied, share of families, ((categorie, weight), ...)) ----
# One request per selected family; the categorie is drawn among the listed ones.
NEEDS: tuple[tuple[str, float, tuple[tuple[str | None, float], ...]], ...] = (
    ("Financiën", 0.79, (("Schulden", 0.40), ("Geen overzicht/administratie", 0.25), ("Acute nood", 0.20),
                         ("Materiële tekorten", 0.15))),
    ("Gezondheid", 0.40, (("Lichamelijk", 0.40), ("Psychisch", 0.50), ("Verslaving", 0.10))),
    ("Wonen", 0.35, ((None, 1.0),)),
    ("Sociaal", 0.31, (("Huiselijke relaties", 1.0),)),
    ("Sociaal", 0.39, (("Opvoeding", 1.0),)),
    ("Sociaal", 0.36, (("Sociaal netwerk", 1.0),)),
    ("Participatie", 0.29, (("Algemene dagelijkse levensvaardigheden (ADL)", 1.0),)),
    ("Participatie", 0.28, (("Nederlandse taal", 1.0),)),
    ("Participatie", 0.33, (("Werk", 1.0),)),
    ("Participatie", 0.17, (("Opleiding", 1.0),)),
    ("Participatie", 0.36, (("Daginvulling kind", 1.0),)),
    ("Participatie", 0.43, (("Daginvulling ouder", 1.0),)),
    ("Overig", 0.27, (("Juridisch", 0.35), ("Verblijfsstatus", 0.40), ("Zingeving", 0.25))),
)

# Free-text requests as organisations write them, per (leefgebied, categorie).
LABELS: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("Financiën", "Schulden"): (
        "schulden door scheiding", "betalingsachterstand huur", "schuldhulpverlening aanvragen",
        "deurwaarder aan de deur", "achterstand zorgverzekering", "openstaande boetes",
        "achterstand energierekening", "hulp bij schuldregeling"),
    ("Financiën", "Geen overzicht/administratie"): (
        "brieven van de belastingdienst", "administratie op orde krijgen", "post stapelt zich op",
        "toeslagen aanvragen", "hulp bij formulieren gemeente", "geen overzicht van inkomsten en uitgaven",
        "budgetplan maken", "kwijtschelding aanvragen"),
    ("Financiën", "Acute nood"): (
        "lege koelkast", "dreigende afsluiting energie", "geen geld voor boodschappen",
        "aanmelding voedselbank", "water wordt afgesloten", "geen geld tot het eind van de maand"),
    ("Financiën", "Materiële tekorten"): (
        "bed voor kind nodig", "fiets om naar school te gaan", "laptop voor school", "winterjassen kinderen",
        "wasmachine kapot", "kinderkleding", "geen meubels na verhuizing", "schoolspullen"),
    ("Gezondheid", "Lichamelijk"): (
        "rugklachten, kan niet werken", "geen huisarts", "tandarts te duur", "chronisch ziek kind",
        "moeder heeft diabetes", "bril nodig voor kind", "veel pijnklachten"),
    ("Gezondheid", "Psychisch"): (
        "somber en moe", "stress door de situatie", "angstklachten", "wachtlijst ggz", "trauma na de vlucht",
        "overspannen", "slaapt slecht, piekert veel"),
    ("Gezondheid", "Verslaving"): (
        "alcoholgebruik partner", "gokschulden", "zorgen over blowen oudste zoon", "hulp bij stoppen met drinken"),
    ("Wonen", None): (
        "urgentie aanvragen", "schimmel in de woning", "woning te klein", "zoekt andere woning",
        "ongedierte in huis", "geen vaste woonplek", "overlast van buren", "verhuizing regelen",
        "reparaties door woningcorporatie", "dreigende huisuitzetting"),
    ("Sociaal", "Huiselijke relaties"): (
        "ruzie met ex-partner", "spanningen in huis", "scheiding loopt", "omgangsregeling kinderen",
        "relatieproblemen", "zorgen over huiselijk geweld"),
    ("Sociaal", "Opvoeding"): (
        "hulp bij opvoeding", "puber luistert niet", "grenzen stellen", "zorgen over ontwikkeling kind",
        "kind spijbelt", "opvoedondersteuning gevraagd", "zoon heeft driftbuien"),
    ("Sociaal", "Sociaal netwerk"): (
        "eenzaam", "kent niemand in de wijk", "geen familie in de buurt", "wil nieuwe mensen leren kennen",
        "zit veel alleen thuis", "weinig steun van familie"),
    ("Participatie", "Algemene dagelijkse levensvaardigheden (ADL)"): (
        "huishouden op orde", "dagritme opbouwen", "hulp bij boodschappen en koken", "afspraken nakomen",
        "structuur in de week"),
    ("Participatie", "Nederlandse taal"): (
        "taalles", "wil beter Nederlands leren", "taalcursus zoeken", "inburgering afronden",
        "taalmaatje gezocht"),
    ("Participatie", "Werk"): (
        "wil graag werk", "sollicitatiebrief schrijven", "werk zoeken", "cv maken",
        "baan vinden naast de kinderen", "werkervaringsplek"),
    ("Participatie", "Opleiding"): (
        "opleiding afmaken", "mbo-opleiding zoeken", "diploma laten erkennen", "cursus volgen",
        "studiefinanciering aanvragen"),
    ("Participatie", "Daginvulling kind"): (
        "sport voor de kinderen", "zwemles kind", "kind zit veel thuis", "huiswerkbegeleiding",
        "vakantieactiviteiten kinderen", "muziekles", "kinderopvang regelen"),
    ("Participatie", "Daginvulling ouder"): (
        "zinvolle dagbesteding", "vrijwilligerswerk zoeken", "meer onder de mensen komen",
        "wil iets doen overdag", "activiteit in het buurthuis", "naar de vrouwengroep"),
    ("Overig", "Juridisch"): (
        "advocaat nodig", "rechtszaak over voogdij", "juridisch advies", "bezwaar maken tegen besluit"),
    ("Overig", "Verblijfsstatus"): (
        "verblijfsvergunning", "naturalisatie aanvragen", "verlenging verblijfsdocument", "gezinshereniging"),
    ("Overig", "Zingeving"): (
        "zoekt steun in geloof", "vragen over zingeving", "rouwverwerking", "behoefte aan gesprek met pastor"),
}

# -- calibration (DOMAIN §3.3): families per duration class at the peildatum --------------------
DURATION_EDGES_MONTHS = (0, 6, 12, 18, 24, 36)
PUBLISHED_DURATION = {  # bucket label -> (afgerond, lopend)
    "0-6": (16, 30), "6-12": (21, 46), "12-18": (13, 26), "18-24": (12, 21), "24-36": (7, 21),
}
PUBLISHED_FAMILIES = 213
END_REASONS = (  # (reason, share of afgerond)
    ("doelen bereikt", 0.55), ("doorverwezen", 0.15), ("onvoldoende medewerking/onbereikbaar", 0.15),
    ("verhuisd", 0.10), ("maximale duur", 0.05),
)

# -- calibration (DOMAIN §3.5) ------------------------------------------------------------------
COMPOSITION = (("eenouder", 0.69), ("tweeouder", 0.31))
CHILDREN = ((1, 0.30), (2, 0.32), (3, 0.22), (4, 0.10), (5, 0.06))
DEBTS_YES, DEBTS_UNKNOWN = 0.55, 0.09
# Beheersing Nederlandse taal of the parent with most contact: a third of the known levels hampered
# (matig + slecht). Drawn after everything else with a generator of its own (`_language`), so every
# other sample value is exactly what it was before the taal column existed.
LANGUAGE_SUBSEED = 300  # np.random.default_rng([seed, LANGUAGE_SUBSEED]); the written forms use 301, 302, ...
LANGUAGE = (("goed", 0.40), ("voldoende", 0.27), ("matig", 0.21), ("slecht", 0.12))  # of the known levels
LANGUAGE_UNKNOWN, LANGUAGE_EMPTY = 0.08, 0.05  # "onbekend" written; left empty
LANGUAGE_REQUEST_BONUS = 0.5  # a family that asks for help with Nederlandse taal is more often hampered

# -- calibration (DOMAIN §3.3): the funnel aanmelding → intake → begeleiding → resultaat, carried by F only.
# Every F family reached intake (its start date is the aanmelding or intake); about 90% went on to
# begeleiding; of those afgerond after begeleiding about 70% geslaagd. Drawn with a generator of its own
# (`_funnel`), so every other sample value is exactly what it was before the Fase and Resultaat columns existed.
FUNNEL_SUBSEED = 400  # np.random.default_rng([seed, FUNNEL_SUBSEED])
FUNNEL_INTAKE_ONLY = 0.10  # of all families: stopped or still waiting after the intake
FUNNEL_GESLAAGD = 0.70  # of the afgerond families that reached begeleiding
FUNNEL_EARLY_EXIT = ("onvoldoende medewerking/onbereikbaar", "doorverwezen")  # reasons that fit a stop after intake
FUNNEL_RECENT_DAYS = 92  # a lopend family this new may not have started begeleiding yet
CARRIES_FUNNEL = ("F",)

# -- calibration (DOMAIN §3.2): latest voortgangsscore 1..5 per leefgebied ----------------------
LATEST_SCORES: dict[str, tuple[float, float, float, float, float]] = {
    "Financiën": (0.02, 0.04, 0.30, 0.38, 0.26),
    "Gezondheid": (0.02, 0.05, 0.32, 0.36, 0.25),
    "Wonen": (0.08, 0.12, 0.27, 0.31, 0.22),
    "Sociaal": (0.01, 0.03, 0.42, 0.34, 0.20),
    "Participatie": (0.02, 0.04, 0.31, 0.37, 0.26),
    "Overig": (0.02, 0.05, 0.30, 0.37, 0.26),
}
EARLIER_LOWER_SHARE = 0.6  # earlier moment = latest - 1 for this share, else equal

# -- calibration (DOMAIN §3.4): hours per week (mean at intake, mean later, share applying) -----
HOURS_FAMILY_SHARE = 0.40
HOURS: dict[str, tuple[float, float, float, float, float]] = {
    # type: (mean start, mean latest, share applying at start, at latest, share explicit 0 at latest)
    "Gesprekken met gezin": (1.5, 0.83, 1.0, 1.0, 0.04),
    "Regelzaken": (4.08, 0.92, 1.0, 1.0, 0.06),
    "Praktische steun": (0.92, 0.83, 1.0, 1.0, 0.12),
    "Ondersteuning door maatje": (4.5, 1.9, 0.2, 0.4, 0.0),
    "Groepsactiviteit ouder": (1.6, 1.5, 0.4, 0.6, 0.0),
    "Groepsactiviteit kind": (1.0, 2.5, 0.1, 0.3, 0.0),
    "Vrijwilligerswerk ouder": (8.0, 3.3, 0.1, 0.8, 0.0),
}


# -- helpers ------------------------------------------------------------------------------------
def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5 + 1e-9))


def _exact_counts(n: int, weights) -> np.ndarray:
    """Split n over the weights by largest remainder, so shares come out as exactly as n allows."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * n
    counts = np.floor(raw).astype(int)
    rest = n - int(counts.sum())
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


def _exact_choice(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    """n option indices in exactly the given proportions, shuffled."""
    values = np.repeat(np.arange(len(weights)), _exact_counts(n, weights))
    rng.shuffle(values)
    return values


def _days(d: dt.date) -> np.datetime64:
    return np.datetime64(d, "D")


def whole_months(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Complete calendar months between two datetime64[D] arrays (as gezinsmonitor.metrics)."""
    s, e = pd.DatetimeIndex(start), pd.DatetimeIndex(end)
    months = (e.year - s.year) * 12 + (e.month - s.month) - (e.day < s.day).astype(int)
    return np.asarray(months, dtype=int)


def _bucket_of(months: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(DURATION_EDGES_MONTHS[1:]), months, side="right")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", tx.normalise_label(name)).strip("_")


def sample_file_name(organisation: str) -> str:
    return f"voorbeeld_{slug(organisation)}.xlsx"


# -- trajectories -------------------------------------------------------------------------------
def _assign_organisations(rng, durations: np.ndarray, windows: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each family to an organisation whose window (peildatum - its start) fits the duration,
    weighted by remaining capacity; longest trajectories first so they always find a place."""
    if len(sizes) == 1:
        return np.zeros(len(durations), dtype=int)
    org = np.empty(len(durations), dtype=int)
    remaining = sizes.astype(float).copy()
    for i in np.argsort(-durations, kind="stable"):
        weights = remaining * (windows >= durations[i] + EDGE_MARGIN_DAYS)
        if weights.sum() <= 0:
            raise RuntimeError("Geen organisatie met ruimte voor dit traject.")
        j = rng.choice(len(sizes), p=weights / weights.sum())
        org[i] = j
        remaining[j] -= 1
    return org


def _trajectories(rng, orgs: tuple[OrgSpec, ...], sizes: np.ndarray, peil: dt.date) -> dict[str, np.ndarray]:
    n = int(sizes.sum())
    peil_d = _days(peil)
    labels = list(PUBLISHED_DURATION)
    cells = [PUBLISHED_DURATION[b][0] for b in labels] + [PUBLISHED_DURATION[b][1] for b in labels]
    counts = _exact_counts(n, cells) if n != PUBLISHED_FAMILIES else np.asarray(cells)
    done = np.repeat(np.array([True] * len(labels) + [False] * len(labels)), counts)
    bucket = np.repeat(np.tile(np.arange(len(labels)), 2), counts)
    perm = rng.permutation(n)
    done, bucket = done[perm], bucket[perm]

    org_start = np.array([_days(o.start) for o in orgs])
    windows = (peil_d - org_start).astype(int)  # days an organisation can have been supporting a family
    edges = np.asarray(DURATION_EDGES_MONTHS, dtype=float) * DAYS_PER_MONTH
    lo = np.maximum(edges[bucket] + EDGE_MARGIN_DAYS, MIN_DURATION_DAYS)
    hi = np.minimum(edges[bucket + 1], windows.max()) - EDGE_MARGIN_DAYS
    if np.any(hi <= lo):
        raise RuntimeError("De organisaties zijn te jong voor de gevraagde trajectduur.")
    duration = np.floor(rng.uniform(lo, hi)).astype(int)
    org = _assign_organisations(rng, duration, windows, sizes)
    hi = np.minimum(hi, windows[org] - EDGE_MARGIN_DAYS)

    start = np.empty(n, dtype="datetime64[D]")
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    todo = np.ones(n, dtype=bool)
    for attempt in range(100):  # redraw the rare family whose calendar months miss its class
        idx = np.flatnonzero(todo)
        if idx.size == 0:
            break
        if attempt > 0:
            duration[idx] = np.floor(rng.uniform(lo[idx], hi[idx] + 1)).astype(int)
        slack = windows[org[idx]] - duration[idx]
        offset = np.floor(rng.random(idx.size) * (slack + 1)).astype(int)
        s = np.where(done[idx], org_start[org[idx]] + offset, peil_d - duration[idx])
        start[idx] = s
        end[idx] = np.where(done[idx], s + duration[idx], np.datetime64("NaT"))
        until = np.where(done[idx], end[idx], peil_d)
        todo[idx] = _bucket_of(whole_months(start[idx], until)) != bucket[idx]
    else:
        raise RuntimeError("Trajectduur past niet in de klassen.")

    # End reasons: maximale duur only for long trajectories, the rest shuffled in exact shares.
    reasons = np.full(n, None, dtype=object)
    done_idx = np.flatnonzero(done)
    names = [r for r, _ in END_REASONS]
    reason_idx = _exact_choice(rng, done_idx.size, [w for _, w in END_REASONS])
    max_i = names.index("maximale duur")
    n_max = int((reason_idx == max_i).sum())
    long_pos = np.flatnonzero(duration[done_idx] >= 18 * DAYS_PER_MONTH)
    chosen = rng.choice(long_pos, size=min(n_max, long_pos.size), replace=False) if n_max else np.array([], int)
    others = reason_idx[reason_idx != max_i]
    rest_pos = np.setdiff1d(np.arange(done_idx.size), chosen)
    fill = np.concatenate([others, np.full(rest_pos.size - others.size, names.index("doelen bereikt"))])
    reason_idx = np.empty(done_idx.size, dtype=int)
    reason_idx[chosen] = max_i
    reason_idx[rest_pos] = fill
    reasons[done_idx] = np.array(names, dtype=object)[reason_idx]
    return {"org": org, "done": done, "duration": duration, "start": start, "end": end, "end_reason": reasons}


# -- help requests ------------------------------------------------------------------------------
def _profile_weights(orgs: tuple[OrgSpec, ...], org: np.ndarray, keys: tuple[str | None, ...]) -> np.ndarray:
    factor = np.ones(len(orgs))
    for j, o in enumerate(orgs):
        for key, mult in o.needs_profile:
            if key in keys:
                factor[j] *= mult
    return factor[org]


def _requests(rng, orgs, tr: dict[str, np.ndarray], peil: dt.date) -> dict[str, np.ndarray]:
    n = len(tr["org"])
    picks: list[tuple[int, np.ndarray]] = []  # (NEEDS row, selected families)
    has_any = np.zeros(n, dtype=bool)
    # Financiën last: families without any other request are always among its 79%.
    order = [i for i, row in enumerate(NEEDS) if row[0] != "Financiën"] + \
            [i for i, row in enumerate(NEEDS) if row[0] == "Financiën"]
    for i in order:
        lg, share, cats = NEEDS[i]
        k = _round_half_up(share * n)
        w = _profile_weights(orgs, tr["org"], (lg,) + tuple(c for c, _ in cats if len(cats) == 1))
        if lg == "Financiën":
            forced = np.flatnonzero(~has_any)
            if forced.size > k:
                raise RuntimeError("Te veel gezinnen zonder hulpvraag.")
            w = w.copy()
            w[forced] = 0
            rest = rng.choice(n, size=k - forced.size, replace=False, p=w / w.sum())
            chosen = np.concatenate([forced, rest])
        else:
            chosen = rng.choice(n, size=k, replace=False, p=w / w.sum())
        has_any[chosen] = True
        picks.append((i, np.sort(chosen)))
    picks.sort(key=lambda p: p[0])

    fam, lg_col, cat_col, label_col = [], [], [], []
    for i, chosen in picks:
        lg, _, cats = NEEDS[i]
        cat_idx = _exact_choice(rng, chosen.size, [w for _, w in cats])
        cat_names = np.array([c for c, _ in cats], dtype=object)[cat_idx]
        labels = np.empty(chosen.size, dtype=object)
        for j, (cat, _) in enumerate(cats):
            sel = cat_idx == j
            options = np.array(LABELS[(lg, cat)], dtype=object)
            labels[sel] = options[rng.integers(0, options.size, int(sel.sum()))]
        fam.append(chosen)
        lg_col.append(np.full(chosen.size, lg, dtype=object))
        cat_col.append(cat_names)
        label_col.append(labels)
    fam_a = np.concatenate(fam)
    # Most requests are noted at intake; some come up later in the trajectory.
    until = np.where(tr["done"], tr["end"], _days(peil))
    span = (until - tr["start"]).astype(int)[fam_a]
    later = rng.random(fam_a.size) < 0.35
    offset = np.where(later, np.floor(rng.random(fam_a.size) * np.minimum(span, 180)).astype(int) + 1, 0)
    offset = np.minimum(offset, span)
    return {
        "fam": fam_a,
        "leefgebied": np.concatenate(lg_col),
        "categorie": np.concatenate(cat_col),
        "label": np.concatenate(label_col),
        "date": tr["start"][fam_a] + offset,
    }


# -- background ---------------------------------------------------------------------------------
def _background(rng, orgs, tr, rq) -> dict[str, np.ndarray]:
    n = len(tr["org"])
    composition = np.array([c for c, _ in COMPOSITION], dtype=object)[_exact_choice(rng, n, [w for _, w in COMPOSITION])]
    children = rng.choice(np.array([c for c, _ in CHILDREN]), size=n, p=np.array([w for _, w in CHILDREN]))
    # Two-parent families a bit larger on average.
    children = np.where((composition == "tweeouder") & (children < 5) & (rng.random(n) < 0.25), children + 1, children)
    # A "Schulden" request makes debts "ja"; the rest of the 55% at random.
    has_schulden = np.zeros(n, dtype=bool)
    has_schulden[rq["fam"][rq["categorie"] == "Schulden"]] = True
    priority = rng.random(n) + has_schulden
    ranked = np.argsort(-priority, kind="stable")
    debts = np.full(n, "nee", dtype=object)
    n_yes = _round_half_up(DEBTS_YES * n)
    debts[ranked[:n_yes]] = "ja"
    rest = ranked[n_yes:]
    debts[rng.choice(rest, size=min(_round_half_up(DEBTS_UNKNOWN * n), rest.size), replace=False)] = "onbekend"
    wijk = np.empty(n, dtype=object)
    for j, o in enumerate(orgs):
        sel = np.flatnonzero(tr["org"] == j)
        w = np.asarray(o.wijk_weights, dtype=float)
        wijk[sel] = np.array(o.wijken, dtype=object)[rng.choice(len(o.wijken), size=sel.size, p=w / w.sum())]
    return {"composition": composition, "children": children, "debts": debts, "wijk": wijk}


# -- progress -----------------------------------------------------------------------------------
def _progress(rng, tr, rq, peil: dt.date) -> dict[str, np.ndarray]:
    n = len(tr["org"])
    lg_index = {lg: j for j, lg in enumerate(LEEFGEBIEDEN)}
    has = np.zeros((n, len(LEEFGEBIEDEN)), dtype=bool)
    has[rq["fam"], np.array([lg_index[lg] for lg in rq["leefgebied"]], dtype=int)] = True

    # Who does well: goals reached and longer support help; no cooperation does not.
    propensity = rng.normal(size=n)
    reason = tr["end_reason"]
    propensity += np.where(reason == "doelen bereikt", 0.8, 0.0)
    propensity -= np.where(reason == "onvoldoende medewerking/onbereikbaar", 0.9, 0.0)
    propensity += 0.4 * np.minimum(tr["duration"] / (24 * DAYS_PER_MONTH), 1.0)
    latest = np.zeros(has.shape, dtype=int)
    for lg, j in lg_index.items():
        idx = np.flatnonzero(has[:, j])
        scores = np.repeat(np.arange(1, 6), _exact_counts(idx.size, LATEST_SCORES[lg]))
        key = propensity[idx] + rng.normal(scale=0.8, size=idx.size)
        latest[idx[np.argsort(key, kind="stable")], j] = scores
    lower = rng.random(has.shape) < EARLIER_LOWER_SHARE
    first = np.where(has, np.maximum(latest - lower, 1), 0)

    last_date = np.where(tr["done"], tr["end"], _days(peil))
    first_date = tr["start"] + PROGRESS_FIRST_AFTER_DAYS
    two = first_date < last_date
    k = len(LEEFGEBIEDEN)
    fam_first = np.flatnonzero(two)
    fam = np.concatenate([np.repeat(fam_first, k), np.repeat(np.arange(n), k)])
    lg = np.concatenate([np.tile(np.arange(k), fam_first.size), np.tile(np.arange(k), n)])
    score = np.concatenate([first[fam_first].ravel(), latest.ravel()])
    date = np.concatenate([np.repeat(first_date[fam_first], k), np.repeat(last_date, k)])
    return {"fam": fam, "lg": lg, "score": score, "date": date}


# -- hours --------------------------------------------------------------------------------------
def _hour_values(rng, n: int, mean: float, intensity: np.ndarray) -> np.ndarray:
    """n positive values rounded to 0.25 h whose mean is (close to) `mean`."""
    if n == 0:
        return np.zeros(0)
    base = rng.gamma(2.5, 1.0, size=n) * intensity
    scale = mean / base.mean()
    for _ in range(8):  # rounding shifts the mean; correct the scale a few times
        values = np.clip(np.round(base * scale * 4) / 4, 0.25, 60.0)
        scale *= mean / values.mean()
    return np.clip(np.round(base * scale * 4) / 4, 0.25, 60.0)


def _hours(rng, tr, peil: dt.date) -> dict[str, np.ndarray]:
    n = len(tr["org"])
    h = _round_half_up(HOURS_FAMILY_SHARE * n)
    fam = np.sort(rng.choice(n, size=h, replace=False))
    intensity = rng.lognormal(0.0, 0.35, size=h)
    types = list(HOURS)
    start_v = np.full((h, len(types)), np.nan)
    late_v = np.full((h, len(types)), np.nan)
    for j, t in enumerate(types):
        mean_start, mean_late, p_start, p_late, p_zero = HOURS[t]
        n_late = _round_half_up(p_late * h)
        late_set = rng.permutation(h)[:n_late]
        # Those who had it at intake mostly still have it later.
        n_start = _round_half_up(p_start * h)
        start_set = late_set[:n_start] if n_start <= n_late else rng.permutation(h)[:n_start]
        start_v[start_set, j] = _hour_values(rng, start_set.size, mean_start, intensity[start_set])
        n_zero = _round_half_up(p_zero * late_set.size)
        zero, nonzero = late_set[:n_zero], late_set[n_zero:]
        if nonzero.size:
            target = mean_late * late_set.size / nonzero.size  # zeros count in the mean
            late_v[nonzero, j] = _hour_values(rng, nonzero.size, target, intensity[nonzero])
        late_v[zero, j] = 0.0
    last_date = np.where(tr["done"], tr["end"], _days(peil))
    k = len(types)
    fam_rows = np.concatenate([np.repeat(fam, k), np.repeat(fam, k)])
    dates = np.concatenate([np.repeat(tr["start"][fam], k), np.repeat(last_date[fam], k)])
    type_idx = np.concatenate([np.tile(np.arange(k), h), np.tile(np.arange(k), h)])
    values = np.concatenate([start_v.ravel(), late_v.ravel()])
    return {"fam": fam_rows, "date": dates, "type": type_idx, "hours": values}


# -- assembly -----------------------------------------------------------------------------------
def _timestamps(values: np.ndarray) -> pd.Series:
    return pd.Series(pd.to_datetime(values.astype("datetime64[ns]")))


def _simulate(orgs: tuple[OrgSpec, ...], sizes: np.ndarray, seed: int, peil: dt.date) -> dict[str, dict]:
    """The calibrated draw as arrays (one rng, always in this order)."""
    rng = np.random.default_rng(seed)
    tr = _trajectories(rng, orgs, sizes, peil)
    rq = _requests(rng, orgs, tr, peil)
    bg = _background(rng, orgs, tr, rq)
    pr = _progress(rng, tr, rq, peil)
    hr = _hours(rng, tr, peil)
    return {"tr": tr, "rq": rq, "bg": bg, "pr": pr, "hr": hr}


def _assemble(sim: dict[str, dict], names: list[str], prefixes: list[str], org: np.ndarray,
              wijk: np.ndarray) -> dict[str, dict[str, pd.DataFrame]]:
    """Common-model frames per organisation; `org` indexes `names`/`prefixes` per family."""
    tr, rq, bg, pr, hr = sim["tr"], sim["rq"], sim["bg"], sim["pr"], sim["hr"]
    n = len(tr["org"])

    # Family codes per organisation, numbered in order of start date.
    codes = np.empty(n, dtype=object)
    rank = np.empty(n, dtype=int)  # global sort key: organisation, then number
    for j, prefix in enumerate(prefixes):
        sel = np.flatnonzero(org == j)
        sel = sel[np.argsort(tr["start"][sel], kind="stable")]
        width = max(3, len(str(sel.size)))
        codes[sel] = [f"{prefix}-{k:0{width}d}" for k in range(1, sel.size + 1)]
        rank[sel] = np.arange(sel.size)

    families = pd.DataFrame({
        "_org": org, "_rank": rank,
        "family": codes,
        "start": _timestamps(tr["start"]),
        "end": _timestamps(tr["end"]),
        "status": np.where(tr["done"], tx.STATUS_AFGEROND, tx.STATUS_LOPEND).astype(object),
        "end_reason": tr["end_reason"],
        "composition": bg["composition"],
        "children": bg["children"].astype(int),
        "wijk": wijk,
        "debts": bg["debts"],
    })
    lg_order = {lg: j for j, lg in enumerate(LEEFGEBIEDEN)}
    requests = pd.DataFrame({
        "_org": org[rq["fam"]], "_rank": rank[rq["fam"]],
        "family": codes[rq["fam"]],
        "label": rq["label"],
        "leefgebied": rq["leefgebied"],
        "categorie": rq["categorie"],
        "date": _timestamps(rq["date"]),
        "_lg": [lg_order[lg] for lg in rq["leefgebied"]],
    })
    score = np.full(pr["score"].size, NVT, dtype=object)
    scored = pr["score"] > 0
    score[scored] = pr["score"][scored].astype(int).astype(object)
    progress = pd.DataFrame({
        "_org": org[pr["fam"]], "_rank": rank[pr["fam"]], "_lg": pr["lg"],
        "family": codes[pr["fam"]],
        "date": _timestamps(pr["date"]),
        "leefgebied": np.array(LEEFGEBIEDEN, dtype=object)[pr["lg"]],
        "score": score,
    })
    hours_val = np.full(hr["hours"].size, NVT, dtype=object)
    applies = ~np.isnan(hr["hours"])
    hours_val[applies] = hr["hours"][applies].astype(object)
    hours = pd.DataFrame({
        "_org": org[hr["fam"]], "_rank": rank[hr["fam"]], "_lg": hr["type"],
        "family": codes[hr["fam"]],
        "date": _timestamps(hr["date"]),
        "support_type": np.array(tx.SUPPORT_TYPE_NAMES, dtype=object)[hr["type"]],
        "hours": hours_val,
    })

    sort_keys = {
        "families": ["_rank"],
        "requests": ["_rank", "date", "_lg"],
        "progress": ["_rank", "date", "_lg"],
        "hours": ["_rank", "date", "_lg"],
    }
    frames = {"families": families, "requests": requests, "progress": progress, "hours": hours}
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for j, name in enumerate(names):
        sheets = {}
        for key, frame in frames.items():
            part = frame[frame["_org"] == j].sort_values(sort_keys[key], kind="stable")
            part = part.drop(columns=[c for c in part.columns if c.startswith("_")])
            sheets[key] = part.reset_index(drop=True)
        out[name] = sheets
    return out


def _build(orgs: tuple[OrgSpec, ...], sizes: np.ndarray, seed: int, peil: dt.date) -> dict[str, dict[str, pd.DataFrame]]:
    sim = _simulate(orgs, sizes, seed, peil)
    return _assemble(sim, [o.name for o in orgs], [o.prefix for o in orgs], sim["tr"]["org"], sim["bg"]["wijk"])


# -- the six sample organisations ---------------------------------------------------------------
@dataclass(frozen=True)
class SampleOrganisation:
    letter: str  # A–F: the layout in the brief
    name: str
    prefix: str  # family codes: PREFIX-001
    layout: str  # key into LAYOUTS
    size: int
    wijken: tuple[str, ...]
    wijk_weights: tuple[float, ...]


# Sizes in the spirit of DOMAIN §2: one large organisation and several of 20–30 families.
ORGANISATIONS: tuple[SampleOrganisation, ...] = (
    SampleOrganisation("A", "Buurtkracht Noord", "BN", "vrije tekst", 24,
                       ("Oude Noorden", "Zevenkamp"), (0.7, 0.3)),
    SampleOrganisation("B", "Huiskamer Het Anker", "HA", "vinkjes", 22,
                       ("Delfshaven", "Nieuwe Westen"), (0.6, 0.4)),
    SampleOrganisation("C", "Stichting Thuisfront", "TF", "eigen codes", 70,
                       ("Charlois", "Carnisse", "Katendrecht"), (0.45, 0.35, 0.20)),
    SampleOrganisation("D", "Wijkpost De Overkant", "WO", "zrm", 25,
                       ("Middelland", "Nieuwe Westen"), (0.55, 0.45)),
    SampleOrganisation("E", "Stichting Naast Elkaar", "NE", "contactlog", 26,
                       ("Beverwaard", "Charlois", "Zevenkamp"), (0.5, 0.3, 0.2)),
    SampleOrganisation("F", "Stichting Samen Verder", "SV", "registratieformat", 46,
                       ("Carnisse", "Delfshaven", "Beverwaard"), (0.4, 0.35, 0.25)),
)
ORGANISATION_BY_NAME = {o.name: o for o in ORGANISATIONS}

# One Dutch sentence per layout (shown in the UI as the showcase).
LAYOUTS: dict[str, str] = {
    "vrije tekst": "Eén blad per aanmeldjaar met een titel boven de kopregel, datums als echte datum, als tekst of "
                   "alleen als maand, de gezinssituatie en de beheersing van het Nederlands in eigen woorden en alle "
                   "hulpvragen van een gezin als vrije tekst in één cel, plus een breed blad Voortgang met één kolom "
                   "per leefgebied.",
    "vinkjes": "Eén blad Gezinnen met een kopregel over twee rijen (samengevoegde cellen per leefgebied) en per "
               "categorie een vinkje (x, ja, 1 of ✓) plus het taalniveau, en een blad Inzet met één kolom per soort "
               "steun en moment (start of nu) waarin de uren als tekst staan, zoals '1,5 uur', '45 minuten' of "
               "'8 a 10 uur'.",
    "eigen codes": "Een lang formaat met eigen codes: een blad Cliënten, één rij per hulpvraag met een code als "
                   "FIN-SCH die op het blad Codes wordt uitgelegd, en één rij per meting en leefgebied.",
    "zrm": "Hulpvragen per ZRM-domein met een korte omschrijving en de Zelfredzaamheid-Matrix per meetmoment op "
           "eigen bladen (ZRM T0, T1, T2) in plaats van een voortgangsscore, zonder uren.",
    "contactlog": "Trajecten met datums als tekst en genummerde hulpvraagkolommen, een contactlog met datum, duur en "
                  "soort contact in plaats van uren per week, en de ernst van problemen (geen tot zwaar) per "
                  "indicator en eenheid op T0 tot en met T3.",
    "registratieformat": "Het gemeenschappelijke registratieformat van de Gezinsmonitor, ingevuld zoals bedoeld.",
}


def layout_of(organisation: str) -> str:
    """The layout key of a sample organisation (`LAYOUTS[layout_of(name)]` is its sentence).
    KeyError for an organisation that is not one of the samples."""
    return ORGANISATION_BY_NAME[organisation].layout


# -- redistribution over the six organisations --------------------------------------------------
MONTH_ONLY_FAMILIES = 3  # A: start written as "Oktober 2024" (about 10% of its families)
CARRIES_PROGRESS = ("A", "C", "F")  # voortgangsscore in the layout
CARRIES_WEEKLY_HOURS = ("B", "F")  # weekly hours (all seven support types)
CONTACT_SUPPORT_TYPES = ("Gesprekken met gezin", "Regelzaken", "Praktische steun", "Ondersteuning door maatje")
REDISTRIBUTION_STEPS = 6000
B_EXPLICIT_ZERO_FAMILIES = 2  # B's Inzet shows an explicit 0 next to n.v.t.


def _first_of_month(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype("datetime64[D]")


def _family_facts(sim: dict[str, dict]) -> dict[str, np.ndarray]:
    """What the redistribution looks at, per family of the calibrated draw."""
    tr, pr, hr = sim["tr"], sim["pr"], sim["hr"]
    n = len(tr["org"])
    until = np.where(tr["done"], tr["end"], _days(PEILDATUM))
    months = whole_months(tr["start"], until)
    latest = np.zeros((n, len(LEEFGEBIEDEN)), dtype=int)  # latest voortgangsscore, 0 = n.v.t.
    for i in np.argsort(pr["date"], kind="stable"):  # the later measurement overwrites the earlier one
        latest[pr["fam"][i], pr["lg"][i]] = pr["score"][i]
    k = len(tx.SUPPORT_TYPE_NAMES)
    start_h = np.full((n, k), np.nan)
    late_h = np.full((n, k), np.nan)
    first = hr["date"] == tr["start"][hr["fam"]]
    start_h[hr["fam"][first], hr["type"][first]] = hr["hours"][first]
    late_h[hr["fam"][~first], hr["type"][~first]] = hr["hours"][~first]
    has_hours = np.zeros(n, dtype=bool)
    has_hours[hr["fam"]] = True
    day = (tr["start"] - _first_of_month(tr["start"])).astype(int) + 1
    month_safe = _bucket_of(whole_months(_first_of_month(tr["start"]), until)) == _bucket_of(months)
    return {"months": months, "latest": latest, "start_h": start_h, "late_h": late_h, "has_hours": has_hours,
            "day": day, "month_safe": month_safe}


def _redistribute(sim: dict[str, dict], seed: int) -> np.ndarray:
    """Organisation (index into ORGANISATIONS) per family.

    Hard rules: weekly-hours families only where hours have a place (B, E, F; E takes only families whose
    hours a contact log can carry: maatje both times or never, something left at the later moment, at least
    3 trajectory months); families without hours to A, C, D (and F); A gets MONTH_ONLY_FAMILIES families that
    start on the 1st–3rd without changing duration class when read as the 1st of the month.
    Soft: a local search (fixed rng) keeps the voortgang picture of the organisations that carry it (A, C, F),
    the participation hours of B and F and the professional hours of E (its contact log shows the drop
    after intake) as close as possible to the whole draw, and gives B families with an explicit 0."""
    facts = _family_facts(sim)
    n = facts["months"].size
    letters = [o.letter for o in ORGANISATIONS]
    L = {x: j for j, x in enumerate(letters)}
    size = {o.letter: o.size for o in ORGANISATIONS}
    if sum(size.values()) != n:
        raise RuntimeError("De organisatiegroottes tellen niet op tot het aantal gezinnen.")
    rng = np.random.default_rng([seed, 6])
    H = facts["has_hours"]
    start_h, late_h = facts["start_h"], facts["late_h"]
    maatje = tx.SUPPORT_TYPE_NAMES.index("Ondersteuning door maatje")
    contact_idx = [tx.SUPPORT_TYPE_NAMES.index(t) for t in CONTACT_SUPPORT_TYPES]
    with np.errstate(invalid="ignore"):
        later_left = np.nan_to_num(late_h[:, contact_idx], nan=0.0).max(axis=1) > 0
    e_ok = H & (facts["months"] >= 3) & (np.isnan(start_h[:, maatje]) == np.isnan(late_h[:, maatje])) & later_left

    month_only = np.flatnonzero(~H & (facts["day"] <= 3) & facts["month_safe"])
    month_only = month_only[np.lexsort((rng.random(month_only.size), facts["day"][month_only]))][:MONTH_ONLY_FAMILIES]
    if month_only.size < MONTH_ONLY_FAMILIES:
        raise RuntimeError("Te weinig gezinnen voor een aanmelddatum als maand.")

    org = np.full(n, -1, dtype=int)
    org[month_only] = L["A"]
    fixed = np.zeros(n, dtype=bool)
    fixed[month_only] = True
    hours_fam = rng.permutation(np.flatnonzero(H))
    e_pick = [i for i in hours_fam if e_ok[i]][:size["E"]]
    org[e_pick] = L["E"]
    rest = [i for i in hours_fam if org[i] < 0]
    org[rest[:size["B"]]] = L["B"]
    org[rest[size["B"]:]] = L["F"]
    no_hours = [i for i in rng.permutation(np.flatnonzero(~H)) if org[i] < 0]
    for letter in ("F", "A", "C", "D"):
        need = size[letter] - int((org == L[letter]).sum())
        org[no_hours[:need]] = L[letter]
        no_hours = no_hours[need:]
    if (org < 0).any() or any(int((org == L[x]).sum()) != size[x] for x in letters):
        raise RuntimeError("Herverdeling past niet.")

    latest = facts["latest"]
    target = np.array([LATEST_SCORES[lg] for lg in LEEFGEBIEDEN])
    part_idx = [j for j, t in enumerate(tx.SUPPORT_TYPE_NAMES) if tx.SUPPORT_TYPES[t] == tx.PARTICIPATION]
    part = np.concatenate([start_h[:, part_idx], late_h[:, part_idx]], axis=1)
    part_all = np.nanmean(part[H], axis=0)
    prof_idx = [tx.SUPPORT_TYPE_NAMES.index(t) for t in tx.PROFESSIONAL_TYPES]
    prof = np.concatenate([start_h[:, prof_idx], late_h[:, prof_idx]], axis=1)
    prof_all = np.nanmean(prof[H], axis=0)
    explicit_zero = np.nan_to_num(late_h, nan=1.0).min(axis=1) == 0  # a "0" later, not n.v.t.
    progress_orgs = np.array([L[x] for x in CARRIES_PROGRESS])
    weekly_orgs = np.array([L[x] for x in CARRIES_WEEKLY_HOURS])

    def objective(o: np.ndarray) -> float:
        carried = np.isin(o, progress_orgs)
        total = 0.0
        for j in range(latest.shape[1]):
            s = latest[carried, j]
            counts = np.bincount(s[s > 0], minlength=6)[1:]
            total += float(((counts / counts.sum() - target[j]) ** 2).sum())
        weekly = np.isin(o, weekly_orgs)
        means = np.nanmean(part[weekly], axis=0)
        total += 0.01 * float((((means - part_all) / part_all) ** 2).sum())
        e_means = np.nanmean(prof[o == L["E"]], axis=0)  # E's contact log shows the drop as the whole draw
        total += 0.02 * float((((e_means - prof_all) / prof_all) ** 2).sum())
        return total + max(0, B_EXPLICIT_ZERO_FAMILIES - int(explicit_zero[o == L["B"]].sum()))

    best = objective(org)
    for _ in range(REDISTRIBUTION_STEPS):
        move = rng.integers(3)
        if move == 0:  # a family without hours: voortgang carried (A, C, F) <-> not (D)
            left = np.flatnonzero(~H & ~fixed & np.isin(org, progress_orgs))
            right = np.flatnonzero(org == L["D"])
        elif move == 1:  # an hours family: F <-> B or E
            left = np.flatnonzero(H & (org == L["F"]))
            right = np.flatnonzero(np.isin(org, [L["B"], L["E"]]))
        else:  # B <-> E
            left = np.flatnonzero(org == L["B"])
            right = np.flatnonzero(org == L["E"])
        i, j = int(rng.choice(left)), int(rng.choice(right))
        if (org[j] == L["E"] and not e_ok[i]) or (org[i] == L["E"] and not e_ok[j]):
            continue
        trial = org.copy()
        trial[i], trial[j] = org[j], org[i]
        value = objective(trial)
        if value < best:
            org, best = trial, value
    return org


def _wijken(org: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 7])
    wijk = np.empty(org.size, dtype=object)
    for j, o in enumerate(ORGANISATIONS):
        sel = np.flatnonzero(org == j)
        w = np.asarray(o.wijk_weights, dtype=float)
        wijk[sel] = np.array(o.wijken, dtype=object)[rng.choice(len(o.wijken), size=sel.size, p=w / w.sum())]
    return wijk


# -- how the organisations write things -------------------------------------------------------------
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december")
ADL = "Algemene dagelijkse levensvaardigheden (ADL)"

# A: free-text requests. Each phrase is about exactly one categorie; none contains "," or ";" (the
# separators inside a cell). At least three phrasings per categorie.
A_PHRASES: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("Financiën", "Schulden"): ("schulden door scheiding", "deurwaarder aan de deur", "aanmelden schuldhulpverlening",
                                "achterstand zorgverzekering", "veel openstaande rekeningen"),
    ("Financiën", "Geen overzicht/administratie"): ("brieven van de belastingdienst", "post stapelt zich op",
                                                    "geen overzicht in de administratie", "hulp bij formulieren",
                                                    "toeslagen aanvragen"),
    ("Financiën", "Acute nood"): ("lege koelkast", "dreigende afsluiting van gas en licht", "geen geld voor eten",
                                  "noodpakket voedselbank"),
    ("Financiën", "Materiële tekorten"): ("bed voor de kinderen nodig", "laptop nodig", "fiets nodig",
                                          "geen winterkleding voor de kinderen", "wasmachine kapot"),
    ("Gezondheid", "Lichamelijk"): ("rugklachten", "geen huisarts", "kiespijn maar tandarts te duur",
                                    "lichamelijke klachten", "chronisch ziek"),
    ("Gezondheid", "Psychisch"): ("somber", "veel stress", "angstklachten", "wacht op ggz",
                                  "slaapt slecht door piekeren"),
    ("Gezondheid", "Verslaving"): ("alcoholprobleem", "gokverslaving", "drugsgebruik partner",
                                   "wil stoppen met drinken"),
    ("Wonen", None): ("urgentie aanvragen", "schimmel in de woning", "woning te klein", "zoekt andere woning",
                      "dreigende huisuitzetting"),
    ("Sociaal", "Huiselijke relaties"): ("ruzie met ex", "spanningen thuis", "scheiding loopt", "omgangsregeling",
                                         "relatieproblemen"),
    ("Sociaal", "Opvoeding"): ("hulp bij opvoeding", "puber luistert niet", "grenzen stellen bij de kinderen",
                               "opvoedvragen", "zoon heeft driftbuien"),
    ("Sociaal", "Sociaal netwerk"): ("eenzaam", "kent niemand in de wijk", "geen familie in de buurt",
                                     "weinig mensen om op terug te vallen"),
    ("Participatie", ADL): ("dagritme opbouwen", "structuur in de dag", "afspraken nakomen lukt niet",
                            "koken en schoonmaken lukt niet"),
    ("Participatie", "Nederlandse taal"): ("taalles", "wil beter Nederlands leren", "inburgering", "taalmaatje"),
    ("Participatie", "Werk"): ("wil graag werk", "cv maken", "sollicitatiebrief schrijven", "zoekt een baan"),
    ("Participatie", "Opleiding"): ("opleiding afmaken", "mbo-opleiding zoeken", "diploma laten erkennen",
                                    "wil een cursus volgen voor zichzelf"),
    ("Participatie", "Daginvulling kind"): ("zoon zit thuis (geen school)", "sport voor de kinderen",
                                            "zwemles voor dochter", "kinderen vervelen zich na school"),
    ("Participatie", "Daginvulling ouder"): ("zinvolle dagbesteding voor zichzelf", "vrijwilligerswerk zoeken",
                                             "wil iets doen overdag", "naar de vrouwengroep"),
    ("Overig", "Juridisch"): ("advocaat nodig", "juridisch advies", "bezwaar maken tegen besluit",
                              "rechtszaak over voogdij"),
    ("Overig", "Verblijfsstatus"): ("verblijfsvergunning", "naturalisatie", "gezinshereniging",
                                    "verlenging verblijfsdocument"),
    ("Overig", "Zingeving"): ("zingeving", "rouwverwerking", "steun zoeken in geloof",
                              "vragen over de zin van het leven"),
}
A_SEPARATORS = ((", ", 0.45), ("; ", 0.30), ("\n", 0.25))
A_SITUATION = {
    "eenouder": ("alleenstaande moeder", "eenoudergezin", "moeder met {kinderen}", "alleenstaande vader",
                 "vader met {kinderen}"),
    "tweeouder": ("twee ouders", "ouders samen", "vader en moeder", "ouders met {kinderen}"),
}
A_END_REASONS = {
    "doelen bereikt": ("doelen bereikt", "doelen behaald", "afgerond met doelen bereikt"),
    "doorverwezen": ("doorverwezen", "doorverwezen naar wijkteam", "doorverwezen naar specialistische hulp"),
    "onvoldoende medewerking/onbereikbaar": ("niet meer bereikbaar", "onvoldoende medewerking",
                                             "geen contact meer (onbereikbaar)"),
    "verhuisd": ("verhuisd", "verhuisd naar andere stad", "gezin is verhuisd"),
    "maximale duur": ("maximale duur bereikt", "max. termijn bereikt", "maximale duur"),
}
A_DEBTS_YES = (("ja", 0.7), ("ja (bewind)", 0.3))
A_RUNNING_END = (("", 0.4), ("(nog) niet van toepassing", 0.2), ("loopt nog", 0.2), ("naar verwachting", 0.2))
A_START_FORMS = (("datum", 0.7), ("tekst", 0.3))  # plus MONTH_ONLY_FAMILIES as "Oktober 2024"
A_YEARS = ("2024", "2025", "2026")
A_HEADERS = ("Dossiernummer", "Datum aanmelding", "Einddatum", "Reden afsluiting", "Gezinssituatie",
             "Aantal kinderen", "Wijk", "Schulden", "Hulpvragen")
A_PROGRESS_HEADERS = ("Dossiernummer", "Datum", *LEEFGEBIEDEN)
A_LANGUAGE_HEADER = "Beheersing Nederlands"  # the last column of every year sheet
A_LANGUAGE: dict[str, tuple[tuple[str, float], ...]] = {
    "goed": (("goed", 0.6), ("spreekt goed Nederlands", 0.4)),
    "voldoende": (("voldoende", 0.5), ("redelijk", 0.5)),
    "matig": (("matig", 0.5), ("een beetje", 0.2), ("matig (volgt taalles)", 0.3)),
    "slecht": (("slecht", 0.5), ("spreekt geen Nederlands", 0.5)),
    "onbekend": (("onbekend", 0.5), ("?", 0.5)),
}
A_LANGUAGE_AT_LEAST = {"redelijk": 1, "spreekt geen Nederlands": 1, "matig (volgt taalles)": 1, "?": 1}
# Where A noted no level, one family has a remark instead: a course is no level, so an importer
# reports it and does not guess.
A_LANGUAGE_REMARK = "volgt NT2-les"

# B: ticks under a two-row header: (group, ((column header, categorie), ...)).
B_GROUPS: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = (
    ("Financiën", (("Schulden", "Schulden"), ("Administratie", "Geen overzicht/administratie"),
                   ("Acute nood", "Acute nood"), ("Spullen/tekorten", "Materiële tekorten"))),
    ("Gezondheid", (("Lichamelijk", "Lichamelijk"), ("Psychisch", "Psychisch"), ("Verslaving", "Verslaving"))),
    ("Wonen", (("Wonen/huisvesting", None),)),
    ("Sociaal", (("Relaties", "Huiselijke relaties"), ("Opvoeding", "Opvoeding"), ("Netwerk", "Sociaal netwerk"))),
    ("Participatie", (("ADL", ADL), ("Taal", "Nederlandse taal"), ("Werk", "Werk"), ("Opleiding/school", "Opleiding"),
                      ("Dagbesteding kind", "Daginvulling kind"), ("Dagbesteding ouder", "Daginvulling ouder"))),
    ("Overig", (("Juridisch", "Juridisch"), ("Verblijf", "Verblijfsstatus"), ("Zingeving", "Zingeving"),
                ("Overig", "Overig"))),
)
B_FAMILY_HEADERS = ("Code", "Start", "Eind", "Status", "Samenstelling", "Kinderen")
B_LANGUAGE_HEADER = "Taalniveau"  # after the tick groups, without a group header above it
B_LANGUAGE: dict[str, tuple[tuple[str, float], ...]] = {
    "goed": (("goed", 0.7), ("Goed", 0.3)), "voldoende": (("voldoende", 0.7), ("Voldoende", 0.3)),
    "matig": (("matig", 0.7), ("Matig", 0.3)), "slecht": (("slecht", 0.7), ("Slecht", 0.3)),
    "onbekend": (("onb.", 0.6), ("onbekend", 0.4)),
}
B_TICKS = (("x", 0.40), ("X", 0.15), ("ja", 0.20), (1, 0.15), ("✓", 0.10))
B_STATUS = {tx.STATUS_LOPEND: ("lopend", "loopt nog", "in begeleiding"),
            tx.STATUS_AFGEROND: ("afgerond", "afgesloten", "klaar")}
B_COMPOSITION = {"eenouder": ("eenouder", "1-ouder", "alleenstaande ouder"),
                 "tweeouder": ("tweeouder", "2-ouder", "twee ouders")}
B_SUPPORT = (("Gesprekken", "Gesprekken met gezin"), ("Regelzaken", "Regelzaken"), ("Praktisch", "Praktische steun"),
             ("Maatje", "Ondersteuning door maatje"), ("Groep ouder", "Groepsactiviteit ouder"),
             ("Groep kind", "Groepsactiviteit kind"), ("Vrijwilligerswerk ouder", "Vrijwilligerswerk ouder"))
B_MOMENTS = ("start", "nu")
B_HOURS_HEADERS = ("Code", *(f"{h} ({m})" for m in B_MOMENTS for h, _ in B_SUPPORT))
B_NOTES = ("(incl. reistijd)", "(schatting)", "(via buurthuis)", "(met tolk)")

# C: the organisation's own codes and their legend.
C_CODES: tuple[tuple[str, str, str, str | None], ...] = (  # code, omschrijving, leefgebied, categorie
    ("FIN-SCH", "Schulden", "Financiën", "Schulden"),
    ("FIN-ADM", "Geen overzicht administratie", "Financiën", "Geen overzicht/administratie"),
    ("FIN-NOOD", "Acute nood (lege koelkast, afsluiting)", "Financiën", "Acute nood"),
    ("FIN-MAT", "Materiële tekorten (bed, fiets, laptop)", "Financiën", "Materiële tekorten"),
    ("GEZ-L", "Lichamelijke gezondheid", "Gezondheid", "Lichamelijk"),
    ("GEZ-P", "Psychische klachten", "Gezondheid", "Psychisch"),
    ("GEZ-V", "Verslaving", "Gezondheid", "Verslaving"),
    ("WON", "Wonen en huisvesting", "Wonen", None),
    ("SOC-REL", "Huiselijke relaties", "Sociaal", "Huiselijke relaties"),
    ("SOC-OPV", "Opvoeding", "Sociaal", "Opvoeding"),
    ("SOC-NET", "Sociaal netwerk", "Sociaal", "Sociaal netwerk"),
    ("PAR-ADL", "Algemene dagelijkse levensvaardigheden (ADL)", "Participatie", ADL),
    ("PAR-TAAL", "Nederlandse taal", "Participatie", "Nederlandse taal"),
    ("PAR-WERK", "Werk", "Participatie", "Werk"),
    ("PAR-OPL", "Opleiding", "Participatie", "Opleiding"),
    ("PAR-KIND", "Daginvulling kind", "Participatie", "Daginvulling kind"),
    ("PAR-OUD", "Daginvulling ouder", "Participatie", "Daginvulling ouder"),
    ("OV-JUR", "Juridische vragen", "Overig", "Juridisch"),
    ("OV-VERBL", "Verblijfsstatus", "Overig", "Verblijfsstatus"),
    ("OV-ZIN", "Zingeving", "Overig", "Zingeving"),
    ("OV-OV", "Overige hulpvragen", "Overig", "Overig"),
)
C_CODE_OF = {(lg, cat): code for code, _, lg, cat in C_CODES}
C_END_REASONS = {
    "doelen bereikt": ("doelen behaald", "doel bereikt"),
    "doorverwezen": ("doorverwezen", "doorverwezen naar wijkteam"),
    "onvoldoende medewerking/onbereikbaar": ("onbereikbaar", "onvoldoende medewerking"),
    "verhuisd": ("verhuisd", "verhuisd buiten de stad"),
    "maximale duur": ("max. duur bereikt", "maximale duur"),
}
C_HOUSEHOLD = {"eenouder": ("eenoudergezin", "1-oudergezin"), "tweeouder": ("tweeoudergezin", "2-oudergezin")}
C_DEBTS = {"ja": "ja", "nee": "nee", "onbekend": "onb."}
C_START_FORMS = (("datum", 0.82), ("serieel", 0.10), ("tekst", 0.08))
C_CODE_CASE = (("hoofdletters", 0.94), ("klein", 0.06))  # a few codes typed in lower case
C_FAMILY_HEADERS = ("Clientnr", "Ingang", "Uitstroom", "Reden", "Huishouden", "Kinderen", "Buurt",
                    "Schuldenproblematiek")
C_REQUEST_HEADERS = ("Clientnr", "Datum", "Code")
C_LEGEND_HEADERS = ("Code", "Omschrijving")
C_MEASURE_HEADERS = ("Clientnr", "Datum", "Leefgebied", "Score")

# D: ZRM domains; per categorie the domain a worker files it under and short descriptions that name it.
ZRM_DOMAINS: dict[str, str] = {  # ZRM domain -> leefgebied
    "Financiën": "Financiën", "Werk & opleiding": "Participatie", "Tijdsbesteding": "Participatie",
    "Huisvesting": "Wonen", "Huiselijke relaties": "Sociaal", "Geestelijke gezondheid": "Gezondheid",
    "Lichamelijke gezondheid": "Gezondheid", "Verslaving": "Gezondheid", "ADL": "Participatie",
    "Sociaal netwerk": "Sociaal", "Maatschappelijke participatie": "Participatie", "Justitie": "Overig",
}
D_REQUESTS: dict[tuple[str, str | None], tuple[str, tuple[str, ...]]] = {
    ("Financiën", "Schulden"): ("Financiën", ("schulden", "schuldhulp aanvragen", "betalingsachterstanden")),
    ("Financiën", "Geen overzicht/administratie"): ("Financiën", ("administratie op orde", "geen overzicht van de post",
                                                                  "formulieren en toeslagen")),
    ("Financiën", "Acute nood"): ("Financiën", ("acute nood: lege koelkast", "dreigende afsluiting energie",
                                                "geen geld voor eten")),
    ("Financiën", "Materiële tekorten"): ("Financiën", ("materiële tekorten", "bed en kleding nodig", "laptop nodig")),
    ("Gezondheid", "Lichamelijk"): ("Lichamelijke gezondheid", ("huisarts zoeken", "lichamelijke klachten",
                                                                "tandarts")),
    ("Gezondheid", "Psychisch"): ("Geestelijke gezondheid", ("somberheid", "veel stress", "angstklachten")),
    ("Gezondheid", "Verslaving"): ("Verslaving", ("alcohol", "gokken", "drugsgebruik")),
    ("Wonen", None): ("Huisvesting", ("urgentie aanvragen", "schimmel in huis", "woning te klein")),
    ("Sociaal", "Huiselijke relaties"): ("Huiselijke relaties", ("relatie met ex", "spanningen thuis",
                                                                 "omgangsregeling")),
    ("Sociaal", "Opvoeding"): ("Huiselijke relaties", ("hulp bij opvoeding", "opvoedvragen",
                                                       "grenzen stellen bij de kinderen")),
    ("Sociaal", "Sociaal netwerk"): ("Sociaal netwerk", ("eenzaamheid", "weinig contacten", "netwerk uitbreiden")),
    ("Participatie", ADL): ("ADL", ("dagritme", "structuur in de dag", "koken en schoonmaken")),
    ("Participatie", "Nederlandse taal"): ("Maatschappelijke participatie", ("taalcursus", "taalles", "inburgering")),
    ("Participatie", "Werk"): ("Werk & opleiding", ("werk zoeken", "cv en sollicitatie", "betaald werk vinden")),
    ("Participatie", "Opleiding"): ("Werk & opleiding", ("opleiding afmaken", "mbo-opleiding", "diploma erkennen")),
    ("Participatie", "Daginvulling kind"): ("Tijdsbesteding", ("sport voor de kinderen", "zwemles kind",
                                                              "vrije tijd kinderen")),
    ("Participatie", "Daginvulling ouder"): ("Tijdsbesteding", ("dagbesteding ouder", "vrijwilligerswerk zoeken",
                                                                "activiteit overdag voor ouder")),
    ("Overig", "Juridisch"): ("Justitie", ("juridisch advies", "advocaat", "rechtszaak")),
    ("Overig", "Verblijfsstatus"): ("Justitie", ("verblijfsvergunning", "naturalisatie", "verblijfsstatus")),
    ("Overig", "Zingeving"): ("Maatschappelijke participatie", ("zingeving", "rouwverwerking", "geloof")),
}
D_COMPOSITION = {"eenouder": ("eenouder", "1 ouder"), "tweeouder": ("tweeouder", "2 ouders")}
D_FAMILY_HEADERS = ("Gezin", "Start traject", "Einde traject", "Samenstelling", "Aantal kinderen", "Wijk")
D_REQUEST_HEADERS = ("Gezin", "Leefgebied (ZRM)", "Omschrijving")
D_TITLE = "Wijkpost De Overkant – gezinnen in begeleiding"
ZRM_MOMENTS = (("T0", 0), ("T1", 6), ("T2", 12))  # moment, months after the start

# E: short labels in pilot-cluster, ZRM and category words.
E_LABELS: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("Financiën", "Schulden"): ("Geldzaken - schulden", "Financiën: schulden"),
    ("Financiën", "Geen overzicht/administratie"): ("Geldzaken - administratie", "Financiën: administratie"),
    ("Financiën", "Acute nood"): ("Geldzaken - acute nood", "Financiën: acute nood"),
    ("Financiën", "Materiële tekorten"): ("Geldzaken - materiële tekorten", "Financiën: materiële tekorten"),
    ("Gezondheid", "Lichamelijk"): ("Gezondheid - lichamelijk", "Lichamelijke gezondheid"),
    ("Gezondheid", "Psychisch"): ("Gezondheid - psychisch", "Geestelijke gezondheid"),
    ("Gezondheid", "Verslaving"): ("Gezondheid - verslaving", "Verslaving"),
    ("Wonen", None): ("Huisvesting", "Wonen"),
    ("Sociaal", "Huiselijke relaties"): ("Sociale omgeving: relaties", "Huiselijke relaties"),
    ("Sociaal", "Opvoeding"): ("Sociale omgeving: opvoeding", "Opvoeding"),
    ("Sociaal", "Sociaal netwerk"): ("Sociale omgeving: eenzaamheid", "Sociaal netwerk"),
    ("Participatie", ADL): ("Meedoen - ADL", "Meedoen - dagelijkse vaardigheden"),
    ("Participatie", "Nederlandse taal"): ("Meedoen - taal", "Nederlandse taal"),
    ("Participatie", "Werk"): ("Meedoen - werk", "Werk"),
    ("Participatie", "Opleiding"): ("Meedoen - opleiding", "Opleiding"),
    ("Participatie", "Daginvulling kind"): ("Meedoen - daginvulling kind", "Daginvulling kind"),
    ("Participatie", "Daginvulling ouder"): ("Meedoen - daginvulling ouder", "Daginvulling ouder"),
    ("Overig", "Juridisch"): ("Juridisch", "Overig: juridisch"),
    ("Overig", "Verblijfsstatus"): ("Verblijfsstatus", "Overig: verblijfsstatus"),
    ("Overig", "Zingeving"): ("Zingeving", "Overig: zingeving"),
}
E_FAMILY_HEADERS = ("Nr", "Aanmelding", "Afsluiting")
E_CONTACT_HEADERS = ("Nr", "Datum", "Duur", "Soort contact")
E_SEVERITY_HEADERS = ("Nr", "Indicator", "Eenheid", "T0", "T1", "T2", "T3")
# contact type -> (support type, possible minutes); per support type the contact types with weights
CONTACT_TYPES: dict[str, tuple[str, tuple[int, ...]]] = {
    "huisbezoek": ("Gesprekken met gezin", tuple(range(45, 95, 5))),
    "telefonisch gesprek": ("Gesprekken met gezin", tuple(range(10, 35, 5))),
    "e-mail instantie": ("Regelzaken", tuple(range(10, 35, 5))),
    "mee naar instantie": ("Regelzaken", tuple(range(60, 195, 15))),
    "klussen/vervoer": ("Praktische steun", tuple(range(30, 165, 15))),
    "maatje": ("Ondersteuning door maatje", tuple(range(60, 210, 30))),
}
CONTACT_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "Gesprekken met gezin": (("huisbezoek", 0.6), ("telefonisch gesprek", 0.4)),
    "Regelzaken": (("e-mail instantie", 0.55), ("mee naar instantie", 0.45)),
    "Praktische steun": (("klussen/vervoer", 1.0),),
    "Ondersteuning door maatje": (("maatje", 1.0),),
}
CONTACT_DECAY_MONTHS = 2.0  # intensive at the start, about a third after a few months
CONTACT_LAST_MONTH_MIN_DAYS = 10  # a shorter last trajectory month gets no contacts
# Severity: (indicator, unit, leefgebied, the categorie that makes it a problem at the start)
SEVERITY_INDICATORS: tuple[tuple[str, str, str, str | None], ...] = (
    ("Schulden", "gezin", "Financiën", "Schulden"),
    ("Huisvesting", "gezin", "Wonen", None),
    ("Opvoeding", "ouder", "Sociaal", "Opvoeding"),
    ("Psychische gezondheid", "ouder", "Gezondheid", "Psychisch"),
    ("Sociaal netwerk", "ouder", "Sociaal", "Sociaal netwerk"),
    ("Taal", "ouder", "Participatie", "Nederlandse taal"),
    ("Daginvulling kind", "kind", "Participatie", "Daginvulling kind"),
)
SEVERITY_WORDS = ("geen", "licht", "middel", "zwaar")
SEVERITY_MOMENTS = (("T0", 0), ("T1", 6), ("T2", 12), ("T3", 18))
SEVERITY_UNKNOWN_SHARE = 0.06


# -- small helpers for the layouts --------------------------------------------------------------
def _pick(rng: np.random.Generator, options: tuple[tuple[object, float], ...]):
    w = np.array([p for _, p in options], dtype=float)
    return options[int(rng.choice(len(options), p=w / w.sum()))][0]


def _assign_forms(rng: np.random.Generator, options: list[tuple[tuple[object, float], ...]],
                  at_least: dict | None = None) -> list:
    """One form per item, drawn from that item's own (form, weight) options. Each form in `at_least`
    first goes to that many randomly chosen items that allow it, so every agreed form surely occurs."""
    chosen: list = [None] * len(options)
    taken = [False] * len(options)
    for form, k in (at_least or {}).items():
        free = [i for i, opts in enumerate(options) if not taken[i] and any(f == form for f, _ in opts)]
        for j in rng.permutation(len(free))[:k]:
            chosen[free[j]], taken[free[j]] = form, True
    return [c if t else _pick(rng, opts) for c, t, opts in zip(chosen, taken, options)]


def _one(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _dmy(d: dt.date, padded: bool = False) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}" if padded else f"{d.day}-{d.month}-{d.year}"


def _add_months(d: dt.date, months: int) -> dt.date:
    return (pd.Timestamp(d) + pd.DateOffset(months=months)).date()


def _month_start(start: dt.date, month: int) -> dt.date:
    """First day of trajectory month `month` (as gezinsmonitor.metrics: 31 Jan → month 1 starts 1 Mar)."""
    day = _add_months(start, month)
    return day + dt.timedelta(days=1) if day.day < start.day else day


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + (end.month - start.month) - int(end.day < start.day)


def _num_nl(x: float) -> str:
    """1.5 -> '1,5', 2.0 -> '2', 0.75 -> '0,75' (exact for multiples of 0.25)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _key(leefgebied: str, categorie) -> tuple[str, str | None]:
    """(leefgebied, categorie) with a missing categorie as None (frames hold it as NaN)."""
    return leefgebied, (None if categorie is None or (not isinstance(categorie, str) and pd.isna(categorie))
                        else categorie)


def _until(family) -> dt.date:
    return _date(family.end) if family.status == tx.STATUS_AFGEROND else PEILDATUM


def _latest_scores(progress: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(family, leefgebied) -> latest voortgangsscore; absent where it was n.v.t."""
    p = progress.sort_values("date", kind="stable")
    p = p[p["score"] != NVT]
    return {(f, lg): int(s) for f, lg, s in zip(p["family"], p["leefgebied"], p["score"])}


def _empty_like(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.iloc[0:0].reset_index(drop=True)


def _not_carried(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for c in columns:
        out[c] = pd.Series([pd.NaT] * len(out), dtype="datetime64[ns]") if c in ("date", "start", "end") \
            else pd.Series([None] * len(out), dtype=object)
    return out


def _hours_by_moment(hours: pd.DataFrame, families: pd.DataFrame) -> dict[str, tuple[dict, dict]]:
    """family -> ({support type: value at the start}, {support type: value later}); values float or NVT."""
    start = dict(zip(families["family"], families["start"]))
    out: dict[str, tuple[dict, dict]] = {}
    for f, d, t, v in zip(hours["family"], hours["date"], hours["support_type"], hours["hours"]):
        first, later = out.setdefault(f, ({}, {}))
        (first if d == start[f] else later)[t] = v
    return out


@dataclass
class _Sheet:
    name: str
    rows: list[list]
    header_rows: tuple[int, ...] = (1,)
    merges: tuple[str, ...] = ()
    date_format: str = "DD-MM-YYYY"
    widths: tuple[int, ...] = ()


@dataclass
class _Book:
    sheets: list[_Sheet] | None  # None: the registratieformat (write_workbook)
    expected: dict[str, pd.DataFrame]


def _workbook_bytes(sheets: list[_Sheet]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for s in sheets:
        ws = wb.create_sheet(s.name)
        for row in s.rows:
            ws.append([cell_value(v) for v in row])
        for r, row in enumerate(s.rows, start=1):
            if r in s.header_rows:
                for c, v in enumerate(row, start=1):
                    if v is not None:
                        ws.cell(r, c).font = bold
        for ref in s.merges:
            ws.merge_cells(ref)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = s.date_format
                elif isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = wrap
        for j, width in enumerate(s.widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- A: free text, one sheet per year -----------------------------------------------------------
def _month_text(d: dt.date, rng) -> str:
    name = MONTHS_NL[d.month - 1]
    return f"{name.capitalize() if rng.random() < 0.5 else name} {d.year}"


def _layout_vrije_tekst(o: SampleOrganisation, frames: dict[str, pd.DataFrame], rng) -> _Book:
    fam, req, prog = frames["families"], frames["requests"], frames["progress"]
    # Start as a month only: families that start on the 1st-3rd (1st first) whose duration class
    # does not change when read as the 1st of the month.
    first = fam["start"].dt.to_period("M").dt.to_timestamp()
    until = pd.to_datetime(fam["end"].where(fam["status"] == tx.STATUS_AFGEROND, pd.Timestamp(PEILDATUM)))
    months_true = _bucket_of(whole_months(fam["start"].to_numpy("datetime64[D]"), until.to_numpy("datetime64[D]")))
    months_first = _bucket_of(whole_months(first.to_numpy("datetime64[D]"), until.to_numpy("datetime64[D]")))
    day = fam["start"].dt.day
    candidates = fam.index[(day <= 3) & (months_true == months_first)]
    month_only = set(sorted(candidates, key=lambda i: (day[i], i))[:MONTH_ONLY_FAMILIES])

    n = len(fam)
    rest = [i for i in range(n) if i not in month_only]
    start_form = dict(zip(rest, _assign_forms(rng, [A_START_FORMS] * len(rest), {"tekst": 2})))
    running = [i for i in range(n) if fam["status"].iat[i] == tx.STATUS_LOPEND]
    end_form = dict(zip(running, _assign_forms(rng, [A_RUNNING_END] * len(running),
                                               {form: 1 for form, _ in A_RUNNING_END})))
    ja = [i for i in range(n) if fam["debts"].iat[i] == "ja"]
    debts_form = dict(zip(ja, _assign_forms(rng, [A_DEBTS_YES] * len(ja), {"ja (bewind)": 2})))
    n_requests = req.groupby("family", sort=False).size()
    several = [i for i in range(n) if n_requests[fam["family"].iat[i]] > 1]
    separator = dict(zip(several, _assign_forms(rng, [A_SEPARATORS] * len(several),
                                                {sep: 2 for sep, _ in A_SEPARATORS})))
    exp_fam = fam.copy()
    exp_fam["expected_end"] = pd.Series([pd.NaT] * len(fam), dtype="datetime64[ns]")
    rows_by_year: dict[str, list[list]] = {y: [] for y in A_YEARS}
    phrase_of: list[str] = []
    req_by_family = {f: part for f, part in req.groupby("family", sort=False)}
    for i, f in enumerate(fam.itertuples(index=False)):
        start = _date(f.start)
        if i in month_only:
            start_cell = _month_text(start, rng)
            exp_fam.loc[i, "start"] = pd.Timestamp(start.replace(day=1))
        else:
            start_cell = start if start_form[i] == "datum" else _dmy(start)
        if f.status == tx.STATUS_AFGEROND:
            end_cell = _date(f.end)
            reason = _one(rng, A_END_REASONS[f.end_reason])
        else:
            form = end_form[i]
            if form == "naar verwachting":
                expected = _add_months(PEILDATUM.replace(day=1), int(rng.integers(1, 10)))
                end_cell = f"naar verwachting {MONTHS_NL[expected.month - 1]} {expected.year}"
                exp_fam.loc[i, "expected_end"] = pd.Timestamp(expected)
            else:
                end_cell = form or None
            reason = None
        kinderen = "1 kind" if f.children == 1 else f"{f.children} kinderen"
        situation = _one(rng, A_SITUATION[f.composition]).format(kinderen=kinderen)
        debts = debts_form.get(i, f.debts)
        phrases = [_one(rng, A_PHRASES[_key(r.leefgebied, r.categorie)]) for r in req_by_family[f.family].itertuples()]
        phrase_of.extend(phrases)
        text = separator.get(i, ", ").join(phrases)
        rows_by_year[str(start.year)].append([f.family, start_cell, end_cell, reason, situation, int(f.children),
                                              f.wijk, debts, text])
    exp_req = _not_carried(req, ("date",))
    exp_req["label"] = phrase_of  # requests are grouped per family in frame order: same order as `req`

    sheets = []
    for year in A_YEARS:
        title = f"Gezinnen {o.name} – aanmeldingen {year}"
        sheets.append(_Sheet(year, [[title], [], list(A_HEADERS), *rows_by_year[year]], header_rows=(1, 3),
                             widths=(14, 17, 26, 30, 24, 9, 14, 12, 60)))
    progress_rows = [list(A_PROGRESS_HEADERS)]
    for (family, date), part in prog.groupby(["family", "date"], sort=False):
        value = dict(zip(part["leefgebied"], part["score"]))
        progress_rows.append([family, _date(date)] +
                             ["nvt" if value[lg] == NVT else int(value[lg]) for lg in LEEFGEBIEDEN])
    sheets.append(_Sheet("Voortgang", progress_rows, widths=(14, 12, 10, 11, 8, 8, 12, 8)))
    expected = {"families": exp_fam, "requests": exp_req, "progress": prog.copy(),
                "hours": _empty_like(frames["hours"])}
    return _Book(sheets, expected)


# -- B: ticks under a merged two-row header, hours as typed text --------------------------------
def _hours_forms(value) -> tuple[tuple[str, float], ...]:
    """The ways weekly hours can be typed for this value (form, weight)."""
    if isinstance(value, str):  # n.v.t.
        return (("nvt", 0.7), ("n.v.t.", 0.3))
    v = float(value)
    if v == 0:
        return (("0", 0.4), ("0 uur", 0.3), ("0 minuten", 0.3))
    forms = [("decimaal", 0.35), ("getal", 0.15), ("notitie", 0.05)]
    if v < 2:
        forms.append(("minuten", 0.20))
    if v >= 1 and v != int(v):
        forms.append(("uur en minuten", 0.15))
    if v >= 1.5 and v * 2 == int(v * 2):
        forms += [("bereik a", 0.05), ("bereik -", 0.05)]
    return tuple(forms)


B_HOURS_AT_LEAST = {"nvt": 2, "n.v.t.": 2, "decimaal": 5, "getal": 3, "minuten": 3, "uur en minuten": 3,
                    "notitie": 3, "bereik a": 2, "bereik -": 2}


def _hours_text(value, form: str, rng):
    """Weekly hours in `form`; every form reads back to exactly `value` (a range: its midpoint)."""
    if isinstance(value, str) or float(value) == 0:
        return 0 if form == "0" else form
    v = float(value)
    if form == "getal":
        return int(v) if v == int(v) else v
    if form == "minuten":
        return f"{int(round(v * 60))} minuten"
    if form == "uur en minuten":
        return f"{int(v)} uur en {int(round((v - int(v)) * 60))} minuten"
    if form == "notitie":
        return f"{_num_nl(v)} uur {_one(rng, B_NOTES)}"
    if form.startswith("bereik"):
        if v == int(v):
            half = 2 if v >= 4 and rng.random() < 0.5 else 1
            lo, hi = int(v) - half, int(v) + half
        else:
            lo, hi = int(v - 0.5), int(v + 0.5)
        return f"{lo} a {hi} uur" if form == "bereik a" else f"{lo}-{hi} uur"
    return f"{_num_nl(v)} uur"


def _layout_vinkjes(o: SampleOrganisation, frames: dict[str, pd.DataFrame], rng) -> _Book:
    fam, req, hours = frames["families"], frames["requests"], frames["hours"]
    if req.duplicated(["family", "leefgebied", "categorie"]).any():
        raise RuntimeError("Een vinkjesformaat kan geen twee hulpvragen in dezelfde categorie dragen.")
    row1: list = ["Gezin"] + [None] * (len(B_FAMILY_HEADERS) - 1)
    row2: list = list(B_FAMILY_HEADERS)
    merges = [f"A1:{get_column_letter(len(B_FAMILY_HEADERS))}1"]
    columns: list[tuple[str, str | None, str]] = []  # (leefgebied, categorie, header)
    for group, cols in B_GROUPS:
        first = len(row2) + 1
        row1 += [group] + [None] * (len(cols) - 1)
        row2 += [h for h, _ in cols]
        if len(cols) > 1:
            merges.append(f"{get_column_letter(first)}1:{get_column_letter(first + len(cols) - 1)}1")
        columns += [(group, cat, h) for h, cat in cols]
    header_of = {(lg, cat): h for lg, cat, h in columns}
    asked = {(f, *_key(lg, cat)) for f, lg, cat in zip(req["family"], req["leefgebied"], req["categorie"])}
    rows = [row1, row2]
    for f in fam.itertuples(index=False):
        row = [f.family, _date(f.start), _date(f.end), _one(rng, B_STATUS[f.status]),
               _one(rng, B_COMPOSITION[f.composition]), int(f.children)]
        rows.append(row + [(f.family, lg, cat) in asked for lg, cat, _ in columns])
    cells = [(r, c) for r in range(2, len(rows)) for c in range(len(B_FAMILY_HEADERS), len(rows[r]))]
    ticked = [(r, c) for r, c in cells if rows[r][c]]
    for (r, c), tick in zip(ticked, _assign_forms(rng, [B_TICKS] * len(ticked), {t: 2 for t, _ in B_TICKS})):
        rows[r][c] = tick
    for r, c in cells:
        if rows[r][c] is False:
            rows[r][c] = None
    gezinnen = _Sheet("Gezinnen", rows, header_rows=(1, 2), merges=tuple(merges),
                      widths=(9, 11, 11, 13, 17, 8) + (11,) * len(columns))
    by_moment = _hours_by_moment(hours, fam)
    values = []  # (family, the 14 values: start, then later)
    for family in fam["family"]:
        if family in by_moment:
            first, later = by_moment[family]
            values.append((family, [first[t] for _, t in B_SUPPORT] + [later[t] for _, t in B_SUPPORT]))
    flat = [v for _, vs in values for v in vs]
    forms = iter(_assign_forms(rng, [_hours_forms(v) for v in flat], B_HOURS_AT_LEAST))
    inzet = [list(B_HOURS_HEADERS)] + [[family] + [_hours_text(v, next(forms), rng) for v in vs]
                                       for family, vs in values]
    exp_req = _not_carried(req, ("date",))
    exp_req["label"] = [header_of[_key(lg, cat)] for lg, cat in zip(req["leefgebied"], req["categorie"])]
    expected = {"families": _not_carried(fam, ("end_reason", "wijk", "debts")), "requests": exp_req,
                "progress": _empty_like(frames["progress"]), "hours": hours.copy()}
    return _Book([gezinnen, _Sheet("Inzet", inzet, widths=(9,) + (16,) * 14)], expected)


# -- C: long layout with the organisation's own codes ---------------------------------------------
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _layout_eigen_codes(o: SampleOrganisation, frames: dict[str, pd.DataFrame], rng) -> _Book:
    fam, req, prog = frames["families"], frames["requests"], frames["progress"]
    clients = [list(C_FAMILY_HEADERS)]
    start_forms = _assign_forms(rng, [C_START_FORMS] * len(fam), {"serieel": 3, "tekst": 3})
    for f, form in zip(fam.itertuples(index=False), start_forms):
        start = _date(f.start)
        start_cell = start if form == "datum" else (start - EXCEL_EPOCH).days if form == "serieel" else _dmy(start)
        done = f.status == tx.STATUS_AFGEROND
        clients.append([f.family, start_cell, _date(f.end), _one(rng, C_END_REASONS[f.end_reason]) if done else None,
                        _one(rng, C_HOUSEHOLD[f.composition]), int(f.children), f.wijk, C_DEBTS[f.debts]])
    codes = []
    requests = [list(C_REQUEST_HEADERS)]
    case = _assign_forms(rng, [C_CODE_CASE] * len(req), {"klein": 3})
    for r, written in zip(req.itertuples(index=False), case):
        code = C_CODE_OF[_key(r.leefgebied, r.categorie)]
        if written == "klein":
            code = code.lower()
        codes.append(code)
        requests.append([r.family, _date(r.date), code])
    legend = [list(C_LEGEND_HEADERS)] + [[code, text] for code, text, _, _ in C_CODES]
    measurements = [list(C_MEASURE_HEADERS)]
    for p in prog.itertuples(index=False):
        measurements.append([p.family, _date(p.date), p.leefgebied, p.score if p.score == NVT else int(p.score)])
    exp_req = req.copy()
    exp_req["label"] = codes
    expected = {"families": fam.copy(), "requests": exp_req, "progress": prog.copy(),
                "hours": _empty_like(frames["hours"])}
    return _Book([
        _Sheet("Cliënten", clients, date_format="D-M-YYYY", widths=(10, 11, 11, 26, 16, 9, 12, 20)),
        _Sheet("Hulpvragen", requests, date_format="D-M-YYYY", widths=(10, 11, 11)),
        _Sheet("Codes", legend, widths=(11, 46)),
        _Sheet("Metingen", measurements, date_format="D-M-YYYY", widths=(10, 11, 14, 7)),
    ], expected)


# -- D: ZRM ----------------------------------------------------------------------------------------
def _zrm_gain(score: int, rng) -> int:
    """Change in ZRM level over the trajectory, from the family's (hidden) voortgangsscore there."""
    return {5: 2, 4: int(rng.integers(1, 3)), 3: 1, 2: 0, 1: -1}.get(score, 0)


def _layout_zrm(o: SampleOrganisation, frames: dict[str, pd.DataFrame], rng) -> _Book:
    fam, req, prog = frames["families"], frames["requests"], frames["progress"]
    latest = _latest_scores(prog)
    gezinnen = [[D_TITLE], list(D_FAMILY_HEADERS)]
    for f in fam.itertuples(index=False):
        gezinnen.append([f.family, _date(f.start), _date(f.end), _one(rng, D_COMPOSITION[f.composition]),
                         int(f.children), f.wijk])
    hulpvragen = [list(D_REQUEST_HEADERS)]
    labels = []
    domains_of: dict[str, set[str]] = {}
    for r in req.itertuples(index=False):
        domain, phrases = D_REQUESTS[_key(r.leefgebied, r.categorie)]
        label = _one(rng, phrases)
        labels.append(label)
        domains_of.setdefault(r.family, set()).add(domain)
        hulpvragen.append([r.family, domain, label])
    zrm_rows = []
    for f in fam.itertuples(index=False):
        start, until = _date(f.start), _until(f)
        moments = [(m, _add_months(start, k)) for m, k in ZRM_MOMENTS if _add_months(start, k) <= until]
        last = len(moments) - 1
        for domain, lg in ZRM_DOMAINS.items():
            problem = domain in domains_of.get(f.family, set())
            if not problem and rng.random() >= (0.3 if domain == "Justitie" else 0.7):
                continue  # not scored
            if problem:
                level0 = int(rng.choice([1, 2, 3], p=[0.2, 0.45, 0.35]))
                gain = _zrm_gain(latest.get((f.family, lg), 0), rng)
            else:
                level0 = int(rng.choice([3, 4, 5], p=[0.3, 0.45, 0.25]))
                gain = int(level0 < 5 and rng.random() < 0.15)
            for k, (moment, date) in enumerate(moments):
                step = 0 if last == 0 else math.floor(gain * k / last + 0.5)
                zrm_rows.append({"organisation": o.name, "family": f.family, "moment": moment,
                                 "date": pd.Timestamp(date), "domain": domain, "leefgebied": lg,
                                 "level": int(min(5, max(1, level0 + step)))})
    zrm = pd.DataFrame(zrm_rows, columns=["organisation", "family", "moment", "date", "domain", "leefgebied",
                                          "level"])
    sheets = [_Sheet("Gezinnen", gezinnen, header_rows=(1, 2), widths=(10, 13, 13, 14, 15, 15)),
              _Sheet("Hulpvragen", hulpvragen, widths=(10, 28, 34))]
    for moment, _ in ZRM_MOMENTS:
        level = {(f, d): v for f, d, v in zrm.loc[zrm["moment"] == moment, ["family", "domain", "level"]]
                 .itertuples(index=False)}
        measured = set(zrm.loc[zrm["moment"] == moment, "family"])
        rows = [["Gezin", *ZRM_DOMAINS]]
        for family in fam["family"]:
            if family in measured:
                rows.append([family] + [level.get((family, d)) for d in ZRM_DOMAINS])
        sheets.append(_Sheet(f"ZRM {moment}", rows, widths=(10,) + (13,) * len(ZRM_DOMAINS)))
    exp_req = _not_carried(req, ("date",))
    exp_req["label"] = labels
    expected = {"families": _not_carried(fam, ("end_reason", "debts")), "requests": exp_req,
                "progress": _empty_like(prog), "hours": _empty_like(frames["hours"]), "zrm": zrm}
    return _Book(sheets, expected)


# -- E: contact log and problem severity ---------------------------------------------------------
def _duration_text(minutes: int, rng):
    """A contact's duration as typed: 45 (bare minutes), '45 min', '1,5 uur', '1 uur en 15 minuten'."""
    forms = [("getal", 0.25), ("min", 0.35)]
    if minutes % 15 == 0 and minutes >= 30:
        forms.append(("uur", 0.20))
    if minutes > 60 and minutes % 60:
        forms.append(("uur en minuten", 0.20))
    form = _pick(rng, tuple(forms))
    if form == "getal":
        return int(minutes)
    if form == "uur":
        return f"{_num_nl(minutes / 60)} uur"
    if form == "uur en minuten":
        return f"{minutes // 60} uur en {minutes % 60} minuten"
    return f"{minutes} min"


def _split_minutes(total: int, support_type: str, rng) -> list[tuple[str, int]]:
    """Contacts (type, minutes) of one support type that add up to exactly `total` minutes."""
    out: list[tuple[str, int]] = []
    remaining = total
    while remaining > 0:
        kind = _pick(rng, CONTACT_MIX[support_type])
        minutes = min(int(_one(rng, CONTACT_TYPES[kind][1])), remaining)
        out.append((kind, minutes))
        remaining -= minutes
    if len(out) > 1 and out[-1][1] < 10:  # no 5-minute scraps: add them to the contact before
        kind, minutes = out.pop()
        out[-1] = (out[-1][0], out[-1][1] + minutes)
    return out


def _contact_targets(start: dt.date, until: dt.date, first: dict, later: dict) -> list[tuple[str, int, float]]:
    """(support type, trajectory month, hours per week) the contact log of one family is built to.

    Month 0 gets the weekly hours at the start, the last month with contacts the weekly hours later, the
    months between an exponential drop (CONTACT_DECAY_MONTHS). The last month with contacts is the last
    trajectory month, or the one before when less than CONTACT_LAST_MONTH_MIN_DAYS of it fall in the
    trajectory."""
    last = _months_between(start, until)
    if (until - _month_start(start, last)).days + 1 < CONTACT_LAST_MONTH_MIN_DAYS:
        last -= 1
    g = [math.exp(-m / CONTACT_DECAY_MONTHS) for m in range(last + 1)]
    out = []
    for t in CONTACT_SUPPORT_TYPES:
        s, l = first.get(t, NVT), later.get(t, NVT)
        if isinstance(s, str) or isinstance(l, str):
            continue  # n.v.t. (both times, see _redistribute)
        for m in range(last + 1):
            w = float(l) + (float(s) - float(l)) * (g[m] - g[last]) / (1 - g[last])
            out.append((t, m, w))
    return out


def contact_hours(contacts: pd.DataFrame, families: pd.DataFrame) -> pd.DataFrame:
    """Hours per week per family, support type and trajectory month from a contact log, as
    gezinsmonitor.metrics reads contact logs: month m runs from the start date plus m months;
    hours per week = the month's minutes / 60 / (its days inside the trajectory / 7): the last month
    counts its days up to the end date (afgerond) or the peildatum. Only the months and types with
    contacts are listed."""
    start = {f: _date(s) for f, s in zip(families["family"], families["start"])}
    until = {f.family: _until(f) for f in families.itertuples(index=False)}
    rows = {}
    for f, d, t, minutes in zip(contacts["family"], contacts["date"], contacts["support_type"], contacts["minutes"]):
        m = _months_between(start[f], _date(d))
        rows[(f, t, m)] = rows.get((f, t, m), 0) + int(minutes)
    out = []
    for (f, t, m), minutes in rows.items():
        days = (min(_month_start(start[f], m + 1), until[f] + dt.timedelta(days=1)) - _month_start(start[f], m)).days
        out.append({"family": f, "support_type": t, "month": m, "days": days, "minutes": minutes,
                    "hours_per_week": minutes / 60 / (days / 7)})
    return pd.DataFrame(out, columns=["family", "support_type", "month", "days", "minutes", "hours_per_week"])


def _contacts(o: SampleOrganisation, fam: pd.DataFrame, hours: pd.DataFrame, rng) -> pd.DataFrame:
    by_moment = _hours_by_moment(hours, fam)
    rows = []
    for f in fam.itertuples(index=False):
        start, until = _date(f.start), _until(f)
        first, later = by_moment[f.family]
        for t, m, w in _contact_targets(start, until, first, later):
            lo, hi = _month_start(start, m), _month_start(start, m + 1)
            window = (min(hi, until + dt.timedelta(days=1)) - lo).days  # the month's days in the trajectory
            total = int(round(w * window / 7 * 60 / 5)) * 5
            for kind, minutes in _split_minutes(total, t, rng):
                rows.append({"organisation": o.name, "family": f.family,
                             "date": pd.Timestamp(lo + dt.timedelta(days=int(rng.integers(window)))),
                             "minutes": minutes, "contact_type": kind, "support_type": t})
    out = pd.DataFrame(rows, columns=["organisation", "family", "date", "minutes", "contact_type", "support_type"])
    order = {f: i for i, f in enumerate(fam["family"])}
    out["_f"] = out["family"].map(order)
    return out.sort_values(["_f", "date"], kind="stable").drop(columns="_f").reset_index(drop=True)


def _severity(o: SampleOrganisation, fam: pd.DataFrame, req: pd.DataFrame, prog: pd.DataFrame, rng) -> pd.DataFrame:
    latest = _latest_scores(prog)
    asked = {(f, *_key(lg, cat)) for f, lg, cat in zip(req["family"], req["leefgebied"], req["categorie"])}
    rows = []
    for f in fam.itertuples(index=False):
        start, until = _date(f.start), _until(f)
        moments = [(m, _add_months(start, k)) for m, k in SEVERITY_MOMENTS if _add_months(start, k) <= until]
        last = len(moments) - 1
        for indicator, unit, lg, cat in SEVERITY_INDICATORS:
            problem = (f.family, lg, cat) in asked or (indicator == "Schulden" and f.debts == "ja")
            if problem:
                level0 = int(rng.choice(4, p=[0.0, 0.15, 0.5, 0.35]))
                score = latest.get((f.family, lg), 0)
                gain = {5: -2, 4: -int(rng.integers(1, 3)), 3: -1, 2: 0, 1: 1}.get(score, 0)
            else:
                level0 = int(rng.choice(4, p=[0.6, 0.3, 0.1, 0.0]))
                gain = -int(level0 > 0 and rng.random() < 0.15)
            for k, (moment, date) in enumerate(moments):
                step = 0 if last == 0 else math.floor(gain * k / last + 0.5)
                level = min(3, max(0, level0 + step))
                word = "onbekend" if rng.random() < SEVERITY_UNKNOWN_SHARE else SEVERITY_WORDS[level]
                rows.append({"organisation": o.name, "family": f.family, "indicator": indicator, "unit": unit,
                             "leefgebied": lg, "moment": moment, "date": pd.Timestamp(date), "severity": word})
    return pd.DataFrame(rows, columns=["organisation", "family", "indicator", "unit", "leefgebied", "moment", "date",
                                       "severity"])


def _layout_contactlog(o: SampleOrganisation, frames: dict[str, pd.DataFrame], rng) -> _Book:
    """Contacts are derived from the family's calibrated weekly hours (the investment types; see
    `_contact_targets`). Read back as gezinsmonitor.metrics does (`contact_hours`), trajectory month 0
    equals the weekly hours at the start and the last month with a contact the weekly hours later,
    per family and support type, up to the 5-minute rounding of a month's total: at most 0.011 h
    per week apart (tests/test_sample_layouts.py checks it). Participation (group activities and
    volunteer work of the family) is not a contact of the organisation and is not in the log."""
    fam, req, prog, hours = frames["families"], frames["requests"], frames["progress"], frames["hours"]
    counts = req.groupby("family", sort=False).size()
    width = int(counts.max())
    trajecten = [list(E_FAMILY_HEADERS) + [f"Hulpvraag {k}" for k in range(1, width + 1)]]
    labels = []
    req_by_family = {f: part for f, part in req.groupby("family", sort=False)}
    padded_dates = _assign_forms(rng, [((True, 0.2), (False, 0.8))] * len(fam), {True: 2})
    for f, padded in zip(fam.itertuples(index=False), padded_dates):
        end = _date(f.end)
        names = [_one(rng, E_LABELS[_key(r.leefgebied, r.categorie)]) for r in req_by_family[f.family].itertuples()]
        labels.extend(names)
        trajecten.append([f.family, _dmy(_date(f.start), padded), _dmy(end, padded) if end else None]
                         + names + [None] * (width - len(names)))
    contacts = _contacts(o, fam, hours, rng)
    contact_rows = [list(E_CONTACT_HEADERS)]
    for c in contacts.itertuples(index=False):
        contact_rows.append([c.family, _date(c.date), _duration_text(int(c.minutes), rng), c.contact_type])
    severity = _severity(o, fam, req, prog, rng)
    ernst = [list(E_SEVERITY_HEADERS)]
    moments = [m for m, _ in SEVERITY_MOMENTS]
    for (family, indicator, unit), part in severity.groupby(["family", "indicator", "unit"], sort=False):
        value = dict(zip(part["moment"], part["severity"]))
        ernst.append([family, indicator, unit] + [value.get(m) for m in moments])
    exp_req = _not_carried(req, ("date",))
    exp_req["label"] = labels
    expected = {"families": _not_carried(fam, ("end_reason", "composition", "children", "wijk", "debts")),
                "requests": exp_req, "progress": _empty_like(prog), "hours": _empty_like(hours),
                "contacts": contacts, "severity": severity}
    return _Book([
        _Sheet("Trajecten", trajecten, widths=(9, 12, 12) + (30,) * width),
        _Sheet("Contacten", contact_rows, widths=(9, 12, 20, 20)),
        _Sheet("Ernst", ernst, widths=(9, 22, 9, 10, 10, 10, 10)),
    ], expected)


def _layout_registratieformat(o: SampleOrganisation, frames: dict[str, pd.DataFrame], rng) -> _Book:
    return _Book(None, {k: f.copy() for k, f in frames.items()})


# -- beheersing Nederlandse taal (A, B and F carry it) ---------------------------------------------
CARRIES_LANGUAGE = ("A", "B", "F")


def _language_levels(rng, fam: pd.DataFrame, req: pd.DataFrame) -> np.ndarray:
    """Per family: goed/voldoende/matig/slecht in LANGUAGE's exact shares of the known levels,
    "onbekend" or None (not filled in). The hampered levels go first to families with a
    Nederlandse taal request (LANGUAGE_REQUEST_BONUS), like debts follow a Schulden request."""
    n = len(fam)
    n_unknown = _round_half_up(LANGUAGE_UNKNOWN * n)
    n_empty = _round_half_up(LANGUAGE_EMPTY * n)
    order = rng.permutation(n)
    level = np.full(n, None, dtype=object)
    level[order[:n_unknown]] = "onbekend"
    known = order[n_unknown + n_empty:]
    asks = fam["family"].isin(req.loc[req["categorie"] == "Nederlandse taal", "family"]).to_numpy()
    priority = rng.random(known.size) + LANGUAGE_REQUEST_BONUS * asks[known]
    ranked = known[np.argsort(-priority, kind="stable")]  # most likely hampered first
    counts = _exact_counts(known.size, [w for _, w in LANGUAGE])
    at = 0
    for (name, _), k in reversed(list(zip(LANGUAGE, counts))):  # slecht first
        level[ranked[at:at + k]] = name
        at += k
    return level


def _append_column(sheet: _Sheet, header_at: int, header: str, cells: dict[str, object], width: int) -> None:
    """A column after the last one: `header` in row `header_at` (0-based), a family's cell in its row."""
    last = max(len(r) for r in sheet.rows)
    for i, row in enumerate(sheet.rows):
        if i < header_at and not any(v is not None for v in row[1:]):
            continue  # a title or blank row stays as it is
        row.extend([None] * (last - len(row)))
        row.append(header if i == header_at else cells.get(row[0]) if i > header_at else None)
    sheet.widths = tuple(sheet.widths) + (width,)


def _language(truth: dict[str, dict[str, pd.DataFrame]], books: dict[str, _Book], seed: int) -> None:
    """The taal of every family (book.expected["language"]) and its column in A's and B's sheets;
    F's is written by `workbook_bytes`. Uses generators of its own and touches nothing else."""
    rng = np.random.default_rng([seed, LANGUAGE_SUBSEED])
    for j, o in enumerate(ORGANISATIONS):
        fam, req = truth[o.name]["families"], truth[o.name]["requests"]
        level = _language_levels(rng, fam, req)
        forms = np.random.default_rng([seed, LANGUAGE_SUBSEED + 1 + j])
        cell = np.full(len(fam), None, dtype=object)
        filled = [i for i in range(len(fam)) if level[i] is not None]
        if o.letter == "A":
            written = _assign_forms(forms, [A_LANGUAGE[level[i]] for i in filled], A_LANGUAGE_AT_LEAST)
            cell[filled] = written
            empty = [i for i in range(len(fam)) if level[i] is None]
            if empty:
                cell[empty[0]] = A_LANGUAGE_REMARK
        elif o.letter == "B":
            cell[filled] = [_pick(forms, B_LANGUAGE[level[i]]) for i in filled]
        elif o.letter == "F":
            cell[filled] = level[filled]
        carried = o.letter in CARRIES_LANGUAGE
        expected = [lv if carried and c is not None and c != A_LANGUAGE_REMARK else None
                    for lv, c in zip(level, cell)]
        books[o.name].expected["language"] = pd.DataFrame({
            "organisation": o.name, "family": fam["family"].to_numpy(), "language": level, "cell": cell,
            "expected": pd.Series(expected, dtype=object)})
        cells = dict(zip(fam["family"], cell))
        if o.letter == "A":
            for sheet in books[o.name].sheets:
                if sheet.name in A_YEARS:
                    _append_column(sheet, 2, A_LANGUAGE_HEADER, cells, 24)
        elif o.letter == "B":
            _append_column(books[o.name].sheets[0], 1, B_LANGUAGE_HEADER, cells, 12)


# -- funnel: fase and resultaat (F carries it) -------------------------------------------------------
def _funnel_values(rng, fam: pd.DataFrame, peil: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Per family the furthest phase and the result: exactly round(FUNNEL_INTAKE_ONLY × n) stop at intake
    (first an afgerond family with an early-exit reason or a lopend one that started recently), the others
    reach begeleiding; a lopend one's result is lopend, an afgerond one's geslaagd for round(FUNNEL_GESLAAGD × k)
    of them (first those whose goals were reached), else niet geslaagd. Families at intake get no result."""
    n = len(fam)
    done = (fam["status"] == tx.STATUS_AFGEROND).to_numpy()
    early = fam["end_reason"].isin(FUNNEL_EARLY_EXIT).to_numpy() & done
    start = pd.to_datetime(fam["start"]).to_numpy()
    recent = ~done & (start >= np.datetime64(peil - dt.timedelta(days=FUNNEL_RECENT_DAYS)))
    priority = rng.random(n) + 0.6 * early + 0.6 * recent
    intake_only = np.argsort(-priority, kind="stable")[:_round_half_up(FUNNEL_INTAKE_ONLY * n)]
    phase = np.full(n, "begeleiding", dtype=object)
    phase[intake_only] = "intake"
    result = np.full(n, None, dtype=object)
    guided = phase == "begeleiding"
    result[guided & ~done] = "lopend"
    closed = np.flatnonzero(guided & done)
    goals = (fam["end_reason"] == "doelen bereikt").to_numpy()[closed]
    ranked = closed[np.argsort(-(rng.random(closed.size) + 0.6 * goals), kind="stable")]
    k = _round_half_up(FUNNEL_GESLAAGD * closed.size)
    result[ranked[:k]] = "geslaagd"
    result[ranked[k:]] = "niet geslaagd"
    return phase, result


def _funnel(truth: dict[str, dict[str, pd.DataFrame]], books: dict[str, _Book], seed: int) -> None:
    """The fase and resultaat of every family (book.expected["funnel"]; None outside F, which writes them
    through `workbook_bytes`). Uses a generator of its own and touches nothing else."""
    rng = np.random.default_rng([seed, FUNNEL_SUBSEED])
    for o in ORGANISATIONS:
        fam = truth[o.name]["families"]
        if o.letter in CARRIES_FUNNEL:
            phase, result = _funnel_values(rng, fam, PEILDATUM)
        else:
            phase = result = np.full(len(fam), None, dtype=object)
        books[o.name].expected["funnel"] = pd.DataFrame({
            "organisation": o.name, "family": fam["family"].to_numpy(), "status": fam["status"].to_numpy(),
            "phase": pd.Series(phase, dtype=object), "result": pd.Series(result, dtype=object)})


_LAYOUT_BUILDERS = {
    "vrije tekst": _layout_vrije_tekst,
    "vinkjes": _layout_vinkjes,
    "eigen codes": _layout_eigen_codes,
    "zrm": _layout_zrm,
    "contactlog": _layout_contactlog,
    "registratieformat": _layout_registratieformat,
}


# -- public API -------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=2)
def _world(seed: int) -> tuple[dict[str, dict[str, pd.DataFrame]], dict[str, _Book]]:
    sizes = np.array([o.size for o in CALIBRATION_DRAW])
    sim = _simulate(CALIBRATION_DRAW, sizes, seed, PEILDATUM)
    org = _redistribute(sim, seed)
    truth = _assemble(sim, [o.name for o in ORGANISATIONS], [o.prefix for o in ORGANISATIONS], org,
                      _wijken(org, seed))
    books = {o.name: _LAYOUT_BUILDERS[o.layout](o, truth[o.name], np.random.default_rng([seed, 100 + j]))
             for j, o in enumerate(ORGANISATIONS)}
    _language(truth, books, seed)
    _funnel(truth, books, seed)
    return truth, books


def _copy(frames: dict[str, dict[str, pd.DataFrame]]) -> dict[str, dict[str, pd.DataFrame]]:
    return {name: {k: f.copy() for k, f in sheets.items()} for name, sheets in frames.items()}


def generate(seed: int = SEED) -> dict[str, dict[str, pd.DataFrame]]:
    """The calibrated truth of the six sample organisations in the common model:
    organisation name -> sheet key (families, requests, progress, hours) -> frame with column keys.
    The same 213 families as the five-organisation version, redistributed; see the module docstring."""
    return _copy(_world(seed)[0])


def expected_import(seed: int = SEED) -> dict[str, dict[str, pd.DataFrame]]:
    """What each organisation's own file carries, in common-model terms: the frames a harmonising
    importer should arrive at. Like `generate()`, except where a layout has no place for something:
    those columns are None/NaT (e.g. request dates outside C and F, wijk and schulden in B, the family
    background in E), those frames are empty (voortgang of B, D and E; weekly hours of A, C, D and E),
    request labels are the organisation's own words (A's free text, B's column headers, C's codes,
    D's omschrijving, E's short labels), and A's month-only start dates are the 1st of that month
    (A's families also get `expected_end` from "naar verwachting januari 2027"). Extra keys: "zrm"
    (D), "contacts" and "severity" (E), "language" and "funnel" (every organisation)."""
    return _copy({name: book.expected for name, book in _world(seed)[1].items()})


def _extra(key: str, seed: int) -> pd.DataFrame:
    parts = [book.expected[key] for book in _world(seed)[1].values() if key in book.expected]
    return pd.concat(parts, ignore_index=True)


def zrm_truth(seed: int = SEED) -> pd.DataFrame:
    """ZRM levels of Wijkpost De Overkant: organisation, family, moment (T0/T1/T2 = start, +6, +12 months,
    only moments reached by the end date or peildatum), date, domain (ZRM), leefgebied, level (1–5).
    A domain related to one of the family's requests starts at 1–3 and moves with the family's calibrated
    voortgangsscore on that leefgebied (5: +2, 4: +1 or +2, 3: +1, 2: 0, 1: −1 by the last moment);
    other scored domains start at 3–5 and mostly stay. Domains not scored are absent (empty cells)."""
    return _extra("zrm", seed)


def language_truth(seed: int = SEED) -> pd.DataFrame:
    """Beheersing Nederlandse taal of every sample family: organisation, family, language (goed,
    voldoende, matig, slecht, onbekend, or None: not filled in), cell (as written in the organisation's
    file; None where it is empty or the layout has no taal column: only A, B and F have one) and
    expected (what an importer should store as the family's taal: None where nothing or no level is
    written). Per organisation a third of the known levels is matig or slecht (LANGUAGE)."""
    return _extra("language", seed)


def funnel_truth(seed: int = SEED) -> pd.DataFrame:
    """The funnel of every sample family: organisation, family, status, phase (furthest phase reached:
    intake or begeleiding) and result (geslaagd / niet geslaagd / lopend after begeleiding, None at intake).
    Only Stichting Samen Verder (F, registratieformat) carries it; phase and result are None elsewhere."""
    return _extra("funnel", seed)


def contacts_truth(seed: int = SEED) -> pd.DataFrame:
    """Contact log of Stichting Naast Elkaar: organisation, family, date, minutes, contact_type,
    support_type (via CONTACT_TYPES). Built from the families' calibrated weekly hours; see
    `_layout_contactlog` for how close `contact_hours` comes to them."""
    return _extra("contacts", seed)


def severity_truth(seed: int = SEED) -> pd.DataFrame:
    """Problem severity of Stichting Naast Elkaar: organisation, family, indicator, unit (gezin/ouder/
    kind), leefgebied, moment (T0–T3 = start, +6, +12, +18 months, only moments reached by the end date or
    peildatum), date, severity (geen/licht/middel/zwaar, or onbekend for about 6% of the cells)."""
    return _extra("severity", seed)


def generate_one(n_families: int, seed: int = SEED, organisation: OrgSpec = BENCH_ORGANISATION) -> dict[str, pd.DataFrame]:
    """One organisation with n families, calibrated as the samples (for the benchmark)."""
    if n_families < 1:
        raise ValueError("n_families must be at least 1")
    return _build((organisation,), np.array([n_families]), seed, PEILDATUM)[organisation.name]


_CORE_TIMESTAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _reproducible_xlsx(data: bytes) -> bytes:
    """Fix the zip entry times and the document's created/modified stamps to the peildatum, so the
    same cell values give the same bytes (stable sha256 and no churn in git)."""
    stamp = (PEILDATUM.year, PEILDATUM.month, PEILDATUM.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMESTAMP.sub(rb"\g<1>" + f"{PEILDATUM.isoformat()}T00:00:00Z".encode() + rb"\2",
                                              content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, content)
    return out.getvalue()


def workbook_bytes(organisation: str, seed: int = SEED) -> bytes:
    """The sample workbook of one organisation, byte-reproducible."""
    truth, books = _world(seed)
    book = books[organisation]
    if book.sheets is None:
        buffer = io.BytesIO()
        frames = dict(truth[organisation])
        frames["families"] = frames["families"].assign(language=book.expected["language"]["cell"].to_numpy(),
                                                       phase=book.expected["funnel"]["phase"].to_numpy(),
                                                       result=book.expected["funnel"]["result"].to_numpy())
        write_workbook(buffer, frames, organisation=organisation, peildatum=PEILDATUM)
        data = buffer.getvalue()
    else:
        data = _workbook_bytes(book.sheets)
    return _reproducible_xlsx(data)


def write_samples(directory: str | Path = SAMPLE_DIR, seed: int = SEED) -> list[Path]:
    """One workbook per organisation, each in its own layout; sample files of organisations that no
    longer exist are removed from `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for o in ORGANISATIONS:
        path = directory / sample_file_name(o.name)
        path.write_bytes(workbook_bytes(o.name, seed))
        paths.append(path)
    for stale in sorted(set(directory.glob("voorbeeld_*.xlsx")) - set(paths)):
        stale.unlink()
    return paths


def main() -> int:
    for path in write_samples():
        print(f"geschreven: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
