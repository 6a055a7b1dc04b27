"""The Organisaties analyses (gezinsmonitor.organisations) and their chart builders, against hand-computed
fixtures."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from components import charts
from gezinsmonitor import organisations as og
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.store import Dataset

PEIL = dt.date(2024, 12, 1)
nan = np.nan


@pytest.fixture
def ds() -> Dataset:
    families = pd.DataFrame({"family": ["P1", "P2", "P3", "P4", "Q1"],
                             "organisation": ["P", "P", "P", "P", "Q"]})
    trajectories = pd.DataFrame({
        "family": ["P1", "P2", "P3", "P4", "Q1"],
        "organisation": ["P", "P", "P", "P", "Q"],
        # P1: 15-01 → 15-04 = 3 months (afgerond); P2: 01-02 → 01-08 = 6 months (afgerond);
        # P3: 01-03 → peildatum 01-12 = 9 months and 1 day (lopend, censored); P4 starts after the peildatum;
        # Q1: 01-06 → 01-12 = 6 months and a bit (lopend, censored).
        "start_date": pd.to_datetime(["2024-01-15", "2024-02-01", "2024-03-01", "2025-01-10", "2024-06-01"]),
        "end_date": pd.to_datetime(["2024-04-15", "2024-08-01", None, None, None]),
        "status": ["afgerond", "afgerond", "lopend", "lopend", "lopend"],
    })
    requests = pd.DataFrame({
        "family": ["P1", "P1", "P2", "P3", "Q1"],
        "organisation": ["P", "P", "P", "P", "Q"],
        "leefgebied": ["Financiën", "Wonen", "Financiën", "Sociaal", "Gezondheid"],
        "herkomst": ["registratieformat", "registratieformat", "registratieformat", tx.HERKOMST_TE_BEOORDELEN,
                     "registratieformat"],
    })
    hours = pd.DataFrame({
        "id": range(7),
        "family": ["P1", "P1", "P1", "P1", "P2", "P2", "P2"],
        "organisation": ["P"] * 7,
        "support_type": ["Gesprekken met gezin", "Regelzaken", "Gesprekken met gezin", "Regelzaken",
                         "Gesprekken met gezin", "Gesprekken met gezin", "Ondersteuning door maatje"],
        "moment": [None] * 7,
        "measured_on": pd.to_datetime(["2024-01-15", "2024-01-15", "2024-04-15", "2024-04-15", "2024-02-01",
                                       "2024-08-01", "2024-02-01"]),
        # P1 professional: start 2 + 1 = 3, latest 1 + 0 = 1. P2: talks n.v.t. → 2; buddy 4 at the start only.
        "hours_per_week": [2, 1, 1, 0, nan, 2, 4],
        "minutes": [nan] * 7,
        "not_applicable": [False, False, False, False, True, False, False],
    })
    return Dataset(families=families, trajectories=trajectories, requests=requests, measurements=pd.DataFrame(),
                   hours=hours, batches=pd.DataFrame({"organisation": ["P", "Q"]}), revision=1)


def test_comparison_table(ds):
    table = og.comparison_table(ds.families, ds.trajectories, ds.requests, ds.hours, PEIL).set_index("organisation")
    assert list(table.index) == ["P", "Q", og.ALL_ORGANISATIONS]
    p = table.loc["P"]
    assert p["start"] == pd.Timestamp("2024-01-01")  # month of P1's start
    # P4's only trajectory starts after the peildatum: like lopend/afgerond, it is not an intensive family yet.
    assert (p["intensive"], p["families_not_started"], p["trajectories"], p[tx.STATUS_LOPEND],
            p[tx.STATUS_AFGEROND], p["not_started"]) == (3, 1, 4, 1, 2, 1)
    assert np.isnan(p["short"])  # not registered in this model
    # 3 counted requests (P3's is still te beoordelen) over 2 families with one → 1,5.
    assert (p["requests"], p["families_with_requests"], p["requests_per_family"]) == (3, 2, 1.5)
    # Kaplan–Meier over 3.0 (event), 6.0 (event), 9.03 (censored): S = 2/3 after 3, 1/3 after 6 → median 6.
    # Greenwood: 1/(3·2) = 1/6 at 3 months; log-log lower band there = exp(-exp(ln(-ln 2/3) + 1,96·√(1/6)/|ln 2/3|))
    # = exp(-exp(-0,9027 + 1,9734)) = 0,054 ≤ 0,5 → lower 3. Upper band at 6: Greenwood 1/6 + 1/2 = 2/3,
    # se = √(2/3)/ln 3 = 0,7432, exp(-exp(0,0940 - 1,4567)) = 0,774 > 0,5 and no later event → not reached.
    assert (p["km_n"], p["km_afgerond"]) == (3, 2)
    assert p["median"] == pytest.approx(6.0) and p["median_lo"] == pytest.approx(3.0) and np.isnan(p["median_hi"])
    # Professional hours per week: start P1 3 (P2 only n.v.t.: not in n) → 3 (n 1); latest P1 1, P2 2 → 1,5 (n 2).
    assert (p["n_hours_start"], p["hours_start"], p["n_hours_latest"], p["hours_latest"]) == (1, 3.0, 2, 1.5)

    q = table.loc["Q"]
    assert (q["intensive"], q[tx.STATUS_LOPEND], q[tx.STATUS_AFGEROND], q["requests_per_family"]) == (1, 1, 0, 1.0)
    assert (q["km_n"], q["km_afgerond"]) == (1, 0) and np.isnan(q["median"])  # only censored: not reached
    assert q["n_hours_start"] == 0 and np.isnan(q["hours_start"])

    total = table.loc[og.ALL_ORGANISATIONS]
    assert (total["intensive"], total["families_not_started"], total[tx.STATUS_LOPEND], total[tx.STATUS_AFGEROND],
            total["not_started"]) == (4, 1, 2, 2, 1)
    assert total["requests_per_family"] == pytest.approx(4 / 3)
    # Pooled KM: 3.0 (event, 4 at risk) → 0,75; 6.0 (event, 3 at risk; Q1 6.01 censored after) → exactly 0,5, and
    # flat to the last time (P3, 9 months + 1,06/30,44 = 9,035, censored): R's midpoint (6,0 + 9,035) / 2 = 7,52.
    assert total["km_n"] == 4 and total["median"] == pytest.approx(7.5175, abs=1e-4)
    assert table.attrs["te_beoordelen"] == 1


def test_needs_vs_others(ds):
    needs = og.needs_vs_others(ds.requests, "P").set_index(["group", "leefgebied"])
    assert needs.attrs["n"] == {og.SELECTED: 2, og.OTHERS: 1} and needs.attrs["te_beoordelen"] == 1
    fin = needs.loc[(og.SELECTED, "Financiën")]
    assert (fin["families"], fin["n"], fin["families_pct"]) == (2, 2, 100.0)
    # Wilson for 2 of 2: centre (1 + z²/4)/(1 + z²/2) = 1,9604/2,9207 = 0,6712, half = z·√(z²/16)/2,9207 = 0,3288
    # → 34,24% to 100%.
    assert fin["families_pct_lo"] == pytest.approx(34.24, abs=0.01) and fin["families_pct_hi"] == pytest.approx(100)
    assert needs.loc[(og.SELECTED, "Wonen"), "families_pct"] == 50.0
    assert needs.loc[(og.SELECTED, "Sociaal"), "families"] == 0  # P3's request waits for review
    assert needs.loc[(og.OTHERS, "Gezondheid"), "families_pct"] == 100.0


def test_duration_vs_others(ds):
    km = og.duration_vs_others(ds.trajectories, "P", PEIL)
    summary = km.attrs["summary"]
    assert summary[og.SELECTED]["km_n"] == 3 and summary[og.SELECTED]["median"] == pytest.approx(6.0)
    assert summary[og.OTHERS]["km_n"] == 1 and np.isnan(summary[og.OTHERS]["median"])
    assert km.attrs["excluded"] == {"start na de peildatum": 1}
    selected = km[km["group"] == og.SELECTED]
    assert selected["survival"].round(4).tolist() == [1.0, round(2 / 3, 4), round(1 / 3, 4), round(1 / 3, 4)]
    assert km[km["group"] == og.OTHERS]["survival"].tolist() == [1.0, 1.0]


def test_hours_vs_others(ds):
    hours = og.hours_vs_others(ds.hours, ds.trajectories, "P", PEIL).set_index(["group", "moment", "measure"])
    assert hours.loc[(og.SELECTED, "start", "professional"), ["n", "mean_hours_per_week"]].tolist() == [1, 3.0]
    # Volunteer at the start: P2's buddy 4 (n 1); total start: P1 3, P2 4 → 3,5 (n 2).
    assert hours.loc[(og.SELECTED, "start", "volunteer"), "mean_hours_per_week"] == 4
    assert hours.loc[(og.SELECTED, "start", "total"), ["n", "mean_hours_per_week"]].tolist() == [2, 3.5]
    # Latest per type: P2's buddy has one measurement, so it is also its latest: P2 latest total 2 + 4 = 6.
    assert hours.loc[(og.SELECTED, "latest", "total"), "mean_hours_per_week"] == pytest.approx((1 + 6) / 2)
    assert (hours.reset_index().query("group == @og.OTHERS")["n"] == 0).all()


def test_anonymous_names_and_rename(ds):
    names = og.anonymous_names(["Zeta", "Alfa", None, "Alfa"])
    assert names == {"Alfa": "Organisatie A", "Zeta": "Organisatie B"}
    renamed = og.rename_organisations(ds, {"P": "Organisatie A"})
    assert set(renamed.families["organisation"]) == {"Organisatie A", "Q"}
    assert set(renamed.hours["organisation"]) == {"Organisatie A"}
    assert set(ds.families["organisation"]) == {"P", "Q"}  # the original is untouched



def test_anonymised_context(ds):
    from components.context import PageContext, anonymised
    from gezinsmonitor.filters import Filters
    batches = pd.DataFrame({"id": [1, 2], "organisation": ["P", "Q"], "file_name": ["p.xlsx", "Q-team.xlsx"],
                            "uploaded_at": pd.to_datetime(["2024-11-01 10:00", "2024-11-02 09:30"])})
    full = Dataset(**{**ds.__dict__, "batches": batches})
    ctx = PageContext(full=full, data=full, filters=Filters(organisations=("Q",)), peildatum=PEIL, version="v")
    hidden = anonymised(ctx)
    # P, Q alphabetically → A, B; the filter, the data and the version follow; the file name is gone.
    assert hidden.names == {"P": "Organisatie A", "Q": "Organisatie B"}
    assert hidden.filters.describe() == "organisaties: Organisatie B"
    assert set(hidden.data.trajectories["organisation"]) == {"Organisatie A", "Organisatie B"}
    assert hidden.version == "versie 1 · laatste upload 02-11-2024 09:30 UTC"
    assert hidden.data.batches["file_name"].isna().all()
    assert ctx.filters.organisations == ("Q",) and not ctx.names  # the original is untouched


# -- charts -------------------------------------------------------------------------------------
def test_comparison_table_nl(ds):
    table = og.comparison_table(ds.families, ds.trajectories, ds.requests, ds.hours, PEIL)
    nl = charts.comparison_table_nl(table).set_index("Organisatie")
    assert nl.loc["P", "Start"] == "jan 2024" and nl.loc["Q", "Start"] == "jun 2024"
    assert (nl["Kort (1–3 gesprekken)"] == "niet geregistreerd").all()
    assert nl.loc["P", "Hulpvragen per gezin"] == "1,5 (n = 2)"
    assert nl.loc["P", "Mediane duur in maanden (95%-BI)"] == "6,0 (95%-BI 3,0–niet bereikt)"
    assert nl.loc["Q", "Mediane duur in maanden (95%-BI)"] == "niet bereikt"
    assert nl.loc["P", "Uren professionals per week, laatste meting"] == "1,5 (n = 2)"
    assert nl.loc["Q", "Uren professionals per week, eerste meting"] == "– (n = 0)"
    assert nl.loc["P", "Trajecten in de duur (waarvan afgerond)"] == "3 (2)"
    assert list(nl.index)[-1] == "Totaal"


def test_median_duration_chart(ds):
    table = og.comparison_table(ds.families, ds.trajectories, ds.requests, ds.hours, PEIL)
    spec = charts.median_duration_chart(table, min_n=2).to_dict()
    rows = {r["organisation"]: r for r in spec["datasets"][spec["data"]["name"]]}
    # P's upper bound is not reached: the interval runs dashed (open) to the right edge, 1,1 × the largest value
    # (the total's median 7,5175, see test_comparison_table) = 8,269.
    assert rows["P"]["open"] is True and rows["P"]["hi_plot"] == pytest.approx(1.1 * 7.5175, abs=1e-3)
    assert rows["P"]["label"] == "6,0 (95%-BI 3,0–niet bereikt) · n = 3" and rows["P"]["small"] is False
    assert rows["Q"]["small"] is True and rows["Q"]["median_label"] == "niet bereikt"
    assert rows["Totaal"]["is_total"] is True and rows["Totaal"]["small"] is False
    interval, point, _ = spec["layer"]
    assert interval["encoding"]["x2"]["field"] == "hi_plot" and interval["encoding"]["strokeDash"]["field"] == "open"
    assert point["transform"] == [{"filter": "isValid(datum.median)"}]
    assert {t["field"] for t in interval["encoding"]["tooltip"]} >= {"km_n", "km_afgerond", "median_label"}


def test_profile_charts(ds):
    needs = og.needs_vs_others(ds.requests, "P")
    spec = charts.profile_needs_chart(needs, "P", min_n=2).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["group_label"] for r in rows} == {"P", charts.OTHERS_LABEL}
    assert next(r for r in rows if r["group_label"] == charts.OTHERS_LABEL)["small"] is True  # n = 1 < 2
    bars, whiskers = spec["layer"]
    assert bars["encoding"]["x"]["field"] == "families_pct"
    assert (whiskers["encoding"]["x"]["field"], whiskers["encoding"]["x2"]["field"]) == \
        ("families_pct_lo", "families_pct_hi")

    km = og.duration_vs_others(ds.trajectories, "P", PEIL)
    spec = charts.profile_duration_chart(km, "P").to_dict()
    band, line, half = spec["layer"]
    assert line["mark"]["interpolate"] == "step-after" and line["encoding"]["y"]["field"] == "survival_pct"
    assert {t["field"] for t in line["encoding"]["tooltip"]} >= {"at_risk", "events", "censored"}

    hours = og.hours_vs_others(ds.hours, ds.trajectories, "P", PEIL)
    spec = charts.profile_hours_chart(hours, "P", min_n=2).to_dict()
    assert spec["facet"]["column"]["field"] == "moment_label"
    rows = spec["datasets"][spec["data"]["name"]]
    assert all(r["group"] == og.SELECTED for r in rows)  # the others have no hours: no bars with n = 0
    assert {r["n_label"] for r in rows} >= {"n = 1", "n = 2"}
