"""The `summary --json` object: the key figures in a stable, documented shape."""
from __future__ import annotations

import datetime as dt
import math

from . import metrics
from .store import Dataset


def _num(x, digits: int = 3):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), digits)


def _count(x):
    """A count, or None where the audience's protection hid it (a count below k of another organisation)."""
    return None if _num(x) is None else int(x)


def build_summary(ds: Dataset, peildatum: dt.date) -> dict:
    needs = metrics.needs(ds.requests)
    detail = metrics.needs_detail(ds.requests)
    duration = metrics.duration_table(ds.trajectories, peildatum)
    progress = metrics.progress_summary(ds.measurements)
    hours = metrics.hours_first_latest(ds.hours)
    return {
        "organisations": int(ds.families["organisation"].nunique()),
        "families": int(ds.families["family"].nunique()),
        "help_requests": int(len(ds.requests)),
        "needs": [
            {"leefgebied": r.leefgebied, "families": _count(r.families), "families_pct": _num(r.families_pct),
             "requests": _count(r.requests), "requests_pct": _num(r.requests_pct)}
            for r in needs.itertuples()
        ],
        "needs_detail": [
            {"leefgebied": r.leefgebied, "categorie": r.categorie, "families": _count(r.families),
             "families_pct": _num(r.families_pct)}
            for r in detail.itertuples()
        ],
        "duration": [
            {"months": r.months, "completed": _count(r.completed), "ongoing": _count(r.ongoing)}
            for r in duration.itertuples()
        ],
        "progress": [
            {"leefgebied": r.leefgebied, "n": _count(r.n), "mean": _num(r.mean), "counts": r.counts}
            for r in progress.itertuples() if r.n > 0
        ],
        "hours": [
            {"support_type": r.support_type, "moment": r.moment, "n": _count(r.n),
             "mean_hours_per_week": _num(r.mean_hours_per_week)}
            for r in hours.itertuples() if r.n > 0
        ],
    }
