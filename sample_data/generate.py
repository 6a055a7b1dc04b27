"""Deterministic synthetic sample data (voorbeelddata) in the registration format.

Five fictional organisations with 213 intensive families in total, calibrated on the published
programme figures of DOMAIN.md (§2, §3.1, §3.3, §3.4, §3.5, §3.7), shifted five years so the
programme runs from 2024-01 to the fixed peildatum 2026-10-31. Nothing depends on today's date:
the same seed gives the same cell values on every run.

    python -m sample_data.generate          # rewrite sample_data/voorbeeld_*.xlsx

`generate_one(n)` makes one organisation of any size with the same calibration (benchmark).
All organisation names, family codes and labels are invented; no names of people.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gezinsmonitor import taxonomy as tx  # noqa: E402
from gezinsmonitor.template import write_workbook  # noqa: E402

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


# Sizes as the five monitored projects of DOMAIN §2 (152/25/31/31/23 intensive, 213 monitored),
# rescaled to 120/22/26/25/20; start dates shifted +5 years.
ORGANISATIONS: tuple[OrgSpec, ...] = (
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


def _build(orgs: tuple[OrgSpec, ...], sizes: np.ndarray, seed: int, peil: dt.date) -> dict[str, dict[str, pd.DataFrame]]:
    rng = np.random.default_rng(seed)
    tr = _trajectories(rng, orgs, sizes, peil)
    rq = _requests(rng, orgs, tr, peil)
    bg = _background(rng, orgs, tr, rq)
    pr = _progress(rng, tr, rq, peil)
    hr = _hours(rng, tr, peil)
    n = len(tr["org"])

    # Family codes per organisation, numbered in order of start date.
    codes = np.empty(n, dtype=object)
    rank = np.empty(n, dtype=int)  # global sort key: organisation, then number
    for j, o in enumerate(orgs):
        sel = np.flatnonzero(tr["org"] == j)
        sel = sel[np.argsort(tr["start"][sel], kind="stable")]
        width = max(3, len(str(sel.size)))
        codes[sel] = [f"{o.prefix}-{k:0{width}d}" for k in range(1, sel.size + 1)]
        rank[sel] = np.arange(sel.size)

    families = pd.DataFrame({
        "_org": tr["org"], "_rank": rank,
        "family": codes,
        "start": _timestamps(tr["start"]),
        "end": _timestamps(tr["end"]),
        "status": np.where(tr["done"], tx.STATUS_AFGEROND, tx.STATUS_LOPEND).astype(object),
        "end_reason": tr["end_reason"],
        "composition": bg["composition"],
        "children": bg["children"].astype(int),
        "wijk": bg["wijk"],
        "debts": bg["debts"],
    })
    lg_order = {lg: j for j, lg in enumerate(LEEFGEBIEDEN)}
    requests = pd.DataFrame({
        "_org": tr["org"][rq["fam"]], "_rank": rank[rq["fam"]],
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
        "_org": tr["org"][pr["fam"]], "_rank": rank[pr["fam"]], "_lg": pr["lg"],
        "family": codes[pr["fam"]],
        "date": _timestamps(pr["date"]),
        "leefgebied": np.array(LEEFGEBIEDEN, dtype=object)[pr["lg"]],
        "score": score,
    })
    hours_val = np.full(hr["hours"].size, NVT, dtype=object)
    applies = ~np.isnan(hr["hours"])
    hours_val[applies] = hr["hours"][applies].astype(object)
    hours = pd.DataFrame({
        "_org": tr["org"][hr["fam"]], "_rank": rank[hr["fam"]], "_lg": hr["type"],
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
    for j, o in enumerate(orgs):
        sheets = {}
        for key, frame in frames.items():
            part = frame[frame["_org"] == j].sort_values(sort_keys[key], kind="stable")
            part = part.drop(columns=[c for c in part.columns if c.startswith("_")])
            sheets[key] = part.reset_index(drop=True)
        out[o.name] = sheets
    return out


def generate(seed: int = SEED) -> dict[str, dict[str, pd.DataFrame]]:
    """The five sample organisations: organisation name -> sheet key -> frame with column keys."""
    sizes = np.array([o.size for o in ORGANISATIONS])
    return _build(ORGANISATIONS, sizes, seed, PEILDATUM)


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


def write_samples(directory: str | Path = SAMPLE_DIR, seed: int = SEED) -> list[Path]:
    """One workbook per organisation, organisation and peildatum filled in on the instruction sheet."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, sheets in generate(seed).items():
        path = directory / sample_file_name(name)
        buffer = io.BytesIO()
        write_workbook(buffer, sheets, organisation=name, peildatum=PEILDATUM)
        path.write_bytes(_reproducible_xlsx(buffer.getvalue()))
        paths.append(path)
    return paths


def main() -> int:
    for path in write_samples():
        print(f"geschreven: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
