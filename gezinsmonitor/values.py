"""Parsing cell values as Dutch organisations type them. Vectorised over pandas Series.

Every parser returns the parsed values plus a mask of cells that were filled in but not
understood, so the validator can point at the exact cell.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

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


def map_unique(s: pd.Series, fn) -> pd.Series:
    """`s.map(fn)` computed once per distinct value: sheets repeat the same few values a lot."""
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    lookup = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        lookup[i] = fn(value)
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
