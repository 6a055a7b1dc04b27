"""ZRM, problem severity and the direction of change across instruments, on small hand-computed frames."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

COLUMNS = ["family", "instrument", "leefgebied", "indicator", "unit", "moment", "value", "not_applicable"]


def frame(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["id"] = range(len(out))
    out["organisation"] = "X"
    out["measured_on"] = pd.NaT  # ZRM and ernst moments often come without a date
    out["value"] = out["value"].astype(float)
    return out


def zrm_rows() -> list[tuple]:
    z = metrics.ZRM_INSTRUMENT
    return [
        # a: Financiën 2 → 4 (+2); Gezondheid from two ZRM domains: +1 and -1, mean 0 → gelijk.
        ("a", z, "Financiën", "Financiën", None, "T0", 2, False),
        ("a", z, "Financiën", "Financiën", None, "T1", 4, False),
        ("a", z, "Gezondheid", "Geestelijke gezondheid", None, "T0", 2, False),
        ("a", z, "Gezondheid", "Geestelijke gezondheid", None, "T1", 3, False),
        ("a", z, "Gezondheid", "Lichamelijke gezondheid", None, "T0", 4, False),
        ("a", z, "Gezondheid", "Lichamelijke gezondheid", None, "T1", 3, False),
        # b: Financiën 1 → 2 → 3 ("t2" is T2): +2; Gezondheid only at T0 → one moment.
        ("b", z, "Financiën", "Financiën", None, "T0", 1, False),
        ("b", z, "Financiën", "Financiën", None, "T1", 2, False),
        ("b", z, "Financiën", "Financiën", None, "t2", 3, False),
        ("b", z, "Gezondheid", "Geestelijke gezondheid", None, "T0", 3, False),
        # c: only T0 (T-alternatief is an estimate, not a second moment) → left out of the direction.
        ("c", z, "Financiën", "Financiën", None, "T0", 3, False),
        ("c", z, "Financiën", "Financiën", None, "T-alternatief", 1, False),
        # d: T0 n.v.t. is not a level → one moment left.
        ("d", z, "Financiën", "Financiën", None, "T0", np.nan, True),
        ("d", z, "Financiën", "Financiën", None, "T1", 5, False),
        # e: T2 = 4, T10 = 2 (T10 comes after T2, not before): -2 → verslechterd.
        ("e", z, "Financiën", "Financiën", None, "T10", 2, False),
        ("e", z, "Financiën", "Financiën", None, "T2", 4, False),
    ]


def ernst_rows() -> list[tuple]:
    e = metrics.ERNST_INSTRUMENT
    return [  # 0 geen, 1 licht, 2 middel, 3 zwaar; "onbekend" answers are not stored
        ("a", e, "Financiën", "Schulden", "ouder", "T0", 3, False),
        ("a", e, "Financiën", "Schulden", "ouder", "T1", 2, False),
        ("a", e, "Financiën", "Schulden", "ouder", "T2", 1, False),
        ("a", e, "Sociaal", "Opvoeding", "ouder", "T0", 2, False),
        ("a", e, "Sociaal", "Opvoeding", "ouder", "T1", 2, False),
        ("a", e, "Sociaal", "Gedrag", "kind", "T0", 3, False),
        ("a", e, "Sociaal", "Gedrag", "kind", "T1", 1, False),
        ("b", e, "Financiën", "Schulden", "ouder", "T0", 2, False),  # T1 onbekend: not stored
        ("b", e, "Financiën", "Schulden", "ouder", "T2", 3, False),
        ("b", e, "Sociaal", "Opvoeding", "ouder", "T0", 1, False),
        ("c", e, "Financiën", "Schulden", "ouder", "T0", 1, False),
        ("d", e, "Financiën", "Schulden", "ouder", "T1", 0, False),  # T0 onbekend: not stored
        ("d", e, "Financiën", "Schulden", "ouder", "T2", 0, False),
    ]


def voortgang_rows() -> list[tuple]:
    v = tx.VOORTGANG_INSTRUMENT
    return [
        ("a", v, "Financiën", None, None, "2020-01-01", 1, False),
        ("a", v, "Financiën", None, None, "2020-06-01", 4, False),  # latest 4 → verbeterd
        ("b", v, "Financiën", None, None, "2020-06-01", 2, False),  # one score is enough: gelijk
        ("c", v, "Financiën", None, None, "2020-06-01", 1, False),  # verslechterd
        ("c", v, "Wonen", None, None, "2020-06-01", np.nan, True),  # n.v.t. only: not counted
    ]


def all_rows() -> pd.DataFrame:
    out = frame(zrm_rows() + ernst_rows() + voortgang_rows())
    v = out["instrument"] == tx.VOORTGANG_INSTRUMENT
    out.loc[v, "measured_on"] = pd.to_datetime(out.loc[v, "moment"])
    return out


def test_moments_in_number_order():
    assert metrics.order_moments(["T10", "T2", "T-alternatief", "T0", "T1"]) == ["T0", "T1", "T2", "T10", "T-alternatief"]
    # The intake's word moments: start first, later last; M1 between T0 and T1.
    assert metrics.order_moments(["later", "T1", "M1", "start", "T0"]) == ["start", "T0", "M1", "T1", "later"]
    assert [metrics.normalise_moment(m) for m in ("t2", " T 3 ", "T-1", "T-alternatief", None, "")] == [
        "T2", "T3", "T1", "T-alternatief", None, None]


def test_a_dated_measurement_without_moment_takes_its_date():
    rows = frame([("a", metrics.ZRM_INSTRUMENT, "Wonen", "Huisvesting", None, None, 2, False),
                  ("a", metrics.ZRM_INSTRUMENT, "Wonen", "Huisvesting", None, None, 4, False)])
    rows["measured_on"] = [pd.Timestamp("2021-03-01"), pd.Timestamp("2020-11-01")]
    levels = metrics.zrm_levels(rows)
    assert levels["moment"].tolist() == ["2020-11-01", "2021-03-01"] and levels["mean"].tolist() == [4.0, 2.0]
    assert metrics.direction_of_change(rows).loc[0, "verslechterd"] == 1  # 4 → 2


def test_zrm_levels_per_leefgebied():
    levels = metrics.zrm_levels(all_rows())
    got = {(r.leefgebied, r.moment): (round(r.mean, 4), r.n) for r in levels.itertuples()}
    assert got == {
        ("Financiën", "T0"): (2.0, 3),  # a 2, b 1, c 3 (d's n.v.t. is not a level)
        ("Financiën", "T1"): (round(11 / 3, 4), 3),  # a 4, b 2, d 5
        ("Financiën", "T2"): (3.5, 2),  # b 3 (written "t2"), e 4
        ("Financiën", "T10"): (2.0, 1),
        ("Financiën", "T-alternatief"): (1.0, 1),
        ("Gezondheid", "T0"): (3.0, 2),  # a: mean of its two domains (2 + 4) / 2 = 3 counts once; b 3
        ("Gezondheid", "T1"): (3.0, 1),  # a: (3 + 3) / 2
    }
    assert list(levels["moment"])[:5] == ["T0", "T1", "T2", "T10", "T-alternatief"]
    assert list(levels["leefgebied"]) == ["Financiën"] * 5 + ["Gezondheid"] * 2
    assert levels.attrs["moments"] == ["T0", "T1", "T2", "T10", "T-alternatief"]
    assert levels.attrs["n_families"] == 5


def test_zrm_levels_per_domain_and_overall():
    per_domain = metrics.zrm_levels(all_rows(), by="indicator").set_index(["indicator", "moment"])
    assert per_domain.loc[("Geestelijke gezondheid", "T0"), ["mean", "n"]].tolist() == [2.5, 2]
    assert per_domain.loc[("Lichamelijke gezondheid", "T1"), "leefgebied"] == "Gezondheid"
    overall = metrics.zrm_levels(all_rows(), by=None).set_index("moment")
    # T0: a's own mean (2 + 2 + 4) / 3, b (1 + 3) / 2 = 2, c 3 → n = 3
    assert overall.loc["T0", "n"] == 3
    assert overall.loc["T0", "mean"] == pytest.approx((8 / 3 + 2 + 3) / 3)


def test_severity_share_middel_zwaar_and_n_without_onbekend():
    share = metrics.severity_share(all_rows())
    got = {(r.indicator, r.unit, r.moment): (r.n, r.middel_zwaar, round(r.pct, 2)) for r in share.itertuples()}
    assert got == {
        ("Schulden", "ouder", "T0"): (3, 2, 66.67),  # a zwaar, b middel, c licht
        ("Schulden", "ouder", "T1"): (2, 1, 50.0),  # b and c have no known answer: N = 2 (a, d)
        ("Schulden", "ouder", "T2"): (3, 1, 33.33),  # a licht, b zwaar, d geen
        ("Gedrag", "kind", "T0"): (1, 1, 100.0),
        ("Gedrag", "kind", "T1"): (1, 0, 0.0),
        ("Opvoeding", "ouder", "T0"): (2, 1, 50.0),
        ("Opvoeding", "ouder", "T1"): (1, 1, 100.0),
    }
    t0 = share.iloc[0]
    assert (t0["leefgebied"], t0["geen"], t0["licht"], t0["middel"], t0["zwaar"]) == ("Financiën", 0, 1, 1, 1)
    assert list(share["indicator"]) == ["Schulden"] * 3 + ["Gedrag"] * 2 + ["Opvoeding"] * 2
    assert share.attrs["n_families"] == 4


def test_severity_without_unit_or_indicator_columns():
    rows = frame([("a", metrics.ERNST_INSTRUMENT, "Wonen", None, None, "T0", 3, False)])
    share = metrics.severity_share(rows.drop(columns=["unit", "indicator"]))
    assert share.loc[0, "indicator"] == "Wonen" and share.loc[0, "unit"] is None and share.loc[0, "pct"] == 100


def test_direction_of_change_per_instrument():
    direction = metrics.direction_of_change(all_rows())
    got = {(r.leefgebied, r.instrument): (r.verbeterd, r.gelijk, r.verslechterd, r.n, r.een_meetmoment)
           for r in direction.itertuples()}
    assert got == {
        # voortgangsscore: a latest 4, b 2, c 1; c's Wonen is only n.v.t.
        ("Financiën", "voortgangsscore"): (1, 1, 1, 3, 0),
        # zrm: a +2, b +2, e -2 (T2 → T10); c only T0 (T-alternatief does not count), d only T1
        ("Financiën", "zrm"): (2, 0, 1, 3, 2),
        # zrm Gezondheid: a's two domains +1 and -1 → mean 0 → gelijk; b only T0
        ("Gezondheid", "zrm"): (0, 1, 0, 1, 1),
        # ernst (lower is better): a 3 → 1 verbeterd, b 2 → 3 verslechterd, d 0 → 0 gelijk; c only T0
        ("Financiën", "ernst"): (1, 1, 1, 3, 1),
        # ernst Sociaal: a Opvoeding 0 and Gedrag +2 → mean +1 verbeterd; b only T0
        ("Sociaal", "ernst"): (1, 0, 0, 1, 1),
    }
    assert list(zip(direction["leefgebied"], direction["instrument"])) == [
        ("Financiën", "voortgangsscore"), ("Financiën", "zrm"), ("Financiën", "ernst"),
        ("Gezondheid", "zrm"), ("Sociaal", "ernst")]
    zrm = direction[(direction["leefgebied"] == "Financiën") & (direction["instrument"] == "zrm")].iloc[0]
    assert zrm["verbeterd_pct"] == pytest.approx(200 / 3) and zrm["verslechterd_pct"] == pytest.approx(100 / 3)
    assert zrm["instrument_label"] == "ZRM"
    assert direction.attrs["een_meetmoment"] == {"voortgangsscore": 0, "zrm": 3, "ernst": 2}  # c, d, b / c, b
    assert direction.attrs["n_families"] == {"voortgangsscore": 3, "zrm": 3, "ernst": 3}


def test_family_with_only_t0_is_left_out_of_the_direction():
    rows = frame([("c", metrics.ZRM_INSTRUMENT, "Wonen", "Huisvesting", None, "T0", 2, False)])
    direction = metrics.direction_of_change(rows)
    assert direction[["leefgebied", "instrument", "n", "een_meetmoment"]].values.tolist() == [["Wonen", "zrm", 0, 1]]
    assert np.isnan(direction.loc[0, "verbeterd_pct"])


def test_instruments_are_never_averaged_together():
    # Same family, same leefgebied, three instruments pointing different ways: three separate rows.
    rows = frame([
        ("a", tx.VOORTGANG_INSTRUMENT, "Wonen", None, None, "2020-01-01", 1, False),
        ("a", metrics.ZRM_INSTRUMENT, "Wonen", "Huisvesting", None, "T0", 2, False),
        ("a", metrics.ZRM_INSTRUMENT, "Wonen", "Huisvesting", None, "T1", 4, False),
        ("a", metrics.ERNST_INSTRUMENT, "Wonen", "Huisvesting", "gezin", "T0", 1, False),
        ("a", metrics.ERNST_INSTRUMENT, "Wonen", "Huisvesting", "gezin", "T1", 1, False),
    ])
    direction = metrics.direction_of_change(rows).set_index("instrument")
    assert list(direction.index) == ["voortgangsscore", "zrm", "ernst"]
    assert direction.loc["voortgangsscore", "verslechterd"] == 1
    assert direction.loc["zrm", "verbeterd"] == 1
    assert direction.loc["ernst", "gelijk"] == 1
    assert "mean" not in direction.columns


def test_empty_measurements():
    empty = frame([])
    assert metrics.zrm_levels(empty).empty and metrics.severity_share(empty).empty
    assert metrics.direction_of_change(empty).empty


def test_definitions_for_the_new_figures():
    for key in ("zrm", "severity", "direction", "intensity"):
        assert metrics.DEFINITIONS[key]
    assert "onbekend" in metrics.DEFINITIONS["severity"]
    assert "nooit samen gemiddeld" in metrics.DEFINITIONS["direction"]


# -- Wilson intervals, small groups and the rows left out ------------------------------------------
# Wilson 95% (z = 1.96) by hand, in percent (same arithmetic as tests/test_progress_analysis.py):
#   2/3 → 20.77–93.85; 1/3 is its mirror → 6.15–79.23; 1/2 → 9.45–90.55;
#   0/3: denominator 1 + 3.8415/3 = 2.2805, centre (3.8415/6)/2.2805 = .2808, half 1.96·√(3.8415/36)/2.2805
#        = .2808 → 0–56.15
W = {(2, 3): (20.77, 93.85), (1, 3): (6.15, 79.23), (1, 2): (9.45, 90.55), (0, 3): (0.0, 56.15)}


def test_severity_share_wilson_and_small_groups():
    share = metrics.severity_share(all_rows(), min_n=3)
    rows = {(r.indicator, r.moment): r for r in share.itertuples()}
    t0, t1 = rows[("Schulden", "T0")], rows[("Schulden", "T1")]
    # Schulden (ouder) T0: 2 of 3 middel + zwaar; T1: 1 of 2 (b and c have no known answer).
    assert (t0.pct_lo, t0.pct_hi) == pytest.approx(W[(2, 3)], abs=0.01)
    assert (t1.pct_lo, t1.pct_hi) == pytest.approx(W[(1, 2)], abs=0.01)
    assert not t0.small and t1.small  # n 3 is not below min_n 3, n 2 is
    assert share.attrs["min_n"] == 3


def test_severity_share_counts_answers_missing_at_a_moment_that_passed():
    # Only known answers are stored. Without trajectories a moment certainly passed when the same item has a
    # known answer later: d Schulden T0 (known at T1) and b Schulden T1 (known at T2). c has T0 only and a
    # has no T2 for Opvoeding or Gedrag: nothing says those moments passed.
    share = metrics.severity_share(all_rows())
    got = {(r.indicator, r.moment): r.unanswered for r in share.itertuples() if r.unanswered}
    assert got == {("Schulden", "T0"): 1, ("Schulden", "T1"): 1}
    assert share.attrs["unanswered"] == {"T0": 1, "T1": 1}
    # With trajectories: c ended 01-07-2020, 6 whole months after its start → T1 passed (not T2);
    # a ended 01-02-2021, 13 months → T2 passed for Opvoeding and Gedrag, which have no T2 row at all yet
    # (rows with N = 0 appear); b and d still run (no end date) → nothing more.
    trajectories = pd.DataFrame({
        "family": ["a", "b", "c", "d"],
        "start_date": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-01", "2020-01-01"]),
        "end_date": pd.to_datetime(["2021-02-01", None, "2020-07-01", None]),
    })
    share = metrics.severity_share(all_rows(), trajectories)
    got = {(r.indicator, r.moment): (r.n, r.unanswered) for r in share.itertuples() if r.unanswered}
    assert got == {("Schulden", "T0"): (3, 1), ("Schulden", "T1"): (2, 2), ("Opvoeding", "T2"): (0, 1),
                   ("Gedrag", "T2"): (0, 1)}
    empty = share[share["n"] == 0].iloc[0]
    assert np.isnan(empty["pct"]) and not empty["small"]
    # Peildatum 31-12-2020: a's end date lies after it, so its T2 has not certainly passed; c's still counts.
    share = metrics.severity_share(all_rows(), trajectories, until=pd.Timestamp("2020-12-31").date())
    assert share.attrs["unanswered"] == {"T0": 1, "T1": 2}


def test_severity_share_until_drops_later_rows_and_keeps_undated_ones():
    rows = all_rows()
    later = (rows["family"] == "b") & (rows["indicator"] == "Schulden") & (rows["moment"] == "T2")
    rows.loc[later, "measured_on"] = pd.Timestamp("2021-01-01")
    share = metrics.severity_share(rows, until=pd.Timestamp("2020-12-31").date())
    t2 = share[(share["indicator"] == "Schulden") & (share["moment"] == "T2")].iloc[0]
    assert (t2["n"], t2["middel_zwaar"]) == (2, 0)  # a licht, d geen; b's zwaar (2021) is after the peildatum
    assert share.attrs["excluded"]["metingen na de peildatum (ernst)"] == 1
    assert share.attrs["unanswered"] == {"T0": 1}  # b's T1 no longer lies before a known answer


def test_zrm_levels_small_points_and_rows_left_out():
    z = metrics.ZRM_INSTRUMENT
    extra = frame([
        ("f", z, "Financiën", "Financiën", None, None, 3, False),  # no moment and no date: left out
        ("a", z, "Financiën", "Financiën", None, "T0", 5, False),  # a second T0 for a: the later row (5) counts
    ])
    extra["id"] = [100, 101]
    rows = pd.concat([all_rows(), extra], ignore_index=True)
    levels = metrics.zrm_levels(rows, min_n=3).set_index(["leefgebied", "moment"])
    # Financiën T0: a 5 (replaces 2), b 1, c 3 → mean 3, n 3 (not small); T2: b 3, e 4 → n 2 (small).
    assert levels.loc[("Financiën", "T0"), ["mean", "n", "small"]].tolist() == [3.0, 3, False]
    assert levels.loc[("Financiën", "T2"), ["n", "small"]].tolist() == [2, True]
    assert levels.attrs["excluded"] == {
        "metingen na de peildatum (ZRM)": 0,
        "metingen n.v.t. of zonder waarde (ZRM)": 1,  # d's T0
        "metingen zonder meetmoment en zonder datum (ZRM)": 1,  # f
        "dubbele metingen van hetzelfde gezin, item en moment (ZRM; de laatste telt)": 1,  # a's first T0
    }


def test_direction_wilson_small_and_estimates():
    direction = metrics.direction_of_change(all_rows(), min_n=3)
    zrm = direction[(direction["leefgebied"] == "Financiën") & (direction["instrument"] == "zrm")].iloc[0]
    # Financiën ZRM: 2 verbeterd, 0 gelijk, 1 verslechterd of n = 3.
    assert (zrm["verbeterd_pct_lo"], zrm["verbeterd_pct_hi"]) == pytest.approx(W[(2, 3)], abs=0.01)
    assert (zrm["gelijk_pct_lo"], zrm["gelijk_pct_hi"]) == pytest.approx(W[(0, 3)], abs=0.01)
    assert (zrm["verslechterd_pct_lo"], zrm["verslechterd_pct_hi"]) == pytest.approx(W[(1, 3)], abs=0.01)
    small = {(r.leefgebied, r.instrument): r.small for r in direction.itertuples()}
    assert not small[("Financiën", "zrm")]  # n = 3
    assert small[("Gezondheid", "zrm")] and small[("Sociaal", "ernst")]  # n = 1 < 3
    assert direction.attrs["schatting"] == {"voortgangsscore": 0, "zrm": 1, "ernst": 0}  # c's T-alternatief
    assert direction.attrs["after_until"] == {"voortgangsscore": 0, "zrm": 0, "ernst": 0}
    # Peildatum 31-03-2020: a's later voortgangsscore (01-06-2020) and b's and c's (01-06-2020) fall away; a's
    # first score 1 (01-01-2020) is now its latest → Financiën voortgangsscore: 1 family, verslechterd.
    until = metrics.direction_of_change(all_rows(), min_n=3, until=pd.Timestamp("2020-03-31").date())
    vg = until[(until["leefgebied"] == "Financiën") & (until["instrument"] == "voortgangsscore")].iloc[0]
    assert (vg["n"], vg["verslechterd"]) == (1, 1)
    assert until.attrs["after_until"]["voortgangsscore"] == 4  # a 01-06, b, c Financiën, c Wonen n.v.t.
