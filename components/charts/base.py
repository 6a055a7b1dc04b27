"""Colours, scales and Dutch number formatting shared by every chart builder."""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from gezinsmonitor import disclosure, formatting, suppression
from gezinsmonitor import taxonomy as tx

from ..figure import nl_number


NAVY = "#1F3A5F"
LIGHT = "#7A9CC6"
STATUS_COLORS = {tx.STATUS_LOPEND: LIGHT, tx.STATUS_AFGEROND: NAVY}

# The two views of the needs that are easily confused (DOMAIN §3.1): always say which one.
NEEDS_MEASURES = {"families_pct": "% van de gezinnen", "requests_pct": "% van de hulpvragen"}
NO_CATEGORY = "(geen categorie)"

# Voortgangsscore 1–5, red → green.
SCORE_COLORS = {1: "#C0392B", 2: "#E67E22", 3: "#F1C40F", 4: "#7FB77E", 5: "#2E7D32"}
DURATION_RULES = (6, 12, 18, 24)
MOMENT_LABELS = {"start": "eerste meting (rond aanmelding)", "latest": "laatste meting"}
MOMENT_COLORS = {"start": NAVY, "latest": LIGHT}
KIND_TITLES = {
    tx.INVESTMENT: "Inzet: uren per week van professionals en vrijwilligers",
    tx.PARTICIPATION: "Deelname van het gezin: uren per week (uitkomst, geen inzet)",
}
# Direction of change (DOMAIN §3.2): the one view that puts instruments side by side, never averaged.
DIRECTION_COLORS = {"verbeterd": "#2E7D32", "gelijk": "#B0B7C3", "verslechterd": "#C0392B"}
NO_UNIT = "(geen eenheid)"
# Vega's format locale for nl-NL (d3-format / d3-time-format): decimal comma, thousands point, Dutch months.
DUTCH_NUMBERS = alt.Locale(
    number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["€\u00a0", ""]),
    time=alt.TimeLocale(
        dateTime="%a %e %B %Y %X", date="%d-%m-%Y", time="%H:%M:%S", periods=["AM", "PM"],
        days=["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        shortDays=["zo", "ma", "di", "wo", "do", "vr", "za"],
        months=["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                "november", "december"],
        shortMonths=["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    ),
)
PCT_TICKS = list(range(0, 101, 10))
BAR_ROW_HEIGHT = 34  # px per bar (alt.Step; a fixed pixel height renders squashed in Streamlit)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without `.attrs`: Streamlit sends them to the browser as JSON, where NaN is not valid."""
    out = frame.copy()
    out.attrs = {}
    return out


def _plain_data(chart) -> None:
    """Give every (sub)chart plain data: metric frames carry n and NaN medians in `.attrs`."""
    data = getattr(chart, "data", None)
    if isinstance(data, pd.DataFrame) and data.attrs:
        chart.data = plain(data)
    for part in ("layer", "vconcat", "hconcat", "concat"):
        children = getattr(chart, part, None)
        if isinstance(children, list):
            for child in children:
                _plain_data(child)
    spec = getattr(chart, "spec", None)
    if isinstance(spec, alt.TopLevelMixin) or hasattr(spec, "data"):
        _plain_data(spec)


def dutch(chart):
    """Dutch decimal commas and month names in axes and tooltips, and data safe to send; call last
    (a configured chart cannot be layered)."""
    _plain_data(chart)
    return chart.configure(locale=DUTCH_NUMBERS)


def pct_text(value) -> str:
    return f"{nl_number(value, 1)} %" if value == value and value is not None else "–"


hours_text = formatting.hours  # '4 u 5 min': the reports' notation, shared with the slides' takeaways


# -- groups below the minimum n (figure.min_n): drawn lighter and flagged, never hidden ---------------
SMALL_OPACITY = 0.4  # light enough to read as "careful", still legible on a projector


def small_note(n: int, min_n: int) -> str:
    """The tooltip/table flag of a group with 0 < n < min n; empty otherwise."""
    return f"n < {min_n}: voorzichtig vergelijken" if 0 < n < min_n else ""


def faint_when_small(field: str = "small:N", bright: float = 1.0) -> alt.Opacity:
    """Opacity by a boolean `small` field: small groups lighter, without a legend of their own."""
    return alt.Opacity(field, scale=alt.Scale(domain=[False, True], range=[bright, SMALL_OPACITY]), legend=None)


def hidden_mark(frame: pd.DataFrame) -> str | None:
    """The text of a figure hidden from this viewer in a protected `frame`: '×' (it may be a small count, or
    hidden so that another cannot be recovered; '<k' would claim a size), None for an unprotected frame. A count
    known to be small reads '<k' (see `progress.count_text`, `needs.n_text`)."""
    return suppression.HIDDEN_MARK if disclosure.is_protected(frame) else None


# -- one organisation highlighted (a participant's own, in a learning-circle session) --------------------
HIGHLIGHT = "#D35400"  # orange: apart from the navy/light-blue moments and the grey total


def highlight_axis(highlight: str | None, **kwargs) -> alt.Axis:
    """An axis whose label of the `highlight` organisation is bold and orange (kwargs: other Axis settings)."""
    if highlight:
        test = f"datum.value === {json.dumps(highlight)}"  # json quoting: a name with quotes stays one literal
        kwargs |= {"labelFontWeight": alt.condition(test, alt.value("bold"), alt.value("normal")),
                   "labelColor": alt.condition(test, alt.value(HIGHLIGHT), alt.value("#111827"))}
    return alt.Axis(**kwargs)
