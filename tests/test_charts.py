"""Chart builders: build from metrics output on small frames and inspect the Vega-Lite spec."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components import charts
from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

T = pd.Timestamp
PEIL = dt.date(2021, 10, 31)


def _values(spec: dict, layer: int | None = None) -> list[dict]:
    """The inline rows of a chart (or of one layer of a layered chart)."""
    part = spec["layer"][layer] if layer is not None else spec
    name = (part.get("data") or spec.get("data"))["name"]
    return spec["datasets"][name]


@pytest.fixture
def requests() -> pd.DataFrame:
    # 3 families, 4 requests: Financiën 2 families (66.7 %) and 2 requests (50 %).
    return pd.DataFrame({
        "family": ["f1", "f1", "f2", "f3"],
        "leefgebied": ["Financiën", "Sociaal", "Financiën", "Wonen"],
        "categorie": ["Schulden", None, "Acute nood", None],
    })


@pytest.fixture
def families() -> pd.DataFrame:
    return pd.DataFrame({"family": ["f1", "f2", "f3", "f4"]})


@pytest.mark.parametrize("measure, title", [("families_pct", "% van de gezinnen"), ("requests_pct", "% van de hulpvragen")])
def test_needs_bars_measure_and_title(requests, measure, title):
    spec = charts.needs_bars(metrics.needs(requests), measure).to_dict()
    assert spec["encoding"]["x"]["field"] == measure
    assert spec["encoding"]["x"]["title"] == title
    assert title in spec["title"]
    assert spec["encoding"]["y"]["sort"][:3] == ["Financiën", "Gezondheid", "Wonen"]
    fin = next(r for r in _values(spec) if r["leefgebied"] == "Financiën")
    assert fin["families_pct"] == pytest.approx(200 / 3)
    assert fin["requests_pct"] == pytest.approx(50.0)
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"families_pct", "requests_pct", "families", "requests"}
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_needs_detail_bars_label_missing_category(requests):
    spec = charts.needs_detail_bars(metrics.needs_detail(requests), "requests_pct").to_dict()
    rows = _values(spec)
    assert [r["label"] for r in rows] == [
        "Financiën · Schulden", "Financiën · Acute nood", "Wonen · (geen categorie)", "Sociaal · (geen categorie)"]
    assert spec["encoding"]["y"]["sort"] == [r["label"] for r in rows]
    assert spec["encoding"]["x"]["field"] == "requests_pct"
    assert "% van de hulpvragen" in spec["title"]
    assert all(r["requests_pct"] == pytest.approx(25.0) for r in rows)


def test_needs_tables_show_both_measures(requests):
    table = charts.needs_table(metrics.needs(requests))
    fin = table.set_index("Leefgebied").loc["Financiën"]
    assert fin["% van de gezinnen"] == "66,7 %"
    assert fin["% van de hulpvragen"] == "50,0 %"
    detail = charts.needs_table(metrics.needs_detail(requests))
    assert (detail["Categorie"] == charts.NO_CATEGORY).sum() == 2


def test_requests_per_family_bars(requests, families):
    spec = charts.requests_per_family_bars(metrics.requests_per_family(requests, families)).to_dict()
    assert {r["aantal_hulpvragen"]: r["gezinnen"] for r in _values(spec)} == {0: 1, 1: 2, 2: 1}
    assert spec["encoding"]["x"]["field"] == "aantal_hulpvragen"
    assert spec["encoding"]["y"]["title"] == "Aantal gezinnen"


@pytest.fixture
def trajectories() -> pd.DataFrame:
    return pd.DataFrame({
        "family": ["a", "b", "c", "d", "e", "f"],
        "status": [tx.STATUS_AFGEROND, tx.STATUS_AFGEROND, tx.STATUS_LOPEND, tx.STATUS_LOPEND, tx.STATUS_AFGEROND,
                   tx.STATUS_AFGEROND],
        "start_date": [T("2020-01-15"), T("2020-01-15"), T("2021-01-01"), T("2019-01-01"), T("2020-01-01"),
                       T("2021-12-01")],
        # a: 6 months (6-12); b: 5 (0-6); c: 9 lopend (6-12); d: 33 lopend (24-36); e: afgerond without end and
        # f: started after the peildatum → both left out
        "end_date": [T("2020-07-15"), T("2020-07-14"), pd.NaT, pd.NaT, pd.NaT, T("2022-03-01")],
    })


def test_duration_bars(trajectories):
    spec = charts.duration_bars(metrics.duration_table(trajectories, PEIL)).to_dict()
    got = {(r["months"], r["status"]): r["trajecten"] for r in _values(spec)}
    assert got[("6-12", tx.STATUS_AFGEROND)] == 1 and got[("6-12", tx.STATUS_LOPEND)] == 1
    assert got[("0-6", tx.STATUS_AFGEROND)] == 1 and got[("24-36", tx.STATUS_LOPEND)] == 1
    assert sum(got.values()) == 4
    assert spec["encoding"]["x"]["sort"] == ["0-6", "6-12", "12-18", "18-24", "24-36", "36+"]
    assert spec["encoding"]["xOffset"]["field"] == "status"
    assert spec["encoding"]["color"]["scale"]["domain"] == [tx.STATUS_AFGEROND, tx.STATUS_LOPEND]


def test_duration_table_nl_totals(trajectories):
    table = charts.duration_table_nl(metrics.duration_table(trajectories, PEIL)).set_index("Maanden")
    assert table.loc["Totaal"].tolist() == [2, 2, 4]
    assert table.loc["6-12"].tolist() == [1, 1, 2]


def test_duration_histogram_rules_and_exclusions(trajectories):
    spec = charts.duration_histogram(metrics.trajectory_durations(trajectories, PEIL)).to_dict()
    bars, rules = spec["layer"]
    assert len(_values(spec, 0)) == 4  # no end date / started after the peildatum: left out
    assert sorted(round(r["months"]) for r in _values(spec, 0)) == [6, 6, 10, 34]
    assert bars["encoding"]["x"]["bin"]["step"] == 1
    assert [r["months"] for r in _values(spec, 1)] == [6, 12, 18, 24]
    assert rules["mark"]["type"] == "rule"
    assert sorted(r["status"] for r in _values(spec, 0)) == [tx.STATUS_AFGEROND] * 2 + [tx.STATUS_LOPEND] * 2


def test_duration_histogram_uses_status_at_peildatum(trajectories):
    # At 2020-06-30 trajectory a (ended 2020-07-15) was still running: lopend, not afgerond.
    spec = charts.duration_histogram(metrics.trajectory_durations(trajectories, dt.date(2020, 6, 30))).to_dict()
    rows = _values(spec, 0)
    assert len(rows) == 3 and all(r["status"] == tx.STATUS_LOPEND for r in rows)
    assert spec["title"] == "Verdeling van de trajectduur"


@pytest.fixture
def measurements() -> pd.DataFrame:
    rows = [  # family, leefgebied, date, value, n.v.t.
        ("a", "Financiën", "2020-03-01", 2, False), ("a", "Financiën", "2020-07-01", 4, False),
        ("b", "Financiën", "2020-05-01", 5, False), ("b", "Financiën", "2020-06-01", None, True),
        ("c", "Financiën", "2020-05-01", 1, False),
        ("a", "Wonen", "2020-05-01", None, True),
        ("c", "Sociaal", "2021-06-01", 3, False),
    ]
    frame = pd.DataFrame(rows, columns=["family", "leefgebied", "measured_on", "value", "not_applicable"])
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["instrument"] = tx.VOORTGANG_INSTRUMENT
    frame["id"] = range(len(frame))
    return frame


def test_progress_bars_normalized_and_red_to_green(measurements):
    summary = metrics.progress_summary(measurements)
    spec = charts.progress_bars(metrics.progress_distribution(summary), summary).to_dict()
    enc = spec["encoding"]
    assert enc["x"]["stack"] == "normalize"
    assert enc["x"]["field"] == "gezinnen"
    assert enc["color"]["field"] == "score"
    assert enc["color"]["scale"]["domain"] == [1, 2, 3, 4, 5]
    assert enc["color"]["scale"]["range"] == ["#C0392B", "#E67E22", "#F1C40F", "#7FB77E", "#2E7D32"]
    assert "negatieve ontwikkeling" in enc["color"]["legend"]["labelExpr"]
    rows = _values(spec)
    assert {r["leefgebied"] for r in rows} == {"Financiën", "Sociaal"}  # Wonen has only n.v.t.
    fin = {r["score"]: r for r in rows if r["leefgebied"] == "Financiën"}
    assert fin[4]["gezinnen"] == 1 and fin[5]["gezinnen"] == 1 and fin[1]["gezinnen"] == 1
    assert fin[4]["n"] == 3 and fin[4]["mean"] == pytest.approx(10 / 3)
    assert fin[5]["score_label"] == "5 = positieve ontwikkeling, geen steun meer nodig"
    assert {t["field"] for t in enc["tooltip"]} >= {"n", "mean", "pct"}


def test_progress_table(measurements):
    table = charts.progress_table(metrics.progress_summary(measurements)).set_index("Leefgebied")
    assert list(table.index) == ["Financiën", "Wonen", "Sociaal"]
    assert table.loc["Financiën", "n"] == 3 and table.loc["Financiën", "Gemiddelde"] == "3,3"
    assert table.loc["Wonen", "n"] == 0 and table.loc["Wonen", "n.v.t. (telt niet mee)"] == 1
    assert table.loc["Wonen", "Gemiddelde"] == "–"


@pytest.fixture
def hours() -> pd.DataFrame:
    rows = [  # family, support type, date, hours, n.v.t.
        ("a", "Regelzaken", "2020-01-15", 4.0, False), ("a", "Regelzaken", "2020-07-01", 1.0, False),
        ("b", "Regelzaken", "2020-01-15", 2.0, False), ("b", "Regelzaken", "2020-06-01", 0.0, False),
        ("a", "Gesprekken met gezin", "2020-01-15", 1.5, False),
        ("a", "Groepsactiviteit ouder", "2020-07-01", 1.5, False),
        ("b", "Ondersteuning door maatje", "2020-01-15", None, True),
    ]
    frame = pd.DataFrame(rows, columns=["family", "support_type", "measured_on", "hours_per_week", "not_applicable"])
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    frame["id"] = range(len(frame))
    return frame


def test_hours_bars_investment_vs_participation(hours):
    table = metrics.hours_first_latest(hours)
    spec = charts.hours_bars(table, tx.INVESTMENT).to_dict()
    bars, labels = spec["layer"]
    rows = _values(spec)
    assert {r["support_type"] for r in rows} == {"Regelzaken", "Gesprekken met gezin"}  # n = 0 left out
    assert {r["kind"] for r in rows} == {tx.INVESTMENT}
    reg = {r["moment"]: r for r in rows if r["support_type"] == "Regelzaken"}
    assert reg["start"]["mean_hours_per_week"] == pytest.approx(3.0) and reg["start"]["n"] == 2
    assert reg["latest"]["mean_hours_per_week"] == pytest.approx(0.5) and reg["latest"]["n_label"] == "n = 2"
    assert reg["start"]["hours_text"] == "3 u"
    enc = spec["encoding"] if "encoding" in spec else bars["encoding"]
    assert enc["x"]["field"] == "mean_hours_per_week"
    assert enc["yOffset"]["field"] == "moment_label"
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "n_label"
    assert "Inzet" in spec["title"]

    part = charts.hours_bars(table, tx.PARTICIPATION).to_dict()
    assert [(r["support_type"], r["moment"]) for r in _values(part)] == [
        ("Groepsactiviteit ouder", "start"), ("Groepsactiviteit ouder", "latest")]
    assert "Deelname" in part["title"] and "geen inzet" in part["title"]


def test_hours_table_and_text(hours):
    table = charts.hours_table(metrics.hours_first_latest(hours)).set_index("Soort steun")
    reg = table.loc["Regelzaken"]
    assert (reg["n eerste meting"], reg["uur/week eerste meting"]) == (2, "3,0")
    assert (reg["n laatste meting"], reg["uur/week laatste meting"]) == (2, "0,5")
    assert table.loc["Ondersteuning door maatje", "n.v.t. eerste meting"] == 1
    assert table.loc["Groepsactiviteit ouder", "Soort"] == "deelname (uitkomst)"
    assert charts.hours_text(4 + 5 / 60) == "4 u 5 min"
    assert charts.hours_text(50 / 60) == "50 min"
    assert charts.hours_text(float("nan")) == "–"


def test_overview_bars_unchanged():
    table = pd.DataFrame({"organisatie": ["X"], "lopend": [2], "afgerond": [1]})
    spec = charts.overview_bars(table).to_dict()
    assert spec["encoding"]["x"]["field"] == "gezinnen" and spec["encoding"]["x"]["aggregate"] == "sum"


# -- ZRM, ernst, richting van verandering, intensiteit -----------------------------------------
from tests.test_instruments import all_rows  # noqa: E402  (the hand-computed instrument fixture)
from tests.test_metrics import _contact_frames  # noqa: E402


def test_zrm_level_lines_moments_in_order_and_n_in_tooltip():
    levels = metrics.zrm_levels(all_rows())
    spec = charts.zrm_level_lines(levels).to_dict()
    line, points = spec["layer"]
    assert line["mark"]["type"] == "line" and points["mark"]["type"] == "point"
    enc = spec["encoding"] if "encoding" in spec else line["encoding"]
    assert enc["x"]["field"] == "moment" and enc["x"]["sort"] == ["T0", "T1", "T2", "T10", "T-alternatief"]
    assert enc["y"]["field"] == "mean" and enc["y"]["scale"]["domain"] == [1, 5]
    assert enc["color"]["field"] == "leefgebied"
    assert {t["field"] for t in enc["tooltip"]} >= {"moment", "mean", "n"}
    rows = {(r["leefgebied"], r["moment"]): r for r in _values(spec, 1)}
    assert rows[("Financiën", "T1")]["n"] == 3 and rows[("Financiën", "T1")]["mean"] == pytest.approx(11 / 3)
    # T-alternatief (an estimate) is a point, not part of the line through the measured moments.
    assert rows[("Financiën", "T-alternatief")]["soort"] == "schatting zonder steun"
    assert "T-alternatief" not in {r["moment"] for r in _values(spec, 0)}
    assert points["encoding"]["shape"]["field"] == "soort"
    assert "ZRM" in spec["title"]
    table = charts.zrm_table(levels).set_index("Leefgebied")
    assert table.loc["Financiën", "T1"] == "3,7 (n = 3)" and table.loc["Gezondheid", "T2"] == "–"


def test_severity_bars_pct_per_indicator_and_moment_with_n():
    share = metrics.severity_share(all_rows())
    spec = charts.severity_bars(share).to_dict()
    bars, labels = spec["layer"]
    enc = spec["encoding"] if "encoding" in spec else bars["encoding"]
    assert enc["x"]["field"] == "pct" and enc["x"]["scale"]["domain"] == [0, 100]
    assert enc["yOffset"]["field"] == "moment" and enc["yOffset"]["sort"] == ["T0", "T1", "T2"]
    assert enc["y"]["sort"] == ["Schulden (ouder)", "Gedrag (kind)", "Opvoeding (ouder)"]
    assert {t["field"] for t in enc["tooltip"]} >= {"pct", "n", "middel_zwaar", "eenheid"}
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "n_label"
    rows = {(r["label"], r["moment"]): r for r in _values(spec)}
    assert rows[("Schulden (ouder)", "T1")]["n_label"] == "N = 2"
    assert rows[("Schulden (ouder)", "T1")]["pct"] == pytest.approx(50.0)
    assert "middel + zwaar" in spec["title"]
    table = charts.severity_table(share)
    assert table.loc[0, ["Indicator", "Eenheid", "Meetmoment", "N (bekend)", "% middel + zwaar"]].tolist() == [
        "Schulden", "ouder", "T0", 3, "66,7 %"]


def test_direction_bars_one_panel_per_instrument_never_combined():
    direction = metrics.direction_of_change(all_rows())
    spec = charts.direction_bars(direction).to_dict()
    assert spec["facet"]["column"]["field"] == "instrument_label"
    assert spec["facet"]["column"]["sort"] == ["Voortgangsscore", "ZRM", "Ernst van problemen"]
    enc = spec["spec"]["encoding"]
    assert enc["x"]["stack"] == "normalize" and enc["x"]["field"] == "gezinnen"
    assert enc["color"]["field"] == "richting"
    assert enc["color"]["scale"]["domain"] == ["verbeterd", "gelijk", "verslechterd"]
    assert enc["y"]["sort"] == ["Financiën", "Gezondheid", "Sociaal"]
    assert {t["field"] for t in enc["tooltip"]} >= {"n", "pct", "een_meetmoment", "instrument_label"}
    rows = _values(spec)
    assert {r["instrument"] for r in rows} == {"voortgangsscore", "zrm", "ernst"}
    # Each bar belongs to one instrument and adds up to its own n: nothing is pooled across instruments.
    for (lg, instrument), group in pd.DataFrame(rows).groupby(["leefgebied", "instrument"]):
        assert group["gezinnen"].sum() == group["n"].iloc[0]
        assert len(group) == 3
    zrm = {r["richting"]: r for r in rows if (r["leefgebied"], r["instrument"]) == ("Financiën", "zrm")}
    assert zrm["verbeterd"]["gezinnen"] == 2 and zrm["verbeterd"]["een_meetmoment"] == 2
    table = charts.direction_table(direction)
    row = table[(table["Leefgebied"] == "Financiën") & (table["Instrument"] == "ZRM")].iloc[0]
    assert (row["n"], row["Verbeterd"], row["% verbeterd"], row["één meetmoment (telt niet mee)"]) == (
        3, 2, "66,7 %", 2)


def test_intensity_lines_per_organisation():
    hours, tr = _contact_frames()
    spec = charts.intensity_lines(metrics.intensity_curve(hours, tr)).to_dict()
    line, points = spec["layer"]
    enc = spec["encoding"] if "encoding" in spec else line["encoding"]
    assert enc["x"]["field"] == "month" and enc["x"]["type"] == "quantitative"
    assert enc["y"]["field"] == "mean_hours_per_week"
    assert enc["color"]["field"] == "organisation"
    assert {t["field"] for t in enc["tooltip"]} >= {"n", "month", "mean_hours_per_week"}
    rows = {(r["organisation"], r["month"]): r for r in _values(spec)}
    assert rows[("X", 0)]["n"] == 2 and rows[("X", 2)]["n"] == 1
    assert rows[("X", 3)]["hours_text"] == "0 min"
    assert "trajectmaand" in spec["title"]


def test_hours_table_shows_contact_log_share():
    hours, tr = _contact_frames()
    table = charts.hours_table(metrics.hours_first_latest(hours, tr)).set_index("Soort steun")
    assert table.loc["Regelzaken", "n eerste meting"] == 3
    assert table.loc["Regelzaken", "waarvan contactlog eerste meting"] == 2
