"""Parsing cell values as Dutch organisations type them. Vectorised over pandas Series.

Every parser returns the parsed values plus a mask of cells that were filled in but not
understood, so the validator can point at the exact cell. The detailed parsers (parse_duration,
parse_date_detail, parse_end, parse_yes_no, parse_severity, parse_decimal) return a DataFrame
with a `state` column instead, which also tells n.v.t., onbekend and empty cells apart.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
import re

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from . import taxonomy as tx

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EARLIEST_DATE = pd.Timestamp("1990-01-01")  # family support registrations start well after this
LATEST_DATE = pd.Timestamp("2100-12-31")
NVT_WORDS = {"nvt", "n.v.t", "n.v.t.", "niet van toepassing", "n.v.t.."}
UNKNOWN_WORDS = {"onbekend", "?", "weet niet"}
MONTHS_NL = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y", "%Y-%m-%d %H:%M:%S")


def _hashable(v) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def map_unique(s: pd.Series, fn) -> pd.Series:
    """`s.map(fn)` computed once per distinct value: sheets repeat the same few values a lot."""
    values = s.astype(object).to_numpy()
    keys = values
    if len(values) and infer_dtype(values, skipna=True).startswith("mixed"):
        # True == 1 and False == 0 hash alike, so factorize would merge a tick cell with a number;
        # and odd unhashable objects (lists) would make it raise
        keys = values.copy()
        for i, v in enumerate(values):
            if isinstance(v, (bool, np.bool_)):
                keys[i] = ("bool", bool(v))
            elif not _hashable(v):
                keys[i] = ("unhashable", i)
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    lookup = np.empty(len(uniques) + 1, dtype=object)
    for code, first in zip(*np.unique(codes, return_index=True)):
        if code >= 0:
            lookup[code] = fn(values[first])
    lookup[-1] = fn(None)  # code -1: missing
    return pd.Series(lookup[codes], index=s.index, dtype=object)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())


def is_empty(s: pd.Series) -> pd.Series:
    """True for None, NaN and blank text."""
    return map_unique(s, _blank).astype(bool)


def as_text(s: pd.Series) -> pd.Series:
    """The raw value as text (for the *_raw columns): dates as ISO, whole floats without .0."""
    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, (dt.datetime, pd.Timestamp)):
            return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        text = str(v).strip()
        return text or None
    return map_unique(s, one)


def _parse_date_text(text: str) -> pd.Timestamp | None:
    t = tx.normalise_label(text)
    for fmt in _DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(t, fmt))
        except ValueError:
            continue
    m = _MONTH_YEAR.match(t)
    if m and m.group(1) in MONTHS_NL:
        return pd.Timestamp(int(m.group(2)), MONTHS_NL[m.group(1)], 1)
    return None


def parse_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates as datetime64, invalid mask). Accepts real dates, Excel serials, d-m-yyyy, 'oktober 2020'."""
    def one(v):
        if isinstance(v, pd.Timestamp):
            return v.normalize()
        if isinstance(v, dt.datetime):
            return pd.Timestamp(v.date())
        if isinstance(v, dt.date):
            return pd.Timestamp(v)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if isinstance(v, float) and np.isnan(v):
                return pd.NaT
            if 1 <= v < 80000:  # Excel serial day numbers (1900 … 2118)
                return EXCEL_EPOCH + pd.Timedelta(days=int(v))
            return pd.NaT
        if isinstance(v, str) and v.strip():
            return _parse_date_text(v) or pd.NaT
        return pd.NaT
    parsed = pd.to_datetime(map_unique(s, one), errors="coerce")
    parsed = parsed.where((parsed >= EARLIEST_DATE) & (parsed <= LATEST_DATE))  # a typo like 01-01-1000
    invalid = parsed.isna() & ~is_empty(s)
    return parsed, invalid


_HOURS_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(u|uur|uren|h|hr|hours)?$")
_MINUTES = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(m|min|min\.|minuten|minuut)$")
_HOURS_AND_MINUTES = re.compile(r"^(\d+)\s*(?:u|uur|uren)\s*(?:en\s*)?(\d+)\s*(?:m|min|minuten)$")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_hours(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(hours per week, n.v.t. mask, invalid mask). Numbers, '1,5', '1,5 uur', '50 minuten', '4 uur en 5 minuten'."""
    def one(v):
        if v is None or (isinstance(v, str) and not v.strip()):
            return np.nan, False, False
        if isinstance(v, bool):
            return np.nan, False, True
        if isinstance(v, (int, float)):
            return (float(v), False, False) if not np.isnan(v) else (np.nan, False, False)
        if isinstance(v, dt.time):  # a cell formatted as time, e.g. 1:30
            return v.hour + v.minute / 60 + v.second / 3600, False, False
        if isinstance(v, dt.timedelta):
            return v.total_seconds() / 3600, False, False
        if not isinstance(v, str):  # a date or anything else is not an amount of hours
            return np.nan, False, True
        t = tx.normalise_label(v)
        if t in NVT_WORDS:
            return np.nan, True, False
        if m := _HOURS_NUMBER.match(t):
            return _number(m.group(1)), False, False
        if m := _MINUTES.match(t):
            return _number(m.group(1)) / 60, False, False
        if m := _HOURS_AND_MINUTES.match(t):
            return int(m.group(1)) + int(m.group(2)) / 60, False, False
        return np.nan, False, True
    parts = map_unique(s, one)
    values = pd.Series([p[0] for p in parts], index=s.index, dtype="float64")
    nvt = pd.Series([p[1] for p in parts], index=s.index, dtype=bool)
    invalid = pd.Series([p[2] for p in parts], index=s.index, dtype=bool)
    return values, nvt, invalid


def parse_score(s: pd.Series, lo: int = 1, hi: int = 5) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(score, n.v.t. mask, invalid mask) for a whole-number scale lo..hi."""
    def one(v):
        if isinstance(v, bool):
            return np.nan, False, True
        if isinstance(v, (int, float)):
            if np.isnan(v):
                return np.nan, False, False
            ok = float(v).is_integer() and lo <= v <= hi
            return (float(v), False, False) if ok else (np.nan, False, True)
        if v is None or (isinstance(v, str) and not v.strip()):
            return np.nan, False, False
        if not isinstance(v, str):  # e.g. a score that Excel turned into a date
            return np.nan, False, True
        t = tx.normalise_label(v)
        if t in NVT_WORDS:
            return np.nan, True, False
        if t.isdigit() and lo <= int(t) <= hi:
            return float(t), False, False
        return np.nan, False, True
    parts = map_unique(s, one)
    values = pd.Series([p[0] for p in parts], index=s.index, dtype="float64")
    nvt = pd.Series([p[1] for p in parts], index=s.index, dtype=bool)
    invalid = pd.Series([p[2] for p in parts], index=s.index, dtype=bool)
    return values, nvt, invalid


def parse_int(s: pd.Series, lo: int, hi: int) -> tuple[pd.Series, pd.Series]:
    """(whole numbers as nullable Int64, invalid mask)."""
    def one(v):
        if isinstance(v, bool):
            return None
        if isinstance(v, (int, float)):
            return int(v) if not np.isnan(v) and float(v).is_integer() and lo <= v <= hi else None
        if isinstance(v, str) and v.strip().isdigit() and lo <= int(v.strip()) <= hi:
            return int(v.strip())
        return None
    values = pd.array(map_unique(s, one).tolist(), dtype="Int64")
    values = pd.Series(values, index=s.index)
    return values, values.isna() & ~is_empty(s)


# --- Cell states and detailed parsers -------------------------------------------------------
# Each detailed parser returns a DataFrame indexed like its input with a `state` column, so
# downstream code can tell "not filled in" (leeg) from "does not apply" (nvt), "not known"
# (onbekend) and "filled in but not understood" (ongeldig). They never raise on cell values.

LEEG, NVT, ONBEKEND, WAARDE, ONGELDIG = "leeg", "nvt", "onbekend", "waarde", "ongeldig"
DATUM = "datum"
EINDE, VERWACHT, LOOPT = "einde", "verwacht", "loopt"
DAG, MAAND, JAAR = "dag", "maand", "jaar"

_MAX_TEXT = 200  # longer cells are free text, not a value; also bounds regex work

_NVT_TEXT = re.compile(
    r"^[(\[]?\s*(?:n\s*[./]?\s*v\s*[./]?\s*t|(?:\(nog\)\s*|nog\s+)?niet\s+van\s+toepassing)[\s.]*[)\]]?$")
# "-" is deliberately not here: in tick columns it means "nee", elsewhere it is ambiguous.
_UNKNOWN_KEYS = {
    "onbekend", "onb", "nog onbekend", "niet bekend", "nog niet bekend", "nb", "n.b", "n b",
    "weet niet", "weet ik niet", "geen idee", "unknown", "?", "??", "???",
}


def _missing(v) -> bool:
    """None, NaN, NaT, pd.NA and blank text: nothing was filled in."""
    if isinstance(v, str):
        return not v.strip()
    return bool(pd.api.types.is_scalar(v) and pd.isna(v))


def _is_bool(v) -> bool:
    return isinstance(v, (bool, np.bool_))


def _real(v) -> float | None:
    """A finite number cell as float; None for anything else (bools are not numbers here)."""
    if _is_bool(v) or not isinstance(v, (numbers.Real, decimal.Decimal)):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):
        return None
    return f if math.isfinite(f) else None


def _special_state(t: str) -> str | None:
    """NVT or ONBEKEND for a normalised text that says so, else None."""
    if _NVT_TEXT.match(t):
        return NVT
    if t.strip("()[] .") in _UNKNOWN_KEYS:
        return ONBEKEND
    return None


def _frame(s: pd.Series, fn, dtypes: dict[str, str]) -> pd.DataFrame:
    """Apply `fn` (value -> tuple) once per distinct value and type the columns."""
    parts = map_unique(s, fn)
    frame = pd.DataFrame(parts.tolist(), index=s.index, columns=list(dtypes))
    return frame.astype(dtypes)


def cell_state(s: pd.Series) -> pd.Series:
    """Per cell: "leeg", "nvt", "onbekend" or "waarde" (anything else, including "-" and "0")."""
    def one(v):
        if _missing(v):
            return LEEG
        if isinstance(v, str):
            return _special_state(tx.normalise_label(v)) or WAARDE
        return WAARDE
    return map_unique(s, one).astype("str")


# --- Durations ---------------------------------------------------------------------------------

NUMBER_WORDS_NL = {
    "nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
}
_WORDS = "|".join(sorted(NUMBER_WORDS_NL, key=len, reverse=True))
_UNITS = {
    "u": "uur", "uur": "uur", "uren": "uur", "h": "uur", "hr": "uur", "hrs": "uur", "hour": "uur", "hours": "uur",
    "kwartier": "kwartier",
    "m": "minuut", "min": "minuut", "mins": "minuut", "minuut": "minuut", "minuten": "minuut",
    "minute": "minuut", "minutes": "minuut",
}
_UNIT_HOURS = {"uur": 1.0, "kwartier": 0.25, "minuut": 1 / 60}
_UNIT_RANK = {"uur": 3, "kwartier": 2, "minuut": 1}  # "4 uur en 5 minuten": larger units first

# Dutch number words become digits before the amount is read; order matters (halves first).
_WORD_REWRITES = [
    (re.compile(r"\banderhalf\s*"), lambda m: "1.5 "),
    # "twee en een half", "tweeenhalf" (ë loses its accent), "twee uur en een half"
    (re.compile(rf"\b({_WORDS}|\d+)\s*(?:(uur)\s+en\s*(?:een\s+)?half(?:\s*uur)?|en\s*(?:een\s+)?half)\s*"),
     lambda m: f"{NUMBER_WORDS_NL.get(m[1], m[1])}.5 {m[2] or ''} "),
    (re.compile(r"\b(?:een\s+)?half\s*(?=uur)"), lambda m: "0.5 "),
    (re.compile(rf"\b({_WORDS})(?=kwartier)"), lambda m: f"{NUMBER_WORDS_NL[m[1]]} "),  # "driekwartier"
    (re.compile(rf"\b({_WORDS})\b"), lambda m: str(NUMBER_WORDS_NL[m[1]])),
]
_NOTE = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_APPROX_PREFIX = re.compile(r"^(?:ca\.?|circa|ongeveer|gem\.?|gemiddeld|±|\+/-|\+-)\s*")
_PER_WEEK = re.compile(r"\s*(?:per\s+(?:week|wk)|/\s*(?:week|wk|w)|(?<![a-z])p\.?\s*/?\s*w\.?)$")
_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?\s*(?:u|uur)?$")  # "1:30" is h:mm
_TERM = re.compile(r"\s*(?:(?:en|\+)\s+)?(?P<n>\d+(?:[.,]\d+)?|[.,]\d+)?\s*(?P<u>[a-z]+)?\.?\s*")
_RANGE = re.compile(r"^(?P<lo>.+?)\s*(?:[-–—]|\s(?:a|tot en met|tot|t/m)\s|(?<=\d)a(?=\d))\s*(?P<hi>.+)$")
_BETWEEN = re.compile(r"^tussen\s+(?P<lo>.+?)\s+en\s+(?P<hi>.+)$")


def _split_notes(text: str) -> tuple[str, str | None]:
    """("2 uur", "Humanitas") for "2 uur (Humanitas)": bracketed text is a remark, kept as written."""
    notes = [(m[1] if m[1] is not None else m[2]).strip() for m in _NOTE.finditer(text)]
    notes = [n for n in notes if n]
    return _NOTE.sub(" ", text), "; ".join(notes) or None


def _amount(text: str, bare_unit: str) -> tuple[float, str | None] | None:
    """(hours, first explicit unit or None) for one amount like "1u30", "4 uur en 5 min", "50"."""
    if m := _CLOCK.match(text):
        return int(m[1]) + int(m[2]) / 60 + int(m[3] or 0) / 3600, "uur"
    terms, pos = [], 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if m.end() == pos or not (m["n"] or m["u"]):
            return None
        unit = _UNITS.get(m["u"]) if m["u"] else None
        if m["u"] and unit is None:
            return None
        terms.append((_number(m["n"]) if m["n"] else None, unit))
        pos = m.end()
    if not terms:
        return None
    total, last_rank = 0.0, 99
    for i, (n, unit) in enumerate(terms):
        if unit is None and len(terms) == 1:
            unit = bare_unit
        elif unit is None:  # only the minutes of "1u30" / "1 uur 30" may go without a unit
            if i != len(terms) - 1 or terms[i - 1][1] != "uur" or n is None or not n.is_integer() or n >= 60:
                return None
            unit = "minuut"
        if n is None:  # a unit without a number: only "kwartier" reads as one
            if unit != "kwartier":
                return None
            n = 1.0
        if _UNIT_RANK[unit] >= last_rank:
            return None
        last_rank = _UNIT_RANK[unit]
        total += n * _UNIT_HOURS[unit]
    return total, terms[0][1]


def _duration_text(t: str, bare_unit: str) -> tuple[float, bool] | None:
    """(hours, is_range) for a normalised duration text without notes, or None."""
    m = _BETWEEN.match(t) or _RANGE.match(t)
    if m:
        lo, hi = _amount(m["lo"], bare_unit), _amount(m["hi"], bare_unit)
        if lo and hi:
            # "8 a 10 uur": a side without unit takes the other side's unit
            if lo[1] is None and hi[1] is not None:
                lo = _amount(m["lo"], hi[1])
            elif hi[1] is None and lo[1] is not None:
                hi = _amount(m["hi"], lo[1])
            if lo[0] <= hi[0]:  # "12-8" is a typo or a date, not a range
                return (lo[0] + hi[0]) / 2, True
            return None
    single = _amount(t, bare_unit)
    return (single[0], False) if single else None


def parse_duration(s: pd.Series, bare_unit: str = "uur") -> pd.DataFrame:
    """Durations as typed: hours (float), state, is_range (midpoint taken) and a bracketed note.

    state is "waarde", "nvt", "onbekend", "leeg" or "ongeldig". A bare number is in `bare_unit`
    ("uur" or "minuut", e.g. for a column headed "Duur (min)"); "1:30" and time cells are h:mm.
    """
    if bare_unit not in ("uur", "minuut"):
        raise ValueError(f"bare_unit must be 'uur' or 'minuut', not {bare_unit!r}")
    nan = np.nan

    def hours_or_invalid(h: float):
        return (h, WAARDE, False, None) if h >= 0 else (nan, ONGELDIG, False, None)

    def one(v):
        if _missing(v):
            return nan, LEEG, False, None
        if isinstance(v, np.timedelta64):
            v = pd.Timedelta(v)
        if isinstance(v, dt.timedelta):
            return hours_or_invalid(v.total_seconds() / 3600)
        if isinstance(v, dt.time):  # a cell formatted as time, e.g. 1:30
            return hours_or_invalid(v.hour + v.minute / 60 + v.second / 3600)
        if (number := _real(v)) is not None:
            return hours_or_invalid(number * _UNIT_HOURS[bare_unit])
        if not isinstance(v, str) or len(v) > _MAX_TEXT:  # bools, dates, essays
            return nan, ONGELDIG, False, None
        if state := _special_state(tx.normalise_label(v)):  # before notes: "(nog) niet van toepassing"
            return nan, state, False, None
        rest, note = _split_notes(v)
        t = tx.normalise_label(rest)
        if state := _special_state(t):
            return nan, state, False, note
        t = _PER_WEEK.sub("", _APPROX_PREFIX.sub("", t))
        for pattern, repl in _WORD_REWRITES:
            t = pattern.sub(repl, t)
        parsed = _duration_text(t.strip(), bare_unit)
        if parsed is None:
            return nan, ONGELDIG, False, note
        return parsed[0], WAARDE, parsed[1], note

    return _frame(s, one, {"hours": "float64", "state": "str", "is_range": "bool", "note": "str"})


# --- Dates -------------------------------------------------------------------------------------

_MONTH_NAMES = {
    **MONTHS_NL,
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7, "october": 10, "oct": 10,
}
_TIME_SUFFIX = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # text exports of date-time cells
_D_M_Y = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME_SUFFIX}$")  # one separator
_Y_M_D = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME_SUFFIX}$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[\s.-]*([a-z]+)\.?[\s-]*(\d{4}|['’‘`]?\d{2})$")  # "3 feb. 2024"
_MONTH_Y = re.compile(r"^([a-z]+)\.?[\s-]*(\d{4}|['’‘`]\d{2})$")  # "okt 20" could be 20 October: needs '
_M_Y = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_Y_M = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _year(text: str) -> int:
    """Four digits as is; two digits the way strptime's %y reads them (69-99 -> 19xx)."""
    digits = text.lstrip("'’‘`")
    y = int(digits)
    if len(digits) == 2:
        y += 1900 if y >= 69 else 2000
    return y


def _make_date(y: int, m: int, d: int = 1) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(dt.date(y, m, d))
    except (ValueError, OverflowError):
        return None


def _date_from_text(t: str) -> tuple[pd.Timestamp, str] | None:
    """(first day of what was written, precision) for a normalised date text, or None."""
    if m := _D_M_Y.match(t):
        return _with_precision(_make_date(_year(m[4]), int(m[3]), int(m[1])), DAG)
    if m := _Y_M_D.match(t):
        return _with_precision(_make_date(int(m[1]), int(m[3]), int(m[4])), DAG)
    if (m := _D_MONTH_Y.match(t)) and m[2] in _MONTH_NAMES:
        return _with_precision(_make_date(_year(m[3]), _MONTH_NAMES[m[2]], int(m[1])), DAG)
    if (m := _MONTH_Y.match(t)) and m[1] in _MONTH_NAMES:
        return _with_precision(_make_date(_year(m[2]), _MONTH_NAMES[m[1]]), MAAND)
    if m := _M_Y.match(t):
        return _with_precision(_make_date(int(m[2]), int(m[1])), MAAND)
    if m := _Y_M.match(t):
        return _with_precision(_make_date(int(m[1]), int(m[2])), MAAND)
    if m := _YEAR.match(t):
        return _with_precision(_make_date(int(m[1]), 1), JAAR)
    return None


def _with_precision(ts: pd.Timestamp | None, precision: str):
    return (ts, precision) if ts is not None else None


def _timestamp(v) -> pd.Timestamp | None:
    """A real date/datetime cell as a naive Timestamp at midnight."""
    try:
        ts = pd.Timestamp(v)
    except (ValueError, TypeError, OverflowError):
        return None
    if ts is pd.NaT:
        return None
    return (ts.tz_localize(None) if ts.tz is not None else ts).normalize()


def _date_detail(v) -> tuple[pd.Timestamp, str | None, str]:
    nat = pd.NaT
    if _missing(v):
        return nat, None, LEEG
    found = None
    if isinstance(v, (dt.date, np.datetime64)):  # includes datetime and pd.Timestamp
        ts = _timestamp(v)
        found = (ts, DAG) if ts is not None else None
    elif (number := _real(v)) is not None:
        if 1 <= number < 80000:  # Excel serial day numbers (1900 … 2118); a bare 2021 is one too
            found = EXCEL_EPOCH + pd.Timedelta(days=int(number)), DAG
    elif isinstance(v, str) and len(v) <= _MAX_TEXT:
        t = tx.normalise_label(v)
        if state := _special_state(t):
            return nat, None, state
        found = _date_from_text(t)
    if found is None or not (EARLIEST_DATE <= found[0] <= LATEST_DATE):
        return nat, None, ONGELDIG
    return found[0], found[1], DATUM


def parse_date_detail(s: pd.Series) -> pd.DataFrame:
    """Dates as typed: date (first day of the month/year when only that was written), precision
    ("dag", "maand", "jaar") and state ("datum", "leeg", "nvt", "onbekend", "ongeldig").

    Dates outside 1990-2100 are "ongeldig", as in parse_dates.
    """
    return _frame(s, _date_detail, {"date": "datetime64[us]", "precision": "str", "state": "str"})


# --- End dates ---------------------------------------------------------------------------------

# In an END column "n.v.t." means "no end yet": the trajectory is still running.
_RUNNING = {
    "nvt", "n v t", "niet van toepassing", "nog niet van toepassing", "nog niet", "nog niet afgesloten",
    "niet afgesloten", "nog niet beeindigd", "nog niet bekend", "nog onbekend", "nog niet gestopt",
    "loopt", "loopt nog", "loopt door", "loopt nog steeds", "lopend", "lopende", "nog lopend", "nog lopende",
    "bezig", "nog bezig", "actief", "nog actief", "open", "nog open", "in begeleiding", "nog in begeleiding",
}
# ... and "nvt" is kept for an end that can never come: the trajectory did not start.
_NOT_STARTED = {"niet gestart", "nooit gestart", "niet begonnen", "niet doorgegaan", "geen traject"}
_NVT_WORD = re.compile(r"\b(?:nvt|n v t)\b")
_EXPECTED_PREFIX = re.compile(
    r"^(?:naar verwachting|verwacht(?:e)?(?: einddatum| einde)?|gepland(?:e)?(?: einddatum| einde)?|planning"
    r"|ca\.?|circa|rond|rondom|omstreeks|ongeveer|±|\+/-|\+-|waarschijnlijk|vermoedelijk|voorlopig"
    r"|loopt(?: nog)? (?:tot en met|tot|t/m))"
    r"(?:\s+(?:op|in|per|rond))?\s*[:=]?\s*(?P<rest>\S.*)$")
_EXPECTED_SUFFIX = re.compile(r"^(?P<rest>.+?)\s*[(\[]?\s*(?:verwacht|naar verwachting|gepland|ca\.?)\s*[)\]]?$")


def _expected_date(t: str) -> tuple[pd.Timestamp, str] | None:
    """The date in "naar verwachting januari 2022", "ca. maart 2022", "1-3-2022 (verwacht)"."""
    for _ in range(3):  # prefixes may stack: "verwacht: ca. maart 2022"
        m = _EXPECTED_PREFIX.match(t) or _EXPECTED_SUFFIX.match(t)
        if not m:
            return None
        t = m["rest"].strip()
        if found := _date_from_text(t):
            return found
    return None


def _end(v):
    nat = pd.NaT
    if _missing(v):
        return nat, nat, None, LEEG
    if not isinstance(v, str):
        date, precision, state = _date_detail(v)
        return (date, nat, precision, EINDE) if state == DATUM else (nat, nat, None, ONGELDIG)
    if len(v) > _MAX_TEXT:
        return nat, nat, None, ONGELDIG
    t = tx.normalise_label(v)
    words = re.sub(r"[^a-z0-9?]+", " ", t).strip()  # "(nog) niet van toepassing" -> "nog niet van toepassing"
    without_nvt = " ".join(_NVT_WORD.sub(" ", words).split())
    if without_nvt in _NOT_STARTED:
        return nat, nat, None, NVT
    if words in _RUNNING or (without_nvt != words and (not without_nvt or without_nvt in _RUNNING)):
        return nat, nat, None, LOOPT
    if state := _special_state(t):
        return nat, nat, None, LOOPT if state == NVT else state
    date, precision, state = _date_detail(t)
    if state == DATUM:
        return date, nat, precision, EINDE
    if (found := _expected_date(t)) and EARLIEST_DATE <= found[0] <= LATEST_DATE:
        return nat, found[0], found[1], VERWACHT  # still running: an expected end is not an end
    return nat, nat, None, ONGELDIG


def parse_end(s: pd.Series) -> pd.DataFrame:
    """An "einddatum" column: end_date, expected_end, precision and state.

    state: "einde" (end_date set), "verwacht" (only expected_end set: still running), "loopt"
    (n.v.t., "nog niet", "loopt nog": still running), "nvt" (never started), "leeg", "onbekend",
    "ongeldig".
    """
    return _frame(s, _end, {"end_date": "datetime64[us]", "expected_end": "datetime64[us]",
                            "precision": "str", "state": "str"})


# --- Yes/no and tick boxes ---------------------------------------------------------------------

_TRUE_KEYS = {"x", "xx", "×", "ja", "j", "yes", "y", "1", "1.0", "1,0", "true", "waar", "wel", "v", "+",
              "✓", "✔", "☑", "✅"}
_FALSE_KEYS = {"nee", "n", "no", "0", "0.0", "0,0", "false", "onwaar", "niet", "geen", "-", "--", "–", "—"}
_TICK_WITH_TEXT = re.compile(r"^(?:(?P<word>ja|nee)(?:\s*[,;:(\-–—]|\s)|(?P<mark>x|yes|no|wel)\s*[,;:(\-–—])"
                             r"\s*(?P<rest>\S.*)$")  # "ja, via school"; a lone "x school" stays unclear


def _yes_no(v):
    if _missing(v):
        return None, LEEG
    if _is_bool(v):
        return bool(v), WAARDE
    if (number := _real(v)) is not None:
        return (number == 1, WAARDE) if number in (0, 1) else (None, ONGELDIG)
    if not isinstance(v, str):
        return None, ONGELDIG
    t = tx.normalise_label(v)
    key = t.rstrip(".!") or t  # "ja." but keep "-" and "." as typed
    if key in _TRUE_KEYS:
        return True, WAARDE
    if key in _FALSE_KEYS:
        return False, WAARDE
    if state := _special_state(t):
        return None, state
    m = _TICK_WITH_TEXT.match(t)
    if m and m["rest"].rstrip(".!") not in _TRUE_KEYS | _FALSE_KEYS:  # "ja - nee" says both
        return (m["word"] or m["mark"]) in ("ja", "x", "yes", "wel"), WAARDE
    return None, ONGELDIG


def parse_yes_no(s: pd.Series) -> pd.DataFrame:
    """Tick boxes and ja/nee cells: value (nullable boolean) and state.

    "-" and "geen" are False (an unticked box); n.v.t. and onbekend stay NA with their state.
    """
    return _frame(s, _yes_no, {"value": "boolean", "state": "str"})


# --- Severity ----------------------------------------------------------------------------------

SEVERITY_WORDS = {
    "geen": 0, "niet": 0,
    "licht": 1, "lichte": 1, "gering": 1, "geringe": 1, "laag": 1,
    "middel": 2, "matig": 2, "matige": 2, "gemiddeld": 2, "midden": 2,
    "zwaar": 3, "zware": 3, "ernstig": 3, "ernstige": 3, "hoog": 3,
}
_SEVERITY_DIGIT = r"(\d)(?:[.,]0)?"
_SEVERITY_DIGIT_WORD = re.compile(rf"^{_SEVERITY_DIGIT}\s*(?:[-–:.=)]\s*)?\(?([a-z]+)\)?$")  # "1 - licht"
_SEVERITY_WORD_DIGIT = re.compile(rf"^([a-z]+)\s*(?:[-–:=]\s*)?\(?{_SEVERITY_DIGIT}\)?$")  # "licht (1)"
_SEVERITY_NUMBER = re.compile(rf"^{_SEVERITY_DIGIT}$")


def _severity_level(t: str) -> int | None:
    if t in SEVERITY_WORDS:
        return SEVERITY_WORDS[t]
    if m := _SEVERITY_NUMBER.match(t):
        return int(m[1]) if int(m[1]) <= 3 else None
    m = _SEVERITY_DIGIT_WORD.match(t)
    digit, word = (m[1], m[2]) if m else (None, None)
    if m := _SEVERITY_WORD_DIGIT.match(t):
        word, digit = m[1], m[2]
    if word is not None and SEVERITY_WORDS.get(word) == int(digit):  # both halves must agree
        return int(digit)
    return None


def _severity(v):
    if _missing(v):
        return np.nan, LEEG
    if (number := _real(v)) is not None:
        ok = number.is_integer() and 0 <= number <= 3
        return (number, WAARDE) if ok else (np.nan, ONGELDIG)
    if not isinstance(v, str) or len(v) > _MAX_TEXT:
        return np.nan, ONGELDIG
    t = tx.normalise_label(v)
    if state := _special_state(t):
        return np.nan, state
    level = _severity_level(t.rstrip("."))
    return (float(level), WAARDE) if level is not None else (np.nan, ONGELDIG)


def parse_severity(s: pd.Series) -> pd.DataFrame:
    """Severity 0-3 (geen, licht, middel, zwaar; also digits and "1 - licht") and state."""
    return _frame(s, _severity, {"value": "float64", "state": "str"})


# --- Decimal numbers ---------------------------------------------------------------------------

_SIGN = r"(?P<sign>[+-]?)\s*(?:€\s*)?"
_PLAIN = re.compile(rf"^{_SIGN}(?P<int>\d*)(?:[,.](?P<frac>\d+))?$")  # "1,5", "1.5", ",5", "12"
_DOT_THOUSANDS = re.compile(rf"^{_SIGN}(?P<int>\d{{1,3}}(?:\.\d{{3}})+)(?:,(?P<frac>\d+))?$")  # "1.234,5"
_SPACE_THOUSANDS = re.compile(rf"^{_SIGN}(?P<int>\d{{1,3}}(?: \d{{3}})+)(?:[,.](?P<frac>\d+))?$")  # "1 234"
_COMMA_THOUSANDS = re.compile(rf"^{_SIGN}(?P<int>\d{{1,3}}(?:,\d{{3}})+)\.(?P<frac>\d+)$")  # "1,234.5"
_AMBIGUOUS = re.compile(r"^[+-]?\s*(?:€\s*)?[1-9]\d{0,2}\.\d{3}$")  # "1.234": 1234 in Dutch, 1.234 in English


def _decimal_text(t: str) -> float | None:
    if _AMBIGUOUS.match(t):
        return None
    for pattern in (_PLAIN, _DOT_THOUSANDS, _SPACE_THOUSANDS, _COMMA_THOUSANDS):
        if (m := pattern.match(t)) and (m["int"] or m["frac"]):
            whole = re.sub(r"[^\d]", "", m["int"]) or "0"
            value = float(f"{whole}.{m['frac'] or 0}")
            return -value if m["sign"] == "-" else value
    return None


def _decimal(v):
    if _missing(v):
        return np.nan, LEEG
    if (number := _real(v)) is not None:
        return number, WAARDE
    if not isinstance(v, str) or len(v) > _MAX_TEXT:
        return np.nan, ONGELDIG
    t = tx.normalise_label(v)
    if state := _special_state(t):
        return np.nan, state
    value = _decimal_text(t)
    return (value, WAARDE) if value is not None else (np.nan, ONGELDIG)


def parse_decimal(s: pd.Series) -> pd.DataFrame:
    """Numbers as typed: decimal comma, "1.234,5", "1 234", plain numbers; value and state.

    A lone "1.234" is "ongeldig": a thousands separator and a decimal point look the same there.
    """
    return _frame(s, _decimal, {"value": "float64", "state": "str"})


# --- Beheersing Nederlandse taal ----------------------------------------------------------------

# A level is a judgement: only these phrasings are read, anything else is reported, not guessed.
# "onvoldoende" is deliberately absent (matig or slecht?), and so are NT2 and A1–C2: a course or
# exam level is not the judgement of the parent's Dutch that the monitor asks for.
LANGUAGE_WORDS: dict[str, str] = {
    "goed": "goed", "zeer goed": "goed", "heel goed": "goed", "uitstekend": "goed", "vloeiend": "goed",
    "voldoende": "voldoende", "redelijk": "voldoende", "redelijk goed": "voldoende",
    "matig": "matig", "beperkt": "matig", "gebrekkig": "matig", "een beetje": "matig",
    "slecht": "slecht", "zeer slecht": "slecht", "heel slecht": "slecht", "zeer beperkt": "slecht",
}
# Words that only say "no Dutch" next to "spreekt" or "Nederlands": a bare "geen" in a Taal
# column could as well mean "geen taalprobleem".
_NO_DUTCH = {"geen", "bijna geen", "nauwelijks", "amper", "geen woord"}
_DUTCH = r"(?:de nederlandse taal|nederlandse taal|nederlands|nl)\b"
_SPEAKS = re.compile(rf"^spreekt\s+(?P<w>.+?)(?:\s+{_DUTCH})?$")
_WORD_DUTCH = re.compile(rf"^(?P<w>.+?)\s+{_DUTCH}$")
_DUTCH_WORD = re.compile(rf"^{_DUTCH}\s*[:=\-–]?\s*(?P<w>.+)$")


def _language_text(t: str) -> str | None:
    t = t.rstrip(".!").strip()
    if t in LANGUAGE_WORDS:
        return LANGUAGE_WORDS[t]
    for pattern in (_SPEAKS, _WORD_DUTCH, _DUTCH_WORD):
        if m := pattern.match(t):
            w = m["w"].strip()
            if w in LANGUAGE_WORDS:
                return LANGUAGE_WORDS[w]
            if w in _NO_DUTCH:
                return "slecht"
    return None


def _remark_free(v) -> tuple[str | None, str | None]:
    """The normalised text of a list-valued cell with a remark in brackets set aside ("matig (volgt
    taalles)"), or the state that settles the cell (leeg, ongeldig, onbekend, nvt)."""
    if _missing(v):
        return None, LEEG
    if not isinstance(v, str) or len(v) > _MAX_TEXT:  # numbers, ticks and dates are no list value
        return None, ONGELDIG
    t = tx.normalise_label(v)
    if state := _special_state(t):
        return None, state
    rest, _ = _split_notes(t)
    t = tx.normalise_label(rest)
    if not t:
        return None, ONGELDIG
    if state := _special_state(t):
        return None, state
    return t, None


def _value_frame(s: pd.Series, parse) -> pd.DataFrame:
    frame = _frame(s, parse, {"value": "object", "state": "str"})
    frame["value"] = frame["value"].astype(object).where(frame["value"].notna(), None)
    return frame


def _language(v):
    t, state = _remark_free(v)
    if state:
        return ("onbekend", ONBEKEND) if state == ONBEKEND else (None, state)
    level = _language_text(t)
    return (level, WAARDE) if level else (None, ONGELDIG)


def parse_language(s: pd.Series) -> pd.DataFrame:
    """Beheersing Nederlandse taal as written: value (goed, voldoende, matig, slecht or onbekend; None
    when empty or not understood) and state ("waarde", "onbekend", "leeg", "nvt", "ongeldig").

    Reads the list values and a few fixed phrasings ("redelijk" = voldoende, "spreekt geen
    Nederlands" = slecht, "Nederlands: goed"); a remark in brackets is set aside.
    """
    return _value_frame(s, _language)


# --- Trechter: fase en resultaat --------------------------------------------------------------

# Only these phrasings are read; anything else is reported, not guessed. "gestopt", "uitgevallen",
# "afgerond" and "wachtlijst" are deliberately absent: stopping may be a failure, a move or a referral,
# and "afgerond" says nothing about success.
PHASE_WORDS: dict[str, str] = {
    "aanmelding": "aanmelding", "aangemeld": "aanmelding", "alleen aanmelding": "aanmelding",
    "alleen aangemeld": "aanmelding", "na aanmelding": "aanmelding", "aanmelding ontvangen": "aanmelding",
    "intake": "intake", "intake gehad": "intake", "intake gedaan": "intake", "intake afgerond": "intake",
    "intakegesprek": "intake", "intakegesprek gehad": "intake", "intakegesprek gevoerd": "intake",
    "na intake": "intake", "tot intake": "intake",
    "begeleiding": "begeleiding", "in begeleiding": "begeleiding", "begeleid": "begeleiding",
    "begeleiding gestart": "begeleiding", "gestart met begeleiding": "begeleiding",
    "start begeleiding": "begeleiding", "wordt begeleid": "begeleiding",
}
RESULT_WORDS: dict[str, str] = {
    "geslaagd": "geslaagd", "succesvol": "geslaagd", "succesvol afgerond": "geslaagd",
    "met succes afgerond": "geslaagd", "geslaagd afgerond": "geslaagd",
    "niet geslaagd": "niet geslaagd", "ongeslaagd": "niet geslaagd", "niet succesvol": "niet geslaagd",
    "mislukt": "niet geslaagd", "niet gelukt": "niet geslaagd",
    "lopend": "lopend", "loopt": "lopend", "loopt nog": "lopend", "nog lopend": "lopend", "nog bezig": "lopend",
}


def _listed_word(words: dict[str, str]):
    def parse(v):
        t, state = _remark_free(v)
        if state:
            return None, state
        value = words.get(t.rstrip(".!").strip())
        return (value, WAARDE) if value else (None, ONGELDIG)
    return parse


def _listed_frame(s: pd.Series, words: dict[str, str]) -> pd.DataFrame:
    return _value_frame(s, _listed_word(words))


def parse_phase(s: pd.Series) -> pd.DataFrame:
    """Furthest funnel phase as written: value (aanmelding, intake or begeleiding; None when empty or not
    understood) and state ("waarde", "onbekend", "leeg", "nvt", "ongeldig"). Reads the list values and a
    few fixed phrasings ("aangemeld", "intake gehad", "in begeleiding"); a remark in brackets is set aside."""
    return _listed_frame(s, PHASE_WORDS)


def parse_result(s: pd.Series) -> pd.DataFrame:
    """Result after begeleiding as written: value (geslaagd, niet geslaagd or lopend; None when empty or not
    understood) and state as `parse_phase`. "gestopt" or "afgerond" is not read: it does not say whether the
    trajectory succeeded."""
    return _listed_frame(s, RESULT_WORDS)
