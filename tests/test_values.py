import datetime as dt
import decimal

import numpy as np
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


# --- map_unique ------------------------------------------------------------------------------

def test_map_unique_keeps_bools_apart_from_numbers():
    # True == 1 for hashing; a tick cell must not borrow the parse of a number cell (or vice versa)
    assert list(v.map_unique(s(1, True, 1.0, False, 0, "a", None), repr)) == ["1", "True", "1", "False", "0", "'a'", "None"]
    assert list(v.map_unique(s(True, 1), repr)) == ["True", "1"]


def test_map_unique_on_an_empty_series():
    assert v.map_unique(s(), repr).empty


# --- cell_state ------------------------------------------------------------------------------

@pytest.mark.parametrize("value,state", [
    (None, "leeg"), (float("nan"), "leeg"), (pd.NA, "leeg"), (pd.NaT, "leeg"), ("", "leeg"), ("  \n", "leeg"),
    ("\u00a0", "leeg"),
    ("n.v.t.", "nvt"), ("nvt", "nvt"), ("n.v.t", "nvt"), ("nvt.", "nvt"), ("N.V.T.", "nvt"), ("n.v.t..", "nvt"),
    ("niet van toepassing", "nvt"), ("Niet van toepassing", "nvt"), ("(n.v.t.)", "nvt"), ("n/v/t", "nvt"),
    ("(nog) niet van toepassing", "nvt"), (" nvt ", "nvt"),
    ("onbekend", "onbekend"), ("Onbekend", "onbekend"), ("?", "onbekend"), ("??", "onbekend"),
    ("weet niet", "onbekend"), ("onb.", "onbekend"), ("onb", "onbekend"), ("unknown", "onbekend"),
    ("niet bekend", "onbekend"), ("n.b.", "onbekend"), ("(onbekend)", "onbekend"),
    ("-", "waarde"), ("0", "waarde"), (0, "waarde"), ("x", "waarde"), ("nee", "waarde"), (True, "waarde"),
    (dt.date(2020, 1, 1), "waarde"), ("nvtt", "waarde"), ("onbekende reden", "waarde"),
])
def test_cell_state(value, state):
    assert v.cell_state(s(value)).tolist() == [state]


def test_cell_state_keeps_the_index():
    states = v.cell_state(pd.Series(["x", None], index=[10, 20], dtype=object))
    assert states.index.tolist() == [10, 20] and states.tolist() == ["waarde", "leeg"]


# --- parse_duration --------------------------------------------------------------------------

@pytest.mark.parametrize("value,hours", [
    ("1,5 uur", 1.5), ("1.5 uur", 1.5), ("1,5", 1.5), ("1,5u", 1.5), ("1u", 1.0), ("1 u.", 1.0), ("2 uren", 2.0),
    ("2 Uur", 2.0), ("2h", 2.0), ("50 minuten", 50 / 60), ("50 min", 50 / 60), ("50 min.", 50 / 60),
    ("1 minuut", 1 / 60), ("45m", 0.75), ("4 uur en 5 minuten", 4 + 5 / 60), ("4 uur 5 min", 4 + 5 / 60),
    ("1u30", 1.5), ("1 uur 30", 1.5), ("1:30", 1.5), ("1:30:00", 1.5), ("0:45", 0.75), ("0,75 uur", 0.75),
    (",5 uur", 0.5), ("anderhalf uur", 1.5), ("Anderhalf uur", 1.5), ("half uur", 0.5), ("een half uur", 0.5),
    ("halfuur", 0.5), ("kwartier", 0.25), ("een kwartier", 0.25), ("drie kwartier", 0.75), ("driekwartier", 0.75),
    ("een uur", 1.0), ("één uur", 1.0), ("twee uur", 2.0), ("twaalf uur", 12.0), ("elf uur", 11.0),
    ("tweeënhalf uur", 2.5), ("twee en een half uur", 2.5), ("twee uur en een half", 2.5), ("1 uur en een half", 1.5),
    ("een uur en een kwartier", 1.25), ("2 uur en 1 kwartier", 2.25), ("tien minuten", 10 / 60),
    ("2 uur per week", 2.0), ("2 uur p/w", 2.0), ("2 uur pw", 2.0), ("2 uur p.w.", 2.0), ("2 uur /week", 2.0),
    ("2u/week", 2.0), ("2 per week", 2.0), ("ca. 2 uur", 2.0), ("ongeveer 2 uur", 2.0), ("± 2 uur", 2.0),
    ("0", 0.0), ("0 uur", 0.0), (0, 0.0), (0.0, 0.0), (2, 2.0), (1.5, 1.5), (np.int64(3), 3.0), ("8", 8.0),
    (dt.time(1, 30), 1.5), (dt.time(0, 50), 50 / 60), (dt.timedelta(minutes=90), 1.5), (pd.Timedelta(hours=2), 2.0),
])
def test_duration_single_values(value, hours):
    row = v.parse_duration(s(value)).iloc[0]
    assert row["hours"] == pytest.approx(hours)
    assert row["state"] == "waarde" and not row["is_range"] and pd.isna(row["note"])


@pytest.mark.parametrize("value,hours", [
    ("8 a 10 uur", 9.0), ("8 à 10 uur", 9.0), ("8-12 uur", 10.0), ("8 - 12 uur", 10.0), ("8 – 12 uur", 10.0),
    ("8 tot 12 uur", 10.0), ("8 t/m 12 uur", 10.0), ("8 tot en met 12 uur", 10.0), ("8a10", 9.0), ("1-2 uur per week", 1.5), ("1-2", 1.5),
    ("tussen 1 en 2 uur", 1.5), ("30-45 min", 37.5 / 60), ("1 uur - 90 min", 1.25), ("een a twee uur", 1.5),
    ("anderhalf a twee uur", 1.75), ("2-2 uur", 2.0),
])
def test_duration_ranges_give_the_midpoint(value, hours):
    row = v.parse_duration(s(value)).iloc[0]
    assert row["hours"] == pytest.approx(hours)
    assert row["state"] == "waarde" and row["is_range"]


@pytest.mark.parametrize("value,hours,note", [
    ("2 uur (Humanitas)", 2.0, "Humanitas"), ("2 uur [Humanitas]", 2.0, "Humanitas"),
    ("(Humanitas) 2 uur", 2.0, "Humanitas"), ("2 uur (Humanitas) (Schuldhulp)", 2.0, "Humanitas; Schuldhulp"),
    ("1-2 uur per week (incl. reistijd)", 1.5, "incl. reistijd"), ("2 uur ()", 2.0, None),
])
def test_duration_notes_in_brackets(value, hours, note):
    row = v.parse_duration(s(value)).iloc[0]
    assert row["hours"] == pytest.approx(hours) and row["state"] == "waarde"
    assert (pd.isna(row["note"]) if note is None else row["note"] == note)


@pytest.mark.parametrize("value,hours", [
    ("50", 50 / 60), (50, 50 / 60), ("1,5", 1.5 / 60), ("1 uur", 1.0), ("1u30", 1.5), ("45 min", 0.75),
    ("30-60", 0.75), (dt.time(1, 30), 1.5),
])
def test_duration_bare_numbers_in_minutes(value, hours):
    row = v.parse_duration(s(value), bare_unit="minuut").iloc[0]
    assert row["hours"] == pytest.approx(hours) and row["state"] == "waarde"


@pytest.mark.parametrize("value,state", [
    (None, "leeg"), ("", "leeg"), (" ", "leeg"), (float("nan"), "leeg"), (pd.NA, "leeg"), (pd.NaT, "leeg"),
    ("n.v.t.", "nvt"), ("nvt", "nvt"), ("niet van toepassing", "nvt"), ("(nog) niet van toepassing", "nvt"),
    ("n.v.t. (Humanitas)", "nvt"), ("onbekend", "onbekend"), ("?", "onbekend"), ("weet niet", "onbekend"),
    ("veel", "ongeldig"), ("-", "ongeldig"), ("geen", "ongeldig"), (-1, "ongeldig"), (-0.5, "ongeldig"),
    ("-1", "ongeldig"), ("- 2 uur", "ongeldig"), (dt.timedelta(hours=-1), "ongeldig"), ("12-8", "ongeldig"),
    ("12-8 uur", "ongeldig"), ("3-4-2021", "ongeldig"), (True, "ongeldig"), (False, "ongeldig"),
    (dt.date(2020, 1, 1), "ongeldig"), (dt.datetime(2020, 1, 1, 1, 30), "ongeldig"), (float("inf"), "ongeldig"),
    ("uur", "ongeldig"), ("per week", "ongeldig"), ("2 uur per maand", "ongeldig"), ("1 uur 2 uur", "ongeldig"),
    ("5 minuten 1 uur", "ongeldig"), ("1 uur 75", "ongeldig"), ("1:75", "ongeldig"), ("(Humanitas)", "ongeldig"),
    ("x" * 10_000, "ongeldig"), ("1" * 10_000, "ongeldig"), ("1 uur " * 1000, "ongeldig"), ("half", "ongeldig"),
    ("2 keer", "ongeldig"), ([1, 2], "ongeldig"), ({"a": 1}, "ongeldig"), (object(), "ongeldig"),
])
def test_duration_states(value, state):
    row = v.parse_duration(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == state
    assert pd.isna(row["hours"]) and not row["is_range"]


def test_duration_frame_shape_and_types():
    frame = v.parse_duration(pd.Series(["1 uur", None, "8-12 uur (Humanitas)"], index=[5, 6, 7], dtype=object))
    assert frame.index.tolist() == [5, 6, 7]
    assert frame.columns.tolist() == ["hours", "state", "is_range", "note"]
    assert frame["hours"].dtype == "float64" and frame["is_range"].dtype == bool
    assert frame["state"].tolist() == ["waarde", "leeg", "waarde"]
    assert frame["note"].isna().tolist() == [True, True, False]
    assert v.parse_duration(s()).columns.tolist() == ["hours", "state", "is_range", "note"]


def test_duration_rejects_an_unknown_bare_unit():
    with pytest.raises(ValueError):
        v.parse_duration(s("1"), bare_unit="dag")


# --- parse_date_detail -----------------------------------------------------------------------

@pytest.mark.parametrize("value,date,precision", [
    (dt.date(2020, 1, 2), dt.date(2020, 1, 2), "dag"), (dt.datetime(2020, 5, 5, 13, 30), dt.date(2020, 5, 5), "dag"),
    (pd.Timestamp("2021-03-04 10:00"), dt.date(2021, 3, 4), "dag"),
    (pd.Timestamp("2021-03-04 10:00", tz="Europe/Amsterdam"), dt.date(2021, 3, 4), "dag"),
    (np.datetime64("2021-02-03"), dt.date(2021, 2, 3), "dag"),
    (43831, dt.date(2020, 1, 1), "dag"), (43831.75, dt.date(2020, 1, 1), "dag"), (np.int64(43831), dt.date(2020, 1, 1), "dag"),
    ("3-4-2021", dt.date(2021, 4, 3), "dag"), ("03-04-2021", dt.date(2021, 4, 3), "dag"),
    ("3/4/2021", dt.date(2021, 4, 3), "dag"), ("3.4.2021", dt.date(2021, 4, 3), "dag"),
    ("2021-04-03", dt.date(2021, 4, 3), "dag"), ("2021-04-03 00:00:00", dt.date(2021, 4, 3), "dag"),
    ("2021-04-03T08:15:00", dt.date(2021, 4, 3), "dag"), ("3-4-21", dt.date(2021, 4, 3), "dag"),
    ("3-4-95", dt.date(1995, 4, 3), "dag"), ("3 februari 2024", dt.date(2024, 2, 3), "dag"),
    ("3 feb. 2024", dt.date(2024, 2, 3), "dag"), ("3 feb 2024", dt.date(2024, 2, 3), "dag"),
    ("3-feb-2024", dt.date(2024, 2, 3), "dag"), ("3 feb 24", dt.date(2024, 2, 3), "dag"),
    ("29 februari 2024", dt.date(2024, 2, 29), "dag"),
    ("Oktober 2020", dt.date(2020, 10, 1), "maand"), ("november 2020", dt.date(2020, 11, 1), "maand"),
    ("januari 2019", dt.date(2019, 1, 1), "maand"), ("okt 2020", dt.date(2020, 10, 1), "maand"),
    ("okt. 2020", dt.date(2020, 10, 1), "maand"), ("mrt 2021", dt.date(2021, 3, 1), "maand"),
    ("oktober '20", dt.date(2020, 10, 1), "maand"), ("oktober ’20", dt.date(2020, 10, 1), "maand"),
    ("october 2020", dt.date(2020, 10, 1), "maand"), ("10-2020", dt.date(2020, 10, 1), "maand"),
    ("1/2021", dt.date(2021, 1, 1), "maand"), ("2020-10", dt.date(2020, 10, 1), "maand"),
    ("2021", dt.date(2021, 1, 1), "jaar"), (" 2021 ", dt.date(2021, 1, 1), "jaar"),
])
def test_date_detail(value, date, precision):
    row = v.parse_date_detail(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == "datum" and row["precision"] == precision
    assert row["date"].date() == date


@pytest.mark.parametrize("value,state", [
    (None, "leeg"), ("", "leeg"), (pd.NaT, "leeg"), (float("nan"), "leeg"), (pd.NA, "leeg"),
    ("n.v.t.", "nvt"), ("nvt", "nvt"), ("onbekend", "onbekend"), ("?", "onbekend"),
    (2021, "ongeldig"), (2021.0, "ongeldig"),  # a bare number is an Excel serial (1905), not a year
    ("1-1-1000", "ongeldig"), ("1-1-1989", "ongeldig"), ("1-1-2101", "ongeldig"), ("1850", "ongeldig"),
    ("31-2-2021", "ongeldig"), ("13-2020", "ongeldig"), ("2020-13", "ongeldig"), ("32-1-2020", "ongeldig"),
    ("3-4/2021", "ongeldig"), ("ergens in mei", "ongeldig"), ("3 februari", "ongeldig"), ("oktober 20", "ongeldig"),
    ("smarch 2020", "ongeldig"), ("Q1 2021", "ongeldig"), ("eind 2020", "ongeldig"), (True, "ongeldig"),
    (dt.time(1, 2), "ongeldig"), (-5, "ongeldig"), (0, "ongeldig"), (1e20, "ongeldig"), (float("inf"), "ongeldig"),
    (dt.date(1, 1, 1), "ongeldig"), ("x" * 10_000, "ongeldig"), ("-", "ongeldig"), ([2020], "ongeldig"),
])
def test_date_detail_states(value, state):
    row = v.parse_date_detail(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == state
    assert pd.isna(row["date"]) and pd.isna(row["precision"])


def test_date_detail_frame_types():
    frame = v.parse_date_detail(pd.Series(["3-4-2021", None], index=["a", "b"], dtype=object))
    assert frame.index.tolist() == ["a", "b"] and frame.columns.tolist() == ["date", "precision", "state"]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert str(v.parse_date_detail(s(None, None))["date"].dtype).startswith("datetime64")


def test_date_detail_agrees_with_parse_dates_where_both_read_a_date():
    cells = s(dt.date(2020, 1, 2), "3-4-2021", "Oktober 2020", 43831, dt.datetime(2020, 5, 5), "1-1-1000", None, "x")
    dates, _ = v.parse_dates(cells)
    detail = v.parse_date_detail(cells)
    assert dates.tolist() == detail["date"].tolist()


# --- parse_end -------------------------------------------------------------------------------

@pytest.mark.parametrize("value,date,precision", [
    (dt.date(2021, 3, 1), dt.date(2021, 3, 1), "dag"), ("1-3-2021", dt.date(2021, 3, 1), "dag"),
    (44256, dt.date(2021, 3, 1), "dag"), ("maart 2021", dt.date(2021, 3, 1), "maand"),
    ("2021", dt.date(2021, 1, 1), "jaar"), (pd.Timestamp("2021-03-01 12:00"), dt.date(2021, 3, 1), "dag"),
])
def test_end_with_a_real_date(value, date, precision):
    row = v.parse_end(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == "einde" and row["precision"] == precision
    assert row["end_date"].date() == date and pd.isna(row["expected_end"])


@pytest.mark.parametrize("value", [
    "(nog) niet van toepassing", "nog niet van toepassing", "niet van toepassing", "n.v.t.", "nvt", "NVT.",
    "nog niet", "Nog niet.", "loopt nog", "loopt", "lopend", "nog bezig", "nvt (loopt)", "n.v.t. (loopt nog)",
    "nog niet afgesloten", "nog onbekend", "nog niet bekend", "in begeleiding",
])
def test_end_still_running(value):
    row = v.parse_end(s(value)).iloc[0]
    assert row["state"] == "loopt"
    assert pd.isna(row["end_date"]) and pd.isna(row["expected_end"]) and pd.isna(row["precision"])


@pytest.mark.parametrize("value,expected,precision", [
    ("naar verwachting januari 2022", dt.date(2022, 1, 1), "maand"),
    ("Naar verwachting januari 2022", dt.date(2022, 1, 1), "maand"),
    ("verwacht: 1-3-2022", dt.date(2022, 3, 1), "dag"), ("verwacht 1-3-2022", dt.date(2022, 3, 1), "dag"),
    ("verwachte einddatum maart 2022", dt.date(2022, 3, 1), "maand"),
    ("verwachte einddatum: 1-3-2022", dt.date(2022, 3, 1), "dag"),
    ("ca. maart 2022", dt.date(2022, 3, 1), "maand"), ("circa maart 2022", dt.date(2022, 3, 1), "maand"),
    ("rond juni 2022", dt.date(2022, 6, 1), "maand"), ("gepland 1-6-2022", dt.date(2022, 6, 1), "dag"),
    ("gepland op 1-6-2022", dt.date(2022, 6, 1), "dag"), ("loopt tot 1-6-2022", dt.date(2022, 6, 1), "dag"),
    ("maart 2022 (verwacht)", dt.date(2022, 3, 1), "maand"), ("1-3-2022 verwacht", dt.date(2022, 3, 1), "dag"),
    ("verwacht: ca. maart 2022", dt.date(2022, 3, 1), "maand"), ("verwacht 2023", dt.date(2023, 1, 1), "jaar"),
])
def test_end_expected_is_never_an_actual_end(value, expected, precision):
    row = v.parse_end(s(value)).iloc[0]
    assert row["state"] == "verwacht" and row["precision"] == precision
    assert row["expected_end"].date() == expected and pd.isna(row["end_date"])


@pytest.mark.parametrize("value,state", [
    (None, "leeg"), ("", "leeg"), (pd.NaT, "leeg"), ("onbekend", "onbekend"), ("?", "onbekend"),
    ("weet niet", "onbekend"), ("niet gestart", "nvt"), ("n.v.t. - niet gestart", "nvt"), ("geen traject", "nvt"),
    ("afgesloten", "ongeldig"), ("-", "ongeldig"), ("verwacht", "ongeldig"), ("naar verwachting binnenkort", "ongeldig"),
    ("verwacht eind 2022", "ongeldig"), ("verwacht 1-1-2200", "ongeldig"), ("1-1-1980", "ongeldig"), (True, "ongeldig"),
    (dt.time(10, 0), "ongeldig"), ("morgen", "ongeldig"), ("x" * 10_000, "ongeldig"), (2021, "ongeldig"),
])
def test_end_other_states(value, state):
    row = v.parse_end(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == state
    assert pd.isna(row["end_date"]) and pd.isna(row["expected_end"])


def test_end_frame_types():
    frame = v.parse_end(pd.Series(["1-3-2021", "verwacht maart 2022", "loopt"], index=[3, 1, 2], dtype=object))
    assert frame.index.tolist() == [3, 1, 2]
    assert frame.columns.tolist() == ["end_date", "expected_end", "precision", "state"]
    assert str(frame["end_date"].dtype).startswith("datetime64")
    assert str(frame["expected_end"].dtype).startswith("datetime64")
    assert frame["state"].tolist() == ["einde", "verwacht", "loopt"]


# --- parse_yes_no ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "x", "X", " x ", "ja", "Ja", "JA", "ja.", "j", "yes", "y", 1, 1.0, "1", "1.0", True, np.True_, "✓", "✔", "☑",
    "v", "V", "wel", "+", "ja, via school", "Ja, via school", "ja via school", "x (school)", "x - school",
    "ja: 2x per week",
])
def test_yes(value):
    frame = v.parse_yes_no(pd.Series([value], dtype=object))
    assert frame["value"].tolist() == [True] and frame["state"].tolist() == ["waarde"]


@pytest.mark.parametrize("value", [
    "nee", "Nee", "n", "no", 0, 0.0, "0", False, np.False_, "-", "–", "geen", "Geen", "niet", "nee, want verhuisd",
])
def test_no(value):
    frame = v.parse_yes_no(pd.Series([value], dtype=object))
    assert frame["value"].tolist() == [False] and frame["state"].tolist() == ["waarde"]


@pytest.mark.parametrize("value,state", [
    (None, "leeg"), ("", "leeg"), (float("nan"), "leeg"), (pd.NA, "leeg"),
    ("nvt", "nvt"), ("n.v.t.", "nvt"), ("onbekend", "onbekend"), ("?", "onbekend"),
    ("misschien", "ongeldig"), ("ja/nee", "ongeldig"), ("ja - nee", "ongeldig"), ("x school", "ongeldig"),
    ("no show", "ongeldig"), (2, "ongeldig"), (-1, "ongeldig"), (0.5, "ongeldig"), (dt.date(2020, 1, 1), "ongeldig"),
    ("jazeker", "ongeldig"), ("x" * 10_000, "ongeldig"), ("xx yy", "ongeldig"),
])
def test_yes_no_without_a_value(value, state):
    row = v.parse_yes_no(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == state and pd.isna(row["value"])


def test_yes_no_frame_types():
    frame = v.parse_yes_no(pd.Series(["x", None, "nee"], index=[7, 8, 9], dtype=object))
    assert frame["value"].dtype == "boolean" and frame.index.tolist() == [7, 8, 9]
    assert frame["value"].tolist() == [True, pd.NA, False]
    assert frame["state"].tolist() == ["waarde", "leeg", "waarde"]


def test_yes_no_tick_and_number_in_one_column():
    frame = v.parse_yes_no(s(True, 1, False, 0, 2))
    assert frame["value"].tolist() == [True, True, False, False, pd.NA]


# --- parse_severity --------------------------------------------------------------------------

@pytest.mark.parametrize("value,level", [
    ("geen", 0), ("Geen", 0), ("niet", 0), ("licht", 1), ("Licht", 1), ("lichte", 1), ("gering", 1),
    ("middel", 2), ("matig", 2), ("gemiddeld", 2), ("zwaar", 3), ("Zwaar", 3), ("ernstig", 3), ("zware", 3),
    (0, 0), (1, 1), (2, 2), (3, 3), (2.0, 2), ("0", 0), ("3", 3), ("2.0", 2), ("2,0", 2),
    ("1 - licht", 1), ("1. licht", 1), ("1 (licht)", 1), ("licht (1)", 1), ("3 (zwaar)", 3), ("zwaar - 3", 3),
    ("licht.", 1),
])
def test_severity(value, level):
    row = v.parse_severity(pd.Series([value], dtype=object)).iloc[0]
    assert row["value"] == level and row["state"] == "waarde"


@pytest.mark.parametrize("value,state", [
    (None, "leeg"), ("", "leeg"), ("onbekend", "onbekend"), ("?", "onbekend"), ("n.v.t.", "nvt"), ("nvt", "nvt"),
    (4, "ongeldig"), (-1, "ongeldig"), (1.5, "ongeldig"), ("4", "ongeldig"), ("-1", "ongeldig"), ("1.5", "ongeldig"),
    ("1 - zwaar", "ongeldig"), ("heel zwaar", "ongeldig"), ("licht tot matig", "ongeldig"), (True, "ongeldig"),
    (dt.date(2020, 1, 1), "ongeldig"), ("x" * 10_000, "ongeldig"), ("-", "ongeldig"),
])
def test_severity_states(value, state):
    row = v.parse_severity(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == state and pd.isna(row["value"])


# --- parse_decimal ---------------------------------------------------------------------------

@pytest.mark.parametrize("value,number", [
    ("1,5", 1.5), ("1.5", 1.5), ("1.234,5", 1234.5), ("1.234.567", 1234567.0), ("1.234.567,89", 1234567.89),
    ("1 234", 1234.0), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("12", 12.0), ("0", 0.0), ("-3,5", -3.5),
    ("+2", 2.0), (",5", 0.5), ("0.125", 0.125), ("1,234", 1.234), ("1,234.5", 1234.5), ("€ 1.234,56", 1234.56),
    ("€1234", 1234.0), (" 7 ", 7.0), (1.5, 1.5), (3, 3.0), (np.float64(2.5), 2.5), (-4, -4.0),
])
def test_decimal(value, number):
    row = v.parse_decimal(pd.Series([value], dtype=object)).iloc[0]
    assert row["value"] == pytest.approx(number) and row["state"] == "waarde"


@pytest.mark.parametrize("value,state", [
    (None, "leeg"), ("", "leeg"), (pd.NA, "leeg"), ("n.v.t.", "nvt"), ("onbekend", "onbekend"), ("?", "onbekend"),
    ("1.234", "ongeldig"),  # 1234 or 1.234: ambiguous, so the validator asks
    ("abc", "ongeldig"), ("-", "ongeldig"), ("1,", "ongeldig"), ("1,2,3", "ongeldig"), ("12%", "ongeldig"),
    ("1e5", "ongeldig"), ("1.23.4", "ongeldig"), (True, "ongeldig"), (float("inf"), "ongeldig"),
    (dt.date(2020, 1, 1), "ongeldig"), ("1" * 10_000, "ongeldig"),
])
def test_decimal_states(value, state):
    row = v.parse_decimal(pd.Series([value], dtype=object)).iloc[0]
    assert row["state"] == state and pd.isna(row["value"])


# --- all detailed parsers --------------------------------------------------------------------

ODD_CELLS = [None, float("nan"), pd.NA, pd.NaT, True, False, np.True_, 0, -1, 1e308, float("-inf"), "", " ",
             "x" * 100_000, "(" * 5000, "1-" * 5000, "🙂", "\x00", dt.date(2020, 1, 1), dt.time(1, 2),
             dt.timedelta(days=-1), pd.Timestamp("2020-01-01", tz="UTC"), np.datetime64("NaT"), [1], {"a": 1},
             object(), b"bytes", 1 + 2j, decimal.Decimal("1.5")]


@pytest.mark.parametrize("parse", [
    v.cell_state, v.parse_duration, lambda c: v.parse_duration(c, bare_unit="minuut"), v.parse_date_detail,
    v.parse_end, v.parse_yes_no, v.parse_severity, v.parse_decimal,
])
def test_detailed_parsers_never_raise_and_keep_the_index(parse):
    cells = pd.Series(ODD_CELLS, index=range(100, 100 + len(ODD_CELLS)), dtype=object)
    out = parse(cells)
    assert out.index.equals(cells.index)
    states = out if isinstance(out, pd.Series) else out["state"]
    assert states.notna().all()
    assert states.iloc[:4].eq("leeg").all()
