"""Kaplan–Meier per group (organisation) and the median duration with its 95% interval.

Input is `metrics.trajectory_durations`: months as a float, the status at the peildatum and the reason
a trajectory is left out. Afgerond at the peildatum is an observed end (event); lopend is censored at
the peildatum, because its final duration is unknown and only known to be longer.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import disclosure, stats
from . import taxonomy as tx

OVERALL = "Alle organisaties"
KM_GROUP_COLUMNS = ["group", "is_overall", "n", "families", *stats.KM_COLUMNS]
MEDIAN_COLUMNS = ["group", "is_overall", "n", "families", "events", "censored", "median", "lower", "upper"]

DEFINITION = (
    "Kaplan–Meier-schatting van het aandeel trajecten dat na zoveel maanden nog loopt. Een afgerond traject telt "
    "als einde op zijn einddatum; een lopend traject telt mee tot de peildatum en is daarna gecensureerd (de "
    "uiteindelijke duur is langer, maar onbekend). Zo tellen lopende trajecten mee zonder als korte trajecten te "
    "worden gelezen. De mediane duur is de eerste duur waarop de curve op of onder 50% komt; het 95%-interval "
    "neemt hetzelfde punt van de onder- en bovengrens van de band (Greenwood, log(−log)-schaal). 'Niet bereikt': "
    "de curve (of de grens) komt niet onder 50%, omdat te weinig trajecten zijn afgerond."
)


def km_input(durations: pd.DataFrame) -> pd.DataFrame:
    """The usable rows with `observed` (True = afgerond at the peildatum, False = lopend, censored)."""
    kept = durations[durations["excluded"].isna() & durations["months"].notna()].copy()
    kept["months"] = kept["months"].astype(float)
    kept["observed"] = (kept["status_at_peildatum"] == tx.STATUS_AFGEROND).to_numpy()
    return kept


def _excluded(durations: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in durations["excluded"].dropna().value_counts().items()}


def _families(rows: pd.DataFrame) -> int:
    return int(rows["family"].nunique()) if "family" in rows else len(rows)


def _groups(kept: pd.DataFrame, by: str | None, overall: str | None):
    """(name, rows, is_overall) per group, the overall group first."""
    if overall is not None or by is None:
        yield (overall or OVERALL), kept, True
    if by is not None:
        for name, rows in kept.groupby(by, sort=True):
            yield str(name), rows, False


MEDIAN_COUNTS = ("n", "families", "events", "censored")
MEDIAN_VALUES = ("median", "lower", "upper")
PROTECTED_NOTE = (
    "Voor wie de gegevens niet bezit: alleen groepen met minstens k gezinnen en zonder kleine aantallen afgerond of "
    "lopend; de curve op hele maanden, met een stap pas als er sinds de vorige minstens k trajecten afgerond zijn, "
    "en alleen zolang er minstens k trajecten in beeld zijn. Zo is geen duur van één traject af te lezen."
)


def coarse_curve(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """A Kaplan–Meier table as someone who does not own the rows may see it: points at whole months only, a new
    point only once at least k events have happened since the previous one, and none after the number at risk
    drops below k. Each step of a Kaplan–Meier curve is one or a few trajectories ending at their exact duration;
    this keeps every step a group of at least k, so no single duration can be read off. The per-step counts
    (at_risk, events, censored) are left out (NaN): with the survival they would give the small counts back."""
    times = table["time"].to_numpy(float)
    events = table["events"].to_numpy(float)
    at_risk = table["at_risk"].to_numpy(float)
    rows = [{"time": 0.0, "survival": 1.0, "lower": 1.0, "upper": 1.0}]
    last, since = 0, 0.0
    top = int(math.ceil(times.max())) if len(times) else 0
    for month in range(1, top + 1):
        # Those still in view at the month: at risk at the first time after it.
        later = at_risk[times > month]
        if not len(later) or later[0] < k:
            break
        since = float(events[(times > last) & (times <= month)].sum())
        if since >= k:
            at = table[table["time"] <= month].iloc[-1]
            rows.append({"time": float(month), "survival": float(at["survival"]), "lower": float(at["lower"]),
                         "upper": float(at["upper"])})
            last = month
    out = pd.DataFrame(rows)
    for col in ("at_risk", "events", "censored"):
        out[col] = np.nan
    return out[stats.KM_COLUMNS]


def _protect_medians(table: pd.DataFrame, who: disclosure.Audience) -> pd.DataFrame:
    """Groups (not the overall row) partition the overall row: a group with a count 1..k-1 (fewer than k families,
    or few afgerond or lopend) is hidden whole, and more groups where a hidden count could be recovered from the
    overall row (`disclosure.suppress_rows`); the overall row goes when one of its counts is small."""
    k = who.k
    out = table.copy()
    out.attrs = dict(table.attrs)
    groups = ~out["is_overall"].astype(bool).to_numpy()
    positions = np.flatnonzero(groups)
    hide, totals_hidden = disclosure.suppress_rows([out.loc[groups, col].tolist() for col in MEDIAN_COUNTS], k)
    mask = np.zeros(len(out), dtype=bool)
    mask[positions[sorted(hide)]] = True
    overall = ~groups
    small_overall = np.zeros(len(out), dtype=bool)
    for col in MEDIAN_COUNTS:
        small_overall |= overall & out[col].map(lambda v: disclosure.small(v, k)).to_numpy(bool)
    mask |= small_overall | (overall & totals_hidden & (len(positions) > 0))
    out = disclosure.hide_rows(out, mask, [*MEDIAN_COUNTS, *MEDIAN_VALUES])
    out.attrs |= {"suppressed": int(mask.sum()), "k": k, "coarse": True}
    return out


def _median_rows(kept: pd.DataFrame, by, overall, k: int | None) -> pd.DataFrame:
    rows = []
    for name, part, is_overall in _groups(kept, by, overall):
        if part.empty:
            continue
        curve = stats.kaplan_meier(part["months"], part["observed"])
        median = stats.km_median(curve if k is None else coarse_curve(curve, k))
        events = int(part["observed"].sum())
        rows.append({"group": name, "is_overall": is_overall, "n": len(part),
                     "families": _families(part),
                     "events": events, "censored": len(part) - events, **median})
    return pd.DataFrame(rows, columns=MEDIAN_COLUMNS)


def median_table(durations: pd.DataFrame, by: str | None = "organisation",
                 overall: str | None = OVERALL) -> pd.DataFrame:
    """Per group: trajectories (n), families, afgerond (events), lopend (censored) and the Kaplan–Meier median
    with its 95% interval in months (NaN = not reached). The overall row comes first.

    For a viewer who does not own every row (`disclosure.stranger`): the medians come from `coarse_curve` (whole
    months, as the curve they see), and groups with small counts are hidden (`_protect_medians`)."""
    who = disclosure.stranger(durations)
    kept = km_input(durations)
    out = _median_rows(kept, by, overall, None if who is None else who.k)
    out.attrs.update(n=len(kept), excluded=_excluded(durations))
    return out if who is None else _protect_medians(out, who)


disclosure.REGISTRY[f"{__name__}.median_table"] = disclosure.Rule(
    counts=MEDIAN_COUNTS, values=MEDIAN_VALUES, partition="n",
    note="groups partition the overall row (complementary per count column); medians from the coarse curve")


def km_by_group(durations: pd.DataFrame, by: str | None = "organisation",
                overall: str | None = OVERALL) -> pd.DataFrame:
    """One Kaplan–Meier table per group (long format, column `group`), plus an overall curve named `overall`
    (None: no overall curve). `n` and `families` count the group's trajectories and families; attrs: n, excluded.

    For a viewer who does not own every row: only the groups `median_table` shows them, each as its
    `coarse_curve` (`verborgen` False; attrs suppressed = groups left out, coarse = True)."""
    who = disclosure.stranger(durations)
    kept = km_input(durations)
    shown = None
    if who is not None:
        medians = median_table(durations, by, overall)
        shown = set(medians.loc[~medians[disclosure.HIDDEN], "group"])
    parts = []
    for name, rows, is_overall in _groups(kept, by, overall):
        if rows.empty or (shown is not None and name not in shown):
            continue
        table = stats.kaplan_meier(rows["months"], rows["observed"])
        if who is not None:
            table = coarse_curve(table, who.k)
        table.insert(0, "families", _families(rows))
        table.insert(0, "n", len(rows))
        table.insert(0, "is_overall", is_overall)
        table.insert(0, "group", name)
        parts.append(table)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=KM_GROUP_COLUMNS)
    out.attrs.update(n=len(kept), excluded=_excluded(durations))
    if who is not None:
        out[disclosure.HIDDEN] = False
        out.attrs |= {"suppressed": int(len(medians) - len(shown)), "k": who.k, "coarse": True}
    return out


disclosure.REGISTRY[f"{__name__}.km_by_group"] = disclosure.Rule(
    counts=("n", "families"), note="only the groups median_table shows; each curve coarse (coarse_curve)")
