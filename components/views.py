"""The figures a presentation slide or the funder report can show: a registry of views, one per key.

A view turns a page context (data after the slide's or report's filters, peildatum, access) into a `Figure`:
the chart, the table as the page shows it, its n, definition and a one-sentence takeaway. The numbers come
from the same protected metric functions as the dashboard pages, so a slide or a report never shows what the
page hides. Registering a view here makes it available to session builders and the report at once.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from gezinsmonitor import investment, metrics, takeaways
from gezinsmonitor import taxonomy as tx
from gezinsmonitor import organisations as og

from . import charts, figure
from .context import PageContext

THEMES = ("Hulpvragen", "Trajectduur", "Voortgang", "Inzet")


@dataclass(frozen=True)
class Figure:
    key: str
    theme: str
    title: str
    takeaway: str
    chart: alt.TopLevelMixin
    table: pd.DataFrame | None  # Dutch, as the page shows it ('<10' and '×' where hidden)
    n_text: str
    definition: str
    excluded: Mapping[str, int] = field(default_factory=dict)  # reason -> count, for "Niet meegeteld"


@dataclass(frozen=True)
class View:
    key: str
    theme: str
    title: str
    build: Callable[[PageContext, str | None], Figure | None]  # (context, highlighted organisation); None = no data
    highlights: bool = False  # draws organisations apart, so a participant's own can be highlighted


def _needs(ctx: PageContext, highlight: str | None) -> Figure | None:
    ds = ctx.data
    if ds.families.empty or ds.requests.empty:
        return None
    needs = metrics.needs(ds.requests)
    if needs.attrs["n_families"] == 0:
        return None
    n_text = (f"n = {charts.n_text(needs.attrs['n_families'], needs)} gezinnen met een hulpvraag · "
              f"{charts.n_text(needs.attrs['n_requests'], needs)} hulpvragen")
    return Figure("hulpvragen", "Hulpvragen", "Waarvoor vragen gezinnen hulp?", takeaways.needs(needs),
                  charts.needs_bars(needs, "families_pct"), figure.hidden_text(charts.needs_table(needs), needs),
                  n_text, metrics.DEFINITIONS["needs_families"] + " Streepjes: 95%-betrouwbaarheidsinterval (Wilson).",
                  {"hulpvragen met een onzekere koppeling (te beoordelen)": needs.attrs["te_beoordelen"]}
                  | figure.withheld(needs))


def _durations(ctx: PageContext) -> pd.DataFrame | None:
    if ctx.data.trajectories.empty:
        return None
    return metrics.trajectory_durations(ctx.data.trajectories, ctx.peildatum)


def _duration_classes(ctx: PageContext, highlight: str | None) -> Figure | None:
    durations = _durations(ctx)
    if durations is None:
        return None
    table = metrics.tabulate_durations(durations)
    if not table.attrs["n"]:
        return None
    return Figure("duurklassen", "Trajectduur", "Hoe lang duurt de begeleiding?", takeaways.duration_classes(table),
                  charts.duration_bars(table), charts.duration_table_nl(table),
                  f"n = {table.attrs['n']} trajecten (peildatum {ctx.peildatum:%d-%m-%Y})",
                  metrics.DEFINITIONS["duration"], figure.withheld(table))


def _median_duration(ctx: PageContext, highlight: str | None) -> Figure | None:
    ds = ctx.data
    if ds.families.empty or ds.trajectories.empty:
        return None
    table = og.comparison_table(ds.families, ds.trajectories, ds.requests, ds.hours, ctx.peildatum)
    total = table.set_index("organisation").loc[og.ALL_ORGANISATIONS]
    if total["km_n"] == 0:
        return None
    shown = charts.comparison_table_nl(table)
    columns = [c for c in shown.columns if c == "Organisatie" or "duur" in c.lower()]
    return Figure("mediane_duur", "Trajectduur", "Mediane trajectduur per organisatie",
                  takeaways.median_duration(table, og.ALL_ORGANISATIONS),
                  charts.median_duration_chart(table, highlight=highlight),
                  figure.hidden_text(shown, table)[columns],
                  f"n = {charts.n_text(total['km_n'], table)} trajecten, waarvan "
                  f"{charts.n_text(total['km_afgerond'], table)} afgerond · n per organisatie in het label",
                  og.DEFINITIONS["median_duration"], figure.withheld(table))


def _progress(ctx: PageContext, highlight: str | None) -> Figure | None:
    m = ctx.data.measurements
    summary = metrics.progress_summary(m, until=ctx.peildatum)
    if summary.empty or not bool(((summary["n"] > 0) | summary["n"].isna()).any()):
        return None
    mark = charts.hidden_mark(summary)
    families = summary.attrs["n_families"]
    return Figure("voortgang", "Voortgang", "Hoe ontwikkelen gezinnen zich per leefgebied?",
                  takeaways.progress(summary, figure.min_n()),
                  charts.progress_bars(metrics.progress_distribution(summary), summary),
                  figure.hidden_text(charts.progress_table(summary), summary),
                  f"n = {charts.count_text(families, mark) if mark else families} gezinnen met een "
                  "voortgangsscore · n per leefgebied bij de balk",
                  metrics.DEFINITIONS["progress"] + " Het 95%-betrouwbaarheidsinterval (Wilson) hoort bij het "
                  "aandeel score 4–5.", {"gezin × leefgebied met alleen n.v.t. (geen score)":
                                         int(summary["nvt"].sum())} | figure.withheld(summary))


def _hours(ctx: PageContext, highlight: str | None) -> Figure | None:
    ds = ctx.data
    if ds.hours.empty:
        return None
    hours = metrics.hours_first_latest(ds.hours, ds.trajectories, peildatum=ctx.peildatum)
    part = hours[(hours["kind"] == tx.INVESTMENT) & (hours["n"] > 0)]
    if part.empty:
        return None
    n_range = (f"{int(part['n'].min())}–{int(part['n'].max())}" if part["n"].nunique() > 1
               else str(int(part["n"].iloc[0])))
    return Figure("inzet", "Inzet", "Hoeveel uur steun krijgt een gezin per week?",
                  takeaways.hours(metrics.professional_total(hours)),
                  charts.hours_bars(hours, tx.INVESTMENT),
                  charts.hours_table(hours[hours["kind"] == tx.INVESTMENT]),
                  f"n = {n_range} gezinnen per balk (n staat bij elke balk)", metrics.DEFINITIONS["hours"],
                  figure.withheld(hours))


def _organisation_hours(ctx: PageContext, highlight: str | None) -> Figure | None:
    ds = ctx.data
    if ds.hours.empty:
        return None
    by_org = investment.investment_by_organisation(ds.hours, ds.trajectories, ctx.peildatum,
                                                   ds.families["organisation"].dropna().unique())
    if not ((by_org["n_total"] > 0) & (by_org["organisation"] != investment.ALL_ORGANISATIONS)).any():
        return None
    return Figure("inzet_organisatie", "Inzet", "Uren per organisatie",
                  takeaways.organisation_hours(by_org, "total", investment.ALL_ORGANISATIONS),
                  charts.organisation_hours_bars(by_org, "total", highlight=highlight),
                  figure.hidden_text(charts.organisation_hours_table(by_org), by_org),
                  charts.organisation_hours_n(by_org),
                  investment.DEFINITIONS["organisation_hours"], figure.withheld(by_org))


VIEWS: dict[str, View] = {v.key: v for v in (
    View("hulpvragen", "Hulpvragen", "Hulpvragen per leefgebied", _needs),
    View("duurklassen", "Trajectduur", "Trajecten per duurklasse", _duration_classes),
    View("mediane_duur", "Trajectduur", "Mediane trajectduur per organisatie", _median_duration, highlights=True),
    View("voortgang", "Voortgang", "Voortgangsscore per leefgebied", _progress),
    View("inzet", "Inzet", "Uren inzet per week, eerste en laatste meting", _hours),
    View("inzet_organisatie", "Inzet", "Uren inzet per organisatie", _organisation_hours, highlights=True),
)}


def build(key: str, ctx: PageContext, highlight: str | None = None) -> Figure | None:
    return VIEWS[key].build(ctx, highlight)


def figures(ctx: PageContext, keys=None, highlight: str | None = None) -> list[Figure]:
    """The figures of `keys` (default: every view) that have data, in order."""
    built = (build(key, ctx, highlight) for key in (keys or VIEWS))
    return [f for f in built if f is not None]
