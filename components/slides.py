"""Presentation mode: one figure per screen, readable from the back of a room.

`projector` enlarges a chart's Vega-Lite spec as a whole (fonts, strokes, points, bar steps) so every chart
builder works on a slide unchanged; `render` draws one slide (title, takeaway, chart, small print).
"""
from __future__ import annotations

import copy
import json
import numbers
from html import escape

import altair as alt
import streamlit as st

from . import figure
from .context import PageContext
from .views import Figure

FACTOR = 1.6  # about 18 px text instead of 11: legible at 1280×720 on a wall
ROWS = 1.25  # bar rows and heights grow less than text, so a chart still fits one 720-pixel screen
PAIRED_ROWS = .75  # rows of two bars side by side (first and latest measurement) are twice as tall already
LINEAR = {"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "strokeWidth", "symbolStrokeWidth",
          "dx", "dy", "labelLimit", "titleLimit", "labelPadding", "titlePadding"}
HEIGHTS = {"step", "height"}
AREA = {"size", "symbolSize"}  # point sizes are areas
DATA_KEYS = {"data", "datasets", "values"}  # never touch the data itself (a column may be called 'size')
BASE_CONFIG = {  # Vega-Lite's defaults, enlarged where a chart did not set its own
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 180},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "symbolSize": 100, "labelLimit": 160},
    "header": {"labelFontSize": 11, "titleFontSize": 11},
    "title": {"fontSize": 13, "subtitleFontSize": 11},
    "text": {"fontSize": 11},
    "line": {"strokeWidth": 2},
    "rule": {"strokeWidth": 1},
    "point": {"size": 30},
}


def _grow(value, key: str, factor: float, rows: float = ROWS):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    if key in HEIGHTS:
        return value * rows
    return value * factor * factor if key in AREA else value * factor


def _scale(node, factor: float, rows: float = ROWS):
    """Every size in a spec times `factor` (areas times factor², heights times `rows`), conditional values too."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in DATA_KEYS:
                out[k] = v
            elif not isinstance(v, (dict, list)) and (k in LINEAR or k in AREA or k in HEIGHTS):
                out[k] = _grow(v, k, factor, rows)
            elif k in LINEAR or k in AREA:  # a conditional channel value
                out[k] = _scale_values(v, k, factor)
            else:
                out[k] = _scale(v, factor, rows)
        return out
    if isinstance(node, list):
        return [_scale(v, factor, rows) for v in node]
    return node


def _scale_values(node, key: str, factor: float):
    """A channel like strokeWidth given as {"condition": {..., "value": 3}, "value": 1.6}: scale its values."""
    if isinstance(node, dict):
        return {k: (_grow(v, key, factor) if k == "value" else _scale_values(v, key, factor)) for k, v in node.items()}
    if isinstance(node, list):
        return [_scale_values(v, key, factor) for v in node]
    return node


def projector(chart: alt.TopLevelMixin, factor: float = FACTOR) -> dict:
    """The chart's spec with everything `factor` times larger, for a projector."""
    spec = chart.to_dict()
    spec = _scale(spec, factor, PAIRED_ROWS if '"yOffset"' in json.dumps(spec) else min(factor, ROWS))
    config = copy.deepcopy(spec.get("config", {}))
    for part, defaults in BASE_CONFIG.items():
        scaled = {k: _grow(v, k, factor) for k, v in defaults.items()}
        config[part] = {**scaled, **config.get(part, {})}
    spec["config"] = config
    spec.pop("$schema", None)
    return spec


STYLE = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 4.2rem; padding-bottom: 1rem;}  /* just below the header bar */
@media (max-height: 800px) {  /* 1280×720 and the like: the whole slide still on one screen */
  [data-testid="stMainBlockContainer"] {padding-top: 4rem;}
  [data-testid="stVegaLiteChart"] {zoom: .7;}
  .gm-slide-title {font-size: 2rem !important;}
  .gm-slide-takeaway {font-size: 1.3rem !important; margin-bottom: .2rem !important;}
  .gm-slide-print {font-size: .8rem !important;}
}
.gm-slide-theme {font-size: 1.1rem; color: #6B7280; text-transform: uppercase; letter-spacing: .08em; margin: 0;}
.gm-slide-title {font-size: 2.6rem; font-weight: 700; line-height: 1.15; margin: .1rem 0 .4rem 0; color: #111827;}
.gm-slide-takeaway {font-size: 1.7rem; line-height: 1.3; margin: 0 0 .6rem 0; color: #1F3A5F;}
.gm-slide-print {font-size: .9rem; color: #4B5563; line-height: 1.35; margin-top: .3rem;}
.gm-slide-counter {font-size: 1.2rem; text-align: center; margin: 0;}
</style>
"""
CLASSES = ("gm-slide-theme", "gm-slide-title", "gm-slide-takeaway", "gm-slide-print", "gm-slide-counter")


def slide_html(*parts: tuple[str, str]) -> str:
    """The style and one paragraph per (class, text), every text escaped: the only way text that can hold user
    input (organisation names in a takeaway or a filter) reaches st.html."""
    for cls, _ in parts:
        if cls not in CLASSES:
            raise ValueError(f"unknown slide class {cls!r}")
    return STYLE + "".join(f'<p class="{cls}">{escape(str(text))}</p>' for cls, text in parts)


def header(theme: str, title: str, takeaway: str) -> None:
    st.html(slide_html(("gm-slide-theme", theme), ("gm-slide-title", title), ("gm-slide-takeaway", takeaway)))


def small_print(ctx: PageContext, fig: Figure) -> str:
    """n, definition, filters and data version in one line of small print."""
    return f"{fig.n_text} · {fig.definition} · Filters: {figure.filters_text(ctx)} · Gegevens: {ctx.version}"


def render(ctx: PageContext, fig: Figure) -> None:
    header(fig.theme, fig.title, fig.takeaway)
    st.vega_lite_chart(projector(fig.chart), width="stretch", theme=None)
    st.html(slide_html(("gm-slide-print", small_print(ctx, fig))))
    left, right, _ = st.columns([1, 1, 4])
    with left:  # the organiser puts the same figure in the minutes or a board report
        figure.chart_downloads(fig.chart, fig.title, figure.lines(ctx, fig.n_text, fig.definition),
                               name=f"dia-{fig.key}")
    if fig.table is not None:
        with right:
            figure.table_downloads(fig.table, fig.title, figure.table_notes(ctx, fig.title, fig.table, fig.n_text,
                                                                             fig.definition), name=f"dia-{fig.key}")
