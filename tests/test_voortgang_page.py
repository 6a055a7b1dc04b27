"""The Voortgang page through Streamlit's AppTest: the fixture workbooks (hand-computed figures), the bundled
samples (page = core functions on the same data) with the organisation and leefgebied changed, and an empty store."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from gezinsmonitor import formatting, metrics
from gezinsmonitor import progress as pg
from gezinsmonitor.store import Store
from loaders.samples import load_samples
from tests.fixtures import ORG_A, PEILDATUM
from tests.test_pages import _app, _open, _table, empty_db, fixture_db  # noqa: F401 (module fixtures)

PAGE = "pages/voortgang.py"
ORG_TITLE = "Laatste voortgangsscore 4–5 per organisatie"
DURATION_TITLE = "Laatste voortgangsscore 4–5 naar trajectduur"
ALL_TEXT = "alle leefgebieden samen (4–5 op elk leefgebied met een score)"


def _titles(at: AppTest) -> list[str]:
    out = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title")
        out.append(title.get("text") if isinstance(title, dict) else title)
    return out


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def _set_peildatum(at: AppTest, day) -> AppTest:
    at.date_input(key="f_peildatum").set_value(day).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('voortgang_samples') / 'store.db'}"
    store = Store(url)
    load_samples(store, force=True)
    store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def samples(samples_db):
    return Store(samples_db).load_dataset()


# -- fixture workbooks ----------------------------------------------------------------------------
def test_fixture_store(monkeypatch, fixture_db):
    at = _set_peildatum(_open(_app(monkeypatch, fixture_db), PAGE), PEILDATUM)
    titles = _titles(at)
    assert titles[0] == "Laatste voortgangsscore per leefgebied (aandeel gezinnen)"
    assert any(t.startswith(ORG_TITLE) for t in titles) and any(t.startswith(DURATION_TITLE) for t in titles)
    # The click on a leefgebied is wired: Streamlit listens to the chart's point selection.
    assert list(at.get("vega_lite_chart")[0].proto.selection_mode) == ["leefgebied_klik"]

    # Per leefgebied (fixture: Financiën A1 4, A2 5 → 2 of 2; Sociaal A3 3 → 0 of 1).
    leefgebied = _table(at, "Leefgebied", "% score 4–5 (95%-BI)").set_index("Leefgebied")
    assert leefgebied.loc["Financiën", "% score 4–5 (95%-BI)"] == "100,0% (95%-BI 34,2–100,0%)"
    assert leefgebied.loc["Sociaal", "% score 4–5 (95%-BI)"] == "0,0% (95%-BI 0,0–79,3%)"

    # All leefgebieden together: A1 lowest 4 (Participatie only n.v.t.), A2 5, A3 3 → 2 of 3 families.
    org = _table(at, "Organisatie", "% score 4–5 (95%-BI)").set_index("Organisatie")
    assert list(org.index) == [ORG_A]  # Fixture Gezinshuis has no scores: no row, and no pooled row for one
    assert org.loc[ORG_A, ["n", "score 4–5"]].tolist() == [3, 2]
    assert org.loc[ORG_A, "% score 4–5 (95%-BI)"] == "66,7% (95%-BI 20,8–93,9%)"
    assert org.loc[ORG_A, "Let op"] == "n < 20: voorzichtig vergelijken"
    assert any(w.value.startswith("**Kleine aantallen**") and f"{ORG_A} (n = 3)" in w.value for w in at.warning)
    assert any("maar één organisatie" in i.value for i in at.info)

    # Duration at 31-10-2021: A1 afgerond 6-12 (high), A2 afgerond 0-6 (high), A3 lopend 6-12 (score 3).
    dur = _table(at, "Status", "Maanden").set_index(["Status", "Maanden"])
    assert dur.loc[("afgerond", "0-6"), ["n", "score 4–5"]].tolist() == [1, 1]
    assert dur.loc[("afgerond", "6-12"), ["n", "score 4–5"]].tolist() == [1, 1]
    assert dur.loc[("lopend", "6-12"), ["n", "score 4–5", "% score 4–5 (95%-BI)"]].tolist() == [
        1, 0, "0,0% (95%-BI 0,0–79,3%)"]
    assert dur["n"].sum() == 3
    assert any(w.value.startswith("**Samenhang, geen effect.**") and "ondergrens" in w.value for w in at.warning)
    captions = _captions(at)
    assert any(c.startswith("**n = 3 gezinnen (2 afgerond, 1 lopend)") for c in captions)
    assert any(c.startswith("**n = 3 gezinnen met een score in 1 organisatie ·") for c in captions)
    # Every chart of the page has its caption with n, definition and data version, and its "Hoe berekend?".
    assert len([c for c in captions if c.startswith("**n = ") and "Gegevens: versie" in c]) >= len(titles)
    assert len([e for e in at.expander if e.label == "Hoe berekend?"]) >= len(titles)

    # Choosing Financiën (as a click on its bar does): per organisation n 2, both 4–5, mean 4,5.
    at.selectbox(key="vg_leefgebied").set_value("Financiën").run()
    assert not at.exception
    org = _table(at, "Organisatie", "score 5").set_index("Organisatie")
    assert org.loc[ORG_A, ["n", "score 4", "score 5", "Gemiddelde"]].tolist() == [2, 1, 1, "4,5"]
    assert org.loc[ORG_A, "% score 4–5 (95%-BI)"] == "100,0% (95%-BI 34,2–100,0%)"
    assert any(t == f"{ORG_TITLE} — Financiën" for t in _titles(at))
    dur = _table(at, "Status", "Maanden").set_index(["Status", "Maanden"])
    assert dur["n"].sum() == 2  # A3 has no Financiën score


def test_fixture_store_organisation_filter(monkeypatch, fixture_db):
    at = _open(_app(monkeypatch, fixture_db), PAGE)
    at.multiselect(key="f_orgs").set_value([ORG_A]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"organisaties: {ORG_A}" in c for c in _captions(at))
    org = _table(at, "Organisatie", "% score 4–5 (95%-BI)")
    assert org["Organisatie"].tolist() == [ORG_A]


def test_empty_store(monkeypatch, empty_db):
    at = _open(_app(monkeypatch, empty_db), PAGE)
    assert any(i.value.startswith("Geen voortgangsscores") for i in at.info)
    assert not at.get("vega_lite_chart")


# -- bundled samples ------------------------------------------------------------------------------
def test_samples_page_equals_core(monkeypatch, samples_db, samples):
    at = _open(_app(monkeypatch, samples_db), PAGE)
    peil = at.date_input(key="f_peildatum").value
    m = samples.measurements
    titles = _titles(at)
    assert titles[:3] == ["Laatste voortgangsscore per leefgebied (aandeel gezinnen)",
                          f"{ORG_TITLE} — {ALL_TEXT}", f"{DURATION_TITLE} — {ALL_TEXT}"]
    assert len(titles) == 6  # plus ZRM, ernst and the direction of change

    comparison = pg.organisation_comparison(pg.family_outcomes(m), 20)
    org = _table(at, "Organisatie", "% score 4–5 (95%-BI)").set_index("Organisatie")
    assert len(comparison) >= 2 and list(org.index) == [*comparison["organisation"], "Alle organisaties samen"]
    for rec in comparison.itertuples():
        assert org.loc[rec.organisation, "n"] == rec.n
        assert org.loc[rec.organisation, "% score 4–5 (95%-BI)"] == formatting.percent_ci(rec.pct, rec.pct_lo,
                                                                                            rec.pct_hi)
    pooled = comparison.attrs["pooled"]
    assert org.loc["Alle organisaties samen", "n"] == pooled["n"]

    classes = pg.duration_classes(pg.family_outcomes(m, until=peil),
                                  metrics.trajectory_durations(samples.trajectories, peil), 20)
    dur = _table(at, "Status", "Maanden")
    assert dur["n"].tolist() == classes["n"].tolist() and dur["n"].sum() == classes.attrs["n"] > 0

    # Organisations with another instrument are named, not silently dropped.
    coverage = pg.coverage(samples.families, m)
    assert coverage.attrs["without"] > 0
    assert any(c.startswith("**Zonder voortgangsscore**") for c in _captions(at))
    summary = metrics.progress_summary(m).set_index("leefgebied")
    table = _table(at, "Leefgebied", "% score 4–5 (95%-BI)").set_index("Leefgebied")
    for lg, rec in summary.iterrows():
        assert table.loc[lg, "n.v.t. (telt niet mee)"] == rec["nvt"]
        assert table.loc[lg, "% score 4–5 (95%-BI)"] == formatting.percent_ci(rec["high_pct"], rec["high_pct_lo"],
                                                                               rec["high_pct_hi"])


def test_samples_leefgebied_and_organisation_filter(monkeypatch, samples_db, samples):
    at = _open(_app(monkeypatch, samples_db), PAGE)
    at.selectbox(key="vg_leefgebied").set_value("Wonen").run()
    assert not at.exception
    wonen = pg.organisation_comparison(pg.family_outcomes(samples.measurements, "Wonen"), 20)
    org = _table(at, "Organisatie", "score 5").set_index("Organisatie")
    for rec in wonen.to_dict("records"):
        assert org.loc[rec["organisation"], "score 5"] == rec["5"]
        assert (org.loc[rec["organisation"], "Let op"] != "") == rec["small"]
    if wonen["small"].any():
        assert any(w.value.startswith("**Kleine aantallen**") for w in at.warning)

    # One organisation with voortgangsscores: the comparison has one row and says so; the choice stays.
    one = min(wonen["organisation"])
    at.multiselect(key="f_orgs").set_value([one]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="vg_leefgebied").value == "Wonen"
    assert _table(at, "Organisatie", "score 5")["Organisatie"].tolist() == [one]
    assert any("maar één organisatie" in i.value for i in at.info)

    # An organisation that measures with the ZRM only: no voortgangsscore figures, the ZRM view stays.
    zrm_only = samples.measurements.groupby("organisation")["instrument"].agg(set)
    zrm_org = next(o for o, inst in zrm_only.items() if inst == {"zrm"})
    at.multiselect(key="f_orgs").set_value([zrm_org]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(i.value.startswith("Geen voortgangsscores") for i in at.info)
    assert _titles(at)[0] == "Zelfredzaamheid (ZRM): gemiddeld niveau per meetmoment"
