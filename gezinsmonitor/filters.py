"""The sidebar's filters as a plain value, applied to a Dataset without Streamlit."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from .store import Dataset

UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Filters:
    organisations: tuple[str, ...] | None = None  # None = all
    period: tuple[dt.date, dt.date] | None = None  # trajectories running at some point in the period
    statuses: tuple[str, ...] | None = None  # lopend / afgerond as registered; selects trajectories too
    compositions: tuple[str, ...] | None = None  # gezinssamenstelling; "onbekend" also selects an empty one

    def describe(self) -> str:
        parts = []
        if self.organisations is not None:
            parts.append("organisaties: " + (", ".join(self.organisations) or "geen"))
        if self.period is not None:
            parts.append(f"periode: {self.period[0]:%d-%m-%Y} t/m {self.period[1]:%d-%m-%Y}")
        if self.statuses is not None:
            parts.append("geregistreerde status: " + (", ".join(self.statuses) or "geen"))
        if self.compositions is not None:
            parts.append("gezinssamenstelling: " + (", ".join(self.compositions) or "geen"))
        return "; ".join(parts) or "geen filters"

    def renamed(self, names: Mapping[str, str], unknown: str | None = None) -> Filters:
        """The same filters with organisation names replaced (e.g. hidden as 'Organisatie A'); a name without a
        replacement becomes `unknown` when given (an anonymised view must not print it)."""
        if self.organisations is None:
            return self
        return replace(self, organisations=tuple(names.get(o, unknown or o) for o in self.organisations))


def period_bounds(ds: Dataset, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The data's date range as the period filter offers it: first start to the later of today and the last end
    (or the last start while every trajectory still runs); None without trajectories."""
    starts = ds.trajectories["start_date"].dropna()
    if starts.empty:
        return None
    last_end = ds.trajectories["end_date"].max()  # NaT when every trajectory still runs (NaT is truthy)
    hi = pd.Timestamp(starts.max() if pd.isna(last_end) else last_end).date()
    return starts.min().date(), max(today or dt.date.today(), hi)


def period_filter(period, bounds) -> tuple[dt.date, dt.date] | None:
    """A chosen period as a filter: the data's whole range is no period filter (so an upload that widens the data
    does not turn "everything" into a fixed period)."""
    if period is None or bounds is None or tuple(period) == tuple(bounds):
        return None
    return tuple(period)


def selected_families(ds: Dataset, filters: Filters) -> pd.Index:
    fam = ds.families
    keep = pd.Series(True, index=fam.index)
    if filters.organisations is not None:
        keep &= fam["organisation"].isin(filters.organisations)
    if filters.compositions is not None:
        composition = fam["composition"].astype(object).where(fam["composition"].notna(), UNKNOWN)
        keep &= composition.isin(filters.compositions)
    families = set(fam.loc[keep, "family"])
    t = ds.trajectories
    if filters.period is not None:
        lo, hi = (pd.Timestamp(d) for d in filters.period)
        running = (t["start_date"] <= hi) & (t["end_date"].isna() | (t["end_date"] >= lo))
        families &= set(t.loc[running, "family"])
    if filters.statuses is not None:
        families &= set(t.loc[t["status"].isin(filters.statuses), "family"])
    return pd.Index(sorted(families))


def apply(ds: Dataset, filters: Filters) -> Dataset:
    """The families `selected_families` keeps, with all their rows; the status filter also drops their
    trajectories of another status (a family with a lopend and an afgerond trajectory keeps only the lopend one
    under 'lopend'), while requests, measurements and hours stay per family."""
    keep = selected_families(ds, filters)

    def sub(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["family"].isin(keep)]

    trajectories = sub(ds.trajectories)
    if filters.statuses is not None:
        trajectories = trajectories[trajectories["status"].isin(filters.statuses)]
    return replace(
        ds,
        families=sub(ds.families),
        trajectories=trajectories,
        requests=sub(ds.requests),
        measurements=sub(ds.measurements),
        hours=sub(ds.hours),
    )
