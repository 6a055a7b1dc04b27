"""Voortgang beyond the distribution: per organisation, against trajectory duration, Wilson columns; and the
chart builders of the Voortgang page. Expected values are worked out by hand in the comments."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from components import charts
from gezinsmonitor import metrics
from gezinsmonitor import progress as pg
from tests.test_instruments import all_rows  # the hand-computed instrument fixture

T = pd.Timestamp
PEIL = dt.date(2021, 10, 31)
NVT = None  # a row that says n.v.t.

# Wilson 95% (z = 1.96) worked out by hand, in percent:
#   k/n = 2/3: p = .667, denominator 1 + z²/n = 2.2805, centre (p + z²/2n)/2.2805 = .5731,
#              half z·√(p(1−p)/n + z²/4n²)/2.2805 = .3654            → 20.77 – 93.85
#   1/2 and 2/4: centre .5, half .4055 (n = 2) and .3500 (n = 4)     → 9.45 – 90.55 and 15.00 – 85.00
#   3/5: p = .6, denominator 1.7683, centre .5566, half .3258        → 23.07 – 88.24
#   2/5: centre .4434, half .3258                                    → 11.76 – 76.93
#   2/2: centre .6712, half .3288                                    → 34.24 – 100
#   4/7: p = .571, denominator 1.5488, centre .5461, half .2957      → 25.05 – 84.18
#   1/1 and 0/1: denominator 4.8415, centre .6033 / .3967, half .3967 → 20.66 – 100 and 0 – 79.34
W = {(2, 3): (20.77, 93.85), (1, 2): (9.45, 90.55), (2, 4): (15.00, 85.00), (3, 5): (23.07, 88.24),
     (2, 5): (11.76, 76.93), (2, 2): (34.24, 100.0), (4, 7): (25.05, 84.18)}


def _rows(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["family", "organisation", "instrument", "leefgebied", "measured_on", "value"])
    frame["not_applicable"] = frame["value"].isna()
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["value"] = frame["value"].astype(float)
    frame["id"] = range(len(frame))
    return frame


V = "voortgangsscore"


@pytest.fixture
def measurements() -> pd.DataFrame:
    # Latest score per family and leefgebied (n.v.t. is never a score):
    #   x1 (X): Wonen 2 → 4, Sociaal 5          all: lowest 4 → high
    #   x2 (X): Wonen 3, Sociaal n.v.t.         all: lowest 3 → not high
    #   x3 (X): Wonen n.v.t., Sociaal 4         all: lowest 4 → high
    #   y1 (Y): Wonen 5 then n.v.t. (latest *score* 5), Sociaal 1   all: lowest 1 → not high
    #   y2 (Y): Wonen 4 on 01-12-2021 (after the peildatum)         all: high
    #   y3 (Y): only n.v.t.                     no score: in no n, counted as n.v.t.
    #   y4 (Y): Sociaal 4                       all: high
    #   y5 (Y): Wonen 3                         all: not high
    #   z1 (Z): ZRM only, never counted as a voortgangsscore
    return _rows(
        ("x1", "X", V, "Wonen", "2020-01-01", 2), ("x1", "X", V, "Wonen", "2020-06-01", 4),
        ("x1", "X", V, "Sociaal", "2020-06-01", 5),
        ("x2", "X", V, "Wonen", "2020-03-01", 3), ("x2", "X", V, "Sociaal", "2020-03-01", NVT),
        ("x3", "X", V, "Wonen", "2021-02-01", NVT), ("x3", "X", V, "Sociaal", "2021-02-01", 4),
        ("y1", "Y", V, "Wonen", "2020-05-01", 5), ("y1", "Y", V, "Wonen", "2020-09-01", NVT),
        ("y1", "Y", V, "Sociaal", "2020-04-01", 1),
        ("y2", "Y", V, "Wonen", "2021-12-01", 4),
        ("y3", "Y", V, "Wonen", "2020-01-01", NVT), ("y3", "Y", V, "Sociaal", "2020-01-01", NVT),
        ("y4", "Y", V, "Sociaal", "2020-02-01", 4),
        ("y5", "Y", V, "Wonen", "2020-02-01", 3),
        ("z1", "Z", "zrm", "Wonen", "2020-02-01", 2),
    )


@pytest.fixture
def trajectories() -> pd.DataFrame:
    # At peildatum 31-10-2021: x1 15-01 → 15-07-2020 = 6 months → afgerond 6-12; x2 → 14-07 = 5 → afgerond 0-6;
    # x3 lopend since 01-01-2021 = 9 → lopend 6-12; y1 lopend since 01-01-2019 = 33 → lopend 24-36;
    # y2 lopend since 01-06-2021 (its only score lies after the peildatum); y4 afgerond without end date (left
    # out); y5 has no trajectory.
    return pd.DataFrame({
        "family": ["x1", "x2", "x3", "y1", "y2", "y4"],
        "start_date": pd.to_datetime(["2020-01-15", "2020-01-15", "2021-01-01", "2019-01-01", "2021-06-01",
                                      "2020-01-01"]),
        "end_date": pd.to_datetime(["2020-07-15", "2020-07-14", None, None, None, None]),
        "status": ["afgerond", "afgerond", "lopend", "lopend", "lopend", "afgerond"],
    })


# -- core ---------------------------------------------------------------------------------------
def test_progress_summary_has_wilson_columns(measurements):
    summary = metrics.progress_summary(measurements).set_index("leefgebied")
    # Wonen latest scores: x1 4, x2 3, y1 5, y2 4, y5 3 → n 5, 4–5: 3 = 60%; n.v.t. only: x3, y3.
    wonen = summary.loc["Wonen"]
    assert (wonen["n"], wonen["high"], wonen["nvt"]) == (5, 3, 2)
    assert wonen["high_pct"] == pytest.approx(60.0)
    assert (wonen["high_pct_lo"], wonen["high_pct_hi"]) == pytest.approx(W[(3, 5)], abs=0.01)
    # Sociaal: x1 5, x3 4, y1 1, y4 4 → 3 of 4 high; n.v.t. only x2, y3.
    assert summary.loc["Sociaal", ["n", "high", "nvt"]].tolist() == [4, 3, 2]
    dist = metrics.progress_distribution(metrics.progress_summary(measurements))
    three = dist[(dist["leefgebied"] == "Wonen") & (dist["score"] == 3)].iloc[0]
    assert (three["gezinnen"], three["n"], three["pct"]) == (2, 5, pytest.approx(40.0))
    assert (three["pct_lo"], three["pct_hi"]) == pytest.approx(W[(2, 5)], abs=0.01)


def test_family_outcomes_all_leefgebieden(measurements):
    out = pg.family_outcomes(measurements).set_index("family")
    assert set(out.index) == {"x1", "x2", "x3", "y1", "y2", "y3", "y4", "y5"}  # z1 has no voortgangsscore
    assert out.loc["x1", ["leefgebieden", "lowest", "high"]].tolist() == [2, 4.0, True]
    assert out.loc["x2", ["leefgebieden", "lowest", "high"]].tolist() == [1, 3.0, False]
    assert bool(out.loc["y1", "high"]) is False and out.loc["y1", "lowest"] == 1
    assert bool(out.loc["y3", "scored"]) is False and bool(out.loc["y3", "high"]) is False
    assert out["score"].isna().all()  # no single score over several leefgebieden


def test_family_outcomes_one_leefgebied_and_until(measurements):
    wonen = pg.family_outcomes(measurements, "Wonen").set_index("family")
    assert wonen.loc["y1", "score"] == 5  # the later n.v.t. is not a score
    assert not wonen.loc["x3", "scored"]
    assert set(wonen.index) == {"x1", "x2", "x3", "y1", "y2", "y3", "y5"}
    until = pg.family_outcomes(measurements, "Wonen", until=PEIL)
    assert "y2" not in set(until["family"])  # its only score lies after the peildatum
    assert until.attrs["after_until"] == 1


def test_organisation_comparison_all(measurements):
    table = pg.organisation_comparison(pg.family_outcomes(measurements), min_n=3).set_index("organisation")
    # X: x1, x2, x3 scored, high x1 and x3 → 2/3 = 66.7%.  Y: y1, y2, y4, y5 scored, high y2 and y4 → 2/4,
    # y3 only n.v.t.  Z has no voortgangsscore and is not listed.
    assert list(table.index) == ["X", "Y"]
    assert table.loc["X", ["n", "high", "nvt"]].tolist() == [3, 2, 0]
    assert table.loc["X", "pct"] == pytest.approx(200 / 3)
    assert table.loc["X", ["pct_lo", "pct_hi"]].tolist() == pytest.approx(W[(2, 3)], abs=0.01)
    assert table.loc["Y", ["n", "high", "nvt"]].tolist() == [4, 2, 1]
    assert table.loc["Y", ["pct_lo", "pct_hi"]].tolist() == pytest.approx(W[(2, 4)], abs=0.01)
    assert not table.loc["X", "small"] and not table.loc["Y", "small"]  # n ≥ min_n = 3
    assert np.isnan(table.loc["X", "mean"]) and np.isnan(table.loc["X", "4"])  # no score columns over all
    pooled = table.attrs["pooled"]
    assert (pooled["n"], pooled["high"], pooled["nvt"]) == (7, 4, 1)
    assert (pooled["pct_lo"], pooled["pct_hi"]) == pytest.approx(W[(4, 7)], abs=0.01)


def test_organisation_comparison_one_leefgebied(measurements):
    table = pg.organisation_comparison(pg.family_outcomes(measurements, "Wonen"), min_n=3).set_index("organisation")
    # X Wonen: x1 4, x2 3 (x3 n.v.t.) → n 2, high 1, mean 3.5, small (2 < 3).
    # Y Wonen: y1 5, y2 4, y5 3 (y3 n.v.t.) → n 3, high 2, mean 4.0.
    assert table.loc["X", ["n", "high", "nvt", "mean"]].tolist() == [2, 1, 1, 3.5]
    assert table.loc["X", ["1", "2", "3", "4", "5"]].tolist() == [0, 0, 1, 1, 0]
    assert table.loc["X", ["pct_lo", "pct_hi"]].tolist() == pytest.approx(W[(1, 2)], abs=0.01)
    assert bool(table.loc["X", "small"]) and not bool(table.loc["Y", "small"])
    assert table.loc["Y", ["n", "high", "nvt", "mean"]].tolist() == [3, 2, 1, 4.0]
    assert table.loc["Y", ["3", "4", "5"]].tolist() == [1, 1, 1]
    assert table.attrs["pooled"]["pct"] == pytest.approx(60.0)  # equals the Wonen bar: 3 of 5


def test_duration_classes(measurements, trajectories):
    durations = metrics.trajectory_durations(trajectories, PEIL)
    table = pg.duration_classes(pg.family_outcomes(measurements, until=PEIL), durations, min_n=2)
    # Counted: x1 afgerond 6-12 high, x2 afgerond 0-6 not, x3 lopend 6-12 high, y1 lopend 24-36 not.
    # Left out: y2 (only score after the peildatum), y4 (afgerond without end date), y5 (no trajectory),
    # y3 (only n.v.t.).
    assert len(table) == 12  # every status × class, n = 0 included
    cells = {(r.status, r.bucket): (r.n, r.high) for r in table.itertuples() if r.n}
    assert cells == {("afgerond", "0-6"): (1, 0), ("afgerond", "6-12"): (1, 1), ("lopend", "6-12"): (1, 1),
                     ("lopend", "24-36"): (1, 0)}
    row = table.set_index(["status", "bucket"]).loc[("afgerond", "6-12")]
    assert row["pct"] == 100 and bool(row["small"])  # 0 < n = 1 < 2
    empty = table.set_index(["status", "bucket"]).loc[("lopend", "36+")]
    assert empty["n"] == 0 and np.isnan(empty["pct"]) and not empty["small"]
    assert table.attrs["n"] == 4 and table.attrs["n_by_status"] == {"afgerond": 2, "lopend": 2}
    assert table.attrs["excluded"] == {
        "gezinnen met een score, traject niet meegeteld: afgerond zonder einddatum": 1,
        "gezinnen met een score, traject niet meegeteld: geen traject": 1,
        "gezinnen met alleen scores na de peildatum": 1,
        "gezinnen met alleen n.v.t.": 1,
    }


def test_duration_classes_wilson_per_class():
    # Four families, all lopend 6-12 at the peildatum, two with a latest score 4–5 → 2/4, 15.0–85.0%.
    ms = _rows(*[(f"f{i}", "X", V, "Wonen", "2021-05-01", s) for i, s in enumerate([4, 5, 3, 2])])
    tr = pd.DataFrame({"family": [f"f{i}" for i in range(4)], "start_date": pd.to_datetime(["2021-01-01"] * 4),
                       "end_date": pd.NaT, "status": "lopend"})
    table = pg.duration_classes(pg.family_outcomes(ms, "Wonen", until=PEIL), metrics.trajectory_durations(tr, PEIL))
    row = table.set_index(["status", "bucket"]).loc[("lopend", "6-12")]
    assert (row["n"], row["high"], row["pct"]) == (4, 2, 50.0)
    assert (row["pct_lo"], row["pct_hi"]) == pytest.approx(W[(2, 4)], abs=0.01)


def test_one_trajectory_per_family():
    # q: counted 01-01-2020 → 01-12-2020 (11 months, afgerond) and one starting after the peildatum → the counted one.
    # r: afgerond 2019 and lopend since 01-03-2021 (7 months at the peildatum) → the later start, lopend 6-12.
    tr = pd.DataFrame({
        "family": ["q", "q", "r", "r"],
        "start_date": pd.to_datetime(["2020-01-01", "2022-01-01", "2019-01-01", "2021-03-01"]),
        "end_date": pd.to_datetime(["2020-12-01", None, "2019-06-01", None]),
        "status": ["afgerond", "lopend", "afgerond", "lopend"],
    })
    per = pg.family_durations(metrics.trajectory_durations(tr, PEIL))
    assert per.loc["q", ["status_at_peildatum", "whole_months", "bucket"]].tolist() == ["afgerond", 11, "6-12"]
    assert per.loc["r", ["status_at_peildatum", "whole_months", "bucket"]].tolist() == ["lopend", 7, "6-12"]


def test_coverage(measurements):
    families = pd.DataFrame({"family": ["x1", "x2", "x3", "y1", "y2", "y3", "y4", "y5", "z1", "w1"],
                             "organisation": ["X"] * 3 + ["Y"] * 5 + ["Z", "W"]})
    cov = pg.coverage(families, measurements).set_index("organisation")
    # Y: y3 has only n.v.t. → 4 of 5 with a score; Z measures with the ZRM; W has no measurements.
    assert cov.loc["X", ["families", "with_score", "without_score"]].tolist() == [3, 3, 0]
    assert cov.loc["Y", ["families", "with_score", "without_score"]].tolist() == [5, 4, 1]
    assert cov.loc["Z", "other_instruments"] == ["ZRM"] and cov.loc["W", "other_instruments"] == []
    assert cov.attrs["without"] == 3


def test_empty_inputs():
    empty = _rows()
    outcomes = pg.family_outcomes(empty)
    assert outcomes.empty
    assert pg.organisation_comparison(outcomes).empty
    classes = pg.duration_classes(outcomes, metrics.trajectory_durations(
        pd.DataFrame(columns=["family", "start_date", "end_date", "status"]), PEIL))
    assert classes.attrs["n"] == 0 and (classes["n"] == 0).all()


# -- charts -------------------------------------------------------------------------------------
def _data(spec: dict, part: dict | None = None) -> list[dict]:
    name = ((part or {}).get("data") or spec["data"])["name"]
    return spec["datasets"][name]


def test_progress_bars_selection_labels_and_whiskers(measurements):
    summary = metrics.progress_summary(measurements)
    spec = charts.progress_bars(metrics.progress_distribution(summary), summary).to_dict()
    assert spec["encoding"]["x"]["stack"] == "normalize"
    assert spec["encoding"]["y"]["field"] == "label"
    bars, whiskers, _ends = spec["layer"]
    param = spec["params"][0]  # Altair lifts a layer's params to the top, bound to the bar view
    assert param["name"] == charts.PROGRESS_LEEFGEBIED_PARAM and param["views"] == [bars["name"]]
    assert param["select"]["type"] == "point" and param["select"]["fields"] == ["leefgebied"]
    assert bars["encoding"]["opacity"]["condition"]["param"] == charts.PROGRESS_LEEFGEBIED_PARAM
    rows = _data(spec)
    wonen = [r for r in rows if r["leefgebied"] == "Wonen"]
    assert {r["label"] for r in wonen} == {"Wonen · n = 5 · n.v.t. 2"}  # n.v.t. visible on the bar
    assert {r["high_ci"] for r in wonen} == {"60,0% (95%-BI 23,1–88,2%)"}
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    # The whisker of the 4–5 share sits at the 3|4 border: 1 − 88.24% … 1 − 23.07%.
    assert whiskers["mark"]["type"] == "rule" and whiskers["encoding"]["x"]["stack"] is None
    w = next(r for r in _data(spec, whiskers) if r["leefgebied"] == "Wonen")
    assert (w["x_lo"], w["x_hi"]) == pytest.approx((1 - W[(3, 5)][1] / 100, 1 - W[(3, 5)][0] / 100), abs=1e-4)
    fields = {t["field"] for t in spec["encoding"]["tooltip"]}
    assert {"n", "nvt", "gezinnen", "pct_ci", "high_ci"} <= fields


def test_progress_table_wilson_column(measurements):
    table = charts.progress_table(metrics.progress_summary(measurements)).set_index("Leefgebied")
    assert table.loc["Wonen", "% score 4–5 (95%-BI)"] == "60,0% (95%-BI 23,1–88,2%)"
    assert table.loc["Wonen", "n.v.t. (telt niet mee)"] == 2


@pytest.mark.parametrize("selection, expected", [
    ({charts.PROGRESS_LEEFGEBIED_PARAM: [{"leefgebied": "Wonen"}]}, "Wonen"),  # Streamlit's point list
    ({charts.PROGRESS_LEEFGEBIED_PARAM: {"leefgebied": ["Sociaal"]}}, "Sociaal"),  # Vega's own form
    ({charts.PROGRESS_LEEFGEBIED_PARAM: {}}, None),  # cleared (double click)
    ({charts.PROGRESS_LEEFGEBIED_PARAM: [{"leefgebied": "Onbekend"}]}, None),  # not an option
    ({}, None), (None, None),
])
def test_clicked_leefgebied(selection, expected):
    assert charts.clicked_leefgebied(selection, options=["Wonen", "Sociaal"]) == expected


def test_organisation_chart_and_table(measurements):
    comparison = pg.organisation_comparison(pg.family_outcomes(measurements, "Wonen"), min_n=3)
    spec = charts.progress_organisation_chart(comparison, "Wonen").to_dict()
    assert spec["title"]["text"].endswith("— Wonen")
    pooled_layer, whiskers, dots, _labels = spec["layer"]
    assert whiskers["encoding"]["x"]["field"] == "pct_lo" and whiskers["encoding"]["x2"]["field"] == "pct_hi"
    rows = {r["organisation"]: r for r in _data(spec, dots)}
    assert rows["X"]["label"] == "X (n = 2)" and rows["X"]["groep"] == "n < 3"
    assert rows["X"]["let_op"] == "n < 3: voorzichtig vergelijken" and rows["Y"]["groep"] == "n ≥ 3"
    assert dots["encoding"]["opacity"]["scale"] == {"domain": ["n ≥ 3", "n < 3"], "range": [1.0, 0.4]}
    assert _data(spec, pooled_layer)[0]["pct"] == pytest.approx(60.0)
    assert {"n", "high", "pct_ci", "let_op"} <= {t["field"] for t in dots["encoding"]["tooltip"]}
    table = charts.progress_organisation_table(comparison).set_index("Organisatie")
    assert table.loc["X", "% score 4–5 (95%-BI)"] == "50,0% (95%-BI 9,5–90,5%)"
    assert table.loc["X", "Gemiddelde"] == "3,5" and table.loc["X", "score 3"] == 1
    assert table.loc["X", "Let op"] == "n < 3: voorzichtig vergelijken"
    assert table.loc["Alle organisaties samen", ["n", "score 4–5", "Gemiddelde"]].tolist() == [5, 3, "3,8"]
    assert table.loc["Alle organisaties samen", "n.v.t. (telt niet mee)"] == 2
    # Over all leefgebieden there is no distribution per score: those columns are left out.
    table_all = charts.progress_organisation_table(pg.organisation_comparison(pg.family_outcomes(measurements)))
    assert "score 3" not in table_all.columns and "Gemiddelde" not in table_all.columns
    assert table_all.set_index("Organisatie").loc["X", "% score 4–5 (95%-BI)"] == "66,7% (95%-BI 20,8–93,9%)"


def test_duration_chart_and_table(measurements, trajectories):
    classes = pg.duration_classes(pg.family_outcomes(measurements, until=PEIL),
                                  metrics.trajectory_durations(trajectories, PEIL), min_n=2)
    spec = charts.progress_duration_chart(classes).to_dict()
    assert spec["facet"]["column"]["field"] == "status_label"
    whiskers, _dots, counts = spec["spec"]["layer"]
    assert whiskers["transform"] == [{"filter": "datum.n > 0"}]  # classes without families stay empty
    assert whiskers["encoding"]["y"]["scale"]["domain"] == [f"{b} mnd" for b in pg.BUCKETS]
    rows = _data(spec)
    assert len(rows) == 12
    x1 = next(r for r in rows if r["status"] == "afgerond" and r["bucket"] == "6-12")
    assert (x1["n_label"], x1["pct_ci"], x1["groep"]) == ("n = 1", "100,0% (95%-BI 20,7–100,0%)", "n < 2")
    assert counts["encoding"]["text"]["field"] == "n_label"
    table = charts.progress_duration_table(classes)
    assert table.columns.tolist() == ["Status", "Maanden", "n", "score 4–5", "% score 4–5 (95%-BI)", "Let op"]
    lopend = table[(table["Status"] == "lopend") & (table["Maanden"] == "24-36")].iloc[0]
    assert (lopend["n"], lopend["score 4–5"], lopend["% score 4–5 (95%-BI)"]) == (1, 0, "0,0% (95%-BI 0,0–79,3%)")


# -- peildatum, leefgebieden per family, and the instrument charts ---------------------------------
def test_progress_summary_until_the_peildatum(measurements):
    # y2's only Wonen score is dated 01-12-2021, after PEIL: Wonen n 5 → 4 (x1 4, x2 3, y1 5, y5 3), 4–5: 2.
    summary = metrics.progress_summary(measurements, until=PEIL).set_index("leefgebied")
    assert summary.loc["Wonen", ["n", "high", "nvt"]].tolist() == [4, 2, 2]
    assert summary.loc["Wonen", "high_pct"] == pytest.approx(50.0)
    assert (summary.loc["Wonen", "high_pct_lo"], summary.loc["Wonen", "high_pct_hi"]) == pytest.approx(
        W[(2, 4)], abs=0.01)
    assert summary.attrs["after_until"] == 1 and summary.attrs["n_families"] == 6
    # Without `until` nothing changes (the CLI summary relies on it).
    plain = metrics.progress_summary(measurements)
    assert plain.set_index("leefgebied").loc["Wonen", "n"] == 5 and plain.attrs["after_until"] == 0
    # Undated scores count: with y2's date removed it is back in.
    undated = measurements.copy()
    undated.loc[undated["family"] == "y2", "measured_on"] = pd.NaT
    assert metrics.progress_summary(undated, until=PEIL).set_index("leefgebied").loc["Wonen", "n"] == 5


def test_organisation_comparison_until_and_leefgebieden_per_family(measurements):
    # Scored leefgebieden per family: X x1 2, x2 1, x3 1 → 4/3; Y y1 2, y2 1, y4 1, y5 1 → 5/4; all 9/7.
    table = pg.organisation_comparison(pg.family_outcomes(measurements), min_n=3)
    by_org = table.set_index("organisation")
    assert by_org.loc["X", "leefgebieden_mean"] == pytest.approx(4 / 3)
    assert by_org.loc["Y", "leefgebieden_mean"] == pytest.approx(5 / 4)
    assert table.attrs["pooled"]["leefgebieden_mean"] == pytest.approx(9 / 7)
    # Until PEIL y2 (only score 01-12-2021) drops out: Y n 3 (y1, y4, y5), high y4 → 1/3, and is counted apart.
    until = pg.organisation_comparison(pg.family_outcomes(measurements, until=PEIL), min_n=3).set_index(
        "organisation")
    assert until.loc["Y", ["n", "high"]].tolist() == [3, 1]
    assert until.loc["Y", "leefgebieden_mean"] == pytest.approx(4 / 3)
    assert until.attrs["after_until"] == 1


def test_coverage_until(measurements):
    families = pd.DataFrame({"family": ["x1", "x2", "x3", "y1", "y2", "y3", "y4", "y5"],
                             "organisation": ["X"] * 3 + ["Y"] * 5})
    cov = pg.coverage(families, measurements, until=PEIL).set_index("organisation")
    # Y: y1, y4, y5 scored by PEIL; y2 only after it (not "without score"); y3 only n.v.t.
    assert cov.loc["Y", ["with_score", "without_score", "after_until"]].tolist() == [3, 1, 1]
    assert cov.attrs["after_until"] == 1 and cov.attrs["without"] == 1


def test_organisation_table_shows_leefgebieden_per_family(measurements):
    table = charts.progress_organisation_table(pg.organisation_comparison(pg.family_outcomes(measurements), 3))
    column = charts.LEEFGEBIEDEN_MEAN_TITLE
    assert table.set_index("Organisatie")[column].to_dict() == {"X": "1,3", "Y": "1,3",
                                                                "Alle organisaties samen": "1,3"}
    spec = charts.progress_organisation_chart(pg.organisation_comparison(pg.family_outcomes(measurements), 3)).to_dict()
    dots = spec["layer"][2]
    assert "leefgebieden_mean" in {t["field"] for t in dots["encoding"]["tooltip"]}
    # For one leefgebied every family has one: the column is not shown.
    wonen = charts.progress_organisation_table(pg.organisation_comparison(pg.family_outcomes(measurements, "Wonen")))
    assert column not in wonen.columns



def test_severity_chart_whiskers_small_bars_and_table():
    share = metrics.severity_share(all_rows(), min_n=3)
    spec = charts.severity_bars(share).to_dict()
    inner, _labels = spec["layer"]
    bars, whiskers = inner["layer"]
    assert bars["mark"]["type"] == "bar" and whiskers["mark"]["type"] == "rule"
    assert whiskers["encoding"]["x"]["field"] == "pct_lo" and whiskers["encoding"]["x2"]["field"] == "pct_hi"
    assert spec["encoding"]["opacity"]["scale"] == {"domain": ["n ≥ 3", "n < 3"], "range": [1.0, 0.4]}
    rows = {(r["label"], r["moment"]): r for r in _data(spec)}
    t0, t1 = rows[("Schulden (ouder)", "T0")], rows[("Schulden (ouder)", "T1")]
    assert (t0["pct_ci"], t0["groep"], t0["let_op"]) == ("66,7% (95%-BI 20,8–93,9%)", "n ≥ 3", "")
    assert (t1["groep"], t1["let_op"]) == ("n < 3", "n < 3: voorzichtig vergelijken")
    assert {"pct_ci", "let_op"} <= {t["field"] for t in spec["encoding"]["tooltip"]}
    table = charts.severity_table(share)
    first = table.iloc[0]
    assert (first["Meetmoment"], first["95%-BI"], first["Let op"]) == ("T0", "20,8–93,9%", "")
    assert first[charts.SEVERITY_UNANSWERED_TITLE] == 1  # d's T0
    assert charts.severity_groups(share)["Schulden (ouder) T1"] == 2


def test_direction_chart_interval_in_tooltip_and_small_bars():
    direction = metrics.direction_of_change(all_rows(), min_n=3)
    spec = charts.direction_bars(direction).to_dict()
    enc = spec["spec"]["encoding"]
    assert enc["opacity"]["field"] == "groep"
    assert {"pct_ci", "let_op"} <= {t["field"] for t in enc["tooltip"]}
    rows = {(r["leefgebied"], r["instrument"], r["richting"]): r for r in _data(spec)}
    assert rows[("Financiën", "zrm", "verbeterd")]["pct_ci"] == "66,7% (95%-BI 20,8–93,9%)"
    assert rows[("Gezondheid", "zrm", "gelijk")]["groep"] == "n < 3"
    table = charts.direction_table(direction)
    zrm = table[(table["Leefgebied"] == "Financiën") & (table["Instrument"] == "ZRM")].iloc[0]
    assert (zrm["95%-BI verbeterd"], zrm["95%-BI gelijk"], zrm["Let op"]) == ("20,8–93,9%", "0,0–56,1%", "")
    assert charts.direction_groups(direction)["Gezondheid · ZRM"] == 1


def test_zrm_chart_small_points():
    levels = metrics.zrm_levels(all_rows(), min_n=3)
    spec = charts.zrm_level_lines(levels).to_dict()
    points = spec["layer"][1]
    assert points["encoding"]["opacity"]["field"] == "groep"
    rows = {(r["leefgebied"], r["moment"]): r for r in _data(spec, points)}
    assert rows[("Financiën", "T0")]["groep"] == "n ≥ 3" and rows[("Financiën", "T2")]["groep"] == "n < 3"
    assert "let_op" in {t["field"] for t in points["encoding"]["tooltip"]}
    assert charts.zrm_groups(levels) == {"Financiën T0": 3, "Financiën T1": 3, "Financiën T2": 2,
                                               "Financiën T10": 1, "Financiën T-alternatief": 1,
                                               "Gezondheid T0": 2, "Gezondheid T1": 1}
