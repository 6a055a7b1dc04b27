"""One sentence per figure: what a room should remember from it (presentation slides, funder report).

Each function reads the protected table the figure itself shows, so a sentence never states a number the figure
hides: where the number it needs is hidden (NaN or a mark) it falls back to a sentence without that number.
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from . import formatting

LONGER_THAN_A_YEAR = ("12-18", "18-24", "24-36", "36+")


def _known(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and value == value


def _pct(value) -> str:
    return f"{formatting.number(value, 0)}%"


def needs(table: pd.DataFrame) -> str:
    """From `metrics.needs`: the leefgebied most families ask help on, and the next one."""
    shown = table[[_known(v) for v in table["families_pct"]]].sort_values("families_pct", ascending=False)
    if shown.empty:
        return "Per leefgebied: welk deel van de gezinnen met een hulpvraag er minstens één hulpvraag over heeft."
    top = shown.iloc[0]
    text = (f"{top['leefgebied']} komt het vaakst voor: {_pct(top['families_pct'])} van de gezinnen met een "
            f"hulpvraag heeft er een hulpvraag over")
    if len(shown) > 1:
        second = shown.iloc[1]
        text += f"; daarna {second['leefgebied']} ({_pct(second['families_pct'])})"
    return text + "."


def duration_classes(table: pd.DataFrame) -> str:
    """From `metrics.tabulate_durations`: the share of trajectories that run (or ran) longer than a year."""
    values = table.set_index("months")[["completed", "ongoing"]]
    if not all(_known(v) for v in values.to_numpy().ravel()):
        return ("Lopende trajecten tellen tot de peildatum: hun duur is een ondergrens, de uiteindelijke duur is "
                "langer.")
    total = float(values.to_numpy().sum())
    if not total:
        return "Nog geen trajecten met een bruikbare duur."
    long = float(values.loc[[c for c in LONGER_THAN_A_YEAR if c in values.index]].to_numpy().sum())
    ongoing = int(values["ongoing"].sum())
    return (f"{_pct(100 * long / total)} van de trajecten duurt of duurde langer dan een jaar; "
            f"{formatting.count(ongoing)} van de {formatting.count(int(total))} lopen nog, dus hun duur groeit nog.")


def median_duration(table: pd.DataFrame, total_row: str) -> str:
    """From `organisations.comparison_table`: the Kaplan–Meier median over all organisations."""
    total = table.set_index("organisation").loc[total_row]
    if not _known(total.get("km_n")):
        return "De mediane duur per organisatie volgens Kaplan–Meier, lopende trajecten tellen mee tot de peildatum."
    if not _known(total["median"]):
        return "Minder dan de helft van de trajecten is afgerond: de mediane duur is nog niet bereikt."
    text = f"De helft van de trajecten is na {formatting.number(total['median'], 0)} maanden afgerond (Kaplan–Meier"
    if _known(total["median_lo"]) and _known(total["median_hi"]):
        text += f", 95%-BI {formatting.number(total['median_lo'], 0)}–{formatting.number(total['median_hi'], 0)}"
    return text + "); lopende trajecten tellen mee tot de peildatum."


def progress(summary: pd.DataFrame, min_n: int) -> str:
    """From `metrics.progress_summary`: where the most and the fewest families score 4–5 (groups of at least
    `min_n` families only: a small group's extreme share is mostly chance)."""
    known = summary[[_known(v) and _known(n) and n >= min_n for v, n in zip(summary["high_pct"], summary["n"])]]
    if known.empty:
        return "De laatste voortgangsscore per leefgebied, van 1 (negatief) tot 5 (positief, geen steun meer nodig)."
    known = known.sort_values("high_pct", ascending=False)
    best, worst = known.iloc[0], known.iloc[-1]
    text = (f"Op {best['leefgebied']} heeft {_pct(best['high_pct'])} van de gezinnen een laatste score van 4 of 5")
    if len(known) > 1:
        text += f"; op {worst['leefgebied']} is dat het laagst ({_pct(worst['high_pct'])})"
    return text + "."


def hours(total: pd.DataFrame) -> str:
    """From `metrics.professional_total`: professional hours per week at the first and the latest measurement."""
    by_moment = total.set_index("moment")["hours_per_week"]
    start, latest = by_moment.get("start"), by_moment.get("latest")
    if not (_known(start) and _known(latest)):
        return ("Uren per week per soort steun bij de eerste meting (rond aanmelding) en bij de laatste meting; "
                "deelname van het gezin zelf telt niet als inzet.")
    direction = "minder" if latest < start else "meer"
    return (f"Professionals besteden bij de eerste meting gemiddeld {formatting.hours(start)} per week aan een "
            f"gezin, bij de laatste meting {formatting.hours(latest)}: de steun wordt {direction} intensief.")


def organisation_hours(by_org: pd.DataFrame, measure: str, total_row: str) -> str:
    """From `investment.investment_by_organisation`: the spread of the latest hours between organisations."""
    latest = by_org[(by_org["moment"] == "latest") & (by_org["organisation"] != total_row)]
    values = sorted((v, o) for o, v, n in zip(latest["organisation"], latest[f"mean_{measure}"],
                                              latest[f"n_{measure}"]) if _known(v) and _known(n) and n)
    if len(values) < 2:
        return "Gemiddeld aantal uren per week per gezin, per organisatie, bij de eerste en de laatste meting."
    (low, low_org), (high, high_org) = values[0], values[-1]
    return (f"Bij de laatste meting ligt de inzet tussen {formatting.hours(low)} ({low_org}) en "
            f"{formatting.hours(high)} ({high_org}) per week per gezin.")
