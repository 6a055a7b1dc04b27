"""Inzet: hours per support type and the intensity curve."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from gezinsmonitor import taxonomy as tx

from ..figure import nl_number
from .base import NAVY, MOMENT_LABELS, MOMENT_COLORS, KIND_TITLES, BAR_ROW_HEIGHT, dutch, hours_text


# -- inzet -----------------------------------------------------------------------------------
def hours_bars(hours: pd.DataFrame, kind: str = tx.INVESTMENT) -> alt.LayerChart:
    """Mean hours per week per support type of one kind, first vs latest moment side by side, n on each bar.

    Support types and moments without any measurement (n = 0) are left out."""
    frame = hours[(hours["kind"] == kind) & (hours["n"] > 0)].copy()
    frame["moment_label"] = frame["moment"].map(MOMENT_LABELS)
    frame["n_label"] = "n = " + frame["n"].astype(int).astype(str)
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    order = list(dict.fromkeys(frame["support_type"]))
    moments = list(MOMENT_LABELS.values())
    base = alt.Chart(frame).encode(
        y=alt.Y("support_type:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("moment_label:N", sort=moments),
        x=alt.X("mean_hours_per_week:Q", title="Gemiddeld aantal uren per week"),
        tooltip=[
            alt.Tooltip("support_type:N", title="soort steun"),
            alt.Tooltip("moment_label:N", title="moment"),
            alt.Tooltip("mean_hours_per_week:Q", title="uren per week", format=".2f"),
            alt.Tooltip("hours_text:N", title="= per week"),
            alt.Tooltip("n:Q", title="n (gezinnen)"),
            alt.Tooltip("nvt:Q", title="n.v.t. (telt niet mee)"),
            *([alt.Tooltip("n_contactlog:Q", title="waarvan uit contactlog")] if "n_contactlog" in frame else []),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("moment_label:N", title="Moment",
                        scale=alt.Scale(domain=moments, range=[MOMENT_COLORS["start"], MOMENT_COLORS["latest"]]),
                        legend=alt.Legend(orient="bottom", labelLimit=320)))
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#111827").encode(text="n_label:N")
    return dutch(alt.layer(bars, labels, title=KIND_TITLES.get(kind, kind)).properties(height=alt.Step(BAR_ROW_HEIGHT + 14)))


def hours_table(hours: pd.DataFrame) -> pd.DataFrame:
    """Per support type: n and mean at both moments, side by side."""
    rows = []
    for support_type, group in hours.groupby("support_type", sort=False):
        by_moment = group.set_index("moment")
        row = {"Soort steun": support_type,
               "Soort": "inzet" if group["kind"].iloc[0] == tx.INVESTMENT else "deelname (uitkomst)"}
        for moment, label in (("start", "eerste meting"), ("latest", "laatste meting")):
            rec = by_moment.loc[moment] if moment in by_moment.index else None
            row[f"n {label}"] = int(rec["n"]) if rec is not None else 0
            mean = rec["mean_hours_per_week"] if rec is not None else np.nan
            row[f"uur/week {label}"] = nl_number(mean, 1)
            row[f"= {label}"] = hours_text(mean)
            row[f"n.v.t. {label}"] = int(rec["nvt"]) if rec is not None else 0
            if "n_contactlog" in group:
                row[f"waarvan contactlog {label}"] = int(rec["n_contactlog"]) if rec is not None else 0
        rows.append(row)
    return pd.DataFrame(rows)


def intensity_lines(curve: pd.DataFrame, by: str = "organisation") -> alt.LayerChart:
    """Mean hours per week (investment, from contact logs) by trajectory month: a line per organisation."""
    frame = curve.copy()
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    groups = list(dict.fromkeys(frame[by].astype(str))) if by in frame else []
    color = alt.Color(f"{by}:N", title="Organisatie" if by == "organisation" else by, sort=groups,
                      legend=alt.Legend(orient="bottom", labelLimit=320)) if by in frame else alt.value(NAVY)
    base = alt.Chart(frame).encode(
        x=alt.X("month:Q", title="Trajectmaand (0 = eerste maand vanaf de startdatum)",
                axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("mean_hours_per_week:Q", title="Gemiddeld aantal uren per week"),
        color=color,
        tooltip=[
            *([alt.Tooltip(f"{by}:N", title="organisatie" if by == "organisation" else by)] if by in frame else []),
            alt.Tooltip("month:Q", title="trajectmaand"),
            alt.Tooltip("mean_hours_per_week:Q", title="uren per week", format=".2f"),
            alt.Tooltip("hours_text:N", title="= per week"),
            alt.Tooltip("n:Q", title="n (gezinnen met een traject in deze maand)"),
            alt.Tooltip("contacts:Q", title="contacten"),
        ],
    )
    lines = base.mark_line(strokeWidth=3)
    points = base.mark_point(filled=True, size=70)
    return dutch(alt.layer(lines, points, title="Intensiteit: gemiddelde uren per week per trajectmaand"))
