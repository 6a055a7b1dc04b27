"""Small-cell suppression (issue 5 point 5) on Voortgang and Inzet: the metric functions under an owner and a
non-owner audience, complementary suppression of a partition, an organisatie on its own rows, and the pages
for a fonds on the six sample organisations (no shown count 1..9, no per-family value in the charts) and for
the beheerder (unchanged)."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from components import charts
from gezinsmonitor import disclosure, investment, metrics
from gezinsmonitor import progress as pg
from gezinsmonitor import suppression
from gezinsmonitor.permissions import Principal
from tests import apptest as ui

K = 10
FONDS = disclosure.Audience(frozenset(), K)
PEIL = dt.date(2024, 6, 30)


def _small(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and value == value and 0 < value < K


# -- synthetic data: two organisations, one large and one small ---------------------------------
def _voortgang(org: str, scores: dict[str, list[int]], nvt: dict[str, int] | None = None,
               start: int = 0) -> list[dict]:
    """Latest voortgangsscore rows: per leefgebied a list of scores, one family each (family ids shared across
    leefgebieden, so family i has the i-th score of every leefgebied)."""
    rows = []
    for lg, values in scores.items():
        for i, value in enumerate(values):
            rows.append({"family": f"{org}-{start + i}", "organisation": org, "instrument": "voortgangsscore",
                         "leefgebied": lg, "value": float(value), "not_applicable": False, "moment": "T1",
                         "measured_on": pd.Timestamp("2024-01-01"), "indicator": None, "unit": None})
        for j in range((nvt or {}).get(lg, 0)):
            rows.append({"family": f"{org}-nvt-{lg}-{j}", "organisation": org, "instrument": "voortgangsscore",
                         "leefgebied": lg, "value": None, "not_applicable": True, "moment": "T1",
                         "measured_on": pd.Timestamp("2024-01-01"), "indicator": None, "unit": None})
    return rows


@pytest.fixture
def scores() -> pd.DataFrame:
    # Wonen: A has 30 families (scores 1×2, 2×8, 3×10, 4×6, 5×4), B 12 (all 3). n = 42; score 1: 2 (small), 2: 8
    # (small); 4–5: 10, 1–3: 32. Financiën: only B's 5 families → n = 5 (small).
    wonen_a = [1] * 2 + [2] * 8 + [3] * 10 + [4] * 6 + [5] * 4
    rows = _voortgang("A", {"Wonen": wonen_a}, nvt={"Wonen": 3}) + _voortgang(
        "B", {"Wonen": [3] * 12, "Financiën": [4] * 5})
    frame = pd.DataFrame(rows)
    frame["id"] = range(len(frame))
    return frame


# -- helpers ------------------------------------------------------------------------------------
def test_split_cells_hides_a_partner_so_no_small_cell_can_be_recovered():
    # 3 + 15 + 20 = 38: '<10' alone could be recovered from the total; its smallest shown partner goes too.
    hidden, sub, total = disclosure.split_cells({"a": 3, "b": 15, "c": 20}, k=K)
    assert hidden == {"a", "b"} and not total
    # With a subtotal (b + c, like score 4–5) that is itself shown, each part is protected on its own.
    hidden, sub, total = disclosure.split_cells({"a": 12, "b": 3, "c": 20, "d": 0}, high=("c", "d"), k=K)
    assert "b" in hidden and not sub and not total
    assert suppression.protect_partition(pd.Series([12, 3]), k=K)["status"].tolist() == ["secondary", "primary"]


def test_suppress_rows_hides_a_complement_against_the_shown_total():
    hidden, total = disclosure.suppress_rows([[30, 4, 25]], K)
    assert hidden == {1, 2} and not total  # 4 alone would be total − 55; the smallest other row goes too
    hidden, total = disclosure.suppress_rows([[30, 0, 25]], K)
    assert hidden == set() and not total
    hidden, total = disclosure.suppress_rows([[3, 4]], K)  # total 7 is itself small
    assert total


# -- metric functions: owner and non-owner --------------------------------------------------------
def test_progress_summary_owner_unchanged_non_owner_protected(scores):
    owner = metrics.progress_summary(scores)
    assert disclosure.HIDDEN not in owner and owner.set_index("leefgebied").at["Financiën", "n"] == 5
    with disclosure.audience(FONDS):
        protected = metrics.progress_summary(scores).set_index("leefgebied")
        distribution = metrics.progress_distribution(metrics.progress_summary(scores))
    # Financiën: n = 5 < 10 → the whole leefgebied hidden.
    fin = protected.loc["Financiën"]
    assert fin[disclosure.HIDDEN] and math.isnan(fin["n"]) and fin["counts"] is None and math.isnan(fin["high_pct"])
    # Wonen: n = 42 shown; score 1 (2) and 2 (8) are small, 1–3 = 32 and 4–5 = 10 are shown as subtotals.
    wonen = protected.loc["Wonen"]
    assert wonen["n"] == 42 and not wonen[disclosure.HIDDEN]
    assert wonen["counts"]["1"] is None and wonen["counts"]["2"] is None and wonen["counts"]["3"] == 22
    assert wonen["high"] == 10 and wonen["high_pct"] == pytest.approx(100 * 10 / 42)
    # 4 (6) and 5 (4) are both small: hidden; their subtotal 10 is shown, so neither can be recovered alone.
    assert wonen["counts"]["4"] is None and wonen["counts"]["5"] is None
    assert math.isnan(wonen["mean"])  # the mean would be one more equation to solve the hidden scores with
    assert math.isnan(wonen["nvt"])  # 3 n.v.t. is small
    # The long form carries the same: hidden cells NaN and verborgen; no count 1..9 left.
    assert distribution.attrs["k"] == K
    shown = distribution[~distribution[disclosure.HIDDEN]]
    assert not any(_small(v) for v in shown["gezinnen"]) and not any(_small(v) for v in shown["n"])
    assert distribution[disclosure.HIDDEN].sum() == 5 + 4  # Financiën's five scores, Wonen's 1, 2, 4, 5


def test_progress_summary_partition_needs_a_complementary_cell():
    # One leefgebied, one organisation of 25: scores 3 → 4, 4 → 9, 5 → 12 (1, 2: none). 4–5 = 21, 1–3 = 4 (small):
    # the share 4–5 would give 1–3 back, so the whole distribution is one partition: 3 (4) and 4 (9) are
    # '<10'; with the total 25 and 5 (12) shown, 4 + 9 = 13 would still pin nothing down alone, but the
    # subtotal is hidden with them.
    frame = pd.DataFrame(_voortgang("A", {"Wonen": [3] * 4 + [4] * 9 + [5] * 12}))
    frame["id"] = range(len(frame))
    with disclosure.audience(FONDS):
        wonen = metrics.progress_summary(frame).set_index("leefgebied").loc["Wonen"]
    assert wonen["n"] == 25
    assert wonen["counts"]["3"] is None and wonen["counts"]["4"] is None and wonen["counts"]["5"] == 12
    assert math.isnan(wonen["high"]) and math.isnan(wonen["high_pct"])
    # A single small cell beside shown ones: 3 → 2, 4 → 11, 5 → 12 (n 25). 2 = 25 − 23 would be recovered:
    # the smallest other cell (11) is hidden as its complement.
    frame = pd.DataFrame(_voortgang("A", {"Wonen": [3] * 2 + [4] * 11 + [5] * 12}))
    frame["id"] = range(len(frame))
    with disclosure.audience(FONDS):
        wonen = metrics.progress_summary(frame).set_index("leefgebied").loc["Wonen"]
    hidden = {score for score, count in wonen["counts"].items() if count is None}
    assert hidden == {"3", "4"}
    assert wonen["counts"]["5"] == 12 and wonen["counts"]["1"] == 0


def test_organisatie_on_its_own_rows_sees_everything(scores):
    own = scores[scores["organisation"] == "B"]
    with disclosure.audience(disclosure.Audience(frozenset({"B"}), K)):
        summary = metrics.progress_summary(own)
        levels = metrics.direction_of_change(own)
    assert disclosure.HIDDEN not in summary and summary.set_index("leefgebied").at["Financiën", "n"] == 5
    assert disclosure.HIDDEN not in levels
    # …but the same organisation looking at both organisations' rows gets the protected figures.
    with disclosure.audience(disclosure.Audience(frozenset({"B"}), K)):
        both = metrics.progress_summary(scores)
    assert disclosure.is_protected(both)


def test_organisation_comparison_and_duration_classes(scores):
    outcomes = pg.family_outcomes(scores, "Wonen")
    assert disclosure.HIDDEN not in pg.organisation_comparison(outcomes, 20)
    with disclosure.audience(FONDS):
        comparison = pg.organisation_comparison(outcomes, 20).set_index("organisation")
    # A: n 30, 4–5 = 10, 1–3 = 20, n.v.t. 3 (small) → hidden, with its mean and counts per score. The pooled
    # n.v.t. would be those same 3 (B has none): a small total, so the pooled figures are hidden instead of B.
    assert comparison.at["A", disclosure.HIDDEN] and math.isnan(comparison.at["A", "n"])
    assert comparison.loc["A", ["high", "pct", "nvt"]].isna().all()
    assert comparison.attrs["pooled"]["verborgen"] and math.isnan(comparison.attrs["pooled"]["nvt"])
    assert comparison.at["B", "n"] == 12 and comparison.at["B", "high"] == 0
    assert comparison[[str(s) for s in range(1, 6)] + ["mean"]].isna().all().all()  # never per organisation
    # Without A's n.v.t. the pool is shown, and then A (30) and B (12) stay: nothing small anywhere.
    with disclosure.audience(FONDS):
        clean = pg.organisation_comparison(pg.family_outcomes(scores[~scores["not_applicable"]], "Wonen"), 20)
    assert not clean[disclosure.HIDDEN].any() and not clean.attrs["pooled"]["verborgen"]
    trajectories = pd.DataFrame({
        "family": sorted(set(outcomes["family"])), "organisation": None, "status": "afgerond",
        "start_date": pd.Timestamp("2023-01-01"), "end_date": pd.Timestamp("2023-04-01")})
    trajectories["organisation"] = trajectories["family"].str[0]
    durations = metrics.trajectory_durations(trajectories, PEIL)
    with disclosure.audience(FONDS):
        classes = pg.duration_classes(outcomes, durations, 20)
    shown = classes[~classes[disclosure.HIDDEN]]
    assert not any(_small(v) for col in ("n", "high") for v in shown[col])
    assert not any(_small(v) for v in shown["n"] - shown["high"])


def _zrm_and_ernst() -> pd.DataFrame:
    rows = []
    for org, families in (("A", 25), ("B", 4)):
        for i in range(families):
            for moment, value in (("T0", 2 + i % 2), ("T1", 3 + (i % 3 == 0))):
                rows.append({"family": f"{org}{i}", "organisation": org, "instrument": "zrm", "leefgebied": "Wonen",
                             "value": float(value), "not_applicable": False, "moment": moment,
                             "measured_on": None, "indicator": None, "unit": None})
                rows.append({"family": f"{org}{i}", "organisation": org, "instrument": "ernst",
                             "leefgebied": "Financiën", "indicator": "Schulden", "unit": "gezin",
                             "value": float((i + (moment == "T1")) % 4), "not_applicable": False, "moment": moment,
                             "measured_on": None})
    frame = pd.DataFrame(rows)
    frame["id"] = range(len(frame))
    return frame


def test_zrm_severity_and_direction_hide_small_cells():
    m = _zrm_and_ernst()
    with disclosure.audience(FONDS):
        levels = metrics.zrm_levels(m, min_n=20)
        share = metrics.severity_share(m, min_n=20)
        direction = metrics.direction_of_change(m, min_n=20)
    assert levels["n"].tolist() == [29, 29]  # 25 + 4 families: shown
    for frame, counts in ((share, ["n", *metrics.SEVERITY_LEVELS.values(), "middel_zwaar", "unanswered"]),
                          (direction, ["n", *metrics.DIRECTIONS, "een_meetmoment"])):
        assert disclosure.is_protected(frame)
        for col in counts:
            assert not any(_small(v) for v in frame[col]), col
        # A share (%) is shown only with its count: never beside a hidden one.
    for name in metrics.DIRECTIONS:
        assert (direction[name].isna() == direction[f"{name}_pct"].isna()).all() or direction["n"].isna().all()
    assert (share["middel_zwaar"].isna() == share["pct"].isna()).all()
    # Owner: unchanged (no verborgen column, the small counts are there).
    owner = metrics.severity_share(m, min_n=20)
    assert disclosure.HIDDEN not in owner and any(_small(v) for v in owner["geen"])


def _hours() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, trajectories = [], []
    for org, families in (("A", 15), ("B", 3)):
        for i in range(families):
            family = f"{org}{i}"
            trajectories.append({"family": family, "organisation": org, "status": "afgerond",
                                 "start_date": pd.Timestamp("2023-01-01"), "end_date": pd.Timestamp("2023-07-01")})
            for moment, date, value in (("start", "2023-01-01", 2.0 + i), ("later", "2023-06-01", 1.0 + i)):
                rows.append({"family": family, "organisation": org, "support_type": "Regelzaken",
                             "moment": moment, "measured_on": pd.Timestamp(date), "hours_per_week": value,
                             "not_applicable": False, "minutes": None})
            if org == "A" and i < 4:  # four buddies: a small group
                rows.append({"family": family, "organisation": org, "support_type": "Ondersteuning door maatje",
                             "moment": "start", "measured_on": pd.Timestamp("2023-01-01"), "hours_per_week": 1.0,
                             "not_applicable": False, "minutes": None})
    return pd.DataFrame(rows), pd.DataFrame(trajectories)


def test_hours_functions_protected_and_per_family_rows_withheld():
    hours, trajectories = _hours()
    owner = metrics.hours_first_latest(hours, trajectories, PEIL)
    assert disclosure.HIDDEN not in owner
    with disclosure.audience(FONDS):
        table = metrics.hours_first_latest(hours, trajectories, PEIL).set_index(["support_type", "moment"])
        total = metrics.professional_total(metrics.hours_first_latest(hours, trajectories, PEIL))
        totals = investment.family_total_hours(hours, trajectories, PEIL)
        weekly = investment.family_weekly_investment(hours, trajectories, PEIL)
        summary = investment.total_hours_by_organisation(hours, trajectories, PEIL).set_index("organisation")
        summary_direct = investment.total_hours_summary(investment._family_total_hours(hours, trajectories, PEIL))
        by_org = investment.investment_by_organisation(hours, trajectories, PEIL, ["A", "B"])
    # Regelzaken: 18 families → shown; maatje: 4 → hidden with its mean.
    assert table.at[("Regelzaken", "start"), "n"] == 18
    buddy = table.loc[("Ondersteuning door maatje", "start")]
    assert buddy[disclosure.HIDDEN] and math.isnan(buddy["n"]) and math.isnan(buddy["mean_hours_per_week"])
    assert total["hours_per_week"].notna().all()  # maatje is no professional type
    # Per-family rows of other organisations never come back.
    assert totals.empty and totals.attrs["rows_withheld"] == 18
    assert weekly.empty
    # B (3 families) is hidden, and A with it (A = Totaal − B would give B back); min and max never shown.
    assert summary.loc[["A", "B"], disclosure.HIDDEN].all() and not summary.at["Totaal", disclosure.HIDDEN]
    assert summary.at["Totaal", "n"] == 18 and summary[["min", "max"]].isna().all().all()
    assert summary_direct[disclosure.HIDDEN].tolist() == summary[disclosure.HIDDEN].tolist()
    for col in ("n_professional", "n_volunteer", "n_total"):
        assert not any(_small(v) for v in by_org[col]), col
    start = by_org[(by_org["moment"] == "start")].set_index("organisation")
    assert math.isnan(start.at["A", "n_volunteer"]) and math.isnan(start.at["Totaal", "n_volunteer"])
    # An organisatie on its own rows: its own families, unprotected.
    with disclosure.audience(disclosure.Audience(frozenset({"B"}), K)):
        own = investment.family_total_hours(hours[hours["organisation"] == "B"],
                                            trajectories[trajectories["organisation"] == "B"], PEIL)
        mixed = investment.family_total_hours(hours, trajectories, PEIL)
    assert len(own) == 3 and disclosure.HIDDEN not in own
    assert set(mixed["organisation"]) == {"B"} and mixed.attrs["rows_withheld"] == 15


def test_registry_lists_the_protected_functions():
    names = set(disclosure.REGISTRY)
    for name in ("metrics.progress_summary", "metrics.progress_distribution", "metrics.zrm_levels",
                 "metrics.severity_share", "metrics.direction_of_change", "metrics.intensity_curve",
                 "metrics.contact_hours_by_month", "metrics.hours_first_latest", "metrics.professional_total",
                 "progress.organisation_comparison", "progress.duration_classes", "progress.coverage",
                 "investment.family_total_hours", "investment.total_hours_summary",
                 "investment.total_hours_by_organisation", "investment.family_weekly_investment",
                 "investment.hours_by_organisation", "investment.investment_by_organisation"):
        assert f"gezinsmonitor.{name}" in names, name
    assert disclosure.REGISTRY["gezinsmonitor.investment.family_total_hours"].row_level


# -- the pages ----------------------------------------------------------------------------------
def _cells(at) -> list:
    return [v for df in at.dataframe for col in df.value.columns for v in df.value[col].tolist()]


def _chart_rows(at) -> list[dict]:
    import pyarrow as pa
    return [row for c in at.get("vega_lite_chart") for d in c.proto.datasets
            for row in pa.ipc.open_stream(d.data.data).read_pandas().to_dict("records")]


COUNT_WORDS = ("n", "gezinnen", "high", "nvt", "n_afgerond", "middel_zwaar", "een_meetmoment", "unanswered",
               *metrics.SEVERITY_LEVELS.values(), *metrics.DIRECTIONS, "n_contactlog", "contacts")


def _as_count(value):
    if isinstance(value, str):
        text = value.replace(".", "")
        return int(text) if text.isdigit() else None
    return value


def _open(monkeypatch, url, page, principal=None):
    at = ui.app_test(monkeypatch, url, samples=True)
    if principal is not None:
        at.session_state["gm_principal"] = principal
    at.run()
    ui.assert_ok(at)
    return ui.open_page(at, page)


@pytest.mark.parametrize("page", ["pages/voortgang.py", "pages/inzet.py"])
def test_fonds_sees_no_small_count_and_no_family_values(monkeypatch, samples_db, samples, page):
    at = _open(monkeypatch, samples_db, page, Principal("f", "fonds"))
    assert at.get("vega_lite_chart"), "the page still shows figures"
    # Tables: no count 1..9 in a count column ('<10' where hidden).
    for df in at.dataframe:
        frame = df.value
        for col in frame.columns:
            if col.startswith(("n", "score ", "N ")) or col in ("Gemiddelde", "waarvan afgerond") or col.lower() in \
                    (*metrics.DIRECTIONS, *metrics.SEVERITY_LEVELS.values()) or col.startswith(("n.v.t.", "één", "waarvan")):
                for value in frame[col]:
                    count = _as_count(value)
                    assert not (col != "Gemiddelde" and _small(count)), (col, value)
    assert any(v in ("<10", "×") for v in _cells(at)), "something was hidden on the samples"
    # Charts: no count column with 1..9, no NaN text, and no per-family value (total_hours of a family).
    for row in _chart_rows(at):
        if charts.HIDDEN_PART in (row.get("score_label"), row.get("richting")):
            # The grey part of a stacked bar: the hidden cells together, n minus the shown ones (known anyway).
            assert row.get("gezinnen_text") == "×" or row.get("pct_ci") == "×"  # hidden: no size claimed
            continue
        for key in COUNT_WORDS:
            if key in row:
                assert not _small(_as_count(row[key])), (key, row)
        assert "total_hours" not in row and "family" not in row
        assert not any(isinstance(v, str) and v.lower() == "nan" for v in row.values())
    if page == "pages/inzet.py":
        assert any("alleen gezinnen van uw eigen organisatie" in c.value for c in at.caption)
        chart = ui.chart_spec(at, "Totaal aantal uren inzet per gezin")
        assert "vconcat" not in chart  # a fund owns no family here: the boxes alone, no empty histogram
    expanders = "\n".join(m.value for e in at.expander for m in e.markdown)
    assert "groepen verborgen" in expanders


@pytest.mark.parametrize("page", ["pages/voortgang.py", "pages/inzet.py"])
def test_beheerder_view_is_unchanged(monkeypatch, samples_db, page):
    plain = _open(monkeypatch, samples_db, page)
    admin = _open(monkeypatch, samples_db, page, Principal("b", "beheerder"))
    assert [df.value.to_dict() for df in plain.dataframe] == [df.value.to_dict() for df in admin.dataframe]
    assert "<10" not in _cells(admin)
    assert ui.chart_specs(plain) == ui.chart_specs(admin)
    # Per-family values do reach the owner's histogram (the fonds gets none).
    if page == "pages/inzet.py":
        assert any("total_hours" in row for row in _chart_rows(admin))
