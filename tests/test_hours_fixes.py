"""Fixes of the Inzet (hours) figures, each against a hand-computed fixture that the old code got wrong:

1. a family with one unusable trajectory kept out of the total hours;
2. first/latest measurement ordered by row instead of by moment;
3. the partial last month of a contact log divided by all its days;
4. the first/latest figures ignoring the peildatum;
5. the Inzet page saying "geen rijen weggelaten" where rows were left out, and the intensity curve's small n.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from components import charts
from gezinsmonitor import formatting, metrics
from gezinsmonitor import investment as inv
from tests import apptest as ui
from tests.fixtures import PEILDATUM
from tests.helpers import trajectories_frame

D = dt.date
T = pd.Timestamp
PEIL = D(2024, 1, 29)
nan = np.nan
PAGE = "pages/inzet.py"


_traj = trajectories_frame  # family, organisation, start, end, status


def _hours(rows) -> pd.DataFrame:
    """family, support type, moment, date, hours per week, minutes (organisation X, nothing n.v.t.)."""
    frame = pd.DataFrame(rows, columns=["family", "support_type", "moment", "measured_on", "hours_per_week",
                                        "minutes"])
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["hours_per_week"] = frame["hours_per_week"].astype(float)
    frame["minutes"] = frame["minutes"].astype(float)
    frame["organisation"] = "X"
    frame["not_applicable"] = False
    frame["id"] = range(len(frame))
    return frame


# -- 1. a family's span from its usable trajectories ---------------------------------------------
def _two_trajectories():
    trajectories = _traj([
        ("H", "X", "2024-01-01", "2024-01-15", "afgerond"),
        ("H", "X", None, None, "lopend"),  # no start date: unusable, but H's other trajectory is fine
        ("K", "X", "2024-01-01", None, "lopend"),
        ("K", "X", "2024-03-01", None, "lopend"),  # starts after the peildatum 29-01
        ("L", "X", None, None, "lopend"),  # nothing usable
    ])
    hours = _hours([
        ("H", "Regelzaken", None, "2024-01-01", 2, nan),
        ("H", "Regelzaken", None, "2024-01-15", 2, nan),
        ("K", "Regelzaken", None, "2024-01-01", 1, nan),
        ("L", "Regelzaken", None, "2024-01-01", 1, nan),
    ])
    return hours, trajectories


def test_family_span_from_the_usable_trajectories():
    _, trajectories = _two_trajectories()
    spans = inv.family_spans(trajectories, PEIL)
    # H: only 01-01 → 15-01 counts, and it was afgerond (the old code dropped H: "geen startdatum").
    assert spans.loc["H", ["start", "until", "status"]].tolist() == [T("2024-01-01"), T("2024-01-15"), "afgerond"]
    assert spans.loc["H", "excluded"] is None and spans.loc["H", "left_out"] == ["geen startdatum"]
    # K: the trajectory from 01-01 runs to the peildatum; the one from 01-03 had not begun.
    assert spans.loc["K", ["start", "until", "status"]].tolist() == [T("2024-01-01"), T("2024-01-29"), "lopend"]
    assert spans.loc["K", "excluded"] is None and spans.loc["K", "left_out"] == ["start na de peildatum"]
    assert spans.loc["L", "excluded"] == "geen startdatum" and pd.isna(spans.loc["L", "until"])


def test_family_total_hours_keeps_a_family_with_one_unusable_trajectory():
    hours, trajectories = _two_trajectories()
    totals = inv.family_total_hours(hours, trajectories, PEIL).set_index("family")
    # H: 2 h/week for 14 days = 4 h (afgerond). K: 1 h/week from 01-01 to the peildatum 29-01 (28 days) = 4 h.
    assert list(totals.index) == ["H", "K"]
    assert totals.loc["H", ["total_hours", "status"]].tolist() == [pytest.approx(4.0), "afgerond"]
    assert totals.loc["K", ["total_hours", "status"]].tolist() == [pytest.approx(4.0), "lopend"]
    assert totals.attrs["excluded"] == {
        "gezinnen met uren: geen startdatum": 1,  # L
        "trajecten (geen startdatum) van gezinnen die met hun andere trajecten meetellen": 1,  # H's second
        "trajecten (start na de peildatum) van gezinnen die met hun andere trajecten meetellen": 1,  # K's second
    }


# -- 2. first and latest by moment, then date, then row -------------------------------------------
def test_chronological_order_moments_dates_and_rows():
    frame = pd.DataFrame({
        "id": [0, 1, 2, 3, 4, 5, 6],
        "moment": ["later", None, "T1", "start", "M1", "T0", None],
        "measured_on": [pd.NaT, T("2024-02-01"), pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.NaT],
    })
    # start < T0 < M1 < T1; then rows without a moment (undated before dated); later last.
    assert metrics.chronological(frame)["id"].tolist() == [3, 5, 4, 2, 6, 1, 0]
    dated = pd.DataFrame({"id": [0, 1, 2], "moment": [None, "2024-01-05", None],
                          "measured_on": [T("2024-03-01"), T("2024-01-05"), T("2024-02-01")]})
    assert metrics.chronological(dated)["id"].tolist() == [1, 2, 0]  # date order, not row order


def _ordering_hours():
    return _hours([
        # a: the sheet lists 'later' before 'start' (undated): start 4, latest 1 (old: start 1, latest 4).
        ("a", "Regelzaken", "later", None, 1, nan),
        ("a", "Regelzaken", "start", None, 4, nan),
        # b: T2, T0, T1 in that row order: start 5 (T0), latest 1 (T2) (old: 1 and 3).
        ("b", "Regelzaken", "T2", None, 1, nan),
        ("b", "Regelzaken", "T0", None, 5, nan),
        ("b", "Regelzaken", "T1", None, 3, nan),
        # c: dated rows without a moment keep their date order: start 6 (January), latest 2 (March).
        ("c", "Regelzaken", None, "2024-03-01", 2, nan),
        ("c", "Regelzaken", None, "2024-01-01", 6, nan),
        # d: a dated row without a moment lies between start and later: start 5, latest 1 (old: 1 and 3).
        ("d", "Regelzaken", None, "2024-02-01", 3, nan),
        ("d", "Regelzaken", "later", None, 1, nan),
        ("d", "Regelzaken", "start", None, 5, nan),
        # e: a sheet with dates as moments (as the store keeps them): start 6, latest 2.
        ("e", "Regelzaken", "2024-03-01", "2024-03-01", 2, nan),
        ("e", "Regelzaken", "2024-01-01", "2024-01-01", 6, nan),
    ])


def test_family_weekly_investment_first_and_latest_by_moment():
    weekly = inv.family_weekly_investment(_ordering_hours()).set_index(["family", "moment"])["professional"]
    got = {f: (weekly[(f, "start")], weekly[(f, "latest")]) for f in "abcde"}
    assert got == {"a": (4, 1), "b": (5, 1), "c": (6, 2), "d": (5, 1), "e": (6, 2)}


def test_hours_first_latest_by_moment():
    table = metrics.hours_first_latest(_ordering_hours()).set_index(["support_type", "moment"])
    # start: 4, 5, 6, 5, 6 → 26/5; latest: 1, 1, 2, 1, 2 → 7/5 (old: start 1, 1, 6, 1, 6 = 3; latest 4, 3, 2, 3, 2).
    assert table.loc[("Regelzaken", "start"), "mean_hours_per_week"] == pytest.approx(26 / 5)
    assert table.loc[("Regelzaken", "latest"), "mean_hours_per_week"] == pytest.approx(7 / 5)


def test_latest_scores_by_moment():
    ms = pd.DataFrame({
        "id": [0, 1, 2, 3], "family": ["a", "a", "b", "b"], "instrument": "voortgangsscore",
        "leefgebied": "Wonen", "moment": ["later", "start", None, None],
        "measured_on": [pd.NaT, pd.NaT, T("2024-05-01"), T("2024-01-01")],
        "value": [4.0, 2.0, 3.0, 5.0], "not_applicable": False,
    })
    latest = metrics.latest_scores(ms).set_index("family")["value"]
    assert latest.to_dict() == {"a": 4.0, "b": 3.0}  # a: 'later' (old: 'start', the last row); b: May
    assert metrics.progress_summary(ms).set_index("leefgebied").loc["Wonen", "mean"] == pytest.approx(3.5)


# -- 3. a partial month counts its days inside the trajectory ---------------------------------------
def _contact_frames():
    """p: from 01-01-2024, running; q: 15-01 → 10-03-2024 (afgerond); r: from 01-01-2024, running, one contact;
    w: weekly hours, running; z: starts 01-05-2024 with undated start/later weekly hours."""
    trajectories = _traj([
        ("p", "X", "2024-01-01", None, "lopend"),
        ("q", "X", "2024-01-15", "2024-03-10", "afgerond"),
        ("r", "X", "2024-01-01", None, "lopend"),
        ("w", "X", "2024-01-01", None, "lopend"),
        ("z", "X", "2024-05-01", None, "lopend"),
    ])
    hours = _hours([
        ("p", "Regelzaken", "contact", "2024-01-10", nan, 60),
        ("p", "Regelzaken", "contact", "2024-02-05", nan, 60),
        ("p", "Regelzaken", "contact", "2024-03-05", nan, 120),  # after the peildatum 14-02 of the tests below
        ("q", "Gesprekken met gezin", "contact", "2024-01-20", nan, 30),
        ("q", "Gesprekken met gezin", "contact", "2024-03-01", nan, 90),
        ("r", "Praktische steun", "contact", "2024-01-05", nan, 30),
        ("w", "Regelzaken", None, "2024-01-05", 3, nan),
        ("w", "Regelzaken", None, "2024-03-01", 1, nan),
        ("z", "Regelzaken", "start", None, 6, nan),
        ("z", "Regelzaken", "later", None, 2, nan),
    ])
    return hours, trajectories


def _per_week(minutes, days):
    return minutes / 60 / (days / 7)


def test_partial_last_month_divided_by_its_days_in_the_trajectory():
    hours, trajectories = _contact_frames()
    monthly = metrics.contact_hours_by_month(hours, trajectories, peildatum=D(2024, 2, 14))
    got = {(r.family, r.month): (r.days, r.minutes) for r in monthly.itertuples()}
    # p: month 1 = February, running at the peildatum 14-02: 1–14 Feb = 14 days (old: 29). q ends later: its
    # month 0 (15-01 → 14-02) is whole. r: one contact in January, running: January whole.
    assert got == {("p", 0): (31, 60), ("p", 1): (14, 60), ("q", 0): (31, 30), ("r", 0): (31, 30)}
    p = monthly[monthly["family"] == "p"].set_index("month")["hours_per_week"]
    assert p[1] == pytest.approx(0.5)  # 1 h in 2 weeks (old: 7/29 = 0,24)

    ended = metrics.contact_hours_by_month(hours[hours["family"] == "q"], trajectories)
    # q: month 1 = 15-02 → 14-03 (29 days) ends with the trajectory on 10-03: 25 days; 90 min → 10,5/25 h/week.
    assert ended.set_index("month")["days"].to_dict() == {0: 31, 1: 25}
    assert ended.set_index("month").loc[1, "hours_per_week"] == pytest.approx(10.5 / 25)

    later = metrics.contact_hours_by_month(hours[hours["family"] == "p"], trajectories, peildatum=D(2024, 2, 29))
    # Peildatum 29-02: p's months stop at its last contact then (5 Feb), but February was fully over: 29 days.
    assert later.set_index("month")["days"].to_dict() == {0: 31, 1: 29}


def test_intensity_curve_uses_the_days_in_the_trajectory():
    hours, trajectories = _contact_frames()
    curve = metrics.intensity_curve(hours, trajectories, by=None, peildatum=D(2024, 2, 14))
    # Month 0: p 60 min, q 30 min, r 30 min, each in 31 days → (7 + 3,5 + 3,5) / 31 / 3; month 1: p alone, 0,5.
    assert curve["n"].tolist() == [3, 1]
    assert curve["mean_hours_per_week"].tolist() == pytest.approx([14 / 31 / 3, 0.5])


# -- 4. the first/latest figures as they stood at the peildatum --------------------------------------
def test_hours_first_latest_at_the_peildatum():
    hours, trajectories = _contact_frames()
    table = metrics.hours_first_latest(hours, trajectories, peildatum=D(2024, 2, 14))
    t = table.set_index(["support_type", "moment"])
    # Regelzaken: w's weekly hours 3 (its 01-03 measurement is after the peildatum, so 3 is also its latest);
    # z had not begun (its undated start/later do not count); p's contact log: month 0 7/31, latest = month 1
    # (1–14 Feb) 0,5 — its March contact is after the peildatum.
    assert t.loc[("Regelzaken", "start"), ["n", "n_contactlog"]].tolist() == [2, 1]
    assert t.loc[("Regelzaken", "start"), "mean_hours_per_week"] == pytest.approx((3 + 7 / 31) / 2)
    assert t.loc[("Regelzaken", "latest"), "mean_hours_per_week"] == pytest.approx((3 + 0.5) / 2)
    # q's last month with a contact at the peildatum is month 0: 30 min in 31 days, both times.
    assert t.loc[("Gesprekken met gezin", "latest"), "mean_hours_per_week"] == pytest.approx(_per_week(30, 31))
    assert table.attrs["excluded"] == {
        "metingen met een datum na de peildatum": 1,  # w's 01-03
        "metingen van gezinnen waarvan het traject pas na de peildatum begon": 2,  # z
        "contacten buiten het traject of na de peildatum": 2,  # p's 05-03, q's 01-03
    }
    assert table.attrs["excluded_by_kind"]["inzet"] == table.attrs["excluded"]
    # Without a peildatum everything counts (the old behaviour of the page): Regelzaken latest w 1, z 2, and
    # p's March (month 2: 120 min in 31 days).
    everything = metrics.hours_first_latest(hours, trajectories).set_index(["support_type", "moment"])
    assert everything.loc[("Regelzaken", "latest"), "mean_hours_per_week"] == pytest.approx(
        (1 + 2 + _per_week(120, 31)) / 3)


def test_hours_per_organisation_at_the_same_peildatum():
    hours, trajectories = _contact_frames()
    weekly = inv.family_weekly_investment(hours, trajectories, D(2024, 2, 14))
    latest = weekly[weekly["moment"] == "latest"].set_index("family")["professional"]
    assert latest.to_dict() == pytest.approx({"p": 0.5, "q": _per_week(30, 31), "r": _per_week(30, 31), "w": 3})
    assert weekly.attrs["excluded"] == {
        "metingen met een datum na de peildatum": 1,
        "metingen van gezinnen waarvan het traject pas na de peildatum begon": 2,
        "contacten buiten het traject of na de peildatum": 2,
    }


def test_total_hours_ignore_measurements_after_the_peildatum():
    trajectories = _traj([("v", "X", "2024-01-01", None, "lopend")])
    hours = _hours([("v", "Regelzaken", None, "2024-01-01", 4, nan),
                    ("v", "Regelzaken", None, "2024-02-28", 0, nan)])
    totals = inv.family_total_hours(hours, trajectories, PEIL)
    # 4 h/week from 01-01 to the peildatum 29-01 (4 weeks) = 16 h. The old code interpolated towards the 0 of
    # 28-02: (4 + 2,07)/2 · 4 = 12,1 h.
    assert totals["total_hours"].tolist() == pytest.approx([16.0])
    assert totals.attrs["excluded"] == {"metingen met een datum na de peildatum": 1}


# -- 5. the intensity curve's small n ----------------------------------------------------------------
def _curve() -> pd.DataFrame:
    return pd.DataFrame({"organisation": ["X"] * 4 + ["Y"] * 2, "month": [0, 1, 2, 3, 0, 1],
                         "mean_hours_per_week": [3.0, 2.0, 1.5, 1.0, 2.0, 1.0], "n": [3, 3, 2, 1, 1, 1],
                         "contacts": [9, 6, 4, 2, 3, 1]})


def test_intensity_small_n_names_the_first_small_month():
    small = metrics.intensity_small_n(_curve(), min_n=2)
    assert small.values.tolist() == [["X", 3, 1], ["Y", 0, 1]]
    assert metrics.intensity_small_n(_curve(), min_n=1).empty


def test_intensity_lines_faint_and_dashed_below_min_n():
    spec = charts.intensity_lines(_curve(), min_n=2).to_dict()
    lines, points = spec["layer"]
    rows = spec["datasets"][spec["data"]["name"]] if "data" in spec else spec["datasets"][lines["data"]["name"]]
    # X's month 3 (n 1) is small; X's month 2 is repeated in the small segment so the dashed part joins on.
    small = sorted((r["organisation"], r["month"], r["segment"], r["bridge"]) for r in rows if r["segment"] == "klein")
    assert small == [("X", 2, "klein", True), ("X", 3, "klein", False), ("Y", 0, "klein", False),
                     ("Y", 1, "klein", False)]
    assert next(r for r in rows if (r["organisation"], r["month"]) == ("X", 3))["small_label"].startswith("n < 2")
    assert lines["encoding"]["strokeDash"]["field"] == "segment"
    assert lines["encoding"]["opacity"]["field"] == "segment"
    assert points["transform"][0]["filter"] == "!datum.bridge"  # the bridge is not a month of its own
    assert points["encoding"]["opacity"]["field"] == "small"
    assert "small_label" in {t["field"] for t in lines["encoding"]["tooltip"]}


# -- 5. the page says what it left out ------------------------------------------------------------------
def _expanders(at) -> str:
    return "\n".join(m.value for e in at.expander for m in e.markdown)


def test_page_states_nvt_and_measurements_after_the_peildatum(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    # Fixture: A3's Regelzaken and A1's buddy were n.v.t. at the first measurement (2 family × support type):
    # said under the key figures, the investment bars and the table (the old page: "geen rijen weggelaten").
    assert _expanders(at).count("n.v.t. bij de eerste meting (gezin × soort steun; telt niet mee in n): 2") == 3

    at.date_input(key=ui.PEILDATUM_KEY).set_value(D(2020, 6, 30)).run()
    ui.assert_ok(at)
    # At 30-06-2020: A1's measurements of 01-07-2020 and A3's of 2021 had not happened. Regelzaken latest:
    # A1 4 (its only measurement by then), A2 0 → 2,0 (the old page: A1 1, A2 0, A3 2 → 1,0).
    assert ui.metrics(at)["Totaal professioneel, laatste meting"] == "2,0 uur/week"
    assert "metingen met een datum na de peildatum: 4" in _expanders(at)
    ui.assert_browser_json(at)


def test_page_intensity_curve_small_n_and_left_out(monkeypatch, samples_db, samples):
    peildatum = D(2025, 6, 30)
    at = ui.start(monkeypatch, samples_db, PAGE, peildatum)
    curve = metrics.intensity_curve(samples.hours, samples.trajectories, peildatum=peildatum)
    spec = ui.chart_spec(at, "Intensiteit: gemiddelde uren per week per trajectmaand")
    assert spec["layer"][0]["encoding"]["strokeDash"]["field"] == "segment"
    small = metrics.intensity_small_n(curve, 20)
    assert len(small) > 0  # the contact-log organisation drops below 20 families in later months
    for r in small.itertuples():
        assert any(f"{r.organisation} vanaf trajectmaand {r.month} (n = {r.n})" in w.value for w in at.warning)
    outside = curve.attrs["buiten_traject"]
    assert outside > 0  # contacts after 30-06-2025
    assert f"contacten buiten het traject of na de peildatum: {formatting.count(outside)}" in _expanders(at)
    assert not any(c.value.startswith("**Telt niet mee**") for c in at.caption)  # now in "Hoe berekend?"
