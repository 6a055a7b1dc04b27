"""Statistics every page shares: Wilson intervals for percentages and Kaplan–Meier for durations.

Hand-written on numpy because both are a few lines and exactly specified; the tests check them
against worked examples (Wilson 1927; the Kaplan–Meier table of a textbook example with censoring).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959963984540054  # two-sided 95%


def wilson(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for k successes out of n, as percentages (0–100).

    Works on scalars and arrays; NaN where n = 0. Unlike the normal approximation it never leaves
    [0, 100] and stays sensible for small n and for 0% or 100%, which is common here."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        lo = np.where(n > 0, np.clip(centre - half, 0, 1) * 100, np.nan)
        hi = np.where(n > 0, np.clip(centre + half, 0, 1) * 100, np.nan)
    return lo, hi


def with_wilson(frame: pd.DataFrame, k: str, n: str | pd.Series | int, prefix: str) -> pd.DataFrame:
    """Add `{prefix}_lo` and `{prefix}_hi` (percent) for count column `k` out of `n` (a column, series or number)."""
    total = frame[n] if isinstance(n, str) else n
    lo, hi = wilson(frame[k], total)
    return frame.assign(**{f"{prefix}_lo": lo, f"{prefix}_hi": hi})


KM_COLUMNS = ["time", "at_risk", "events", "censored", "survival", "lower", "upper"]


def kaplan_meier(durations, observed, z: float = Z95) -> pd.DataFrame:
    """Kaplan–Meier estimate of the share still in support after t months.

    `observed` is True where the end was seen (afgerond) and False where the trajectory is still running
    at the peildatum (censored: its duration so far is a lower bound). One row per distinct time, starting
    with time 0 (survival 1). The 95% band is Greenwood's variance on the log(-log) scale, which stays
    inside [0, 1]; it is NaN where it is undefined (survival 0 or 1 with no variance)."""
    t = np.asarray(durations, dtype=float)
    d = np.asarray(observed, dtype=bool)
    keep = ~np.isnan(t)
    t, d = t[keep], d[keep]
    rows = [{"time": 0.0, "at_risk": len(t), "events": 0, "censored": 0, "survival": 1.0,
             "lower": 1.0, "upper": 1.0}]
    survival, greenwood = 1.0, 0.0
    for time in np.unique(t):
        at_risk = int((t >= time).sum())
        events = int(((t == time) & d).sum())
        censored = int(((t == time) & ~d).sum())
        if events:
            survival *= 1 - events / at_risk
            if at_risk > events:
                greenwood += events / (at_risk * (at_risk - events))
            else:
                greenwood = np.inf
        lower, upper = _loglog_band(survival, greenwood, z)
        if time == 0:
            rows[0].update(events=events, censored=censored, survival=survival, lower=lower, upper=upper)
            continue
        rows.append({"time": float(time), "at_risk": at_risk, "events": events, "censored": censored,
                     "survival": survival, "lower": lower, "upper": upper})
    return pd.DataFrame(rows, columns=KM_COLUMNS)


def _loglog_band(survival: float, greenwood: float, z: float) -> tuple[float, float]:
    if survival >= 1.0:
        return 1.0, 1.0
    if survival <= 0.0 or not np.isfinite(greenwood):
        return np.nan, np.nan
    se = np.sqrt(greenwood) / abs(np.log(survival))
    log_log = np.log(-np.log(survival))
    # exp(-exp(.)) reverses the order: the upper log-log bound gives the lower survival bound.
    return float(np.exp(-np.exp(log_log + z * se))), float(np.exp(-np.exp(log_log - z * se)))


# R's quantile.survfit compares with this tolerance, so 0.75 · 2/3 counts as exactly 0.5.
_TOLERANCE = float(np.sqrt(np.finfo(float).eps))


def _crossing(table: pd.DataFrame, column: str, level: float = 0.5) -> float:
    """The time `column` (survival or a band) first reaches `level` or below, with R's midpoint rule for a flat:
    where the curve sits exactly at `level` from t_i until its next step at t_j, the answer is (t_i + t_j) / 2;
    a flat that lasts to the end of the curve runs to the last time in the table (censored ones included)."""
    if table.empty:
        return np.nan
    last_time = float(table["time"].iloc[-1])
    values = table[column].astype(float)
    steps = table.loc[~values.duplicated(), ["time", column]]  # a censored time does not move the curve
    ends_known = pd.notna(steps[column].iloc[-1])
    steps = steps[steps[column].notna()]
    times, y = steps["time"].to_numpy(float), steps[column].to_numpy(float)
    reached = np.flatnonzero(y <= level + _TOLERANCE)
    if not len(reached):
        return np.nan
    first = reached[0]
    if y[first] < level - _TOLERANCE:
        return float(times[first])
    below = np.flatnonzero(y < level - _TOLERANCE)
    if len(below):
        return float((times[first] + times[below[0]]) / 2)
    if ends_known:  # flat at the level until the end of follow-up
        return float((times[first] + last_time) / 2)
    return np.nan


def km_median(table: pd.DataFrame) -> dict:
    """Median duration with a 95% interval from a `kaplan_meier` table.

    The median is the first time the curve reaches 0.5 or below; the interval takes the same crossing of
    the lower and upper band (Brookmeyer–Crowley style). As R's survival package (quantile.survfit): where a
    curve sits exactly at 0.5 over a stretch, the midpoint of that stretch (to the next step, or to the last
    time when the flat lasts to the end). NaN means "not reached": too few trajectories have ended to tell
    (common when most still run)."""
    return {
        "median": _crossing(table, "survival"),
        "lower": _crossing(table, "lower"),
        "upper": _crossing(table, "upper"),
    }
