"""Organisaties: the comparison table in the style of the programme's published table (DOMAIN §2) and the
profile of one organisation against the others pooled.

Every figure carries its n; durations use Kaplan–Meier with running trajectories censored at the peildatum.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import string
from dataclasses import replace

import numpy as np
import pandas as pd

from . import disclosure, investment, metrics, stats
from . import taxonomy as tx
from .store import Dataset

ALL_ORGANISATIONS = investment.ALL_ORGANISATIONS
SELECTED, OTHERS = "selected", "others"
STARTED_LATER = metrics.STARTED_LATER

DEFINITIONS = {
    "comparison": (
        "Per organisatie: start = maand van de vroegste startdatum van een traject (tot de peildatum); intensief = "
        "gezinnen met een intensief traject in de gegevens (alleen die worden geregistreerd), zoals op de peildatum: "
        "een gezin waarvan elk traject pas na de peildatum begint telt niet mee (apart vermeld bij 'Niet meegeteld');"
        " kort (1–3 gesprekken) wordt in dit model niet geregistreerd. Lopend/afgerond = trajecten zoals ze op de "
        "peildatum stonden (een traject dat na de peildatum begint telt niet mee). Hulpvragen per gezin = hulpvragen "
        "÷ gezinnen met minstens één hulpvraag (te beoordelen telt niet mee). Mediane duur = Kaplan–Meier, lopende "
        "trajecten gecensureerd op de peildatum, met 95%-betrouwbaarheidsinterval; 'niet bereikt' = minder dan de "
        "helft is afgerond. Uren = gemiddelde inzet van professionals (gesprekken, regelzaken, praktische steun) in "
        "uren per week per gezin bij de eerste en de laatste meting: per gezin de som van zijn soorten steun op dat "
        "moment (per soort de eerste en de laatste meting). n.v.t. telt als 0 naast een soort die wel gold; een gezin"
        " waarvoor op dat moment geen enkele soort gold (alles n.v.t.) telt niet mee in n; een ingevulde 0 telt wel. "
        "Contactlogs: de eerste trajectmaand en de laatste trajectmaand met een contact, in uren per week."
    ),
    "needs_vs_others": (
        "Aandeel gezinnen met minstens één hulpvraag op het leefgebied, van de gezinnen met een hulpvraag, voor de "
        "gekozen organisatie en voor de overige organisaties samen; 95%-betrouwbaarheidsinterval (Wilson). Hulpvragen "
        "die nog te beoordelen zijn tellen niet mee."
    ),
    "median_duration": (
        "Mediane trajectduur: de duur waarop volgens Kaplan–Meier de helft van de trajecten is afgerond; lopende "
        "trajecten tellen mee tot de peildatum (gecensureerd), dus ze trekken de mediaan niet omlaag. Lijn = "
        "95%-betrouwbaarheidsinterval; 'niet bereikt' = minder dan de helft is afgerond (of de grens is niet te "
        "bepalen), een gestippelde lijn loopt dan door. Duur in maanden zoals op de pagina Trajectduur."
    ),
    "duration_vs_others": (
        "Kaplan–Meier-curve: aandeel trajecten dat na t maanden nog loopt, lopende trajecten gecensureerd op de "
        "peildatum. Duur in maanden zoals op de pagina Trajectduur; mediane duur met 95%-interval."
    ),
}


def anonymous_names(organisations, secret: bytes | None = None) -> dict[str, str]:
    """'Organisatie A', 'B', … (learning circles compare anonymously): in alphabetical order of the real names,
    or, with `secret`, in the order of a keyed hash of each name, so that knowing which organisations take
    part does not tell which letter is whose (the letters stay the same from session to session)."""
    names = sorted({o for o in organisations if isinstance(o, str)})
    if secret is not None:
        names.sort(key=lambda name: hmac.new(secret, f"letter:{name}".encode(), hashlib.sha256).digest())
    return {name: letter_name(i) for i, name in enumerate(names)}


def letter_name(i: int) -> str:
    """The i-th anonymous name (0 -> 'Organisatie A', 26 -> 'Organisatie AA')."""
    letters = string.ascii_uppercase
    return f"Organisatie {letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]}"


def lasting_names(previous: dict[str, str], organisations, secret: bytes | None = None) -> dict[str, str]:
    """Anonymous names that stay the same for a whole presentation session: organisations already named keep
    their letter, one that appears during the session (a live upload) gets the next free letter instead of
    shifting everybody's. The first lettering is `anonymous_names(organisations, secret)`."""
    if not previous:
        return anonymous_names(organisations, secret)
    out = dict(previous)
    for name in sorted({o for o in organisations if isinstance(o, str)} - set(out)):
        out[name] = letter_name(len(out))
    return out


def rename_organisations(ds: Dataset, names: dict[str, str]) -> Dataset:
    """The dataset with organisation names replaced (e.g. by `anonymous_names`); unknown names stay."""
    def renamed(frame: pd.DataFrame) -> pd.DataFrame:
        if "organisation" not in frame:
            return frame
        return frame.assign(organisation=frame["organisation"].map(lambda o: names.get(o, o)))
    return replace(ds, families=renamed(ds.families), trajectories=renamed(ds.trajectories),
                   requests=renamed(ds.requests), measurements=renamed(ds.measurements), hours=renamed(ds.hours),
                   batches=renamed(ds.batches))


def _km(durations: pd.DataFrame) -> dict:
    """n, events (afgerond), censored and the KM median with its 95% interval of usable durations."""
    kept = durations[durations["excluded"].isna()]
    observed = kept["status_at_peildatum"] == tx.STATUS_AFGEROND
    if kept.empty:
        return {"km_n": 0, "km_afgerond": 0, "median": np.nan, "median_lo": np.nan, "median_hi": np.nan}
    median = stats.km_median(stats.kaplan_meier(kept["months"].astype(float), observed))
    return {"km_n": int(len(kept)), "km_afgerond": int(observed.sum()), "median": median["median"],
            "median_lo": median["lower"], "median_hi": median["upper"]}


def _requests_per_family(requests: pd.DataFrame) -> dict:
    """The metrics.REQUESTS_PER_FAMILY logic: counted requests ÷ families with at least one."""
    n_req, n_fam = len(requests), int(requests["family"].nunique())
    return {"requests": n_req, "families_with_requests": n_fam,
            "requests_per_family": n_req / n_fam if n_fam else np.nan}


def _weekly_professional(weekly: pd.DataFrame) -> dict:
    out = {}
    for moment in ("start", "latest"):
        values = weekly.loc[weekly["moment"] == moment, investment.PROFESSIONAL].dropna().astype(float)
        out[f"n_hours_{moment}"] = int(len(values))
        out[f"hours_{moment}"] = float(values.mean()) if len(values) else np.nan
    return out


COMPARISON_COLUMNS = [
    "organisation", "start", "intensive", "families_not_started", "short", "trajectories", tx.STATUS_LOPEND,
    tx.STATUS_AFGEROND, "not_started", "requests", "families_with_requests", "requests_per_family", "km_n",
    "km_afgerond", "median", "median_lo", "median_hi", "n_hours_start", "hours_start", "n_hours_latest", "hours_latest",
]


# Per block of columns: a count from 1 to k-1 hides the block in that row (see disclosure.protect_blocks). Lopend and
# afgerond go with the trajectories they add up to; the mean requests and the median duration with their counts.
COMPARISON_BLOCKS = (
    (("intensive",), ()),
    (("families_not_started",), ()),
    (("trajectories", tx.STATUS_LOPEND, tx.STATUS_AFGEROND), ()),
    (("not_started",), ()),
    (("requests", "families_with_requests"), ("requests_per_family",)),
    (("km_n", "km_afgerond"), ("median", "median_lo", "median_hi")),
    (("n_hours_start",), ("hours_start",)),
    (("n_hours_latest",), ("hours_latest",)),
)


def _protect_comparison(table: pd.DataFrame, who) -> pd.DataFrame:
    return disclosure.protect_blocks(table, COMPARISON_BLOCKS, total=(table["organisation"] == ALL_ORGANISATIONS).to_numpy(),
                                  who=who)


@disclosure.protects(disclosure.Rule(
    counts=tuple(c for counts, _ in COMPARISON_BLOCKS for c in counts),
    values=tuple(v for _, values in COMPARISON_BLOCKS for v in values),
    note="per organisation and a total row; per block of columns (COMPARISON_BLOCKS), each count column a "
         "partition of the total row"), shape=_protect_comparison)
def comparison_table(families: pd.DataFrame, trajectories: pd.DataFrame, requests: pd.DataFrame,
                     hours: pd.DataFrame, peildatum: dt.date) -> pd.DataFrame:
    """One row per organisation and a pooled 'Totaal' row (see DEFINITIONS["comparison"]).

    `start` is the first day of the month of the earliest start date up to the peildatum; `short` is NaN: short
    trajectories (1–3 talks) are not registered in this model. `intensive` counts families as they stood at the
    peildatum, like lopend/afgerond: a family whose every trajectory starts after the peildatum is left out and
    counted in `families_not_started` (`not_started` counts such trajectories). The total row pools families (not
    a mean of the rows): its median duration is the Kaplan–Meier median of all trajectories together.
    `.attrs["te_beoordelen"]`: requests left out."""
    counted, pending = metrics.counted_requests(requests)
    # Computed on every row and protected once, as a whole (see disclosure.unprotected).
    durations = (disclosure.unprotected(metrics.trajectory_durations)(trajectories, peildatum) if len(trajectories)
                 else trajectories.assign(excluded=None, status_at_peildatum=None, months=np.nan))
    weekly = disclosure.unprotected(investment.family_weekly_investment)(hours, trajectories, peildatum)
    orgs = sorted(set(families["organisation"].dropna()) | set(trajectories["organisation"].dropna()))

    def row(name, fam, traj, dur, req, wk) -> dict:
        later = dur["excluded"] == STARTED_LATER
        started = dur[~later]
        start = pd.to_datetime(started["start_date"]).min()
        status = started["status_at_peildatum"]
        # Families without any trajectory stay in (they are registered); only "not begun yet" is left out.
        not_begun = set(dur.loc[later, "family"]) - set(started["family"])
        families_in = set(fam["family"])
        return {
            "organisation": name,
            "start": start.to_period("M").to_timestamp() if pd.notna(start) else pd.NaT,
            "intensive": len(families_in - not_begun),
            "families_not_started": len(families_in & not_begun),
            "short": np.nan,
            "trajectories": int(len(traj)),
            tx.STATUS_LOPEND: int((status == tx.STATUS_LOPEND).sum()),
            tx.STATUS_AFGEROND: int((status == tx.STATUS_AFGEROND).sum()),
            "not_started": int(len(dur) - len(started)),
            **_requests_per_family(req), **_km(dur), **_weekly_professional(wk),
        }

    rows = [row(o, families[families["organisation"] == o], trajectories[trajectories["organisation"] == o],
                durations[durations["organisation"] == o], counted[counted["organisation"] == o],
                weekly[weekly["organisation"] == o]) for o in orgs]
    rows.append(row(ALL_ORGANISATIONS, families, trajectories, durations, counted, weekly))
    out = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    out.attrs.update(te_beoordelen=pending)
    return out


def _split(frame: pd.DataFrame, organisation: str) -> dict[str, pd.DataFrame]:
    return {SELECTED: frame[frame["organisation"] == organisation],
            OTHERS: frame[frame["organisation"] != organisation]}


def _protect_needs_vs_others(out: pd.DataFrame, who) -> pd.DataFrame:
    """Rows as the rule says; the two groups add up, per leefgebied, to the figure of all organisations (families),
    and their sizes to all families with a request, so hiding one can hide the other. A hidden group size (in
    attrs["n"] None) hides all of that group's rows."""
    sizes = pd.Series(out.attrs["n"], dtype="int64")
    hidden = set(sizes.index[disclosure.complementary(sizes, (sizes >= 1) & (sizes < who.k), who.k)])
    frame = out.assign(_groep_verborgen=out["group"].isin(hidden).astype(int))
    frame.attrs = dict(out.attrs)
    rule = disclosure.Rule(counts=(*NEEDS_VS_OTHERS.counts, "_groep_verborgen"), values=NEEDS_VS_OTHERS.values)
    protected = disclosure.protect_rows(frame, rule, ((("leefgebied",), "families"),), who)
    attrs = dict(protected.attrs)
    protected = protected.drop(columns="_groep_verborgen")
    protected.attrs = attrs | {"n": {g: (None if g in hidden else int(n)) for g, n in out.attrs["n"].items()}}
    return protected


NEEDS_VS_OTHERS = disclosure.Rule(
    counts=("families", "n"), values=("families_pct", "families_pct_lo", "families_pct_hi"),
    note="per leefgebied × (selected, others); per leefgebied the two groups add up to all organisations'")


@disclosure.protects(NEEDS_VS_OTHERS, shape=_protect_needs_vs_others)
def needs_vs_others(requests: pd.DataFrame, organisation: str) -> pd.DataFrame:
    """Per leefgebied and group (selected organisation / the others pooled): families with a request there out of
    the group's families with any request, with a 95% Wilson interval. `.attrs`: n per group, te_beoordelen."""
    counted, pending = metrics.counted_requests(requests)
    parts, n = [], {}
    for group, part in _split(counted, organisation).items():
        table = disclosure.unprotected(metrics.needs)(part)
        n[group] = table.attrs["n_families"]
        table = stats.with_wilson(table.assign(n=n[group]), "families", "n", "families_pct")
        parts.append(table.assign(group=group))
    out = pd.concat(parts, ignore_index=True)[["group", "leefgebied", "families", "n", "families_pct",
                                                "families_pct_lo", "families_pct_hi"]]
    out.attrs.update(n=n, te_beoordelen=pending)
    return out


def _protect_duration(out: pd.DataFrame, who) -> pd.DataFrame:
    """A Kaplan–Meier curve steps at every single trajectory's end: per family values, so a group's curve is kept
    only when the viewer owns every organisation in it (attrs `rows_withheld`: the steps left out). Its summary
    (n, afgerond, median) is an aggregate: hidden (None, `verborgen` True) when a count is 1..k-1, or when the
    other group's is (both add up to all organisations' trajectories)."""
    k = who.k
    owned = {g: who.owns(orgs) for g, orgs in out.attrs.get("organisations", {}).items()}
    keep = out["group"].map(owned).fillna(False).astype(bool)
    kept = out.loc[keep].copy()
    summary = {g: dict(v) for g, v in out.attrs["summary"].items()}
    hidden = pd.Series(False, index=list(summary))
    for col in ("km_n", "km_afgerond"):
        counts = pd.Series({g: v[col] for g, v in summary.items()})
        hidden |= (counts >= 1) & (counts < k)
        hidden |= disclosure.complementary(counts, hidden, k)
    for g, v in summary.items():
        v[disclosure.HIDDEN] = bool(hidden[g])
        if hidden[g]:
            v.update(km_n=None, km_afgerond=None, median=np.nan, median_lo=np.nan, median_hi=np.nan)
    kept[disclosure.HIDDEN] = False
    kept.attrs = dict(out.attrs) | {"summary": summary, "rows_withheld": int((~keep).sum()),
                                    "groups_withheld": sorted(g for g, mine in owned.items() if not mine),
                                    "suppressed": int(hidden.sum()), "k": k}
    return kept


@disclosure.protects(disclosure.Rule(
    row_level=True, counts=("km_n", "km_afgerond"), values=("median", "median_lo", "median_hi"),
    note="Kaplan–Meier steps are per trajectory: a group's curve only for its owner; the summary per group is "
         "suppressed as counts"), shape=_protect_duration)
def duration_vs_others(trajectories: pd.DataFrame, organisation: str, peildatum: dt.date) -> pd.DataFrame:
    """Kaplan–Meier tables of the selected organisation and the others pooled, stacked with a `group` column.
    `.attrs["summary"]`: per group n, afgerond (events), median and its 95% interval; `.attrs["excluded"]`:
    reason → trajectories left out (both groups)."""
    durations = disclosure.unprotected(metrics.trajectory_durations)(trajectories, peildatum)
    tables, summary = [], {}
    for group, part in _split(durations, organisation).items():
        kept = part[part["excluded"].isna()]
        summary[group] = _km(part)
        if len(kept):
            km = stats.kaplan_meier(kept["months"].astype(float), kept["status_at_peildatum"] == tx.STATUS_AFGEROND)
            tables.append(km.assign(group=group))
    out = (pd.concat(tables, ignore_index=True) if tables
           else pd.DataFrame(columns=[*stats.KM_COLUMNS, "group"]))
    out.attrs.update(summary=summary,
                     excluded={str(k): int(v) for k, v in durations["excluded"].value_counts().items()},
                     organisations={g: sorted(set(part["organisation"].dropna()))
                                    for g, part in _split(durations, organisation).items()})
    return out


@disclosure.protects(disclosure.Rule(
    counts=("n",), values=("mean_hours_per_week",),
    note="per group × moment × measure; per moment and measure the two groups add up to all organisations' n"),
    within=((("moment", "measure"), "n"),))
def hours_vs_others(hours: pd.DataFrame, trajectories: pd.DataFrame, organisation: str,
                    peildatum: dt.date | None = None) -> pd.DataFrame:
    """Mean investment hours per week per family at the first and latest moment, professional, volunteer and
    total (see investment.DEFINITIONS["organisation_hours"]), for the selected organisation and the others
    pooled: columns group, moment, measure, n, mean_hours_per_week; `.attrs["excluded"]` as
    family_weekly_investment's (all organisations)."""
    weekly = disclosure.unprotected(investment.family_weekly_investment)(hours, trajectories, peildatum)
    rows = []
    for group, part in _split(weekly, organisation).items():
        for moment in ("start", "latest"):
            m = part[part["moment"] == moment]
            for measure in investment.GROUPS:
                values = m[measure].dropna().astype(float)
                rows.append({"group": group, "moment": moment, "measure": measure, "n": int(len(values)),
                             "mean_hours_per_week": float(values.mean()) if len(values) else np.nan})
    out = pd.DataFrame(rows, columns=["group", "moment", "measure", "n", "mean_hours_per_week"])
    out.attrs["excluded"] = dict(weekly.attrs.get("excluded", {}))  # for "Hoe berekend?"
    return out
