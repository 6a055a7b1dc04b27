"""Trajectduur: duration classes, histogram, Kaplan–Meier, caseload per month, reasons for ending."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from babel.dates import format_date

from gezinsmonitor import disclosure, formatting, suppression
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.endings import END_STATES, NO_REASON

from .base import BAR_ROW_HEIGHT, DURATION_RULES, LIGHT, NAVY, STATUS_COLORS, dutch

HIDDEN_GREY = "#9CA3AF"  # a hidden ('<10') value: a grey label, never a bar of some height


def _protected(frame: pd.DataFrame) -> bool:
    return disclosure.is_protected(frame)


def _count_texts(values: pd.Series, mark: str) -> list[str]:
    """Counts as text for tooltips and tables: a hidden (missing) count is the mark, never 'nan'."""
    return [mark if pd.isna(v) else formatting.count(v) for v in values]


def _counts(values: pd.Series) -> pd.Series:
    """A count column of a protected table: Dutch text, None where hidden (figure.table prints '<k' there), so
    the column has one type when it reaches Arrow."""
    return pd.Series([None if pd.isna(v) else formatting.count(v) for v in values], index=values.index,
                     dtype=object)

__all__ = [  # re-exported by components.charts; helpers and imports stay private
    "duration_bars", "duration_histogram", "duration_table_nl",
    "km_chart", "km_median_table_nl", "median_interval_text", "NOT_REACHED",
    "caseload_chart", "caseload_table_nl", "reasons_chart", "reasons_table_nl", "end_dates_table_nl", "funnel_table_nl",
]


# -- trajectduur -----------------------------------------------------------------------------
def duration_bars(table: pd.DataFrame) -> alt.Chart:
    """Trajectories per duration class, afgerond and lopend side by side."""
    long = table.rename(columns={"completed": tx.STATUS_AFGEROND, "ongoing": tx.STATUS_LOPEND}).melt(
        id_vars="months", value_vars=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND], var_name="status", value_name="trajecten")
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    if _protected(table):
        return _duration_bars_protected(long, table, status_scale)
    chart = (
        alt.Chart(long, title="Trajecten per duurklasse (maanden)")
        .mark_bar()
        .encode(
            x=alt.X("months:N", title="Duur in maanden", sort=list(table["months"]), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("status:N", sort=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND]),
            y=alt.Y("trajecten:Q", title="Aantal trajecten", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("status:N", title="Status", scale=status_scale),
            tooltip=[alt.Tooltip("months:N", title="maanden"), alt.Tooltip("status:N", title="status"),
                     alt.Tooltip("trajecten:Q", title="trajecten")],
        )
    )
    return dutch(chart)


def _duration_bars_protected(long: pd.DataFrame, table: pd.DataFrame, status_scale: alt.Scale) -> alt.LayerChart:
    """Hidden classes get no bar but a grey '<10' at the axis; the tooltip says '<10' too."""
    long = long.copy()
    mark = suppression.HIDDEN_MARK
    long["aantal"] = _count_texts(long["trajecten"], mark)
    long["trajecten"] = long["trajecten"].astype(float)
    hidden = long[long["trajecten"].isna()].assign(trajecten=0.0, label=mark)
    x = alt.X("months:N", title="Duur in maanden", sort=list(table["months"]), axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset("status:N", sort=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND])
    tooltip = [alt.Tooltip("months:N", title="maanden"), alt.Tooltip("status:N", title="status"),
               alt.Tooltip("aantal:N", title="trajecten")]
    bars = alt.Chart(long[long["trajecten"].notna()]).mark_bar().encode(
        x=x, xOffset=offset, y=alt.Y("trajecten:Q", title="Aantal trajecten", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title="Status", scale=status_scale), tooltip=tooltip)
    labels = alt.Chart(hidden).mark_text(color=HIDDEN_GREY, dy=-8, fontSize=11).encode(
        x=x, xOffset=offset, y=alt.Y("trajecten:Q"), text="label:N", tooltip=tooltip)
    return dutch(alt.layer(bars, labels, title="Trajecten per duurklasse (maanden)"))


def _histogram_bins(bins: pd.DataFrame) -> alt.LayerChart:
    """The histogram from `metrics.duration_bins` (binned in the data layer): stacked bars per bin and status;
    a hidden bin has no bar but a grey '<10' tick at the axis."""
    data = bins.drop(columns=list(disclosure.MARKS), errors="ignore").copy()
    mark = suppression.HIDDEN_MARK
    data["aantal"] = _count_texts(data["trajectories"], mark)
    data["trajectories"] = data["trajectories"].astype(float)
    data["month"] = data["month"].astype(int)
    data["month_end"] = data["month_end"].astype(int)
    data["maanden"] = [f"{a}–{b}" for a, b in zip(data["month"], data["month_end"])]
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    top = float(data["month_end"].max()) if len(data) else 24.0
    x_scale = alt.Scale(domain=[0, max(top, 24.0) + 1])
    tooltip = [alt.Tooltip("maanden:N", title="maanden"), alt.Tooltip("status:N", title="status"),
               alt.Tooltip("aantal:N", title="trajecten")]
    shown = data[data["trajectories"].notna()]
    bars = alt.Chart(shown).mark_bar().encode(
        x=alt.X("month:Q", title="Duur in maanden", scale=x_scale), x2="month_end:Q",
        y=alt.Y("trajectories:Q", title="Aantal trajecten", stack="zero", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title="Status", scale=status_scale), tooltip=tooltip)
    layers = [bars]
    hidden = data[data["trajectories"].isna()].assign(trajectories=0.0, label=mark)
    if len(hidden):
        hidden["middle"] = (hidden["month"] + hidden["month_end"]) / 2
        layers.append(alt.Chart(hidden).mark_text(color=HIDDEN_GREY, dy=-8, fontSize=10).encode(
            x=alt.X("middle:Q", scale=x_scale), y="trajectories:Q", text="label:N", tooltip=tooltip))
    rules = alt.Chart(pd.DataFrame({"months": list(DURATION_RULES)})).mark_rule(
        color="#6B7280", strokeDash=[4, 3]).encode(x="months:Q", tooltip=[alt.Tooltip("months:Q", title="grens (maanden)")])
    return dutch(alt.layer(*layers, rules, title="Verdeling van de trajectduur"))


def duration_histogram(durations: pd.DataFrame) -> alt.LayerChart:
    """Months of support per trajectory (1-month bins), stacked by status at the peildatum, rules at 6/12/18/24.
    From `metrics.duration_bins` (counts per bin, what the pages send) or from `trajectory_durations` (one row per
    trajectory, binned by Vega: only for rows the viewer owns)."""
    if "trajectories" in durations and "month_end" in durations:
        return _histogram_bins(durations)
    kept = durations.loc[durations["excluded"].isna(), ["status_at_peildatum", "months"]].copy()
    kept = kept.rename(columns={"status_at_peildatum": "status"})  # the status as it stood at the peildatum
    kept["months"] = kept["months"].astype(float)
    kept["status"] = kept["status"].astype(str)
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    top = float(np.ceil(kept["months"].max())) if len(kept) else 24.0
    bars = alt.Chart(kept).mark_bar().encode(
        x=alt.X("months:Q", bin=alt.Bin(step=1, extent=[0, max(top, 24.0) + 1]), title="Duur in maanden"),
        y=alt.Y("count():Q", title="Aantal trajecten", stack="zero", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title="Status", scale=status_scale),
        tooltip=[alt.Tooltip("months:Q", bin=alt.Bin(step=1, extent=[0, max(top, 24.0) + 1]), title="maanden"),
                 alt.Tooltip("status:N", title="status"), alt.Tooltip("count():Q", title="trajecten")],
    )
    rules = alt.Chart(pd.DataFrame({"months": list(DURATION_RULES)})).mark_rule(
        color="#6B7280", strokeDash=[4, 3]).encode(x="months:Q", tooltip=[alt.Tooltip("months:Q", title="grens (maanden)")])
    return dutch(alt.layer(bars, rules, title="Verdeling van de trajectduur"))


def duration_table_nl(table: pd.DataFrame) -> pd.DataFrame:
    """The duration table with Dutch headings and a total row and column. For a protected table (see
    `metrics.tabulate_durations`) every cell is text: hidden classes and totals say '<10'."""
    if _protected(table):
        mark = suppression.HIDDEN_MARK
        hidden = table[disclosure.HIDDEN].to_numpy(bool)
        row_total = table["completed"] + table["ongoing"]
        out = pd.DataFrame({
            "Maanden": table["months"].astype(str),
            "Afgerond": _count_texts(table["completed"], mark),
            "Lopend (tot peildatum)": _count_texts(table["ongoing"], mark),
            "Totaal": [mark if h else formatting.count(v) for h, v in zip(hidden, row_total)],
        })
        totals = table.attrs.get("totals", {})
        total = {"Maanden": "Totaal", **{col: mark if totals.get(key) is None else formatting.count(totals[key])
                                         for col, key in zip(out.columns[1:], ("completed", "ongoing", "total"))}}
        return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out = pd.DataFrame({
        "Maanden": table["months"].astype(str),
        "Afgerond": table["completed"].astype(int),
        "Lopend (tot peildatum)": table["ongoing"].astype(int),
    })
    out["Totaal"] = out["Afgerond"] + out["Lopend (tot peildatum)"]
    total = {"Maanden": "Totaal", **{c: int(out[c].sum()) for c in out.columns[1:]}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


# -- Kaplan–Meier ----------------------------------------------------------------------------
OVERALL_COLOR = "#111827"
GROUP_PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#EECA3B", "#9D755D",
                 "#FF9DA6", "#BAB0AC"]
NOT_REACHED = "niet bereikt"
MONTH_UNIT = " mnd"


def _small_note(n: int, min_n: int) -> str:
    return f"n < {min_n} gezinnen: voorzichtig vergelijken" if n < min_n else ""


def km_chart(km: pd.DataFrame, min_n: int = 20) -> alt.LayerChart:
    """Step curves of the share still in support per group, the overall curve (first) with its 95% band,
    censor ticks, a line at 50% (where the curve crosses it is the median). Click the legend to highlight a
    group; groups below min_n are drawn fainter and say so in the tooltip."""
    coarse = bool(km.attrs.get("coarse"))  # protected: whole-month steps without per-step counts
    data = km[["group", "is_overall", "n", "families", "at_risk", "events", "censored"]].copy()
    if coarse:
        data = data.drop(columns=["at_risk", "events", "censored"])
    for col in ("survival", "lower", "upper"):
        data[col] = km[col].astype(float).round(4)
    data["months"] = km["time"].astype(float).round(2)
    small = ~data["is_overall"].astype(bool) & (data["families"].astype(int) < min_n)
    data["opmerking"] = [_small_note(n, min_n) if is_small else "" for n, is_small in zip(data["families"], small)]
    data["base_opacity"] = np.where(small, 0.45, 1.0)
    order = list(dict.fromkeys(data.sort_values("is_overall", ascending=False, kind="stable")["group"]))
    colors = [OVERALL_COLOR if g in set(data.loc[data["is_overall"], "group"]) else None for g in order]
    palette = iter(GROUP_PALETTE * (len(order) // len(GROUP_PALETTE) + 1))
    colors = [c or next(palette) for c in colors]
    color = alt.Color("group:N", title="Organisatie", sort=order,
                      scale=alt.Scale(domain=order, range=colors),
                      legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1, labelLimit=240))
    pick = alt.selection_point(fields=["group"], bind="legend", name="km_group")
    tooltip = [alt.Tooltip("group:N", title="groep"), alt.Tooltip("months:Q", title="maanden", format=".1f"),
               alt.Tooltip("survival:Q", title="nog in begeleiding", format=".1%"),
               alt.Tooltip("at_risk:Q", title="at risk (nog in beeld)"),
               alt.Tooltip("events:Q", title="afgerond op dit punt"),
               alt.Tooltip("censored:Q", title="gecensureerd op dit punt"), alt.Tooltip("n:Q", title="n trajecten"),
               alt.Tooltip("families:Q", title="n gezinnen"),
               alt.Tooltip("opmerking:N", title="let op")]
    if coarse:
        tooltip = [t for t in tooltip if t.shorthand.split(":")[0] not in ("at_risk", "events", "censored")]
    x = alt.X("months:Q", title="Maanden sinds start")
    y = alt.Y("survival:Q", title="Aandeel nog in begeleiding", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%"))
    base = alt.Chart(data)
    band = base.transform_filter(alt.datum.is_overall).mark_area(
        interpolate="step-after", color=OVERALL_COLOR).encode(
        x=x, y=alt.Y("lower:Q"), y2=alt.Y2("upper:Q"), opacity=alt.condition(pick, alt.value(0.15), alt.value(0.03)),
        tooltip=[alt.Tooltip("months:Q", title="maanden", format=".1f"),
                 alt.Tooltip("lower:Q", title="95%-BI ondergrens", format=".1%"),
                 alt.Tooltip("upper:Q", title="95%-BI bovengrens", format=".1%")])
    lines = base.mark_line(interpolate="step-after").encode(
        x=x, y=y, color=color, detail="group:N",
        strokeWidth=alt.condition(alt.datum.is_overall, alt.value(3), alt.value(1.6)),
        opacity=alt.condition(pick, alt.Opacity("base_opacity:Q", scale=None, legend=None), alt.value(0.1)),
        tooltip=tooltip).add_params(pick)
    ticks = base.transform_filter(alt.datum.censored > 0).mark_point(
        shape="stroke", angle=90, size=50, filled=False, strokeWidth=1.2).encode(
        x=x, y=y, color=color,
        opacity=alt.condition(pick, alt.Opacity("base_opacity:Q", scale=None, legend=None), alt.value(0.1)),
        tooltip=tooltip)
    if coarse:  # a censor tick marks one trajectory's duration: not for someone else's rows
        ticks = ticks.transform_filter("false")
    half = alt.Chart(pd.DataFrame({"survival": [0.5]})).mark_rule(color="#6B7280", strokeDash=[4, 3]).encode(
        y="survival:Q", tooltip=[alt.Tooltip("survival:Q", title="mediaan bij", format=".0%")])
    return dutch(alt.layer(band, lines, ticks, half, title="Kaplan–Meier: aandeel trajecten nog in begeleiding"))


def _months_text(value) -> str:
    return NOT_REACHED if pd.isna(value) else f"{formatting.number(value, 1)}{MONTH_UNIT}"


def median_interval_text(lower, upper) -> str:
    """'10,9–30,4 mnd'; an end that is not reached says so ('10,9 mnd – niet bereikt')."""
    missing = [pd.isna(v) for v in (lower, upper)]
    if not any(missing):
        return formatting.interval(lower, upper, digits=1, unit=MONTH_UNIT)
    if all(missing):
        return NOT_REACHED
    return f"{_months_text(lower)} – {_months_text(upper)}"


def km_median_table_nl(medians: pd.DataFrame, min_n: int = 20) -> pd.DataFrame:
    """The median table with Dutch headings: n, afgerond (events), lopend (censored), median with 95% interval.
    A hidden row (protected `median_table`) has every figure missing, for `figure.table` to print '<10'."""
    if _protected(medians):
        hidden = medians[disclosure.HIDDEN].to_numpy(bool)
        return pd.DataFrame({
            "Organisatie": medians["group"].astype(str),
            "n trajecten": _counts(medians["n"]),
            "Afgerond (einde gezien)": _counts(medians["events"]),
            "Lopend (gecensureerd)": _counts(medians["censored"]),
            "Mediane duur": [None if h else _months_text(v) for h, v in zip(hidden, medians["median"])],
            "95%-BI": [None if h else median_interval_text(lo, hi)
                       for h, lo, hi in zip(hidden, medians["lower"], medians["upper"])],
            "Let op": ["" if overall or h else _small_note(int(n), min_n)
                       for overall, h, n in zip(medians["is_overall"], hidden, medians["families"])],
        })
    return pd.DataFrame({
        "Organisatie": medians["group"].astype(str),
        "n trajecten": medians["n"].astype(int),
        "Afgerond (einde gezien)": medians["events"].astype(int),
        "Lopend (gecensureerd)": medians["censored"].astype(int),
        "Mediane duur": [_months_text(v) for v in medians["median"]],
        "95%-BI": [median_interval_text(lo, hi) for lo, hi in zip(medians["lower"], medians["upper"])],
        "Let op": ["" if overall else _small_note(n, min_n)
                   for overall, n in zip(medians["is_overall"], medians["families"].astype(int))],
    })


# -- inflow, outflow, caseload ---------------------------------------------------------------
FLOW_LABELS = {"starts": "instroom (gestart)", "ends": "uitstroom (afgerond)"}
FLOW_COLORS = {"starts": "#54A24B", "ends": "#E45756"}


def caseload_chart(caseload: pd.DataFrame) -> alt.VConcatChart:
    """Top: trajectories running at each month end (caseload). Below: starts and ends per month, side by
    side. Both share the month axis; brushing months in the top panel zooms the lower one."""
    protected = _protected(caseload)
    data = caseload.drop(columns=list(disclosure.MARKS), errors="ignore").copy()
    data["month"] = pd.to_datetime(data["month"])
    data["peilmoment"] = [formatting.date(d) for d in pd.to_datetime(data["month_end"])]
    data["deel"] = np.where(data["partial"].astype(bool), "onvolledige maand (tot de peildatum)", "")
    month_tip = alt.Tooltip("month:T", title="maand", format="%B %Y")
    # Tooltips read text: a count hidden from this viewer is the mark ('<10'), never null. Where a count is
    # hidden the area breaks and the bar is left out.
    mark = suppression.HIDDEN_MARK if protected else formatting.MISSING
    for col, text in (("running", "lopend_tekst"), ("starts", "instroom_tekst"), ("ends", "uitstroom_tekst")):
        data[text] = _count_texts(data[col], mark)
        data[col] = data[col].astype(float)
    brush = alt.selection_interval(encodings=["x"], name="caseload_months")
    top = alt.Chart(data, height=180).mark_area(
        interpolate="step-after", line={"color": NAVY}, color=LIGHT, opacity=0.5,
        invalid="break-paths-show-domains").encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y")),
        y=alt.Y("running:Q", title="Lopende trajecten (caseload)", axis=alt.Axis(tickMinStep=1)),
        tooltip=[month_tip, alt.Tooltip("lopend_tekst:N", title="lopend aan het eind van de maand"),
                 alt.Tooltip("peilmoment:N", title="geteld op"), alt.Tooltip("instroom_tekst:N", title="instroom"),
                 alt.Tooltip("uitstroom_tekst:N", title="uitstroom"), alt.Tooltip("deel:N", title="let op")],
    ).add_params(brush)
    flows = data.melt(id_vars=["month", "peilmoment", "deel", "lopend_tekst"], value_vars=["starts", "ends"],
                      var_name="flow", value_name="trajecten")
    flows["stroom"] = flows["flow"].map(FLOW_LABELS)
    flows["aantal"] = _count_texts(flows["trajecten"], mark)
    flows = flows[flows["trajecten"].notna()]
    if flows.empty:  # every month's in- and outflow hidden for this viewer: the caseload alone, no empty panel
        return dutch(top.properties(title="Caseload per maand (instroom en uitstroom verborgen: kleine aantallen)"))
    bottom = alt.Chart(flows, height=160).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title="Maand", scale=alt.Scale(domain=brush), axis=alt.Axis(format="%b %Y")),
        xOffset=alt.XOffset("stroom:N", sort=list(FLOW_LABELS.values())),
        y=alt.Y("trajecten:Q", title="Trajecten per maand", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("stroom:N", title="Stroom", sort=list(FLOW_LABELS.values()),
                        scale=alt.Scale(domain=list(FLOW_LABELS.values()), range=list(FLOW_COLORS.values()))),
        tooltip=[month_tip, alt.Tooltip("stroom:N", title="stroom"), alt.Tooltip("aantal:N", title="trajecten"),
                 alt.Tooltip("lopend_tekst:N", title="caseload eind maand"), alt.Tooltip("deel:N", title="let op")],
    )
    return dutch(alt.vconcat(top, bottom, title="Instroom, uitstroom en caseload per maand"))


def caseload_table_nl(caseload: pd.DataFrame) -> pd.DataFrame:
    if _protected(caseload):
        return pd.DataFrame({
            "Maand": [format_date(pd.Timestamp(m).date(), "MMMM y", locale=formatting.LOCALE)
                      for m in caseload["month"]],
            "Instroom": _counts(caseload["starts"]),
            "Uitstroom": _counts(caseload["ends"]),
            "Lopend eind maand": _counts(caseload["running"]),
            "Geteld op": [formatting.date(d) for d in pd.to_datetime(caseload["month_end"])],
        })
    return pd.DataFrame({
        "Maand": [format_date(pd.Timestamp(m).date(), "MMMM y", locale=formatting.LOCALE) for m in caseload["month"]],
        "Instroom": caseload["starts"].astype(int),
        "Uitstroom": caseload["ends"].astype(int),
        "Lopend eind maand": caseload["running"].astype(int),
        "Geteld op": [formatting.date(d) for d in pd.to_datetime(caseload["month_end"])],
    })


# -- reasons for ending, end dates, funnel ----------------------------------------------------
def _pct_ci_texts(frame: pd.DataFrame) -> list[str]:
    return [formatting.percent_ci(p, lo, hi) for p, lo, hi in zip(frame["pct"], frame["pct_lo"], frame["pct_hi"])]


def reasons_chart(reasons: pd.DataFrame) -> alt.LayerChart:
    """Share of the afgerond trajectories per reason, with Wilson 95% whiskers; counts and n in the tooltip."""
    protected = _protected(reasons)
    data = reasons.drop(columns=list(disclosure.MARKS), errors="ignore").copy()
    data["n_total"] = int(reasons.attrs.get("n", data["n"].sum()))
    data["pct_text"] = _pct_ci_texts(data)
    if protected:
        mark = suppression.HIDDEN_MARK
        data["pct_text"] = [mark if h else t for h, t in zip(reasons[disclosure.HIDDEN], data["pct_text"])]
        data["aantal"] = _count_texts(data["n"], mark)
        for col in ("n", "pct", "pct_lo", "pct_hi"):
            data[col] = data[col].astype(float)
    order = list(data["reason"])
    y = alt.Y("reason:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    tooltip = [alt.Tooltip("reason:N", title="reden"),
               alt.Tooltip("aantal:N", title="trajecten") if protected else alt.Tooltip("n:Q", title="trajecten"),
               alt.Tooltip("pct_text:N", title="% van afgerond"), alt.Tooltip("n_total:Q", title="n afgerond")]
    # A missing reason is a gap in the registration, not a reason: drawn grey.
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("pct:Q", title="% van de afgeronde trajecten", scale=alt.Scale(domain=[0, 100])), y=y, tooltip=tooltip,
        color=alt.condition(alt.datum.reason == NO_REASON, alt.value("#B0B7C3"), alt.value(NAVY)))
    whiskers = alt.Chart(data).mark_rule(color="#374151").encode(x="pct_lo:Q", x2="pct_hi:Q", y=y, tooltip=tooltip)
    layers = [bars, whiskers]
    if protected:  # a hidden reason keeps its row, with a grey '<10' instead of a bar
        hidden = data[data["pct"].isna()].assign(x0=0.0, label=suppression.HIDDEN_MARK)
        layers.append(alt.Chart(hidden).mark_text(color=HIDDEN_GREY, align="left", dx=4).encode(
            x=alt.X("x0:Q"), y=y, text="label:N", tooltip=tooltip))
    return dutch(alt.layer(*layers, title="Redenen van beëindiging", height=alt.Step(BAR_ROW_HEIGHT)))


def reasons_table_nl(reasons: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Reden van beëindiging": reasons["reason"].astype(str),
        "Trajecten": _counts(reasons["n"]) if _protected(reasons) else reasons["n"].astype(int),
        "% van afgerond (95%-BI)": _pct_ci_texts(reasons),
    })


def end_dates_table_nl(completeness: pd.DataFrame) -> pd.DataFrame:
    count = _counts if _protected(completeness) else (lambda values: values.astype(int))
    out = pd.DataFrame({"Organisatie": completeness["group"].astype(str), "Trajecten": count(completeness["n"])})
    for key, label in END_STATES.items():
        out[label[:1].upper() + label[1:]] = count(completeness[key])
    return out


def funnel_table_nl(funnel: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Stap": funnel["step"].astype(str),
        "Trajecten": _counts(funnel["n"]) if _protected(funnel) else funnel["n"].astype(int),
        "Van vorige stap": _counts(funnel["of"]) if _protected(funnel) else funnel["of"].astype(int),
        "% (95%-BI)": _pct_ci_texts(funnel),
    })
