"""Dutch number and date text (Babel, locale nl_NL): decimal comma, thousands point, Dutch month names.

Charts do the same in the browser through a Vega-Lite format locale (components/charts/base.py)."""
from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "nl_NL"
MISSING = "–"


def _missing(value) -> bool:
    return value is None or value != value


def number(value, digits: int = 1) -> str:
    """1234.5 → '1.234,5'; '–' for missing."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    # Half up, as people round by hand (2,25 → 2,3), on the shortest decimal text of the float (2.675 → 2,68).
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        text = format_decimal(decimal.Decimal(repr(float(value))), format=pattern, locale=LOCALE)
    return text[1:] if text.startswith("-") and not text.strip("-0,.") else text  # no "-0,0"


def percent(value, digits: int = 1) -> str:
    """A percentage on the 0–100 scale: 78.94 → '78,9%'."""
    return MISSING if _missing(value) else f"{number(value, digits)}%"


def interval(lo, hi, digits: int = 1, unit: str = "%") -> str:
    """A 95% interval as '72,1–84,6%'; '–' when either end is missing."""
    if _missing(lo) or _missing(hi):
        return MISSING
    return f"{number(lo, digits)}–{number(hi, digits)}{unit}"


def percent_ci(value, lo, hi, digits: int = 1) -> str:
    """'78,9% (95%-BI 72,1–84,6%)'."""
    if _missing(value):
        return MISSING
    return f"{percent(value, digits)} (95%-BI {interval(lo, hi, digits)})"


def date(value, long: bool = False) -> str:
    """31-10-2026, or '31 oktober 2026' with long=True."""
    if _missing(value):
        return MISSING
    value = value.date() if isinstance(value, dt.datetime) else value
    return format_date(value, "d MMMM y" if long else "dd-MM-y", locale=LOCALE)


def count(value) -> str:
    """Whole numbers with a thousands point: 5203 → '5.203'."""
    return MISSING if _missing(value) else format_decimal(int(value), format="#,##0", locale=LOCALE)


def slug(text: str, limit: int = 60) -> str:
    """'Leerkring Noord — maart' -> 'leerkring-noord-maart': ASCII letters, digits and hyphens, for a link or a
    file name."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit]


def hours(value) -> str:
    """Hours per week as '4 u 5 min' / '50 min' (the notation of the reports); '–' when missing."""
    if value is None or value != value:
        return MISSING
    minutes = int(round(float(value) * 60))
    h, m = divmod(minutes, 60)
    if h and m:
        return f"{h} u {m} min"
    return f"{h} u" if h else f"{m} min"
