"""Inzet per family (gezinsmonitor.investment) and its chart builders, against hand-computed fixtures."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from components import charts
from gezinsmonitor import investment as inv
from tests.helpers import trajectories_frame

D = dt.date
T = pd.Timestamp
PEIL = D(2024, 1, 29)


_traj = trajectories_frame  # family, organisation, start, end, status


def _hours(rows) -> pd.DataFrame:
    """family, organisation, support type, moment, date, hours per week, minutes, n.v.t."""
    frame = pd.DataFrame(rows, columns=["family", "organisation", "support_type", "moment", "measured_on",
                                        "hours_per_week", "minutes", "not_applicable"])
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["hours_per_week"] = frame["hours_per_week"].astype(float)
    frame["minutes"] = frame["minutes"].astype(float)
    frame["id"] = range(len(frame))
    return frame


@pytest.fixture
def data():
    trajectories = _traj([
        ("F1", "X", "2024-01-01", "2024-01-29", "afgerond"),  # 28 days = 4 weeks
        ("F2", "X", "2024-01-01", None, "lopend"),  # to the peildatum 29-01: 28 days
        ("F3", "Y", "2024-01-01", None, "lopend"),  # contact log
        ("F4", "Y", "2024-01-01", None, "lopend"),  # only n.v.t.
        ("F5", "Y", "2024-02-10", None, "lopend"),  # starts after the peildatum
        ("F6", "Y", "2024-01-01", None, "lopend"),  # an undated T1 only
        ("F7", "Y", "2024-01-01", None, "lopend"),  # no hours at all
    ])
    nan = np.nan
    hours = _hours([
        # F1: Regelzaken 4 → 2 after 14 days: (4+2)/2·14/7 = 6, then 2·14/7 = 4 → 10 h (professional).
        ("F1", "X", "Regelzaken", None, "2024-01-01", 4, nan, False),
        ("F1", "X", "Regelzaken", None, "2024-01-15", 2, nan, False),
        # Maatje n.v.t. (= 0) at the start, 3 at day 28: (0+3)/2·28/7 = 6 h (volunteer).
        ("F1", "X", "Ondersteuning door maatje", None, "2024-01-01", nan, nan, True),
        ("F1", "X", "Ondersteuning door maatje", None, "2024-01-29", 3, nan, False),
        # Participation is never investment: 8 h/week of volunteer work by the parent counts nowhere.
        ("F1", "X", "Vrijwilligerswerk ouder", None, "2024-01-01", 8, nan, False),
        ("F1", "X", "Vrijwilligerswerk ouder", None, "2024-01-29", 8, nan, False),
        # F2 undated: 'start' at the start date, 'later' at the peildatum: (3+1)/2·28/7 = 8 h.
        ("F2", "X", "Gesprekken met gezin", "start", None, 3, nan, False),
        ("F2", "X", "Gesprekken met gezin", "later", None, 1, nan, False),
        # F3 contact log: 60 min talks + 90 min buddy inside, 30 min before the start (left out).
        ("F3", "Y", "Gesprekken met gezin", "contact", "2024-01-02", nan, 60, False),
        ("F3", "Y", "Ondersteuning door maatje", "contact", "2024-01-10", nan, 90, False),
        ("F3", "Y", "Gesprekken met gezin", "contact", "2023-12-20", nan, 30, False),
        ("F4", "Y", "Regelzaken", None, "2024-01-01", nan, nan, True),
        ("F4", "Y", "Regelzaken", None, "2024-01-20", nan, nan, True),
        ("F5", "Y", "Regelzaken", None, "2024-02-10", 2, nan, False),
        ("F6", "Y", "Regelzaken", "T1", None, 2, nan, False),
    ])
    families = pd.DataFrame({"family": [f"F{i}" for i in range(1, 8)],
                             "organisation": ["X", "X", "Y", "Y", "Y", "Y", "Y"]})
    return hours, trajectories, families


def test_integrate_weekly_linear_between_and_constant_outside():
    # (0, 4) → (7, 2) over 14 days: (4+2)/2·7/7 = 3, then 2·7/7 = 2 → 5 hours.
    assert inv.integrate_weekly([0, 7], [4, 2], 14) == pytest.approx(5.0)
    # One point on day 7 is constant over the whole period: 2 h/week × 2 weeks.
    assert inv.integrate_weekly([7], [2], 14) == pytest.approx(4.0)
    # Two values on one day are averaged: 3 h/week for one week; points after the end do not add.
    assert inv.integrate_weekly([0, 0, 30], [2, 4, 3], 7) == pytest.approx(3.0)
    assert inv.integrate_weekly([0], [5], 0) == 0.0


def test_integrate_weekly_point_after_the_end_is_interpolated():
    # (0, 0) → (28, 4) evaluated over [0, 14]: linear to 2 at day 14 → (0+2)/2·14/7 = 2 hours.
    assert inv.integrate_weekly([0, 28], [0, 4], 14) == pytest.approx(2.0)


def test_family_spans_at_the_peildatum():
    t = _traj([
        ("A", "X", "2024-01-01", "2024-01-20", "afgerond"),
        ("B", "X", "2024-01-01", "2024-03-01", "afgerond"),  # ended after the peildatum: still running then
        ("C", "X", "2024-02-01", None, "lopend"),
        ("E", "X", None, None, "lopend"),
        ("G", "X", "2024-01-01", None, "afgerond"),
    ])
    spans = inv.family_spans(t, PEIL)
    assert spans.loc["A", ["until", "status"]].tolist() == [T("2024-01-20"), "afgerond"]
    assert spans.loc["B", ["until", "status"]].tolist() == [T("2024-01-29"), "lopend"]
    assert spans.loc["C", "excluded"] == "start na de peildatum"
    assert spans.loc["E", "excluded"] == "geen startdatum"
    assert spans.loc["G", "excluded"] == "afgerond zonder einddatum"
    assert spans.loc["A", "excluded"] is None


def test_family_total_hours(data):
    hours, trajectories, families = data
    totals = inv.family_total_hours(hours, trajectories, PEIL, families=families).set_index("family")
    assert list(totals.index) == ["F1", "F2", "F3"]
    f1 = totals.loc["F1"]
    assert (f1["professional_hours"], f1["volunteer_hours"], f1["total_hours"]) == pytest.approx((10, 6, 16))
    assert f1["weeks"] == pytest.approx(4) and f1["hours_per_week"] == pytest.approx(4)
    assert f1["status"] == "afgerond" and f1["source"] == inv.SOURCE_WEEKLY
    assert totals.loc["F2", "total_hours"] == pytest.approx(8) and totals.loc["F2", "status"] == "lopend"
    # F3: 60 min talks = 1 h professional, 90 min buddy = 1,5 h volunteer; the contact before the start is out.
    f3 = totals.loc["F3"]
    assert (f3["professional_hours"], f3["volunteer_hours"], f3["total_hours"]) == pytest.approx((1, 1.5, 2.5))
    assert f3["source"] == inv.SOURCE_CONTACT
    assert totals.attrs["n_families"] == 3
    assert totals.attrs["excluded"] == {
        "gezinnen met uren: start na de peildatum": 1,  # F5
        "gezinnen met alleen n.v.t. voor inzet": 1,  # F4
        "gezinnen met alleen metingen zonder datum": 1,  # F6
        "metingen zonder datum en zonder moment start/later": 1,  # F6's T1
        "contacten buiten het traject": 1,  # F3's contact in December
    }
    assert totals.attrs["without_hours"] == 1  # F7


def test_total_hours_summary(data):
    hours, trajectories, families = data
    summary = inv.total_hours_summary(inv.family_total_hours(hours, trajectories, PEIL)).set_index("organisation")
    # X: 16 and 8 → median = mean = 12, quartiles (linear) 10 and 14; one afgerond.
    x = summary.loc["X"]
    assert (x["n"], x["n_afgerond"]) == (2, 1)
    assert (x["median"], x["mean"], x["q1"], x["q3"], x["min"], x["max"]) == pytest.approx((12, 12, 10, 14, 8, 16))
    assert (x["mean_professional"], x["mean_volunteer"]) == pytest.approx((9, 3))
    # Totaal pools the families: 16, 8, 2,5 → median 8.
    total = summary.loc[inv.ALL_ORGANISATIONS]
    assert total["n"] == 3 and total["median"] == pytest.approx(8)
    assert list(summary.index) == ["X", "Y", inv.ALL_ORGANISATIONS]


def test_family_weekly_investment_and_by_organisation(data):
    hours, trajectories, _ = data
    weekly = inv.family_weekly_investment(hours, trajectories, PEIL).set_index(["family", "moment"])
    # F1 start: Regelzaken 4, maatje n.v.t. → professional 4, volunteer NaN (nothing applied), total 4.
    assert weekly.loc[("F1", "start"), "professional"] == 4
    assert np.isnan(weekly.loc[("F1", "start"), "volunteer"]) and weekly.loc[("F1", "start"), "total"] == 4
    # F1 latest: Regelzaken 2 + maatje 3 = 5; participation (8) is not in it.
    assert weekly.loc[("F1", "latest"), ["professional", "volunteer", "total"]].tolist() == [2, 3, 5]
    assert weekly.loc[("F2", "start"), "total"] == 3 and weekly.loc[("F2", "latest"), "total"] == 1
    # F3 contact log, month 0 = January, running: its days up to the peildatum 29-01 = 29 days:
    # 1 h / (29/7) weeks = 7/29; 1,5 h → 10,5/29.
    f3 = weekly.loc[("F3", "start")]
    assert (f3["professional"], f3["volunteer"]) == pytest.approx((7 / 29, 10.5 / 29))
    assert f3["source"] == inv.SOURCE_CONTACT
    # F4 only n.v.t.: all three measures NaN.
    assert weekly.loc[("F4", "start"), ["professional", "volunteer", "total"]].isna().all()

    by_org = inv.hours_by_organisation(weekly.reset_index(), organisations=["X", "Y", "Z"])
    by = by_org.set_index(["organisation", "moment"])
    # X start: 4 and 3 → 3,5 (n 2); latest: total 5 and 1 → 3, volunteer 3 (n 1).
    assert (by.loc[("X", "start"), "n_total"], by.loc[("X", "start"), "mean_total"]) == (2, 3.5)
    assert by.loc[("X", "start"), "n_volunteer"] == 0
    assert (by.loc[("X", "latest"), "n_volunteer"], by.loc[("X", "latest"), "mean_volunteer"]) == (1, 3)
    assert (by.loc[("X", "latest"), "mean_professional"]) == pytest.approx(1.5)
    # Y start: F3 (17,5/29), F4 (NaN, not in n), F6 (2, undated T1) → n 2; F5's only measurement (10-02) lies
    # after the peildatum 29-01 (its trajectory had not begun): it does not count.
    assert by.loc[("Y", "start"), "n_total"] == 2
    assert by.loc[("Y", "start"), "mean_total"] == pytest.approx((17.5 / 29 + 2) / 2)
    assert by.loc[("Z", "start"), "n_total"] == 0 and np.isnan(by.loc[("Z", "start"), "mean_total"])
    assert by.loc[(inv.ALL_ORGANISATIONS, "start"), "n_total"] == 4


def test_empty_inputs():
    empty_h = _hours([])
    empty_t = _traj([])
    assert inv.family_total_hours(empty_h, empty_t, PEIL).empty
    weekly = inv.family_weekly_investment(empty_h, empty_t, PEIL)
    assert weekly.empty
    by_org = inv.hours_by_organisation(weekly)
    assert list(by_org["organisation"]) == [inv.ALL_ORGANISATIONS] * 2 and (by_org["n_total"] == 0).all()


# -- charts -------------------------------------------------------------------------------------
def test_total_hours_chart_spec(data):
    hours, trajectories, _ = data
    totals = inv.family_total_hours(hours, trajectories, PEIL)
    summary = inv.total_hours_summary(totals)
    spec = charts.total_hours_chart(totals, summary, min_n=2).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    boxes, histogram = spec["vconcat"]
    # The box chart carries the point selection on organisation; the histogram filters on it (cross-filter).
    params = spec.get("params") or [p for layer in boxes["layer"] for p in layer.get("params", [])]
    assert params[0]["name"] == "org_pick" and params[0]["select"]["fields"] == ["organisation"]
    assert histogram["transform"][0]["filter"]["param"] == "org_pick"
    assert histogram["encoding"]["x"]["bin"] and histogram["encoding"]["color"]["field"] == "status"
    rows = {r["organisation"]: r for r in spec["datasets"][boxes["data"]["name"]]}
    assert set(rows) == {"X", "Y"}  # the total row is not a box
    assert rows["Y"]["small"] is True and rows["Y"]["small_label"].startswith("n < 2")
    assert rows["X"]["small"] is False and rows["X"]["label"] == "X (n = 2)"
    tooltip = {t["field"] for t in boxes["layer"][0]["encoding"]["tooltip"]}
    assert {"n", "median", "q1", "q3"} <= tooltip


def test_organisation_hours_bars_spec(data):
    hours, trajectories, _ = data
    by_org = inv.hours_by_organisation(inv.family_weekly_investment(hours, trajectories, PEIL))
    spec = charts.organisation_hours_bars(by_org, "volunteer", min_n=2).to_dict()
    assert spec["title"] == "Uren per organisatie — Vrijwilligers (maatje)"
    data_rows = spec["datasets"][spec["data"]["name"]]
    # Only bars with n > 0: X latest (n 1), Y start/latest (F3), Totaal start/latest.
    assert {(r["organisation"], r["moment"]) for r in data_rows} == {
        ("X", "latest"), ("Y", "start"), ("Y", "latest"), ("Totaal", "start"), ("Totaal", "latest")}
    x_latest = next(r for r in data_rows if r["organisation"] == "X")
    assert x_latest["n_label"] == "n = 1 (klein)" and x_latest["small"] is True
    assert not next(r for r in data_rows if r["organisation"] == "Totaal")["small"]  # the total is never faint
    bars = spec["layer"][0]
    assert bars["encoding"]["opacity"]["field"] == "small" and bars["encoding"]["x"]["field"] == "mean_hours_per_week"
    assert bars["encoding"]["y"]["sort"][-1] == "Totaal"


def test_hours_tables_dutch(data):
    hours, trajectories, _ = data
    summary = inv.total_hours_summary(inv.family_total_hours(hours, trajectories, PEIL))
    table = charts.total_hours_table(summary).set_index("Organisatie")
    assert table.loc["X", "Mediaan (uren)"] == "12" and table.loc["X", "25e–75e percentiel"] == "10–14"
    assert table.loc["X", "n (gezinnen)"] == 2
    by_org = inv.hours_by_organisation(inv.family_weekly_investment(hours, trajectories, PEIL))
    wide = charts.organisation_hours_table(by_org)
    x_start = wide[(wide["Organisatie"] == "X") & (wide["Moment"] == charts.MOMENT_LABELS["start"])].iloc[0]
    assert x_start["Inzet totaal (uur/week)"] == "3,5" and x_start["n inzet totaal"] == 2
    assert x_start["Vrijwilligers (maatje) (uur/week)"] == "–" and x_start["n vrijwilligers (maatje)"] == 0
