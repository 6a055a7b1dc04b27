"""What every analysis page relies on: Wilson intervals, Kaplan–Meier, Dutch formatting, the minimum n,
the gezinssamenstelling filter, filters kept in the URL and the "Hoe berekend?" text."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from gezinsmonitor import config, formatting, stats
from gezinsmonitor.filters import Filters, apply
from tests import apptest as ui
from tests.fixtures import ORG_A, ORG_B
from tests.helpers import fixture_store
from tests.helpers import with_raw_keys


# -- Wilson ------------------------------------------------------------------------------------
def test_wilson_worked_example():
    # k = 81, n = 263, z = 1.96: p = .30798; z²/n = .014606; centre = (p + z²/2n) / (1 + z²/n) = .31075;
    # half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n) = 1.96 · .028710 / 1.014606 = .05546 → 25.53% – 36.62%.
    lo, hi = stats.wilson(81, 263)
    assert float(lo) == pytest.approx(25.53, abs=0.01)
    assert float(hi) == pytest.approx(36.62, abs=0.01)


def test_wilson_edges_stay_inside_0_100():
    # 0 of 10: lower bound 0, upper z²/(n + z²) = 3.8415 / 13.8415 = 27.75%; 10 of 10 mirrors it.
    lo, hi = stats.wilson([0, 10, 5], [10, 10, 0])
    assert lo[0] == 0 and hi[0] == pytest.approx(27.75, abs=0.01)
    assert lo[1] == pytest.approx(72.25, abs=0.01) and hi[1] == pytest.approx(100)
    assert np.isnan(lo[2]) and np.isnan(hi[2])  # n = 0: no interval, not a division error


def test_with_wilson_adds_columns():
    import pandas as pd
    frame = stats.with_wilson(pd.DataFrame({"k": [1, 2], "n": [2, 4]}), "k", "n", "pct")
    assert list(frame.columns) == ["k", "n", "pct_lo", "pct_hi"]
    assert frame["pct_lo"].tolist() == pytest.approx([9.45, 15.0], abs=0.01)  # both are p = 1/2
    assert frame["pct_lo"].iloc[0] < frame["pct_lo"].iloc[1]  # the larger n gives the narrower interval


# -- Kaplan–Meier ------------------------------------------------------------------------------
# Freireich et al. (1963), 6-MP arm: 21 remission times in weeks, 12 censored. The textbook product-limit
# estimate: S(6) = 18/21 = .857; S(7) = .857·16/17 = .807; S(10) = .807·14/15 = .753; S(13) = .753·11/12 = .690;
# S(16) = .690·10/11 = .627; S(22) = .627·6/7 = .538; S(23) = .538·5/6 = .448; median 23.
SIX_MP_TIMES = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_kaplan_meier_with_censoring():
    km = stats.kaplan_meier(SIX_MP_TIMES, np.array(SIX_MP_EVENT, dtype=bool)).set_index("time")
    expected = {6: .857, 7: .807, 10: .753, 13: .690, 16: .627, 22: .538, 23: .448}
    for time, survival in expected.items():
        assert km.loc[time, "survival"] == pytest.approx(survival, abs=0.001)
    assert km.loc[6, "at_risk"] == 21 and km.loc[6, "events"] == 3 and km.loc[6, "censored"] == 1
    assert km.loc[9, "survival"] == km.loc[7, "survival"]  # a censored time does not step the curve down
    assert km.loc[0, "survival"] == 1.0
    # Greenwood on the log(-log) scale at t = 6: var = 3/(21·18) = .0079365; se = sqrt(var)/|ln .857| = .5779;
    # bounds exp(-exp(ln(-ln .857) ± 1.96·.5779)) = .620 and .952 (as R's survfit with conf.type="log-log").
    assert km.loc[6, "lower"] == pytest.approx(0.620, abs=0.001)
    assert km.loc[6, "upper"] == pytest.approx(0.952, abs=0.001)


def test_km_median_and_not_reached():
    km = stats.kaplan_meier(SIX_MP_TIMES, np.array(SIX_MP_EVENT, dtype=bool))
    median = stats.km_median(km)
    assert median["median"] == 23
    assert median["lower"] == 13  # the lower band first reaches .5 at 13 (.432; at 10 it is .503)
    assert np.isnan(median["upper"])  # the upper band never reaches .5: "niet bereikt"
    # Everyone still running: no event, the curve stays at 1 and the median is not reached.
    none_ended = stats.km_median(stats.kaplan_meier([3, 5, 8], [False, False, False]))
    assert np.isnan(none_ended["median"])


def test_kaplan_meier_all_ended_reaches_zero():
    # 2, 4, 4 all ended: S(2) = 2/3, S(4) = 0; median = 4 (first time S ≤ .5).
    km = stats.kaplan_meier([2, 4, 4], [True, True, True]).set_index("time")
    assert km.loc[2, "survival"] == pytest.approx(2 / 3)
    assert km.loc[4, "survival"] == 0
    assert stats.km_median(km.reset_index())["median"] == 4



def test_km_median_midpoint_of_a_flat_at_one_half():
    # 1, 2, 3, 4 all ended: S(1) = 3/4, S(2) = 2/4 exactly, S(3) = 1/4. The curve sits at .5 on [2, 3): R's
    # survival reports the midpoint (2 + 3) / 2 = 2.5, not 2.
    assert stats.km_median(stats.kaplan_meier([1, 2, 3, 4], [True] * 4))["median"] == 2.5
    # 1, 2 ended, 3 and 4 still running: S(2) = .5 until the end of follow-up → (2 + 4) / 2 = 3 (R: 3).
    assert stats.km_median(stats.kaplan_meier([1, 2, 3, 4], [True, True, False, False]))["median"] == 3
    # The bands follow the same rule. Lower: .5 from 1, again .5 at the censored time 2, next step .3 at 3 →
    # (1 + 3) / 2 = 2. Upper: reaches .5 only at the last time 3 → (3 + 3) / 2 = 3. Survival .4 at 3 → 3.
    import pandas as pd
    table = pd.DataFrame({"time": [0.0, 1.0, 2.0, 3.0], "survival": [1, .8, .6, .4],
                          "lower": [1, .5, .5, .3], "upper": [1, .9, .7, .5]})
    assert stats.km_median(table) == {"median": 3.0, "lower": 2.0, "upper": 3.0}


# -- Dutch formatting, minimum n ---------------------------------------------------------------
def test_dutch_formatting():
    assert formatting.number(1234.56) == "1.234,6"
    assert formatting.number(3, 0) == "3"
    assert formatting.percent(78.94) == "78,9%"
    assert formatting.percent_ci(78.94, 72.06, 84.61) == "78,9% (95%-BI 72,1–84,6%)"
    assert formatting.interval(8, 14.5, 0, " mnd") == "8–15 mnd"
    assert formatting.number(2.25) == "2,3" and formatting.number(2.675, 2) == "2,68"  # half up, as by hand
    assert formatting.number(-0.04) == "0,0" and formatting.number(-1.5) == "-1,5"
    assert formatting.date(dt.date(2026, 10, 31)) == "31-10-2026"
    assert formatting.date(dt.date(2026, 10, 31), long=True) == "31 oktober 2026"
    assert formatting.count(5203) == "5.203"
    assert formatting.number(float("nan")) == "–" and formatting.percent_ci(None, 1, 2) == "–"


def test_min_n_configurable(monkeypatch, tmp_path):
    monkeypatch.delenv(config.ENV_MIN_N, raising=False)
    missing = tmp_path / "none.toml"
    assert config.min_n(missing) == 20
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("GEZINSMONITOR_MIN_N = 30\n")
    assert config.min_n(secrets) == 30
    monkeypatch.setenv(config.ENV_MIN_N, "15")
    assert config.min_n(secrets) == 15  # the environment wins
    monkeypatch.setenv(config.ENV_MIN_N, "veel")
    assert config.min_n(secrets) == 20  # nonsense falls back to the default instead of failing a page


# -- filters -----------------------------------------------------------------------------------
def test_composition_filter_with_unknown(sqlite_url, fixture_paths):
    ds = with_raw_keys(fixture_store(sqlite_url, fixture_paths).load_dataset())
    # A1, A3 eenouder; A2 tweeouder; A4 'onbekend' as written; B1 empty (counts as onbekend).
    pick = lambda *c: sorted(apply(ds, Filters(compositions=c)).families["family_key"])  # noqa: E731
    assert pick("eenouder") == ["A1", "A3"]
    assert pick("onbekend") == ["A4", "B1"]
    assert pick("eenouder", "tweeouder") == ["A1", "A2", "A3"]
    assert "gezinssamenstelling: eenouder" in Filters(compositions=("eenouder",)).describe()



def test_status_filter_selects_trajectories_too():
    import pandas as pd

    from gezinsmonitor.store import Dataset
    T = pd.Timestamp
    families = pd.DataFrame({"family": ["F1", "F2", "F3"], "organisation": ["X", "X", "Y"],
                             "composition": [None, None, None]})
    # F1 has an afgerond and a later lopend trajectory; F2 only afgerond; F3 only lopend.
    trajectories = pd.DataFrame({"family": ["F1", "F1", "F2", "F3"],
                                 "status": ["afgerond", "lopend", "afgerond", "lopend"],
                                 "start_date": [T("2020-01-01"), T("2021-01-01"), T("2020-01-01"), T("2021-01-01")],
                                 "end_date": [T("2020-06-01"), pd.NaT, T("2020-09-01"), pd.NaT]})
    requests = pd.DataFrame({"family": ["F1", "F1", "F2"], "leefgebied": ["Wonen", "Financiën", "Wonen"]})
    empty = pd.DataFrame({"family": pd.Series(dtype=object)})
    ds = Dataset(families, trajectories, requests, empty, empty, pd.DataFrame(), 1)
    lopend = apply(ds, Filters(statuses=("lopend",)))
    # Families with a lopend trajectory: F1, F3; of F1 only its lopend trajectory, but both its requests.
    assert sorted(lopend.families["family"]) == ["F1", "F3"]
    assert sorted(zip(lopend.trajectories["family"], lopend.trajectories["status"])) == \
        [("F1", "lopend"), ("F3", "lopend")]
    assert len(lopend.requests) == 2
    afgerond = apply(ds, Filters(statuses=("afgerond",)))
    assert sorted(afgerond.trajectories["family"]) == ["F1", "F2"] and set(afgerond.trajectories["status"]) == \
        {"afgerond"}
    both = apply(ds, Filters(statuses=("lopend", "afgerond")))
    assert len(both.trajectories) == 4
    assert "geregistreerde status: lopend" in Filters(statuses=("lopend",)).describe()


@pytest.fixture
def url_app(monkeypatch, tmp_path):
    """The app on its own fixture store (a test may write to it), not yet run: the test sets the link's query
    parameters first."""
    return ui.app_test(monkeypatch, ui.store_from_fixtures(tmp_path))


def test_filters_are_read_from_a_shared_link(url_app):
    at = url_app
    at.query_params.update({"organisatie": ORG_A, "samenstelling": ["eenouder", "bestaat-niet"],
                            "peildatum": "2021-10-31"})
    at.run()
    ui.assert_ok(at)
    assert at.multiselect(key="f_orgs").value == [ORG_A]
    assert at.multiselect(key="f_comp").value == ["eenouder"]
    assert at.date_input(key="f_peildatum").value == dt.date(2021, 10, 31)
    assert ui.metrics(at)["Gezinnen"] == "2"  # A1 and A3
    # A value that does not exist is named, not an error.
    assert any("samenstelling=bestaat-niet" in w.value for w in at.sidebar.warning)


def test_filters_are_written_to_the_link(url_app):
    at = url_app
    at.run()
    assert "organisatie" not in at.query_params  # no filters: a clean link
    at.multiselect(key="f_orgs").set_value([ORG_B]).run()
    at.multiselect(key="f_status").set_value(["lopend"]).run()
    ui.assert_ok(at)
    assert at.query_params["organisatie"] == ORG_B and at.query_params["status"] == "lopend"
    at.multiselect(key="f_orgs").set_value([]).run()
    assert "organisatie" not in at.query_params and at.query_params["status"] == "lopend"


def test_bad_period_in_link_is_ignored_with_notice(url_app):
    at = url_app
    at.query_params.update({"periode": "gisteren..morgen"})
    at.run()
    ui.assert_ok(at)
    assert any("periode=gisteren..morgen" in w.value for w in at.sidebar.warning)


def test_every_figure_has_a_how_computed_expander(url_app):
    at = url_app
    at.query_params.update({"peildatum": "2021-10-31"})
    at.run()
    ui.open_page(at, "pages/trajectduur.py")
    expanders = [e for e in at.expander if e.label == "Hoe berekend?"]
    assert len(expanders) >= len(at.get("vega_lite_chart")) >= 1
    text = expanders[0].markdown[0].value
    for part in ("**Definitie**", "**n**", "**Filters**", "peildatum 31-10-2021", "**Gegevensversie**",
                 "**Niet meegeteld**"):
        assert part in text


def test_charts_speak_dutch_numbers_and_months():
    import altair as alt
    import pandas as pd

    from components import charts
    spec = charts.dutch(alt.Chart(pd.DataFrame({"x": [1.5]})).mark_bar().encode(x="x:Q")).to_dict()
    locale = spec["config"]["locale"]
    assert (locale["number"]["decimal"], locale["number"]["thousands"]) == (",", ".")
    assert locale["time"]["months"][2] == "maart" and locale["time"]["shortMonths"][9] == "okt"


def test_an_upload_does_not_turn_the_whole_range_into_a_period_filter(url_app, monkeypatch):
    """The period widget shows the data's whole range; after an upload with an earlier start that old range
    must not become a filter the user never chose (seen in Chromium after uploading several files)."""
    import io
    import os

    import pandas as pd

    from gezinsmonitor.store import Store
    from gezinsmonitor.template import write_workbook
    from tests.helpers import import_file

    at = url_app
    at.run()
    assert "periode" not in " ".join(c.value for c in at.caption)
    buf = io.BytesIO()
    write_workbook(buf, {"families": pd.DataFrame({"family": ["C1"], "start": [dt.date(2015, 3, 1)]})},
                   organisation="Fixture Vroeg")
    store = Store(os.environ["GEZINSMONITOR_DB"])
    assert import_file(store, buf.getvalue(), "vroeg.xlsx").status == "imported"
    at.run()
    ui.assert_ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "periode" not in captions, captions
    assert {m.label: m.value for m in at.metric}["Gezinnen"] == "6"  # C1 counts: no hidden period filter
    assert at.date_input(key="f_period").value[0] == dt.date(2015, 3, 1)
