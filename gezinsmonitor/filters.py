"""The sidebar's filters as a plain value, applied to a Dataset without Streamlit."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from .store import Dataset

UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Filters:
    organisations: tuple[str, ...] | None = None  # None = all
    period: tuple[dt.date, dt.date] | None = None  # trajectories running at some point in the period
    statuses: tuple[str, ...] | None = None  # lopend / afgerond
    compositions: tuple[str, ...] | None = None  # gezinssamenstelling; "onbekend" also selects an empty one

    def describe(self) -> str:
        parts = []
        if self.organisations is not None:
            parts.append("organisaties: " + (", ".join(self.organisations) or "geen"))
        if self.period is not None:
            parts.append(f"periode: {self.period[0]:%d-%m-%Y} t/m {self.period[1]:%d-%m-%Y}")
        if self.statuses is not None:
            parts.append("status: " + (", ".join(self.statuses) or "geen"))
        if self.compositions is not None:
            parts.append("gezinssamenstelling: " + (", ".join(self.compositions) or "geen"))
        return "; ".join(parts) or "geen filters"


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
    keep = selected_families(ds, filters)

    def sub(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["family"].isin(keep)]

    return replace(
        ds,
        families=sub(ds.families),
        trajectories=sub(ds.trajectories),
        requests=sub(ds.requests),
        measurements=sub(ds.measurements),
        hours=sub(ds.hours),
    )
