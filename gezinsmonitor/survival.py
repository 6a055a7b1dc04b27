"""Kaplan–Meier per group (organisation) and the median duration with its 95% interval.

Input is `metrics.trajectory_durations`: months as a float, the status at the peildatum and the reason
a trajectory is left out. Afgerond at the peildatum is an observed end (event); lopend is censored at
the peildatum, because its final duration is unknown and only known to be longer.
"""
from __future__ import annotations

import pandas as pd

from . import stats
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


def km_by_group(durations: pd.DataFrame, by: str | None = "organisation",
                overall: str | None = OVERALL) -> pd.DataFrame:
    """One Kaplan–Meier table per group (long format, column `group`), plus an overall curve named `overall`
    (None: no overall curve). `n` and `families` count the group's trajectories and families; attrs: n, excluded."""
    kept = km_input(durations)
    parts = []
    for name, rows, is_overall in _groups(kept, by, overall):
        if rows.empty:
            continue
        table = stats.kaplan_meier(rows["months"], rows["observed"])
        table.insert(0, "families", _families(rows))
        table.insert(0, "n", len(rows))
        table.insert(0, "is_overall", is_overall)
        table.insert(0, "group", name)
        parts.append(table)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=KM_GROUP_COLUMNS)
    out.attrs.update(n=len(kept), excluded=_excluded(durations))
    return out


def median_table(durations: pd.DataFrame, by: str | None = "organisation",
                 overall: str | None = OVERALL) -> pd.DataFrame:
    """Per group: trajectories (n), families, afgerond (events), lopend (censored) and the Kaplan–Meier median
    with its 95% interval in months (NaN = not reached). The overall row comes first."""
    kept = km_input(durations)
    rows = []
    for name, part, is_overall in _groups(kept, by, overall):
        if part.empty:
            continue
        median = stats.km_median(stats.kaplan_meier(part["months"], part["observed"]))
        events = int(part["observed"].sum())
        rows.append({"group": name, "is_overall": is_overall, "n": len(part),
                     "families": _families(part),
                     "events": events, "censored": len(part) - events, **median})
    out = pd.DataFrame(rows, columns=MEDIAN_COLUMNS)
    out.attrs.update(n=len(kept), excluded=_excluded(durations))
    return out
