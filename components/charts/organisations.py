"""Organisaties: the comparison table (DOMAIN §2 style), median durations, and one organisation's profile."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from babel.dates import format_date

from gezinsmonitor import metrics
from gezinsmonitor import formatting
from gezinsmonitor import organisations as og
from gezinsmonitor import taxonomy as tx

from .base import BAR_ROW_HEIGHT, LIGHT, MOMENT_LABELS, NAVY, PCT_TICKS, dutch, faint_when_small, hours_text, plain
from .hours import TOTAL_ROW
from .base import HIGHLIGHT, hidden_mark, highlight_axis
from .needs import HIDDEN_COLOR, count_column, count_texts, hidden_rows

__all__ = [
    "NOT_REGISTERED", "NOT_REACHED", "OTHERS_LABEL", "comparison_table_nl", "median_duration_chart",
    "profile_needs_chart", "profile_duration_chart", "profile_hours_chart", "group_labels", "month_text",
    "median_text", "median_value_text",
]

NOT_REGISTERED = "niet geregistreerd"
NOT_REACHED = "niet bereikt"
OTHERS_LABEL = "Overige organisaties (samen)"
PROFILE_MEASURES = {"total": "Inzet totaal", "professional": "Professionals", "volunteer": "Vrijwilligers (maatje)"}
_GREY = "#9CA3AF"


def month_text(value) -> str:
    """A month as 'jan 2024'."""
    return formatting.MISSING if value is None or value != value else format_date(pd.Timestamp(value).date(),
                                                                                    "MMM y", locale="nl_NL")


def _with_n(value, n: int, digits: int = 1) -> str:
    return f"{formatting.number(value, digits)} (n = {formatting.count(n)})" if n else "– (n = 0)"


def median_value_text(median) -> str:
    return NOT_REACHED if median is None or median != median else formatting.number(median, 1)


def median_text(median, lo, hi) -> str:
    """'21,4 (95%-BI 10,9–niet bereikt)'; 'niet bereikt' when fewer than half have ended."""
    def one(v):
        return NOT_REACHED if v != v or v is None else formatting.number(v, 1)
    if median != median and lo != lo:
        return NOT_REACHED
    return f"{one(median)} (95%-BI {one(lo)}–{one(hi)})"


def comparison_table_nl(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison table with Dutch headings and text cells; short trajectories say 'niet geregistreerd'.
    A protected table hides blocks of cells (organisations.COMPARISON_BLOCKS): such a cell is missing (a count)
    or reads '<10' (text), never 'niet bereikt' or 'nan'."""
    mark = hidden_mark(table)
    table = plain(table)

    def hidden(col: str) -> pd.Series:  # a block is hidden where its count is missing
        return table[col].isna()

    def texts(make, col: str, *cols: str) -> list[str]:
        return [mark if h else make(*values) for h, *values in zip(hidden(col), *(table[c] for c in cols))]

    return pd.DataFrame({
        "Organisatie": table["organisation"],
        "Start": table["start"].map(month_text),
        "Intensief (gezinnen)": count_column(table["intensive"], hidden("intensive")),
        "Kort (1–3 gesprekken)": NOT_REGISTERED,
        "Lopend": count_column(table[tx.STATUS_LOPEND], hidden(tx.STATUS_LOPEND)),
        "Afgerond": count_column(table[tx.STATUS_AFGEROND], hidden(tx.STATUS_AFGEROND)),
        "Hulpvragen per gezin": texts(_with_n, "families_with_requests", "requests_per_family",
                                      "families_with_requests"),
        "Mediane duur in maanden (95%-BI)": texts(median_text, "km_n", "median", "median_lo", "median_hi"),
        "Trajecten in de duur (waarvan afgerond)": texts(lambda n, a: f"{int(n)} ({int(a)})", "km_n", "km_n",
                                                         "km_afgerond"),
        "Uren professionals per week, eerste meting": texts(_with_n, "n_hours_start", "hours_start", "n_hours_start"),
        "Uren professionals per week, laatste meting": texts(_with_n, "n_hours_latest", "hours_latest",
                                                             "n_hours_latest"),
    })


def median_duration_chart(table: pd.DataFrame, min_n: int | None = None,
                          highlight: str | None = None) -> alt.LayerChart:
    """Kaplan–Meier median duration per organisation with its 95% interval; the pooled total last in grey;
    the `highlight` organisation (a participant's own) in orange.
    An interval whose upper end is not reached runs dashed to the right edge; a median that is not reached has no
    point, only its label. Organisations below min_n trajectories are faint and flagged in the tooltip."""
    limit = metrics.resolve_min_n(min_n)
    mark = hidden_mark(table)
    frame = plain(table[["organisation", "median", "median_lo", "median_hi", "km_n", "km_afgerond"]])
    hidden = frame["km_n"].isna()  # a protected table hid this organisation's durations: no interval, no point
    finite = frame[["median", "median_lo", "median_hi"]].to_numpy(dtype=float)
    edge = float(np.nanmax(finite)) * 1.1 if np.isfinite(finite).any() else 36.0
    frame["lo_plot"] = frame["median_lo"].fillna(0.0).where(~hidden)
    frame["hi_plot"] = frame["median_hi"].fillna(edge).where(~hidden)
    frame["text_x"] = frame["lo_plot"].fillna(0.0)
    frame["open"] = frame["median_hi"].isna()
    frame["is_total"] = frame["organisation"] == TOTAL_ROW
    frame["is_highlight"] = frame["organisation"] == highlight
    frame["small"] = ((frame["km_n"] < limit) | hidden) & ~frame["is_total"]
    frame["small_label"] = np.where(frame["small"], f"n < {limit}: voorzichtig vergelijken", "")
    frame["median_label"] = [mark if h else median_text(m, lo, hi) for m, lo, hi, h in
                             zip(frame["median"], frame["median_lo"], frame["median_hi"], hidden)]
    frame["label"] = [f"verborgen (n {mark} of terug te rekenen)" if h else f"{label} · n = {int(n)}"
                      for label, n, h in zip(frame["median_label"], frame["km_n"], hidden)]
    frame["hidden"] = hidden
    for col in ("km_n", "km_afgerond"):  # counts reach the chart only as text
        frame[col] = count_texts(frame[col], hidden, mark)
    order = list(frame["organisation"])
    opacity = faint_when_small()
    color = (alt.when("datum.is_total").then(alt.value(_GREY)).when("datum.is_highlight").then(alt.value(HIGHLIGHT))
             .otherwise(alt.value(NAVY)))
    base = alt.Chart(frame).encode(
        y=alt.Y("organisation:N", title=None, sort=order, axis=highlight_axis(highlight, labelLimit=260)),
        tooltip=[
            alt.Tooltip("organisation:N", title="organisatie"),
            alt.Tooltip("median_label:N", title="mediane duur (maanden)"),
            alt.Tooltip("km_n:N", title="n (trajecten)"),
            alt.Tooltip("km_afgerond:N", title="waarvan afgerond"),
            alt.Tooltip("small_label:N", title="let op"),
        ],
    )
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("lo_plot:Q", title="Mediane duur in maanden (Kaplan–Meier, 95%-BI)", scale=alt.Scale(domainMin=0)),
        x2="hi_plot:Q", color=color, opacity=opacity,
        strokeDash=alt.StrokeDash("open:N", scale=alt.Scale(domain=[False, True], range=[[1, 0], [5, 4]]),
                                  legend=None))
    point = base.transform_filter("isValid(datum.median)").mark_point(filled=True, size=120).encode(
        x="median:Q", color=color, opacity=opacity)
    text = base.mark_text(align="left", dx=6, dy=-12, fontSize=11).encode(
        x="text_x:Q", text="label:N",
        color=alt.condition("datum.hidden", alt.value(HIDDEN_COLOR), alt.value("#111827")))
    chart = alt.layer(interval, point, text, title="Mediane trajectduur per organisatie")
    return dutch(chart.properties(height=alt.Step(BAR_ROW_HEIGHT + 14)))


def group_labels(organisation: str) -> dict[str, str]:
    return {og.SELECTED: organisation, og.OTHERS: OTHERS_LABEL}


def _group_scale(labels: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=[labels[og.SELECTED], labels[og.OTHERS]], range=[NAVY, LIGHT])


def profile_needs_chart(needs: pd.DataFrame, organisation: str, min_n: int | None = None) -> alt.LayerChart:
    """% of families per leefgebied, the organisation next to the others pooled, with 95% Wilson whiskers."""
    limit = metrics.resolve_min_n(min_n)
    labels = group_labels(organisation)
    hidden, mark = hidden_rows(needs), hidden_mark(needs)
    frame = plain(needs)
    frame["group_label"] = frame["group"].map(labels)
    frame["small"] = (frame["n"] < limit) | hidden
    frame["interval"] = [mark if h else formatting.percent_ci(v, lo, hi) for v, lo, hi, h in
                         zip(frame["families_pct"], frame["families_pct_lo"], frame["families_pct_hi"], hidden)]
    for col in ("families", "n"):  # counts reach the chart only as text
        frame[col] = count_texts(frame[col], hidden, mark)
    frame["small_label"] = np.where(frame["small"], f"n < {limit}: voorzichtig vergelijken", "")
    order = list(dict.fromkeys(frame["leefgebied"]))
    group_order = [labels[og.SELECTED], labels[og.OTHERS]]
    base = alt.Chart(frame).encode(
        y=alt.Y("leefgebied:N", title=None, sort=order),
        yOffset=alt.YOffset("group_label:N", sort=group_order),
        tooltip=[
            alt.Tooltip("group_label:N", title="groep"),
            alt.Tooltip("leefgebied:N", title="leefgebied"),
            alt.Tooltip("families:N", title="gezinnen met een hulpvraag hier"),
            alt.Tooltip("n:N", title="n (gezinnen met een hulpvraag)"),
            alt.Tooltip("interval:N", title="% van de gezinnen"),
            alt.Tooltip("small_label:N", title="let op"),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X("families_pct:Q", title="% van de gezinnen (95%-BI)", scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=PCT_TICKS)),
        color=alt.Color("group_label:N", title=None, scale=_group_scale(labels), sort=group_order,
                        legend=alt.Legend(orient="bottom", labelLimit=320)),
        opacity=faint_when_small())
    whiskers = base.mark_rule(color="#111827").encode(x="families_pct_lo:Q", x2="families_pct_hi:Q")
    return dutch(alt.layer(bars, whiskers, title="Hulpvragen per leefgebied — % van de gezinnen").properties(
        height=alt.Step(BAR_ROW_HEIGHT - 14)))


def profile_duration_chart(km: pd.DataFrame, organisation: str) -> alt.LayerChart:
    """Kaplan–Meier curves (share still in support after t months) of the organisation and the others pooled,
    as steps, with the 95% band."""
    labels = group_labels(organisation)
    frame = plain(km)
    frame["group_label"] = frame["group"].map(labels)
    frame["survival_pct"] = frame["survival"] * 100
    frame["lower_pct"] = frame["lower"] * 100
    frame["upper_pct"] = frame["upper"] * 100
    frame["band_group"] = frame["group_label"]  # own field and channel: the lines keep their legend
    group_order = [labels[og.SELECTED], labels[og.OTHERS]]
    # Streamlit fits a fixed-height chart into its box: a legend below the plot would be cut off, above it fits.
    color = alt.Color("group_label:N", title=None, scale=_group_scale(labels), sort=group_order,
                      legend=alt.Legend(orient="top", labelLimit=320))
    x = alt.X("time:Q", title="Maanden sinds de start")
    band = alt.Chart(frame).mark_area(interpolate="step-after", opacity=0.15).encode(
        x=x, y="lower_pct:Q", y2="upper_pct:Q",
        fill=alt.Fill("band_group:N", scale=_group_scale(labels), sort=group_order, legend=None))
    line = alt.Chart(frame).mark_line(interpolate="step-after", strokeWidth=3).encode(
        x=x, y=alt.Y("survival_pct:Q", title="% trajecten dat nog loopt", scale=alt.Scale(domain=[0, 100])),
        color=color,
        tooltip=[
            alt.Tooltip("group_label:N", title="groep"),
            alt.Tooltip("time:Q", title="maanden", format=".1f"),
            alt.Tooltip("survival_pct:Q", title="% nog lopend", format=".1f"),
            alt.Tooltip("at_risk:Q", title="trajecten nog in beeld"),
            alt.Tooltip("events:Q", title="afgerond op dit moment"),
            alt.Tooltip("censored:Q", title="lopend (gecensureerd)"),
        ])
    half = alt.Chart(pd.DataFrame({"y": [50]})).mark_rule(color="#6B7280", strokeDash=[4, 3]).encode(y="y:Q")
    return dutch(alt.layer(band, line, half, title="Trajectduur (Kaplan–Meier): aandeel dat nog loopt")
                 .properties(height=360))


def profile_hours_chart(hours: pd.DataFrame, organisation: str, min_n: int | None = None) -> alt.FacetChart:
    """Mean hours per week per family (professionals, volunteers, both) of the organisation and the others pooled,
    one panel per moment; n on each bar; groups below min_n faint. Bars with n = 0 are left out."""
    limit = metrics.resolve_min_n(min_n)
    labels = group_labels(organisation)
    frame = plain(hours[hours["n"] > 0])
    frame["group_label"] = frame["group"].map(labels)
    frame["measure_label"] = frame["measure"].map(PROFILE_MEASURES)
    frame["moment_label"] = frame["moment"].map(MOMENT_LABELS)
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    frame["small"] = frame["n"] < limit
    frame["small_label"] = np.where(frame["small"], f"n < {limit}: voorzichtig vergelijken", "")
    frame["n_label"] = "n = " + frame["n"].astype(int).astype(str)
    group_order = [labels[og.SELECTED], labels[og.OTHERS]]
    base = alt.Chart().encode(
        y=alt.Y("measure_label:N", title=None, sort=list(PROFILE_MEASURES.values()), axis=alt.Axis(labelLimit=160)),
        yOffset=alt.YOffset("group_label:N", sort=group_order),
        x=alt.X("mean_hours_per_week:Q", title="Gemiddeld aantal uren per week per gezin"),
        tooltip=[
            alt.Tooltip("group_label:N", title="groep"),
            alt.Tooltip("moment_label:N", title="moment"),
            alt.Tooltip("measure_label:N", title="inzet"),
            alt.Tooltip("mean_hours_per_week:Q", title="uren per week", format=".2f"),
            alt.Tooltip("hours_text:N", title="= per week"),
            alt.Tooltip("n:Q", title="n (gezinnen)"),
            alt.Tooltip("small_label:N", title="let op"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("group_label:N", title=None, scale=_group_scale(labels), sort=group_order,
                        legend=alt.Legend(orient="bottom", labelLimit=320)),
        opacity=faint_when_small())
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#111827").encode(text="n_label:N")
    chart = alt.layer(bars, text, data=frame).properties(height=alt.Step(18), width=210).facet(
        column=alt.Column("moment_label:N", title=None, sort=list(MOMENT_LABELS.values())),
        title="Inzet in uren per week per gezin")
    return dutch(chart)
