"""Hulpvragen: needs per leefgebied and categorie, requests per family."""
from __future__ import annotations

import altair as alt
import pandas as pd


from .base import NAVY, NEEDS_MEASURES, NO_CATEGORY, PCT_TICKS, BAR_ROW_HEIGHT, dutch, pct_text


# -- hulpvragen ------------------------------------------------------------------------------
def _needs_tooltip(label: str) -> list:
    return [
        alt.Tooltip(f"{label}:N", title=label),
        alt.Tooltip("families:Q", title="gezinnen"),
        alt.Tooltip("families_pct:Q", title=NEEDS_MEASURES["families_pct"], format=".1f"),
        alt.Tooltip("requests:Q", title="hulpvragen"),
        alt.Tooltip("requests_pct:Q", title=NEEDS_MEASURES["requests_pct"], format=".1f"),
    ]


def needs_bars(table: pd.DataFrame, measure: str = "families_pct") -> alt.Chart:
    """Per leefgebied one bar of `measure` (families_pct or requests_pct), in taxonomy order."""
    label = NEEDS_MEASURES[measure]
    chart = (
        alt.Chart(table, title=f"Hulpvragen per leefgebied — {label}")
        .mark_bar(color=NAVY)
        .encode(
            y=alt.Y("leefgebied:N", title=None, sort=list(table["leefgebied"])),
            x=alt.X(f"{measure}:Q", title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
            tooltip=_needs_tooltip("leefgebied"),
        )
        .properties(height=alt.Step(BAR_ROW_HEIGHT))
    )
    return dutch(chart)


def _detail_frame(detail: pd.DataFrame) -> pd.DataFrame:
    frame = detail.copy()
    frame["categorie"] = frame["categorie"].astype(object).where(frame["categorie"].notna(), NO_CATEGORY)
    frame["label"] = frame["leefgebied"].astype(str) + " · " + frame["categorie"].astype(str)
    return frame


def needs_detail_bars(detail: pd.DataFrame, measure: str = "families_pct") -> alt.Chart:
    """Per leefgebied × categorie one bar, coloured by leefgebied; a missing categorie is '(geen categorie)'."""
    label = NEEDS_MEASURES[measure]
    frame = _detail_frame(detail)
    chart = (
        alt.Chart(frame, title=f"Hulpvragen per leefgebied en categorie — {label}")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=list(frame["label"]), axis=alt.Axis(labelLimit=320)),
            x=alt.X(f"{measure}:Q", title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
            color=alt.Color("leefgebied:N", title="Leefgebied",
                            scale=alt.Scale(domain=list(dict.fromkeys(frame["leefgebied"])), scheme="tableau10"),
                            legend=None),
            tooltip=[alt.Tooltip("leefgebied:N", title="leefgebied")] + _needs_tooltip("categorie"),
        )
        .properties(height=alt.Step(BAR_ROW_HEIGHT))
    )
    return dutch(chart)


def requests_per_family_bars(dist: pd.DataFrame) -> alt.Chart:
    """Number of families by how many help requests they have (0 = none)."""
    chart = (
        alt.Chart(dist, title="Aantal hulpvragen per gezin")
        .mark_bar(color=NAVY)
        .encode(
            x=alt.X("aantal_hulpvragen:O", title="Aantal hulpvragen van het gezin", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("gezinnen:Q", title="Aantal gezinnen", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("aantal_hulpvragen:O", title="hulpvragen"), alt.Tooltip("gezinnen:Q", title="gezinnen")],
        )
    )
    return dutch(chart)


def needs_table(table: pd.DataFrame) -> pd.DataFrame:
    """Both measures side by side, Dutch headings and numbers; with a Categorie column for needs_detail."""
    columns = {"Leefgebied": table["leefgebied"].astype(str)}
    if "categorie" in table:
        columns["Categorie"] = _detail_frame(table)["categorie"].astype(str)
    columns.update({
        "Gezinnen": table["families"].astype(int),
        NEEDS_MEASURES["families_pct"]: table["families_pct"].map(pct_text),
        "Hulpvragen": table["requests"].astype(int),
        NEEDS_MEASURES["requests_pct"]: table["requests_pct"].map(pct_text),
    })
    return pd.DataFrame(columns)
