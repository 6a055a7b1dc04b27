"""Metric functions on small hand-made frames (no database, no Streamlit)."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from gezinsmonitor import filters, metrics
from gezinsmonitor.store import Dataset

T = pd.Timestamp


def test_whole_months_boundaries():
    start = pd.Series([T("2020-01-15"), T("2020-01-15"), T("2020-01-31"), T("2020-01-01")])
    end = pd.Series([T("2020-07-15"), T("2020-07-14"), T("2020-02-29"), T("2023-01-01")])
    assert metrics.whole_months(start, end).tolist() == [6, 5, 0, 36]


def test_duration_table_buckets_exclusions_and_peildatum():
    tr = pd.DataFrame({
        "family": list("abcdef"),
        "status": ["afgerond", "afgerond", "lopend", "lopend", "afgerond", "lopend"],
        "start_date": [T("2020-01-15"), T("2020-01-15"), T("2021-01-01"), T("2018-01-01"), T("2020-01-01"), T("2022-01-01")],
        "end_date": [T("2020-07-15"), T("2020-07-14"), pd.NaT, pd.NaT, pd.NaT, pd.NaT],
    })
    detail = metrics.trajectory_durations(tr, dt.date(2021, 10, 31))
    assert detail["excluded"].tolist() == [None, None, None, None, "afgerond zonder einddatum", "start na de peildatum"]
    table = metrics.duration_table(tr, dt.date(2021, 10, 31)).set_index("months")
    assert table.loc["6-12"].tolist() == [1, 1]
    assert table.loc["0-6"].tolist() == [1, 0]
    assert table.loc["36+"].tolist() == [0, 1]  # 2018-01 → 2021-10 = 45 months
    assert table.attrs["n"] == 4


def test_needs_shares_of_families_and_of_requests_differ():
    rq = pd.DataFrame({"family": ["a", "a", "a", "b", "c"],
                       "leefgebied": ["Financiën", "Participatie", "Participatie", "Financiën", "Sociaal"],
                       "categorie": [None, "Werk", "Opleiding", "Schulden", "Opvoeding"]})
    needs = metrics.needs(rq).set_index("leefgebied")
    assert needs.loc["Financiën", "families_pct"] == pytest.approx(200 / 3)
    assert needs.loc["Financiën", "requests_pct"] == pytest.approx(40.0)
    assert needs.loc["Participatie", ["families", "requests"]].tolist() == [1, 2]
    assert needs.loc["Wonen", "families"] == 0
    detail = metrics.needs_detail(rq)
    assert detail[["leefgebied", "categorie"]].values.tolist()[:2] == [["Financiën", "Schulden"], ["Financiën", None]]


def test_latest_score_skips_nvt_and_hours_nvt_shrinks_n():
    ms = pd.DataFrame({
        "id": range(5), "family": ["a", "a", "a", "b", "b"], "instrument": "voortgangsscore",
        "leefgebied": ["Wonen"] * 5,
        "measured_on": [T("2020-01-01"), T("2020-06-01"), T("2020-09-01"), T("2020-01-01"), T("2020-06-01")],
        "value": [2, 4, np.nan, np.nan, np.nan], "not_applicable": [False, False, True, True, True],
    })
    summary = metrics.progress_summary(ms).set_index("leefgebied")
    assert summary.loc["Wonen", "n"] == 1 and summary.loc["Wonen", "mean"] == 4
    assert summary.loc["Wonen", "nvt"] == 1  # b has only n.v.t.
    hours = pd.DataFrame({
        "id": range(4), "family": ["a", "a", "b", "b"], "support_type": ["Regelzaken"] * 4,
        "measured_on": [T("2020-01-01"), T("2020-06-01"), T("2020-01-01"), T("2020-06-01")],
        "hours_per_week": [4.0, 0.0, np.nan, 2.0], "not_applicable": [False, False, True, False],
    })
    table = metrics.hours_first_latest(hours).set_index(["support_type", "moment"])
    assert table.loc[("Regelzaken", "start"), ["n", "mean_hours_per_week"]].tolist() == [1, 4.0]
    assert table.loc[("Regelzaken", "latest"), ["n", "mean_hours_per_week"]].tolist() == [2, 1.0]
    assert table.loc[("Regelzaken", "start"), "kind"] == "inzet"
    assert table.loc[("Vrijwilligerswerk ouder", "start"), "kind"] == "deelname"


def _dataset():
    fam = pd.DataFrame({"family": ["1:a", "1:b", "2:c"], "organisation": ["X", "X", "Y"]})
    tr = pd.DataFrame({"family": ["1:a", "1:b", "2:c"], "status": ["afgerond", "lopend", "lopend"],
                       "start_date": [T("2019-01-01"), T("2021-01-01"), T("2021-06-01")],
                       "end_date": [T("2019-12-31"), pd.NaT, pd.NaT]})
    empty = pd.DataFrame({"family": pd.Series(dtype=object)})
    return Dataset(fam, tr, empty, empty, empty, pd.DataFrame(), 1)


def test_filters_on_organisation_period_and_status():
    ds = _dataset()
    assert list(filters.apply(ds, filters.Filters(organisations=("Y",))).families["family"]) == ["2:c"]
    period = filters.Filters(period=(dt.date(2020, 1, 1), dt.date(2021, 3, 1)))
    assert list(filters.apply(ds, period).families["family"]) == ["1:b"]
    assert list(filters.apply(ds, filters.Filters(statuses=("afgerond",))).trajectories["family"]) == ["1:a"]
    assert "organisaties: Y" in filters.Filters(organisations=("Y",)).describe()


def test_duration_as_it_stood_at_an_earlier_peildatum():
    tr = pd.DataFrame({
        "family": list("abc"), "status": ["afgerond", "afgerond", "lopend"],
        "start_date": [T("2020-01-01"), T("2020-01-01"), T("2021-01-01")],
        "end_date": [T("2020-04-01"), T("2021-06-01"), pd.NaT],
    })
    detail = metrics.trajectory_durations(tr, dt.date(2020, 12, 31)).set_index("family")
    # b ended after the peildatum: still running then, 11 months so far; c had not started.
    assert detail.loc["b", "status_at_peildatum"] == "lopend" and detail.loc["b", "bucket"] == "6-12"
    assert detail.loc["a", ["status_at_peildatum", "bucket"]].tolist() == ["afgerond", "0-6"]
    assert detail.loc["c", "excluded"] == "start na de peildatum"


def test_professional_total_sums_means_and_keeps_n_per_type():
    table = pd.DataFrame({
        "support_type": ["Gesprekken met gezin", "Gesprekken met gezin", "Regelzaken", "Regelzaken",
                         "Ondersteuning door maatje", "Praktische steun"],
        "moment": ["start", "latest", "start", "latest", "start", "latest"],
        "n": [10, 8, 9, 0, 2, 5],
        "mean_hours_per_week": [1.5, 0.5, 4.0, np.nan, 4.5, 1.0],
    })
    total = metrics.professional_total(table).set_index("moment")
    assert total.at["start", "hours_per_week"] == pytest.approx(5.5)  # maatje is not professional
    assert total.at["latest", "hours_per_week"] == pytest.approx(1.5)  # Regelzaken n=0 left out
    assert total.at["latest", "n_per_type"] == {"Gesprekken met gezin": 8, "Praktische steun": 5}
