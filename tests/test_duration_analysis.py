"""Trajectduur analysis: Kaplan–Meier per group, caseload per month, reasons for ending, end dates, funnel,
and the chart builders, against small hand-computed fixtures."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from components import charts
from components.charts import duration as dc
from gezinsmonitor import caseload, endings, metrics, stats, survival
from gezinsmonitor import taxonomy as tx

T = pd.Timestamp
A, L = tx.STATUS_AFGEROND, tx.STATUS_LOPEND


def _values(spec: dict, part: dict | None = None) -> list[dict]:
    name = ((part or {}).get("data") or spec["data"])["name"]
    return spec["datasets"][name]


# -- Kaplan–Meier per group -------------------------------------------------------------------
@pytest.fixture
def durations() -> pd.DataFrame:
    """A `trajectory_durations`-shaped frame written by hand (months already computed)."""
    rows = [  # family, organisation, months, status at the peildatum, excluded
        ("p1", "P", 1.0, A, None), ("p2", "P", 2.0, L, None), ("p3", "P", 3.0, A, None), ("p4", "P", 4.0, A, None),
        ("q1", "Q", 2.0, A, None), ("q2", "Q", 5.0, L, None), ("q3", "Q", 5.0, L, None),
        ("q4", "Q", np.nan, A, "afgerond zonder einddatum"),
    ]
    return pd.DataFrame(rows, columns=["family", "organisation", "months", "status_at_peildatum", "excluded"])


def test_km_per_group_with_censoring(durations):
    km = survival.km_by_group(durations)
    # P: t=1 4 at risk, 1 end → 3/4; t=2 one censored (stays 3/4); t=3 2 at risk, 1 end → 3/8; t=4 1 at risk → 0.
    p = km[km["group"] == "P"].set_index("time")
    assert p["survival"].round(6).to_dict() == {0.0: 1.0, 1.0: 0.75, 2.0: 0.75, 3.0: 0.375, 4.0: 0.0}
    assert p["at_risk"].to_dict() == {0.0: 4, 1.0: 4, 2.0: 3, 3.0: 2, 4.0: 1}
    assert p.loc[2.0, "censored"] == 1 and p.loc[2.0, "events"] == 0
    # Q: t=2 3 at risk, 1 end → 2/3; t=5 two censored → stays 2/3.
    q = km[km["group"] == "Q"].set_index("time")
    assert q["survival"].round(6).to_dict() == {0.0: 1.0, 2.0: round(2 / 3, 6), 5.0: round(2 / 3, 6)}
    assert q.loc[5.0, "censored"] == 2
    # All 7 usable: t=1 6/7; t=2 (1 end, 1 censored, 6 at risk) 6/7·5/6 = 5/7; t=3 (4 at risk) 5/7·3/4 = 15/28;
    # t=4 (3 at risk) 15/28·2/3 = 5/14; t=5 two censored.
    overall = km[km["group"] == survival.OVERALL].set_index("time")
    assert overall["survival"].to_numpy() == pytest.approx([1, 6 / 7, 5 / 7, 15 / 28, 5 / 14, 5 / 14])
    assert overall["at_risk"].tolist() == [7, 7, 6, 4, 3, 2]
    assert km.groupby("group")["n"].first().to_dict() == {survival.OVERALL: 7, "P": 4, "Q": 3}
    assert km.groupby("group")["is_overall"].first().to_dict() == {survival.OVERALL: True, "P": False, "Q": False}
    assert km.attrs == {"n": 7, "excluded": {"afgerond zonder einddatum": 1}}
    # The band is stats.kaplan_meier's, unchanged.
    p_only = durations[(durations["organisation"] == "P")]
    direct = stats.kaplan_meier(p_only["months"], p_only["status_at_peildatum"] == A)
    assert p["lower"].to_numpy() == pytest.approx(direct["lower"].to_numpy(), nan_ok=True)


def test_median_table(durations):
    table = survival.median_table(durations).set_index("group")
    assert list(table.index) == [survival.OVERALL, "P", "Q"]
    # First time at or below 0.5: P at t=3 (0.375); overall at t=4 (5/14); Q never (2/3): not reached.
    assert table.loc["P", "median"] == 3.0
    assert table.loc[survival.OVERALL, "median"] == 4.0
    assert math.isnan(table.loc["Q", "median"])
    assert table.loc["P", ["n", "families", "events", "censored"]].tolist() == [4, 4, 3, 1]
    assert table.loc["Q", ["n", "events", "censored"]].tolist() == [3, 1, 2]
    assert table.loc[survival.OVERALL, ["n", "events", "censored"]].tolist() == [7, 4, 3]
    assert table.attrs["excluded"] == {"afgerond zonder einddatum": 1}


def test_km_uses_status_at_peildatum():
    """An end after the peildatum is not an end yet: that trajectory is censored at the peildatum."""
    trajectories = pd.DataFrame({
        "family": ["a", "b"], "organisation": ["X", "X"], "status": [A, A],
        "start_date": [T("2021-01-01"), T("2021-01-01")], "end_date": [T("2021-03-01"), T("2021-12-01")],
    })
    table = survival.median_table(metrics.trajectory_durations(trajectories, dt.date(2021, 6, 30)), overall=None)
    assert table[["group", "n", "events", "censored"]].values.tolist() == [["X", 2, 1, 1]]
    # a ends at 2,0 months; b is censored at the peildatum: 5 whole months + (180 − 5 × 30,4375) / 30,4375 = 5,914.
    # The curve sits exactly at 1/2 from 2,0 to the end of follow-up: R's midpoint (2,0 + 5,914) / 2 = 3,957.
    assert table.loc[0, "median"] == pytest.approx((2 + 5 + (180 - 5 * 30.4375) / 30.4375) / 2)


def test_km_empty_frame(durations):
    empty = durations.iloc[0:0]
    assert survival.km_by_group(empty).empty and survival.median_table(empty).empty


# -- caseload ---------------------------------------------------------------------------------
PEIL_CASELOAD = dt.date(2021, 3, 15)


@pytest.fixture
def caseload_trajectories() -> pd.DataFrame:
    return pd.DataFrame({
        "family": list("abcdefg"),
        "status": [A, L, A, A, A, A, L],
        "start_date": [T("2021-01-10"), T("2021-01-31"), T("2021-02-01"), T("2021-03-01"), T("2021-02-15"),
                       T("2021-04-01"), T("2021-01-05")],
        # d ends after the peildatum (still running then); e is afgerond without an end date (left out);
        # f starts after the peildatum (left out); g is lopend with an end date (its status wins: no outflow).
        "end_date": [T("2021-02-20"), pd.NaT, T("2021-02-28"), T("2021-04-10"), pd.NaT, T("2021-05-01"),
                     T("2021-03-01")],
    })


def test_monthly_caseload(caseload_trajectories):
    durations = metrics.trajectory_durations(caseload_trajectories, PEIL_CASELOAD)
    flow = caseload.monthly_caseload(durations, PEIL_CASELOAD)
    # Jan: starts a, b, g = 3; no ends; running on 31-01: a, b (started that day), g = 3.
    # Feb: starts c = 1; ends a (20-02), c (28-02) = 2; running on 28-02: b, g (c ended that day) = 2.
    # Mar (to 15-03): starts d = 1; ends none (d ends after the peildatum); running: b, d, g = 3.
    assert flow["month"].tolist() == [T("2021-01-01"), T("2021-02-01"), T("2021-03-01")]
    assert flow["month_end"].tolist() == [T("2021-01-31"), T("2021-02-28"), T("2021-03-15")]
    assert flow["starts"].tolist() == [3, 1, 1]
    assert flow["ends"].tolist() == [0, 2, 0]
    assert flow["running"].tolist() == [3, 2, 3]
    assert flow["partial"].tolist() == [False, False, True]
    # running(m) = running(m − 1) + starts(m) − ends(m)
    assert (flow["running"].diff().iloc[1:] == (flow["starts"] - flow["ends"]).iloc[1:]).all()
    assert flow.attrs == {"n": 5, "excluded": {"afgerond zonder einddatum": 1, "start na de peildatum": 1}}


def test_monthly_caseload_from_a_given_month(caseload_trajectories):
    durations = metrics.trajectory_durations(caseload_trajectories, PEIL_CASELOAD)
    flow = caseload.monthly_caseload(durations, PEIL_CASELOAD, first=dt.date(2021, 2, 10))
    assert flow["month"].tolist() == [T("2021-02-01"), T("2021-03-01")]
    assert flow["running"].tolist() == [2, 3]


def test_monthly_caseload_nothing_usable(caseload_trajectories):
    only_later = caseload_trajectories[caseload_trajectories["family"] == "f"]
    flow = caseload.monthly_caseload(metrics.trajectory_durations(only_later, PEIL_CASELOAD), PEIL_CASELOAD)
    assert flow.empty and flow.attrs == {"n": 0, "excluded": {"start na de peildatum": 1}}


# -- reasons for ending, end dates -------------------------------------------------------------
@pytest.fixture
def ended() -> pd.DataFrame:
    return pd.DataFrame({
        "family": list("abcdefghi"),
        "status": [A, A, A, A, A, A, L, A, A],
        "start_date": [T("2020-01-01")] * 7 + [T("2020-01-01"), T("2022-01-01")],
        "end_date": [T("2020-06-01")] * 7 + [T("2021-12-01"), pd.NaT],
        # g is lopend; h ends after the peildatum (lopend then); i is afgerond without an end date but starts
        # after the peildatum (left out, counted as such).
        "end_reason": ["doelen bereikt", "doelen bereikt", " doelen bereikt ", "verhuisd", None, "  ",
                       "verhuisd", "verhuisd", "doelen bereikt"],
    })


def test_ending_reasons(ended):
    reasons = endings.ending_reasons(metrics.trajectory_durations(ended, dt.date(2021, 10, 31)))
    # Afgerond at the peildatum: a–f = 6. doelen bereikt 3 (c after stripping), verhuisd 1, empty 2 (None, blank).
    assert reasons["reason"].tolist() == ["doelen bereikt", "verhuisd", endings.NO_REASON]
    assert reasons["n"].tolist() == [3, 1, 2]
    assert reasons["pct"].to_numpy() == pytest.approx([50.0, 100 / 6, 100 / 3])
    # Wilson 3/6: z² = 3.8415, denom = 1.64025, centre = 0.5, half = 1.96·√(0.25/6 + 3.8415/144)/1.64025 = 0.31239
    assert reasons.loc[0, ["pct_lo", "pct_hi"]].tolist() == pytest.approx([18.76, 81.24], abs=0.01)
    assert reasons.attrs == {"n": 6, "excluded": {"start na de peildatum": 1}}
    table = charts.reasons_table_nl(reasons)
    assert table.iloc[0].tolist() == ["doelen bereikt", 3, "50,0% (95%-BI 18,8–81,2%)"]


def test_ending_reasons_none_afgerond(ended):
    running = ended[ended["status"] == L]
    reasons = endings.ending_reasons(metrics.trajectory_durations(running, dt.date(2021, 10, 31)))
    assert reasons.empty and reasons.attrs["n"] == 0


def test_end_date_completeness():
    trajectories = pd.DataFrame({
        "organisation": ["X", "X", "X", "Y", "Y"],
        "status": [A, L, L, A, L],
        "end_date": [T("2021-01-01"), pd.NaT, pd.NaT, pd.NaT, T("2022-01-01")],
        "expected_end": [None, dt.date(2022, 1, 1), None, None, None],
    })
    table = endings.end_date_completeness(trajectories).set_index("group")
    # X: end date, only expected, none (lopend); Y: afgerond without end date, lopend with an end date.
    columns = ["n", "end_date", "expected_only", "no_end_running", "no_end_completed"]
    assert table.loc["X", columns].tolist() == [3, 1, 1, 1, 0]
    assert table.loc["Y", columns].tolist() == [2, 1, 0, 0, 1]
    assert table.loc["Totaal"].tolist() == [5, 2, 1, 1, 1]
    nl = charts.end_dates_table_nl(table.reset_index())
    assert list(nl.columns) == ["Organisatie", "Trajecten", "Einddatum ingevuld",
                                "Alleen verwachte einddatum (loopt nog)", "Geen einddatum, lopend",
                                "Geen einddatum, afgerond"]



def test_end_date_summary_agrees_with_the_table():
    """The page's "zonder einddatum" leaves out the trajectories with only an expected end, as the table does."""
    trajectories = pd.DataFrame({
        "organisation": ["X", "X", "X", "Y", "Y", "Y"],
        "status": [A, L, L, A, L, L],
        "end_date": [T("2021-01-01"), pd.NaT, pd.NaT, pd.NaT, T("2022-01-01"), pd.NaT],
        "expected_end": [None, dt.date(2022, 1, 1), None, None, None, dt.date(2027, 1, 1)],
    })
    summary = endings.end_date_summary(trajectories)
    # End dates: rows 1 and 5; only expected: rows 2 and 6 (lopend); none: row 3 (lopend) and row 4 (afgerond).
    assert summary == {"n": 6, "end_date": 2, "expected_only": 2, "no_end_running": 1, "no_end_completed": 1,
                       "no_end": 2}
    total = endings.end_date_completeness(trajectories).set_index("group").loc["Totaal"]
    assert summary["no_end"] == total["no_end_running"] + total["no_end_completed"]
    assert summary["expected_only"] == total["expected_only"]


def test_duration_summary():
    trajectories = pd.DataFrame({
        "family": list("abcde"), "status": [A, A, L, L, A],
        "start_date": [T("2021-01-01"), T("2021-01-01"), T("2021-01-01"), T("2022-01-01"), pd.NaT],
        "end_date": [T("2021-03-01"), T("2021-12-01"), pd.NaT, pd.NaT, T("2021-05-01")],
    })
    # At 30-06-2021: a afgerond; b ends after the peildatum → lopend; c lopend; d starts later; e has no start.
    head = endings.duration_summary(metrics.trajectory_durations(trajectories, dt.date(2021, 6, 30)))
    assert (head["counted"], head[A], head[L]) == (3, 1, 2)
    assert head["excluded"] == {"start na de peildatum": 1, "geen startdatum": 1}


def test_funnel_rates():
    frame = pd.DataFrame({
        "phase": ["aanmelding", "Intake ", "begeleiding", "begeleiding", None, None, "intake"],
        "result": [None, None, "geslaagd", "lopend", "niet geslaagd", None, None],
    })
    funnel = endings.funnel_rates(frame)
    # Known: 6 (the row with neither is left out). Reached aanmelding 6; intake or further 5 (of 6);
    # begeleiding 3 (two by phase, one by its result) of 5; each result 1 of 3.
    assert funnel["step"].tolist() == ["aanmelding", "intake", "begeleiding", "resultaat: geslaagd",
                                       "resultaat: niet geslaagd", "resultaat: lopend"]
    assert funnel["n"].tolist() == [6, 5, 3, 1, 1, 1]
    assert funnel["of"].tolist() == [6, 6, 5, 3, 3, 3]
    assert funnel["pct"].to_numpy() == pytest.approx([100, 500 / 6, 60, 100 / 3, 100 / 3, 100 / 3])
    assert funnel.attrs == {"n": 6, "excluded": {"geen fase of resultaat": 1}}
    assert endings.has_funnel(frame) and not endings.has_funnel(frame.drop(columns="phase"))
    assert charts.funnel_table_nl(funnel).loc[2, "% (95%-BI)"].startswith("60,0% (95%-BI ")


# -- charts ---------------------------------------------------------------------------------
def test_km_chart_spec(durations):
    spec = charts.km_chart(survival.km_by_group(durations), min_n=4).to_dict()
    band, lines, ticks, half = spec["layer"]
    rows = _values(spec, lines)
    assert {r["group"] for r in rows} == {survival.OVERALL, "P", "Q"}
    assert band["mark"]["type"] == "area" and band["encoding"]["y"]["field"] == "lower"
    assert band["encoding"]["y2"]["field"] == "upper"
    assert band["transform"] == [{"filter": "datum.is_overall"}]  # the band is drawn for the overall curve only
    assert lines["mark"] == {"type": "line", "interpolate": "step-after"}
    assert lines["encoding"]["color"]["scale"]["domain"] == [survival.OVERALL, "P", "Q"]
    assert lines["encoding"]["color"]["scale"]["range"][0] == dc.OVERALL_COLOR
    (pick,) = spec["params"]  # Altair lifts the legend selection to the top and names the view it lives in
    assert pick["select"] == {"type": "point", "fields": ["group"]} and pick["bind"] == "legend"
    assert pick["views"] == [lines["name"]]
    assert lines["encoding"]["opacity"]["condition"]["param"] == pick["name"]
    assert {t["field"] for t in lines["encoding"]["tooltip"]} >= {"at_risk", "n", "survival", "months"}
    assert ticks["transform"] == [{"filter": "(datum.censored > 0)"}]
    assert _values(spec, half) == [{"survival": 0.5}]
    # Q has 3 families < min_n 4: fainter and flagged; P (4) and the overall curve are not.
    flags = {r["group"]: (r["base_opacity"], r["opmerking"]) for r in rows}
    assert flags["Q"] == (0.45, "n < 4 gezinnen: voorzichtig vergelijken")
    assert flags["P"] == (1.0, "") and flags[survival.OVERALL] == (1.0, "")
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_km_median_table_nl(durations):
    table = charts.km_median_table_nl(survival.median_table(durations), min_n=4).set_index("Organisatie")
    assert table.loc["P", "Mediane duur"] == "3,0 mnd"
    assert table.loc["Q", "Mediane duur"] == dc.NOT_REACHED
    assert table.loc["Q", "Let op"].startswith("n < 4")
    assert table.loc["P", ["n trajecten", "Afgerond (einde gezien)", "Lopend (gecensureerd)"]].tolist() == [4, 3, 1]


@pytest.mark.parametrize("lower, upper, text", [
    (10.94, 30.42, "10,9–30,4 mnd"), (10.94, np.nan, "10,9 mnd – niet bereikt"), (np.nan, np.nan, "niet bereikt"),
])
def test_median_interval_text(lower, upper, text):
    assert dc.median_interval_text(lower, upper) == text


def test_caseload_chart_spec(caseload_trajectories):
    flow = caseload.monthly_caseload(metrics.trajectory_durations(caseload_trajectories, PEIL_CASELOAD), PEIL_CASELOAD)
    spec = charts.caseload_chart(flow).to_dict()
    top, bottom = spec["vconcat"]
    assert [r["running"] for r in _values(spec, top)] == [3, 2, 3]
    (brush,) = spec["params"]
    assert brush["select"] == {"type": "interval", "encodings": ["x"]} and brush["views"] == [top["name"]]
    assert bottom["encoding"]["x"]["scale"]["domain"] == {"param": brush["name"]}
    flows = {(r["stroom"], r["month"][:7]): r["trajecten"] for r in _values(spec, bottom)}
    assert flows[(dc.FLOW_LABELS["ends"], "2021-02")] == 2 and flows[(dc.FLOW_LABELS["starts"], "2021-01")] == 3
    assert _values(spec, top)[-1]["deel"].startswith("onvolledige maand")
    table = charts.caseload_table_nl(flow)
    assert table["Maand"].tolist() == ["januari 2021", "februari 2021", "maart 2021"]
    assert table["Geteld op"].iloc[-1] == "15-03-2021"


def test_reasons_chart_spec(ended):
    reasons = endings.ending_reasons(metrics.trajectory_durations(ended, dt.date(2021, 10, 31)))
    spec = charts.reasons_chart(reasons).to_dict()
    bars, whiskers = spec["layer"]
    rows = _values(spec, bars)
    assert [r["reason"] for r in rows] == ["doelen bereikt", "verhuisd", endings.NO_REASON]
    assert all(r["n_total"] == 6 for r in rows)
    assert bars["encoding"]["y"]["sort"] == ["doelen bereikt", "verhuisd", endings.NO_REASON]
    assert (whiskers["encoding"]["x"]["field"], whiskers["encoding"]["x2"]["field"]) == ("pct_lo", "pct_hi")
    assert rows[0]["pct_text"] == "50,0% (95%-BI 18,8–81,2%)"
