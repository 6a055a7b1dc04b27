"""Inflow, outflow and caseload per calendar month, up to the peildatum.

Built on `metrics.trajectory_durations`, so the status is the one at the peildatum: an end date after
the peildatum is not an outflow yet, and a lopend trajectory with an end date has not ended.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from . import disclosure
from . import taxonomy as tx

COLUMNS = ["month", "month_end", "starts", "ends", "running", "partial"]

DEFINITION = (
    "Per kalendermaand: instroom = trajecten met een startdatum in die maand; uitstroom = trajecten die op de "
    "peildatum afgerond zijn en een einddatum in die maand hebben; caseload = trajecten die op de laatste dag van "
    "de maand liepen (startdatum op of vóór die dag, en geen einddatum of een einddatum erna). Een einddatum na de "
    "peildatum telt nog niet als uitstroom. De laatste maand loopt tot de peildatum (onvolledig). Afgeronde "
    "trajecten zonder einddatum tellen niet mee: hun uitstroommaand is onbekend."
)


def _protect_caseload(flow: pd.DataFrame, who: disclosure.Audience) -> pd.DataFrame:
    """Starts and ends of a month go together when one is 1..k-1 (their difference follows from two shown
    caseloads, so one alone would give the other back); a caseload of 1..k-1 is hidden, and with it the flows of
    its month and of the next month (a shown caseload next to shown flows would give it back)."""
    k = who.k

    def small(col: str) -> pd.Series:
        return pd.to_numeric(flow[col], errors="coerce").map(lambda v: disclosure.small(v, k)).astype(bool)

    running = small("running")
    flows = small("starts") | small("ends") | running | running.shift(1, fill_value=False)
    out = flow.copy()
    out.attrs = dict(flow.attrs)
    out = disclosure.blank(out, flows.to_numpy(), ["starts", "ends"])
    out = disclosure.hide_rows(out, running.to_numpy(), ["running"])
    out[disclosure.HIDDEN] = (flows | running).to_numpy()
    out.attrs |= {"suppressed": int((flows | running).sum()), "k": k}
    return out


@disclosure.protects(disclosure.Rule(counts=("starts", "ends", "running"), note=(
    "per month: starts and ends hidden together when one is small; a small caseload hidden with the flows of its "
    "month and the next")), shape=_protect_caseload)
def monthly_caseload(durations: pd.DataFrame, peildatum: dt.date, first: dt.date | None = None) -> pd.DataFrame:
    """One row per month from the first start (or `first`) to the peildatum's month.

    `month` is the first day, `month_end` the day the caseload is counted (the last day, or the peildatum
    in the last, partial month). running(m) = running(m − 1) + starts(m) − ends(m).
    attrs: n (trajectories counted), excluded (reason → count)."""
    peil = pd.Timestamp(peildatum)
    usable = durations["excluded"].isna()
    start = pd.to_datetime(durations["start_date"])
    ended = durations["status_at_peildatum"] == tx.STATUS_AFGEROND
    end = pd.to_datetime(durations["end_date"]).where(ended)
    excluded = {str(k): int(v) for k, v in durations.loc[~usable, "excluded"].value_counts().items()}
    start, end = start[usable], end[usable]

    if start.empty:
        out = pd.DataFrame(columns=COLUMNS)
        out.attrs.update(n=0, excluded=excluded)
        return out
    begin = pd.Timestamp(first) if first is not None else start.min()
    months = pd.date_range(begin.to_period("M").to_timestamp(), peil.to_period("M").to_timestamp(), freq="MS")
    month_ends = [min(m + pd.offsets.MonthEnd(0), peil) for m in months]
    start_m = start.dt.to_period("M")
    end_m = end.dt.to_period("M")
    rows = []
    for month, month_end in zip(months, month_ends):
        period = month.to_period("M")
        rows.append({
            "month": month,
            "month_end": month_end,
            "starts": int((start_m == period).sum()),
            "ends": int((end_m == period).sum()),
            "running": int(((start <= month_end) & (end.isna() | (end > month_end))).sum()),
            "partial": month_end < month + pd.offsets.MonthEnd(0),
        })
    out = pd.DataFrame(rows, columns=COLUMNS)
    out.attrs.update(n=int(usable.sum()), excluded=excluded)
    return out
