"""Hulpvragen: needs per leefgebied and categorie, per organisation, co-occurrence, by family background.

Every chart that shows leefgebieden carries the same point selection (NEEDS_SELECTION, on the field
`leefgebied`): a click highlights that leefgebied inside the chart, and the page passes the chosen
leefgebied (`focus`) as the selection's initial value to every other chart, so the views follow each other.
"""
from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from gezinsmonitor import disclosure, formatting, suppression

from .base import (
    BAR_ROW_HEIGHT,
    SMALL_OPACITY,
    NAVY,
    NEEDS_MEASURES,
    NO_CATEGORY,
    PCT_TICKS,
    dutch,
    hidden_mark,
    pct_text,
)

__all__ = [  # re-exported by components.charts
    "DIMMED",
    "NEEDS_SELECTION",
    "UNKNOWN_COLOR",
    "background_bars",
    "cooccurrence_heatmap",
    "cooccurrence_table",
    "focus_selection",
    "count_column",
    "count_texts",
    "hidden_rows",
    "n_text",
    "shown_sizes",
    "needs_bars",
    "needs_detail_bars",
    "needs_group_table",
    "needs_org_multiples",
    "needs_table",
    "requests_per_family_bars",
    "selected_leefgebied",
]

NEEDS_SELECTION = "leefgebied_keuze"
DIMMED = 0.25  # opacity of what is not selected
WHISKER = "#333333"
UNKNOWN_COLOR = "#A0A7B2"
GROUP_COLORS = ("#1F3A5F", "#4C9F70", "#E09F3E", "#9E2A2B", "#7A5BA6", "#2A9DB5")
MEASURE_N = {"families_pct": "n_families", "requests_pct": "n_requests"}
MEASURE_UNIT = {"families_pct": "gezinnen met een hulpvraag", "requests_pct": "hulpvragen"}
HIDDEN_COLOR = "#9CA3AF"  # the grey '<10' where a protected figure hides a small group


# -- hidden (suppressed) rows ----------------------------------------------------------------
def hidden_rows(frame: pd.DataFrame) -> pd.Series:
    """True for the rows a protected frame hides (its `verborgen` column); all False for an unprotected one."""
    if disclosure.is_protected(frame):
        return frame[disclosure.HIDDEN].astype(bool)
    return pd.Series(False, index=frame.index)


def count_texts(values: pd.Series, hidden: pd.Series, mark: str | None) -> pd.Series:
    """Counts as Dutch text for charts' tooltips: the mark on hidden rows, never 'nan'."""
    return pd.Series([mark if h else formatting.count(v) for v, h in zip(values, hidden)], index=values.index,
                     dtype=object)


def count_column(values: pd.Series, hidden: pd.Series) -> pd.Series:
    """A table's count column: whole numbers as before, and a missing cell on a hidden row, which
    `figure.table` shows as '<k'."""
    if not hidden.any():
        return values.astype(int)
    return pd.Series([None if h or v != v else int(v) for v, h in zip(values, hidden)], index=values.index,
                     dtype=object)


def n_text(n, source: pd.DataFrame | None = None) -> str:
    """A count for a caption, metric or warning: Dutch ('1.008'); '<k' when `source` is protected and the count
    is hidden (missing) or from 1 to k-1 (a total in its attrs); '–' when missing otherwise."""
    protected = source is not None and disclosure.is_protected(source)
    k = source.attrs.get("k") if source is not None else None
    if n is None or n != n:
        return hidden_mark(source) if protected else formatting.MISSING
    if protected and suppression.is_suppressed(n, k):
        return suppression.label(k)
    return formatting.count(n)


def shown_sizes(sizes: Mapping, source: pd.DataFrame | None = None) -> dict[str, int]:
    """The group sizes that may be shown as numbers (for `figure.small_n_warning`): hidden ones left out."""
    protected = source is not None and disclosure.is_protected(source)
    k = source.attrs.get("k") if source is not None else None
    return {g: int(n) for g, n in sizes.items()
            if n is not None and n == n and not (protected and suppression.is_suppressed(n, k))}


def _hidden_layer(x: str = "zero:Q", **encoding) -> alt.Chart:
    """A grey '<k' at the axis start for every hidden row: it has no bar, the reader sees why."""
    return alt.Chart().transform_filter(f"datum.{disclosure.HIDDEN}").mark_text(
        align="left", dx=4, fontSize=12, color=HIDDEN_COLOR).encode(x=x, text="hidden_label:N", **encoding)


def _with_hidden(frame: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """`frame` (built row for row from `source`) with the columns the hidden layer needs."""
    frame[disclosure.HIDDEN] = hidden_rows(source).to_numpy()
    frame["hidden_label"] = hidden_mark(source)
    frame["zero"] = 0.0
    return frame


# -- selection shared by the views -----------------------------------------------------------
def focus_selection(focus: str | None = None) -> alt.Parameter:
    """Point selection on `leefgebied`, pre-set to `focus` so a choice made elsewhere on the page shows here."""
    value = [{"leefgebied": focus}] if focus else alt.Undefined
    return alt.selection_point(name=NEEDS_SELECTION, fields=["leefgebied"], value=value, toggle=False)


def selected_leefgebied(event, name: str = NEEDS_SELECTION) -> str | None:
    """The leefgebied clicked in a chart, from Streamlit's selection state (None when nothing is selected)."""
    try:
        points = (event or {}).get("selection", {}).get(name) or []
    except AttributeError:
        return None
    if isinstance(points, Mapping):  # defensive: some Vega versions return one object
        points = [points]
    for point in points:
        value = point.get("leefgebied") if isinstance(point, Mapping) else None
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            return str(value)
    return None


def _ci_text(value, lo, hi) -> str:
    return formatting.percent_ci(value, lo, hi)


def _small_label(n: int, min_n: int) -> str:
    return f"n = {formatting.count(n)}" + (f" · n < {min_n}" if n < min_n else "")


# -- hulpvragen per leefgebied ----------------------------------------------------------------
def _needs_frame(table: pd.DataFrame) -> pd.DataFrame:
    frame = _with_hidden(table.copy(), table)
    hidden, mark = frame[disclosure.HIDDEN], hidden_mark(table)
    frame["n_families"] = table.attrs.get("n_families", 0)
    frame["n_requests"] = table.attrs.get("n_requests", 0)
    for count in ("families", "requests"):  # text, so a hidden count reads '<10' in the tooltip
        frame[count] = count_texts(table[count], hidden, mark)
    for m in NEEDS_MEASURES:
        if f"{m}_lo" not in frame:  # a table from elsewhere without intervals: show the value alone
            frame[f"{m}_lo"] = frame[f"{m}_hi"] = float("nan")
        frame[f"{m}_text"] = [mark if h else _ci_text(v, lo, hi)
                              for v, lo, hi, h in zip(frame[m], frame[f"{m}_lo"], frame[f"{m}_hi"], hidden)]
        frame[f"{m}_label"] = [mark if h else formatting.percent(v, 0) for v, h in zip(frame[m], hidden)]
        frame[f"{m}_label_x"] = frame[f"{m}_hi"].where(~hidden, 0.0)
    return frame


def _needs_tooltip(label: str) -> list:
    return [
        alt.Tooltip(f"{label}:N", title=label),
        alt.Tooltip("families:N", title="gezinnen"),
        alt.Tooltip("families_pct:Q", title=NEEDS_MEASURES["families_pct"], format=".1f"),
        alt.Tooltip("families_pct_text:N", title="% van de gezinnen met 95%-BI"),
        alt.Tooltip("n_families:Q", title="n (gezinnen met een hulpvraag)"),
        alt.Tooltip("requests:N", title="hulpvragen"),
        alt.Tooltip("requests_pct:Q", title=NEEDS_MEASURES["requests_pct"], format=".1f"),
        alt.Tooltip("requests_pct_text:N", title="% van de hulpvragen met 95%-BI"),
        alt.Tooltip("n_requests:Q", title="n (hulpvragen)"),
    ]


def _pct_axis(label: str) -> alt.X:
    return alt.X(title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS))


def _halo(measure: str, **encoding) -> alt.Chart:
    """A white band under the whisker, so the dark interval line stays visible where it crosses a dark bar."""
    return alt.Chart().mark_rule(color="white", strokeWidth=4).encode(
        x=f"{measure}_lo:Q", x2=f"{measure}_hi:Q", **encoding)


def _whiskers(measure: str, label: str, **encoding) -> alt.Chart:
    """95% Wilson interval as an error bar from `{measure}_lo` to `{measure}_hi`."""
    return alt.Chart().mark_errorbar(ticks=True, color=WHISKER).encode(
        x=alt.X(f"{measure}_lo:Q", title=label), x2=f"{measure}_hi:Q", **encoding)


def needs_bars(table: pd.DataFrame, measure: str = "families_pct", focus: str | None = None) -> alt.LayerChart:
    """Per leefgebied one bar of `measure` (families_pct or requests_pct) with its 95% Wilson interval,
    in taxonomy order; a click selects the leefgebied (NEEDS_SELECTION), pre-set to `focus`."""
    label = NEEDS_MEASURES[measure]
    frame = _needs_frame(table)
    selection = focus_selection(focus)
    bars = (
        alt.Chart().mark_bar(color=NAVY, cursor="pointer")
        .encode(opacity=alt.condition(selection, alt.value(1.0), alt.value(DIMMED)))
        .add_params(selection)
    )
    text = alt.Chart().mark_text(align="left", dx=6, fontSize=13).encode(
        x=alt.X(f"{measure}_label_x:Q", title=label), text=f"{measure}_label:N",
        color=alt.condition(f"datum.{disclosure.HIDDEN}", alt.value(HIDDEN_COLOR), alt.value("black")))
    chart = (
        alt.layer(bars, _halo(measure), _whiskers(measure, label), text, data=frame,
                  title=f"Hulpvragen per leefgebied — {label}")
        .encode(
            y=alt.Y("leefgebied:N", title=None, sort=list(frame["leefgebied"])),
            x=alt.X(f"{measure}:Q", title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
            tooltip=_needs_tooltip("leefgebied"),
        )
        .properties(height=alt.Step(BAR_ROW_HEIGHT))
    )
    return dutch(chart)


def _detail_frame(detail: pd.DataFrame) -> pd.DataFrame:
    frame = detail.copy()
    frame.attrs = dict(detail.attrs)
    frame["categorie"] = frame["categorie"].astype(object).where(frame["categorie"].notna(), NO_CATEGORY)
    frame["label"] = frame["leefgebied"].astype(str) + " · " + frame["categorie"].astype(str)
    return frame


def needs_detail_bars(detail: pd.DataFrame, measure: str = "families_pct", focus: str | None = None) -> alt.LayerChart:
    """Per leefgebied × categorie one bar with its Wilson interval, coloured by leefgebied; a missing categorie is
    '(geen categorie)'. The chosen leefgebied (`focus`, or a click) stays bright, the others dim."""
    label = NEEDS_MEASURES[measure]
    frame = _needs_frame(_detail_frame(detail))
    frame.attrs.update(detail.attrs)
    selection = focus_selection(focus)
    bars = (
        alt.Chart().mark_bar(cursor="pointer")
        .encode(
            color=alt.Color("leefgebied:N", title="Leefgebied",
                            scale=alt.Scale(domain=list(dict.fromkeys(frame["leefgebied"])), scheme="tableau10"),
                            legend=None),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(DIMMED)),
        )
        .add_params(selection)
    )
    chart = (
        alt.layer(bars, _halo(measure), _whiskers(measure, label), _hidden_layer(), data=frame,
                  title=f"Hulpvragen per leefgebied en categorie — {label}")
        .encode(
            y=alt.Y("label:N", title=None, sort=list(frame["label"]), axis=alt.Axis(labelLimit=320)),
            x=alt.X(f"{measure}:Q", title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
            tooltip=[alt.Tooltip("leefgebied:N", title="leefgebied")] + _needs_tooltip("categorie"),
        )
        .properties(height=alt.Step(BAR_ROW_HEIGHT))
    )
    return dutch(chart)


def requests_per_family_bars(dist: pd.DataFrame) -> alt.Chart:
    """Number of families by how many help requests they have (0 = none); share of all families in the tooltip."""
    frame = _with_hidden(dist.copy(), dist)
    hidden, mark = frame[disclosure.HIDDEN], hidden_mark(dist)
    n = dist.attrs.get("n_families", int(frame["gezinnen"].sum()))
    frame["n_families"] = n
    frame["gezinnen_text"] = count_texts(frame["gezinnen"], hidden, mark)
    if "pct" in frame:
        frame["pct_text"] = [mark if h else _ci_text(v, lo, hi)
                             for v, lo, hi, h in zip(frame["pct"], frame["pct_lo"], frame["pct_hi"], hidden)]
    else:
        frame["pct_text"] = "–"
    title = "Aantal hulpvragen per gezin"
    base = alt.Chart(frame).encode(
        x=alt.X("aantal_hulpvragen:O", title="Aantal hulpvragen van het gezin", axis=alt.Axis(labelAngle=0)),
        tooltip=[alt.Tooltip("aantal_hulpvragen:O", title="hulpvragen"),
                 alt.Tooltip("gezinnen_text:N", title="gezinnen"),
                 alt.Tooltip("pct_text:N", title="% van de gezinnen met 95%-BI"),
                 alt.Tooltip("n_families:Q", title="n (gezinnen)")],
    )
    bars = base.mark_bar(color=NAVY).encode(
        y=alt.Y("gezinnen:Q", title="Aantal gezinnen", axis=alt.Axis(tickMinStep=1)))
    if not hidden.any():
        return dutch(bars.properties(title=title))
    grey = base.transform_filter(f"datum.{disclosure.HIDDEN}").mark_text(
        baseline="bottom", dy=-2, fontSize=12, color=HIDDEN_COLOR).encode(y="zero:Q", text="hidden_label:N")
    return dutch(alt.layer(bars, grey, title=title))


def needs_table(table: pd.DataFrame) -> pd.DataFrame:
    """Both measures side by side with their 95% Wilson intervals, Dutch headings and numbers; with a
    Categorie column for needs_detail."""
    hidden = hidden_rows(table)
    columns = {"Leefgebied": table["leefgebied"].astype(str)}
    if "categorie" in table:
        columns["Categorie"] = _detail_frame(table)["categorie"].astype(str)
    nan = pd.Series(float("nan"), index=table.index)
    columns.update({
        "Gezinnen": count_column(table["families"], hidden),
        NEEDS_MEASURES["families_pct"]: table["families_pct"].map(pct_text),
        "95%-BI (gezinnen)": [formatting.interval(lo, hi) for lo, hi in
                              zip(table.get("families_pct_lo", nan), table.get("families_pct_hi", nan))],
        "Hulpvragen": count_column(table["requests"], hidden),
        NEEDS_MEASURES["requests_pct"]: table["requests_pct"].map(pct_text),
        "95%-BI (hulpvragen)": [formatting.interval(lo, hi) for lo, hi in
                                zip(table.get("requests_pct_lo", nan), table.get("requests_pct_hi", nan))],
    })
    return pd.DataFrame(columns)


# -- groups: organisations (small multiples) and family background ---------------------------
def _group_sizes(frame: pd.DataFrame, column: str) -> dict:
    """Per group its n (`column`), from a row where it is shown; None when every row of the group hides it."""
    sizes = frame.groupby("group", sort=False)[column].max()
    return {g: (None if n != n else int(n)) for g, n in sizes.items()}


def _group_frame(frame: pd.DataFrame, measure: str, min_n: int) -> pd.DataFrame:
    out = _with_hidden(frame.copy(), frame)
    hidden, mark = out[disclosure.HIDDEN], hidden_mark(frame)
    # A group's n is the same on each of its rows, and shown unless the group's size itself is hidden.
    # The group sizes as the data layer published them (attrs "groups": None where a size is hidden); a group
    # whose every row is hidden still has its size, which the caption under the chart shows too.
    sizes = _group_sizes(frame, "n_families") | {g: n for g, n in frame.attrs.get("groups", {}).items()}
    families = out["group"].map(sizes)
    n = out["group"].map(_group_sizes(frame, MEASURE_N[measure]))
    out["n"] = n.astype(float)
    out["small"] = families.map(lambda v: v is None or v < min_n).astype(bool)
    out["group_label"] = [f"{g} (n = {mark})" if v is None else f"{g} ({_small_label(v, min_n)})"
                          for g, v in zip(out["group"], families)]
    out["base_opacity"] = out["small"].map({True: SMALL_OPACITY, False: 1.0}).astype(float)
    out["pct_text"] = [mark if h else _ci_text(v, lo, hi) for v, lo, hi, h in
                       zip(out[measure], out[f"{measure}_lo"], out[f"{measure}_hi"], hidden)]
    out["count"] = out["families" if measure == "families_pct" else "requests"]
    out["n_text"] = [(mark if v is None else formatting.count(v)) + f" {MEASURE_UNIT[measure]}"
                     + (f" (minder dan {min_n} gezinnen)" if s else "")
                     for v, s in zip(n, out["small"])]
    if disclosure.is_protected(frame):  # counts reach the chart only as text, a hidden one as '<10'
        for col in ("count", "families", "requests", "n_families", "n_requests"):
            out[col] = count_texts(out[col] if col == "count" else frame[col], hidden, mark)
    return out


def _group_tooltip(group_title: str, measure: str, protected: bool = False) -> list:
    count_title = "gezinnen met een hulpvraag op dit leefgebied" if measure == "families_pct" else "hulpvragen"
    return [
        alt.Tooltip("group:N", title=group_title),
        alt.Tooltip("leefgebied:N", title="leefgebied"),
        alt.Tooltip("count:N" if protected else "count:Q", title=count_title),
        alt.Tooltip("pct_text:N", title=f"{NEEDS_MEASURES[measure]} met 95%-BI"),
        alt.Tooltip("n_text:N", title="n"),
    ]


def _selected_opacity(selection: alt.Parameter) -> dict:
    """Selected: full, or paler for a small group; not selected: dimmed."""
    return alt.condition(selection, alt.Opacity("base_opacity:Q", scale=None, legend=None), alt.value(DIMMED * 0.6))


def needs_org_multiples(by_org: pd.DataFrame, measure: str = "families_pct", focus: str | None = None,
                        min_n: int = 20, columns: int = 3) -> alt.FacetChart:
    """Small multiples: one panel per organisation with its bars per leefgebied and Wilson whiskers.
    Panels of organisations below `min_n` families are pale and say 'n < min_n' in their title."""
    label = NEEDS_MEASURES[measure]
    frame = _group_frame(by_org, measure, min_n)
    leefgebieden = list(dict.fromkeys(frame["leefgebied"]))
    selection = focus_selection(focus)
    bars = (
        alt.Chart().mark_bar(color=NAVY, cursor="pointer")
        .encode(opacity=_selected_opacity(selection))
        .add_params(selection)
    )
    layered = alt.layer(bars, _halo(measure), _whiskers(measure, label), _hidden_layer(), data=frame).encode(
        y=alt.Y("leefgebied:N", title=None, sort=leefgebieden),
        x=alt.X(f"{measure}:Q", title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=[0, 50, 100])),
        tooltip=_group_tooltip("organisatie", measure, disclosure.is_protected(by_org)),
    ).properties(width=150, height=alt.Step(22))
    chart = layered.facet(
        facet=alt.Facet("group_label:N", title=None, sort=list(dict.fromkeys(frame["group_label"])),
                        header=alt.Header(labelFontSize=13, labelLimit=300)),
        columns=columns,
        title=f"Hulpvragen per organisatie — {label}",
    )
    return dutch(chart)


def _group_colors(groups: list[str], labels: list[str]) -> alt.Scale:
    palette = iter(GROUP_COLORS * 3)
    colors = [UNKNOWN_COLOR if g == "onbekend" else next(palette) for g in groups]
    return alt.Scale(domain=labels, range=colors)


def background_bars(frame: pd.DataFrame, focus: str | None = None, min_n: int = 20) -> alt.LayerChart:
    """Per leefgebied one bar per background group (grouped bars): % of the group's families with a request
    that have one in this leefgebied, with Wilson whiskers; groups below `min_n` are pale and say so."""
    measure = "families_pct"
    label_text = frame.attrs.get("label", "Achtergrond")
    phrase = frame.attrs.get("phrase", label_text.lower())
    data = _group_frame(frame, measure, min_n)
    groups = list(dict.fromkeys(data["group"]))
    labels = list(dict.fromkeys(data["group_label"]))
    leefgebieden = list(dict.fromkeys(data["leefgebied"]))
    selection = focus_selection(focus)
    offset = alt.YOffset("group_label:N", sort=labels)
    bars = (
        alt.Chart().mark_bar(cursor="pointer")
        .encode(color=alt.Color("group_label:N", title=label_text, scale=_group_colors(groups, labels), sort=labels,
                                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400,
                                                  symbolOpacity=1)),
                opacity=_selected_opacity(selection), yOffset=offset)
        .add_params(selection)
    )
    axis_title = "% van de gezinnen van de groep"
    whiskers = _whiskers(measure, axis_title, yOffset=offset)
    chart = (
        alt.layer(bars, _halo(measure, yOffset=offset), whiskers, _hidden_layer(yOffset=offset), data=data,
                  title=f"Hulpvragen naar {phrase} — % van de gezinnen")
        .encode(
            y=alt.Y("leefgebied:N", title=None, sort=leefgebieden),
            x=alt.X(f"{measure}:Q", title=axis_title, scale=alt.Scale(domain=[0, 100]),
                    axis=alt.Axis(values=PCT_TICKS)),
            tooltip=_group_tooltip(phrase, measure, disclosure.is_protected(frame)),
        )
        .properties(height=alt.Step(max(10, 60 // max(len(groups), 1))))
    )
    return dutch(chart)


def needs_group_table(frame: pd.DataFrame, measure: str, group_title: str) -> pd.DataFrame:
    """One row per group: n and, per leefgebied, the share with its 95% Wilson interval (Dutch text)."""
    rows = []
    hidden, mark = hidden_rows(frame), hidden_mark(frame)
    families, requests = _group_sizes(frame, "n_families"), _group_sizes(frame, "n_requests")
    for group, part in frame.groupby("group", sort=False):
        row = {group_title: group, "Gezinnen met een hulpvraag (n)": _n_cell(families[group], mark)}
        if measure == "requests_pct":
            row["Hulpvragen (n)"] = _n_cell(requests[group], mark)
        for rec, h in zip(part.itertuples(), hidden.loc[part.index]):
            row[rec.leefgebied] = mark if h else formatting.percent_ci(
                getattr(rec, measure), getattr(rec, f"{measure}_lo"), getattr(rec, f"{measure}_hi"))
        rows.append(row)
    out = pd.DataFrame(rows)
    if hidden.any():  # one column, one type: the shown sizes as text next to the mark
        for col in ("Gezinnen met een hulpvraag (n)", "Hulpvragen (n)"):
            if col in out:
                out[col] = out[col].map(lambda v: v if isinstance(v, str) else formatting.count(v))
    return out


def _n_cell(n, mark: str):
    return mark if n is None else n


# -- co-occurrence ----------------------------------------------------------------------------
def cooccurrence_heatmap(table: pd.DataFrame, focus: str | None = None) -> alt.LayerChart:
    """Leefgebied × leefgebied: families with requests in both (diagonal: with that leefgebied), coloured by
    their share of all families with a request; the row of the chosen leefgebied stays bright."""
    order = list(table.attrs.get("leefgebieden") or dict.fromkeys(table["leefgebied"]))
    n = table.attrs.get("n_families", 0)
    frame = _with_hidden(table.copy(), table)
    hidden, mark = frame[disclosure.HIDDEN], hidden_mark(table)
    frame["n_families"] = n
    frame["diagonal"] = frame["leefgebied"] == frame["samen_met"]
    frame["cell"] = [mark if h else f"{formatting.count(k)} · {formatting.percent(p, 0)}" for k, p, h in
                     zip(frame["families"], frame["families_pct"], hidden)]
    frame["pct_text"] = [mark if h else _ci_text(v, lo, hi) for v, lo, hi, h in
                         zip(frame["families_pct"], frame["families_pct_lo"], frame["families_pct_hi"], hidden)]
    frame["conditional_text"] = [
        mark if h else f"{_ci_text(v, lo, hi)} van {formatting.count(b)} gezinnen met {a}"
        for v, lo, hi, b, a, h in zip(frame["conditional_pct"], frame["conditional_pct_lo"],
                                      frame["conditional_pct_hi"], frame["base_families"], frame["leefgebied"], hidden)
    ]
    frame["families"] = count_texts(table["families"], hidden, mark)
    frame["base_families"] = count_texts(table["base_families"], hidden, mark)
    frame["pair"] = [f"alleen {a} (diagonaal)" if a == b else f"{a} én {b}"
                     for a, b in zip(frame["leefgebied"], frame["samen_met"])]
    selection = focus_selection(focus)
    encode = {
        "x": alt.X("samen_met:N", title="… samen met", sort=order, axis=alt.Axis(labelAngle=-30, orient="top")),
        "y": alt.Y("leefgebied:N", title="Gezinnen met een hulpvraag op …", sort=order),
        "tooltip": [
            alt.Tooltip("pair:N", title="hulpvragen op"),
            alt.Tooltip("families:N", title="gezinnen"),
            alt.Tooltip("pct_text:N", title="% van de gezinnen met een hulpvraag"),
            alt.Tooltip("conditional_text:N", title="aandeel"),
            alt.Tooltip("n_families:Q", title="n (gezinnen met een hulpvraag)"),
        ],
    }
    cells = (
        alt.Chart().mark_rect(cursor="pointer", strokeWidth=2)
        .encode(
            color=alt.condition(f"datum.{disclosure.HIDDEN}", alt.value("#F3F4F6"), alt.Color(
                "families_pct:Q", title="% van de gezinnen", scale=alt.Scale(domain=[0, 100], scheme="blues"),
                legend=alt.Legend(values=[0, 25, 50, 75, 100], orient="bottom", gradientLength=240))),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(DIMMED)),
            # The diagonal (families with that leefgebied at all) is framed, so it is not read as a pair.
            stroke=alt.condition("datum.diagonal", alt.value("#1A1A1A"), alt.value("white")),
        )
        .add_params(selection)
    )
    text = alt.Chart().mark_text(fontSize=13).encode(
        text="cell:N",
        # White only on a dark cell that is not dimmed by the selection.
        color=alt.condition({"test": {"and": [{"param": NEEDS_SELECTION}, "datum.families_pct > 55"]}},
                            alt.value("white"), alt.value("#1A1A1A")),
    )
    chart = (
        alt.layer(cells, text, data=frame, title="Welke hulpvragen komen samen voor? — % van de gezinnen")
        .encode(**encode)
        .properties(width=alt.Step(92), height=alt.Step(44))
    )
    return dutch(chart)


def cooccurrence_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs of leefgebieden, most frequent first, with both shares and their 95% Wilson intervals."""
    hidden = hidden_rows(pairs)
    return pd.DataFrame({
        "Leefgebied": pairs["leefgebied"].astype(str),
        "Samen met": pairs["samen_met"].astype(str),
        "Gezinnen met beide": count_column(pairs["families"], hidden),
        "% van de gezinnen (95%-BI)": [formatting.percent_ci(v, lo, hi) for v, lo, hi in
                                       zip(pairs["families_pct"], pairs["families_pct_lo"], pairs["families_pct_hi"])],
        "Gezinnen met het eerste leefgebied": count_column(pairs["base_families"], hidden),
        "% van die gezinnen met ook het tweede (95%-BI)": [
            formatting.percent_ci(v, lo, hi) for v, lo, hi in
            zip(pairs["conditional_pct"], pairs["conditional_pct_lo"], pairs["conditional_pct_hi"])],
    })
