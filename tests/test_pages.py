"""Every page through Streamlit's AppTest on a store filled with the fixture workbooks."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from gezinsmonitor.importer import import_registration
from gezinsmonitor.store import Store
from gezinsmonitor.validation import validate
from loaders.registratieformat import read_registration
from tests.fixtures import EXPECTED, ORG_B, PEILDATUM, write_fixture_workbooks

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/hulpvragen.py", "pages/trajectduur.py", "pages/voortgang.py", "pages/inzet.py"]


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> str:
    """A fresh SQLite store per module (the app caches the store per URL) with both fixture workbooks."""
    tmp = tmp_path_factory.mktemp("pages")
    url = f"sqlite:///{tmp / 'store.db'}"
    store = Store(url)
    for path in write_fixture_workbooks(tmp):
        loaded = read_registration(path)
        result = import_registration(store, validate(loaded.raw), file_name=path.name, sha256=loaded.sha256)
        assert result.status == "imported", result.report.to_text()
    store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('empty') / 'store.db'}"


def _app(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv("GEZINSMONITOR_DB", url)
    monkeypatch.setenv("GEZINSMONITOR_NO_SAMPLES", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app(monkeypatch, fixture_db) -> AppTest:
    return _app(monkeypatch, fixture_db)


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _chart_titles(at: AppTest) -> list:
    return [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]


def _table(at: AppTest, *columns: str):
    """The first table that has all these columns."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def _assert_captions(at: AppTest, n_charts: int) -> None:
    """One caption with n, definition and data version per chart (at least)."""
    captions = [c.value for c in at.caption if c.value.startswith("**n = ") and "Gegevens: versie" in c.value]
    assert len(captions) >= n_charts


def test_overzicht(app):
    m = _metrics(app)
    assert m["Gezinnen"] == str(EXPECTED["families"])
    assert m["Organisaties"] == str(EXPECTED["organisations"])
    assert m["Hulpvragen"] == str(EXPECTED["help_requests"])


def test_hulpvragen(app):
    at = _open(app, "pages/hulpvragen.py")
    table = _table(at, "Leefgebied", "Gezinnen", "% van de hulpvragen").set_index("Leefgebied")
    for lg, (fam, fam_pct, req, req_pct) in EXPECTED["needs"].items():
        assert table.loc[lg, "Gezinnen"] == fam and table.loc[lg, "Hulpvragen"] == req
    assert table.loc["Financiën", "% van de gezinnen"] == "50,0 %"
    assert table.loc["Financiën", "% van de hulpvragen"] == "33,3 %"
    detail = _table(at, "Categorie")
    assert ((detail["Leefgebied"] == "Wonen") & (detail["Categorie"] == "(geen categorie)")).any()
    assert any("17% van de hulpvragen" in i.value and "79% van de gezinnen" in i.value for i in at.info)
    titles = _chart_titles(at)
    assert titles[0] == "Hulpvragen per leefgebied — % van de gezinnen"
    _assert_captions(at, 3)

    at.segmented_control(key="hv_measure").set_value("requests_pct").run()
    assert not at.exception
    assert _chart_titles(at)[:2] == ["Hulpvragen per leefgebied — % van de hulpvragen",
                                     "Hulpvragen per leefgebied en categorie — % van de hulpvragen"]
    assert any("gemiddeld 1,2 hulpvragen per gezin" in c.value for c in at.caption)


def test_trajectduur_at_fixture_peildatum(app):
    at = _open(app, "pages/trajectduur.py")
    at.date_input(key="f_peildatum").set_value(PEILDATUM).run()
    assert not at.exception
    table = _table(at, "Maanden").set_index("Maanden")
    for bucket, (completed, ongoing) in EXPECTED["duration"].items():
        assert (table.loc[bucket, "Afgerond"], table.loc[bucket, "Lopend (tot peildatum)"]) == (completed, ongoing)
    assert table.loc["Totaal"].tolist() == [2, 3, 5]
    m = _metrics(at)
    assert m["Trajecten meegeteld"] == "5" and m["Niet meegeteld"] == "0" and m["Zonder einddatum"] == "3"
    assert any("ondergrens" in w.value for w in at.warning)
    assert any("peildatum 31-10-2021" in c.value for c in at.caption)
    assert _chart_titles(at)[:2] == ["Trajecten per duurklasse (maanden)", "Verdeling van de trajectduur"]
    _assert_captions(at, 2)


def test_voortgang(app):
    at = _open(app, "pages/voortgang.py")
    table = _table(at, "n.v.t. (telt niet mee)").set_index("Leefgebied")
    for lg, (n, mean, counts) in EXPECTED["progress"].items():
        assert table.loc[lg, "n"] == n
        assert table.loc[lg, "Gemiddelde"] == f"{mean:.1f}".replace(".", ",")
        assert [table.loc[lg, f"score {k}"] for k in counts] == list(counts.values())
    assert table.loc["Financiën", "Gemiddelde"] == "4,5"
    assert table.loc["Participatie", "n.v.t. (telt niet mee)"] == 1
    assert any("n.v.t. telt niet mee" in c.value for c in at.caption)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["x"]["stack"] == "normalize"
    _assert_captions(at, 1)


def test_inzet(app):
    at = _open(app, "pages/inzet.py")
    table = _table(at, "Soort steun").set_index("Soort steun")
    reg = table.loc["Regelzaken"]
    assert (reg["n eerste meting"], reg["uur/week eerste meting"]) == (2, "3,0")
    assert (reg["n laatste meting"], reg["uur/week laatste meting"]) == (3, "1,0")
    assert table.loc["Ondersteuning door maatje", "n laatste meting"] == 1
    m = _metrics(at)
    assert m["Totaal professioneel, eerste meting (rond aanmelding)"] == "3,0 uur/week"
    assert m["Totaal professioneel, laatste meting"] == "1,0 uur/week"
    assert any("Gesprekken met gezin 0/0 · Regelzaken 2/3 · Praktische steun 0/0" in c.value for c in at.caption)
    assert _chart_titles(at) == ["Inzet: uren per week van professionals en vrijwilligers", "Totaal aantal uren inzet per gezin",
                                 "Uren per organisatie — Inzet totaal (professionals + vrijwilligers)"]
    assert any("deelname" in i.value for i in at.info)  # the fixture has no participation hours
    _assert_captions(at, 2)


def test_gegevens_renders(app):
    if not (ROOT / "pages" / "gegevens.py").exists():
        pytest.skip("pages/gegevens.py is not written yet")
    _open(app, "pages/gegevens.py")


def _filter_org(at: AppTest, page: str, org: str) -> AppTest:
    """Open a page, then choose one organisation in the sidebar.

    In AppTest (unlike a browser, checked with Playwright) sidebar widgets of the entrypoint get a new
    widget id on the first rerun and on every page switch, so the filter is set on the page itself."""
    at = _open(at, page)
    at.multiselect(key="f_orgs").set_value([org]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="f_orgs").value == [org]
    return at


def test_filter_one_organisation(app):
    at = _filter_org(app, "pages/overzicht.py", ORG_B)
    assert _metrics(at)["Gezinnen"] == "1"
    assert _metrics(at)["Organisaties"] == "1"

    at = _filter_org(at, "pages/hulpvragen.py", ORG_B)
    table = _table(at, "Leefgebied", "Gezinnen", "% van de hulpvragen").set_index("Leefgebied")
    assert table.loc["Gezondheid", "% van de gezinnen"] == "100,0 %"
    assert table.loc["Financiën", "Gezinnen"] == 0
    assert any(f"organisaties: {ORG_B}" in c.value for c in at.caption)  # the filter is named under the figure

    at = _filter_org(at, "pages/trajectduur.py", ORG_B)
    assert _table(at, "Maanden").set_index("Maanden").loc["Totaal", "Totaal"] == 1

    for page, message in (("pages/voortgang.py", "Geen voortgangsscores"), ("pages/inzet.py", "Geen urenregistraties")):
        at = _filter_org(at, page, ORG_B)
        assert any(i.value.startswith(message) for i in at.info), page
        assert not at.get("vega_lite_chart")


@pytest.mark.parametrize("page", ["pages/overzicht.py", *PAGES])
def test_empty_store_shows_message(monkeypatch, empty_db, page):
    at = _app(monkeypatch, empty_db)
    at = _open(at, page)
    assert any(i.value.startswith("Geen ") for i in at.info)
    assert not at.get("vega_lite_chart")
