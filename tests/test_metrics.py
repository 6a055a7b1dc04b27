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


# -- help requests still to be reviewed -----------------------------------------------------
def _requests_with_review():
    return pd.DataFrame({
        "family": ["a", "a", "b", "c", "c"],
        "organisation": ["X", "X", "X", "Y", "Y"],
        "leefgebied": ["Financiën", "Wonen", "Financiën", "Sociaal", "Overig"],
        "categorie": ["Schulden", None, "Acute nood", None, None],
        # c's only certain request is Sociaal; the te-beoordelen ones wait for a person.
        "herkomst": ["registratieformat", "te beoordelen", "woordenlijst", "fuzzy", "te beoordelen"],
    })


def test_needs_leave_out_requests_to_be_reviewed():
    rq = _requests_with_review()
    needs = metrics.needs(rq).set_index("leefgebied")
    assert needs.attrs["te_beoordelen"] == 2
    assert needs.attrs["n_requests"] == 3 and needs.attrs["n_families"] == 3
    assert needs.loc["Wonen", "requests"] == 0 and needs.loc["Overig", "families"] == 0
    assert needs.loc["Financiën", "requests_pct"] == pytest.approx(200 / 3)
    detail = metrics.needs_detail(rq)
    assert detail.attrs["te_beoordelen"] == 2 and detail["requests"].sum() == 3
    assert "Wonen" not in set(detail["leefgebied"])
    assert metrics.needs(rq.drop(columns="herkomst")).attrs["te_beoordelen"] == 0  # older frames: all count


def test_requests_per_family_and_overview_leave_out_requests_to_be_reviewed():
    rq = _requests_with_review()
    fam = pd.DataFrame({"family": ["a", "b", "c", "d"], "organisation": ["X", "X", "Y", "Y"]})
    dist = metrics.requests_per_family(rq, fam)
    assert dict(zip(dist["aantal_hulpvragen"], dist["gezinnen"])) == {0: 1, 1: 3}  # a, b, c 1 each; d none
    assert dist.attrs["te_beoordelen"] == 2 and dist.attrs["mean"] == pytest.approx(0.75)
    tr = pd.DataFrame({"family": ["a", "b", "c", "d"], "organisation": ["X", "X", "Y", "Y"],
                       "status": ["lopend", "afgerond", "lopend", "lopend"]})
    batches = pd.DataFrame({"organisation": ["X", "Y"], "uploaded_at": [T("2021-01-01"), T("2021-02-01")],
                            "file_name": ["x.xlsx", "y.xlsx"]})
    table = metrics.overview(fam, tr, rq, batches).set_index("organisatie")
    assert table.loc["X", "hulpvragen"] == 2 and table.loc["Y", "hulpvragen"] == 1
    assert table.loc["Totaal", "hulpvragen"] == 3
    assert table.loc["Totaal", metrics.REQUESTS_PER_FAMILY] == pytest.approx(1.0)
    assert table.attrs["te_beoordelen"] == 2


# -- contact logs ---------------------------------------------------------------------------
def _contact_frames():
    """Trajectories and hours of four families; month lengths follow `whole_months`.

    a (X): 15-01-2020 → 20-04-2020, months 0–3 of 31, 29, 31, 30 days; the contact of 1 May is after the end.
    b (X): from 31-01-2020, no end: until the last contact (5 Mar) = months 0–1; month 0 = 31 Jan–29 Feb (30 days),
           month 1 = 1–30 Mar (30 days). One contact is a group activity of the parent (participation).
    c (Y): no start date → left out.
    d (Y): from 01-03-2020: months 0–1 (31 and 30 days); also weekly hours for Regelzaken (3 → 1)."""
    tr = pd.DataFrame({
        "family": ["a", "b", "c", "d"], "organisation": ["X", "X", "Y", "Y"],
        "start_date": [T("2020-01-15"), T("2020-01-31"), pd.NaT, T("2020-03-01")],
        "end_date": [T("2020-04-20"), pd.NaT, pd.NaT, pd.NaT],
        "status": ["afgerond", "lopend", "lopend", "lopend"],
        "expected_end": [pd.NaT] * 4,
    })
    contacts = [  # family, support type, date, minutes
        ("a", "Regelzaken", "2020-01-20", 60), ("a", "Gesprekken met gezin", "2020-01-25", 90),
        ("a", "Regelzaken", "2020-03-20", 120), ("a", "Regelzaken", "2020-05-01", 30),
        ("b", "Regelzaken", "2020-02-10", 60), ("b", "Groepsactiviteit ouder", "2020-02-12", 120),
        ("b", "Regelzaken", "2020-03-05", 30),
        ("c", "Regelzaken", "2020-02-01", 45),
        ("d", "Praktische steun", "2020-03-10", 70), ("d", "Regelzaken", "2020-03-20", 60),
        ("d", "Praktische steun", "2020-04-15", 35),
    ]
    log = pd.DataFrame(contacts, columns=["family", "support_type", "measured_on", "minutes"])
    log["moment"] = "contact"
    log["hours_per_week"] = np.nan
    weekly = pd.DataFrame({"family": ["d", "d"], "support_type": ["Regelzaken"] * 2,
                           "measured_on": ["2020-03-01", "2020-09-01"], "moment": ["2020-03-01", "2020-09-01"],
                           "minutes": np.nan, "hours_per_week": [3.0, 1.0]})
    hours = pd.concat([log, weekly], ignore_index=True)
    hours["measured_on"] = pd.to_datetime(hours["measured_on"])
    hours["organisation"] = hours["family"].map({"a": "X", "b": "X", "c": "Y", "d": "Y"})
    hours["not_applicable"] = False
    hours["id"] = range(len(hours))
    return hours, tr


def test_month_starts_agree_with_whole_months():
    start = pd.Series([T("2020-01-31"), T("2020-01-15"), T("2021-01-29"), T("2020-12-31")] * 14)
    month = pd.Series(np.repeat(range(14), 4))
    first = metrics.month_starts(start, month)
    assert (metrics.whole_months(start, first) == month).all()
    assert (metrics.whole_months(start, first - pd.Timedelta(days=1)) == month - 1).all()
    assert first[:4].tolist() == list(start[:4])  # month 0 starts on the start date
    assert metrics.month_starts(pd.Series([T("2020-01-31")]), pd.Series([1])).tolist() == [T("2020-03-01")]


def _per_week(minutes, days):
    return minutes / 60 / (days / 7)


def test_contact_hours_by_month_counts_months_without_contact_as_zero():
    hours, tr = _contact_frames()
    monthly = metrics.contact_hours_by_month(hours, tr)
    got = {(r.family, r.month): (r.days, r.contacts, r.minutes) for r in monthly.itertuples()}
    assert got == {
        # a's month 3 (15-04 → 14-05) ends with the trajectory on 20-04: 15–20 April = 6 days inside it.
        ("a", 0): (31, 2, 150), ("a", 1): (29, 0, 0), ("a", 2): (31, 1, 120), ("a", 3): (6, 0, 0),
        ("b", 0): (30, 2, 180), ("b", 1): (30, 1, 30),
        ("d", 0): (31, 2, 130), ("d", 1): (30, 1, 35),
    }
    a = monthly[monthly["family"] == "a"].set_index("month")["hours_per_week"]
    assert a.tolist() == pytest.approx([_per_week(150, 31), 0.0, _per_week(120, 31), 0.0])
    assert monthly.attrs == {"n_families": 3, "zonder_startdatum": 1, "buiten_traject": 1}  # c; a's 1 May
    assert monthly.loc[monthly["family"] == "b", "month_start"].tolist() == [T("2020-01-31"), T("2020-03-01")]


def test_contact_hours_by_month_stops_at_the_peildatum():
    hours, tr = _contact_frames()
    monthly = metrics.contact_hours_by_month(hours, tr, peildatum=dt.date(2020, 3, 31))
    assert monthly.groupby("family")["month"].max().to_dict() == {"a": 2, "b": 1, "d": 0}
    assert monthly.attrs["buiten_traject"] == 2  # a's 1 May, d's 15 April


def test_intensity_curve_per_organisation_investment_only():
    hours, tr = _contact_frames()
    curve = metrics.intensity_curve(hours, tr)
    got = {(r.organisation, r.month): (round(r.mean_hours_per_week, 6), r.n) for r in curve.itertuples()}
    assert got == {
        # b's group activity is participation, not investment: b month 0 = 60 minutes in 30 days
        ("X", 0): (round((_per_week(150, 31) + _per_week(60, 30)) / 2, 6), 2),
        ("X", 1): (round((0 + _per_week(30, 30)) / 2, 6), 2),  # a had no contact: counts as 0
        ("X", 2): (round(_per_week(120, 31), 6), 1),  # b's trajectory (so far) does not cover month 2
        ("X", 3): (0.0, 1),
        ("Y", 0): (round(_per_week(130, 31), 6), 1),
        ("Y", 1): (round(_per_week(35, 30), 6), 1),
    }
    assert metrics.intensity_curve(hours, tr, by=None)["n"].tolist() == [3, 3, 1, 1]


def test_hours_first_latest_counts_contact_log_families():
    hours, tr = _contact_frames()
    table = metrics.hours_first_latest(hours, tr).set_index(["support_type", "moment"])
    # Regelzaken: d's weekly hours (3 → 1) count, not its contact; a month 0 → its last month with a contact (2),
    # b month 0 → month 1.
    reg_start = table.loc[("Regelzaken", "start")]
    assert (reg_start["n"], reg_start["n_contactlog"]) == (3, 2)
    assert reg_start["mean_hours_per_week"] == pytest.approx((3 + _per_week(60, 31) + _per_week(60, 30)) / 3)
    assert table.loc[("Regelzaken", "latest"), "mean_hours_per_week"] == pytest.approx(
        (1 + _per_week(120, 31) + _per_week(30, 30)) / 3)
    # a talked in month 0 only: 0 in its last month with a contact (an explicit 0 counts).
    assert table.loc[("Gesprekken met gezin", "start"), ["n", "mean_hours_per_week"]].tolist() == pytest.approx(
        [1, _per_week(90, 31)])
    assert table.loc[("Gesprekken met gezin", "latest"), ["n", "mean_hours_per_week"]].tolist() == [1, 0.0]
    assert table.loc[("Praktische steun", "latest"), "mean_hours_per_week"] == pytest.approx(_per_week(35, 30))
    part = table.loc[("Groepsactiviteit ouder", "start")]
    assert part["kind"] == "deelname" and part["mean_hours_per_week"] == pytest.approx(_per_week(120, 30))
    # Without trajectories the contact log cannot be placed in trajectory months: only weekly hours count.
    weekly_only = metrics.hours_first_latest(hours).set_index(["support_type", "moment"])
    assert weekly_only.loc[("Regelzaken", "start"), ["n", "mean_hours_per_week"]].tolist() == [1, 3.0]
    assert weekly_only["n_contactlog"].sum() == 0
