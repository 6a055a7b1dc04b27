"""Inzet: hours per support type and the intensity curve."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

from ..figure import nl_number
from .base import (NAVY, MOMENT_LABELS, MOMENT_COLORS, KIND_TITLES, BAR_ROW_HEIGHT, STATUS_COLORS, dutch, plain,
                   faint_when_small, highlight_axis, hours_text, small_note)
from .progress import count_text, hidden_mark, hidden_or, shown_count


# -- inzet -----------------------------------------------------------------------------------
def _first_latest_bars(frame: pd.DataFrame, y: str, order: list, x_title: str, tooltip: list, title: str,
                       step: int, opacity=None, highlight: str | None = None) -> alt.LayerChart:
    """Bars of the first and the latest moment side by side per `y`, with "n = …" at the end of each bar; the
    `highlight` row's label bold and orange."""
    moments = list(MOMENT_LABELS.values())
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{y}:N", title=None, sort=order, axis=highlight_axis(highlight, labelLimit=260)),
        yOffset=alt.YOffset("moment_label:N", sort=moments),
        x=alt.X("mean_hours_per_week:Q", title=x_title),
        tooltip=tooltip,
    )
    bars = base.mark_bar().encode(
        color=alt.Color("moment_label:N", title="Moment",
                        scale=alt.Scale(domain=moments, range=[MOMENT_COLORS["start"], MOMENT_COLORS["latest"]]),
                        legend=alt.Legend(orient="bottom", labelLimit=320)),
        **({"opacity": opacity} if opacity is not None else {}))
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#111827").encode(text="n_label:N")
    return dutch(alt.layer(bars, labels, title=title).properties(height=alt.Step(step)))


def hours_bars(hours: pd.DataFrame, kind: str = tx.INVESTMENT) -> alt.LayerChart:
    """Mean hours per week per support type of one kind, first vs latest moment side by side, n on each bar.

    Support types and moments without any measurement (n = 0) are left out."""
    mark = hidden_mark(hours)
    frame = hours[(hours["kind"] == kind) & (hours["n"] > 0)].copy()
    if mark:  # a hidden bar (n < k) is not in `frame`; hidden parts of a shown one are '<10' in the tooltip
        for col in ("nvt", "n_contactlog"):
            if col in frame:
                frame[col] = [count_text(v, mark) for v in frame[col]]
    frame["moment_label"] = frame["moment"].map(MOMENT_LABELS)
    frame["n_label"] = "n = " + frame["n"].astype(int).astype(str)
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    tooltip = [
        alt.Tooltip("support_type:N", title="soort steun"),
        alt.Tooltip("moment_label:N", title="moment"),
        alt.Tooltip("mean_hours_per_week:Q", title="uren per week", format=".2f"),
        alt.Tooltip("hours_text:N", title="= per week"),
        alt.Tooltip("n:Q", title="n (gezinnen)"),
        alt.Tooltip(f"nvt:{'N' if mark else 'Q'}", title="n.v.t. (telt niet mee)"),
        *([alt.Tooltip(f"n_contactlog:{'N' if mark else 'Q'}", title="waarvan uit contactlog")]
          if "n_contactlog" in frame else []),
    ]
    return _first_latest_bars(frame, "support_type", list(dict.fromkeys(frame["support_type"])),
                              "Gemiddeld aantal uren per week", tooltip, KIND_TITLES.get(kind, kind),
                              BAR_ROW_HEIGHT + 14)


def hours_table(hours: pd.DataFrame) -> pd.DataFrame:
    """Per support type: n and mean at both moments, side by side ('<10' where a protected table hides them)."""
    mark = hidden_mark(hours)
    rows = []
    for support_type, group in hours.groupby("support_type", sort=False):
        by_moment = group.set_index("moment")
        row = {"Soort steun": support_type,
               "Soort": "inzet" if group["kind"].iloc[0] == tx.INVESTMENT else "deelname (uitkomst)"}
        for moment, label in (("start", "eerste meting"), ("latest", "laatste meting")):
            rec = by_moment.loc[moment] if moment in by_moment.index else None
            row[f"n {label}"] = shown_count(rec["n"], mark) if rec is not None else 0
            mean = rec["mean_hours_per_week"] if rec is not None else np.nan
            secret = rec is not None and rec["n"] != rec["n"]
            row[f"uur/week {label}"] = mark if secret and mark else nl_number(mean, 1)
            row[f"= {label}"] = mark if secret and mark else hours_text(mean)
            row[f"n.v.t. {label}"] = shown_count(rec["nvt"], mark) if rec is not None else 0
            if "n_contactlog" in group:
                row[f"waarvan contactlog {label}"] = shown_count(rec["n_contactlog"], mark) if rec is not None else 0
        rows.append(row)
    return pd.DataFrame(rows)


SMALL_SEGMENT, FULL_SEGMENT = "klein", "voldoende"


def _intensity_frame(curve: pd.DataFrame, by: str, limit: int) -> pd.DataFrame:
    """The curve with `small` (n < limit), its tooltip label and the line `segment`. A line breaks where its
    segment changes, so the last month before n drops below the limit is repeated in the small segment
    (`bridge`, no point of its own) and the dashed part joins the solid part."""
    frame = curve.copy()
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    frame["small"] = frame["n"].astype(int) < limit
    frame["small_label"] = frame["n"].map(lambda n: small_note(int(n), limit))
    frame["segment"] = np.where(frame["small"], SMALL_SEGMENT, FULL_SEGMENT)
    frame["bridge"] = False
    keys = [by] if by in frame else []
    frame = frame.sort_values([*keys, "month"], kind="stable").reset_index(drop=True)
    previous = frame.groupby(keys, sort=False)["small"].shift(1) if keys else frame["small"].shift(1)
    starts = frame.index[frame["small"] & previous.eq(False)]
    bridges = frame.loc[starts - 1].assign(segment=SMALL_SEGMENT, bridge=True)
    return pd.concat([frame, bridges], ignore_index=True)


def intensity_lines(curve: pd.DataFrame, by: str = "organisation", min_n: int | None = None) -> alt.LayerChart:
    """Mean hours per week (investment, from contact logs) by trajectory month: a line per organisation.

    Months where n (families whose trajectory covers the month) is below min_n are drawn faint and dashed,
    their points faint, with "n < min_n" in the tooltip."""
    limit = metrics.resolve_min_n(min_n)
    frame = _intensity_frame(curve[curve["n"].notna()], by, limit)  # a hidden month (n < k) has no point
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
            alt.Tooltip("small_label:N", title="let op"),
        ],
    )
    segments = [FULL_SEGMENT, SMALL_SEGMENT]
    lines = base.mark_line(strokeWidth=3).encode(
        strokeDash=alt.StrokeDash("segment:N", scale=alt.Scale(domain=segments, range=[[1, 0], [6, 4]]),
                                  legend=alt.Legend(title=f"Aantal gezinnen (n < {limit}: gestreept)",
                                                    orient="bottom", labelExpr=(
                                                        f"datum.label == '{SMALL_SEGMENT}' ? 'n < {limit}' : "
                                                        f"'n ≥ {limit}'"))),
        opacity=alt.Opacity("segment:N", scale=alt.Scale(domain=segments, range=[1.0, 0.45]), legend=None),
    )
    points = base.transform_filter("!datum.bridge").mark_point(filled=True, size=70).encode(
        opacity=faint_when_small())
    return dutch(alt.layer(lines, points, title="Intensiteit: gemiddelde uren per week per trajectmaand"))


# -- total hours per family and hours per organisation ------------------------------------------
TOTAL_ROW = "Totaal"
CONCAT_WIDTH = 520  # px: the views of a concatenated chart do not stretch to the page's width
HOURS_MEASURES = {
    "total": "Inzet totaal (professionals + vrijwilligers)",
    "professional": "Professionals (gesprekken, regelzaken, praktische steun)",
    "volunteer": "Vrijwilligers (maatje)",
}


def total_hours_chart(totals: pd.DataFrame, summary: pd.DataFrame, min_n: int | None = None) -> alt.VConcatChart:
    """Total investment hours per family: a box per organisation (quartiles, median, min–max) above a histogram
    stacked by status. Clicking an organisation's box filters the histogram to its families (an Altair point
    selection on `organisation`); organisations below min_n are drawn faint and say so in the tooltip."""
    limit = metrics.resolve_min_n(min_n)
    mark = hidden_mark(summary)
    box = plain(summary[summary["organisation"] != TOTAL_ROW])
    box["small"] = box["n"] < limit
    box["small_label"] = box["n"].map(lambda n: "" if n != n else small_note(int(n), limit))
    box["label"] = [f"{o} (n = {count_text(n, mark) if mark else int(n)})" for o, n in zip(box["organisation"], box["n"])]
    if mark:  # a hidden organisation keeps its label ('<10') but no box; min and max are never shown
        for col in ("n", "n_afgerond"):
            box[col] = [count_text(v, mark) for v in box[col]]
    order = list(box["label"])
    pick = alt.selection_point(name="org_pick", fields=["organisation"], empty=True)
    opacity = alt.condition(pick, faint_when_small(bright=0.9), alt.value(0.12))
    tooltip = [
        alt.Tooltip("organisation:N", title="organisatie"),
        alt.Tooltip(f"n:{'N' if mark else 'Q'}", title="n (gezinnen)"),
        alt.Tooltip(f"n_afgerond:{'N' if mark else 'Q'}", title="waarvan afgerond"),
        alt.Tooltip("median:Q", title="mediaan (uren)", format=",.0f"),
        alt.Tooltip("q1:Q", title="25e percentiel", format=",.0f"),
        alt.Tooltip("q3:Q", title="75e percentiel", format=",.0f"),
        *([] if mark else [alt.Tooltip("min:Q", title="minimum", format=",.0f"),
                           alt.Tooltip("max:Q", title="maximum", format=",.0f")]),
        alt.Tooltip("small_label:N", title="let op"),
    ]
    # n sits in the axis label: a text mark at the whisker's end would run out of the chart.
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=300))
    x = alt.X("min:Q", title="Uren per gezin over het traject")
    base = alt.Chart(box).encode(y=y, tooltip=tooltip)
    if mark:
        box = box.drop(columns=["min", "max"])
        base = alt.Chart(box).encode(y=y, tooltip=tooltip)
        x = alt.X("q1:Q", title="Uren per gezin over het traject")
    whisker = (base.mark_rule(color="#6B7280").encode(x=x, x2="max:Q") if not mark
               else base.transform_filter("isValid(datum.q1)").mark_rule(color="#6B7280").encode(x=x, x2="q3:Q"))
    iqr = base.mark_bar(size=18, color=NAVY).encode(x="q1:Q", x2="q3:Q", opacity=opacity).add_params(pick)
    median = base.mark_tick(color="white", thickness=3, size=18).encode(x="median:Q")
    boxes = alt.layer(whisker, iqr, median).properties(
        width=CONCAT_WIDTH, height=alt.Step(BAR_ROW_HEIGHT),
        title="Per organisatie: 25e–75e percentiel, mediaan (wit), minimum–maximum (klik: het histogram volgt)")

    frame = plain(totals[["organisation", "status", "total_hours"]])
    if frame.empty:  # per-family values only for one's own organisation: none here, so no empty histogram
        return dutch(boxes.properties(title="Totaal aantal uren inzet per gezin"))
    frame["status"] = frame["status"].astype(str)
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    binning = alt.Bin(maxbins=24)
    histogram = alt.Chart(frame).mark_bar().encode(
        x=alt.X("total_hours:Q", bin=binning, title="Uren per gezin over het traject"),
        y=alt.Y("count():Q", title="Aantal gezinnen", stack="zero", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title="Status op de peildatum", scale=status_scale,
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("total_hours:Q", bin=binning, title="uren"), alt.Tooltip("status:N", title="status"),
                 alt.Tooltip("count():Q", title="gezinnen")],
    ).transform_filter(pick).properties(width=CONCAT_WIDTH,
                                        title="Verdeling (lopend = ondergrens: het traject loopt nog)")
    return dutch(alt.vconcat(boxes, histogram, title="Totaal aantal uren inzet per gezin").resolve_scale(x="shared"))


def total_hours_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Per organisation (and Totaal): n, median with quartiles, mean, professional and volunteer means; a protected
    summary's hidden rows show '<10' (through `figure.table`)."""
    mark = hidden_mark(summary)
    return pd.DataFrame({
        "Organisatie": summary["organisation"],
        "n (gezinnen)": [shown_count(v, mark) for v in summary["n"]],
        "waarvan afgerond": [shown_count(v, mark) for v in summary["n_afgerond"]],
        "Mediaan (uren)": summary["median"].map(lambda v: nl_number(v, 0)),
        "25e–75e percentiel": ["–" if a != a else f"{nl_number(a, 0)}–{nl_number(b, 0)}"
                               for a, b in zip(summary["q1"], summary["q3"])],
        "Gemiddelde (uren)": summary["mean"].map(lambda v: nl_number(v, 0)),
        "waarvan professionals": summary["mean_professional"].map(lambda v: nl_number(v, 0)),
        "waarvan vrijwilligers (maatje)": summary["mean_volunteer"].map(lambda v: nl_number(v, 0)),
    })


def organisation_hours_bars(by_org: pd.DataFrame, measure: str = "total", min_n: int | None = None,
                            highlight: str | None = None) -> alt.LayerChart:
    """Mean hours per week per family of `measure` (total, professional, volunteer) per organisation, first vs
    latest moment; n on each bar; organisations (not the total) below min_n faint, flagged in the tooltip.
    Organisations without any value are left out of the chart (the table lists them)."""
    limit = metrics.resolve_min_n(min_n)
    frame = by_org.rename(columns={f"n_{measure}": "n", f"mean_{measure}": "mean_hours_per_week"})
    frame = plain(frame[frame["n"] > 0])
    frame["moment_label"] = frame["moment"].map(MOMENT_LABELS)
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    frame["small"] = (frame["n"] < limit) & (frame["organisation"] != TOTAL_ROW)
    frame["small_label"] = [small_note(int(n), limit) if s else "" for n, s in zip(frame["n"], frame["small"])]
    frame["n_label"] = "n = " + frame["n"].astype(int).astype(str) + np.where(frame["small"], " (klein)", "")
    frame = frame[["organisation", "moment", "moment_label", "n", "mean_hours_per_week", "hours_text", "small",
                   "small_label", "n_label"]]
    orgs = [o for o in dict.fromkeys(frame["organisation"]) if o != TOTAL_ROW] + (
        [TOTAL_ROW] if (frame["organisation"] == TOTAL_ROW).any() else [])
    tooltip = [
        alt.Tooltip("organisation:N", title="organisatie"),
        alt.Tooltip("moment_label:N", title="moment"),
        alt.Tooltip("mean_hours_per_week:Q", title="uren per week", format=".2f"),
        alt.Tooltip("hours_text:N", title="= per week"),
        alt.Tooltip("n:Q", title="n (gezinnen)"),
        alt.Tooltip("small_label:N", title="let op"),
    ]
    faint = faint_when_small()
    return _first_latest_bars(frame, "organisation", orgs, "Gemiddeld aantal uren per week per gezin", tooltip,
                              f"Uren per organisatie — {HOURS_MEASURES[measure]}", BAR_ROW_HEIGHT, faint, highlight)


def organisation_hours_n(by_org: pd.DataFrame, measure: str = "total") -> str:
    """The n of `organisation_hours_bars`: families of all organisations at the first and the latest moment
    ('<10' / '×' where a protected table hides them)."""
    mark = hidden_mark(by_org)
    total = by_org.set_index(["organisation", "moment"])[f"n_{measure}"]
    counts = " / ".join(count_text(total[(TOTAL_ROW, moment)], mark) for moment in ("start", "latest"))
    return f"n = {counts} gezinnen (eerste/laatste meting) · n per balk"


def organisation_hours_table(by_org: pd.DataFrame) -> pd.DataFrame:
    """Per organisation and moment: mean hours per week and n of professionals, volunteers and both."""
    mark = hidden_mark(by_org)
    out = pd.DataFrame({"Organisatie": by_org["organisation"],
                        "Moment": by_org["moment"].map(MOMENT_LABELS)})
    for measure, what in (("professional", "Professionals"), ("volunteer", "Vrijwilligers (maatje)"),
                          ("total", "Inzet totaal")):
        out[f"{what} (uur/week)"] = [hidden_or(nl_number(v, 1), v if n != 0 else 0, mark)
                                     for v, n in zip(by_org[f"mean_{measure}"], by_org[f"n_{measure}"])]
        out[f"n {what.lower()}"] = [shown_count(v, mark) for v in by_org[f"n_{measure}"]]
    return out.reset_index(drop=True)
