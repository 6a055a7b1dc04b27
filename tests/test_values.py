import datetime as dt

import pandas as pd
import pytest

from gezinsmonitor import values as v


def s(*items):
    return pd.Series(list(items), dtype=object)


def test_dates_in_the_forms_organisations_type():
    parsed, invalid = v.parse_dates(s(dt.date(2020, 1, 2), "3-4-2021", "Oktober 2020", 43831, dt.datetime(2020, 5, 5),
                                      "", None, "ergens in mei"))
    assert list(parsed[:5].dt.date) == [dt.date(2020, 1, 2), dt.date(2021, 4, 3), dt.date(2020, 10, 1),
                                        dt.date(2020, 1, 1), dt.date(2020, 5, 5)]
    assert list(invalid) == [False] * 7 + [True]


@pytest.mark.parametrize("text,hours", [
    ("1,5", 1.5), ("1,5 uur", 1.5), ("50 minuten", 50 / 60), ("4 uur en 5 minuten", 4 + 5 / 60),
    ("0,75 uur", 0.75), (2, 2.0), (0, 0.0), ("8", 8.0),
])
def test_hours(text, hours):
    values, nvt, invalid = v.parse_hours(s(text))
    assert values[0] == pytest.approx(hours)
    assert not nvt[0] and not invalid[0]


def test_hours_nvt_and_ranges():
    values, nvt, invalid = v.parse_hours(s("n.v.t.", "nvt", "8-12 uur", "veel", None))
    assert list(nvt) == [True, True, False, False, False]
    assert list(invalid) == [False, False, True, True, False]
    assert values.isna().all()


def test_scores():
    values, nvt, invalid = v.parse_score(s(1, "5", "n.v.t.", 6, 3.5, None, "drie"))
    assert list(values[:2]) == [1.0, 5.0]
    assert list(nvt) == [False, False, True, False, False, False, False]
    assert list(invalid) == [False, False, False, True, True, False, True]


def test_as_text_keeps_what_was_written():
    assert list(v.as_text(s(dt.date(2020, 1, 2), 3.0, " x ", 2.5)).astype(object)) == ["2020-01-02", "3", "x", "2.5"]
