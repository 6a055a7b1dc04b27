"""Every page through Streamlit's AppTest on a store filled with the fixture workbooks."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import apptest as ui
from tests.fixtures import EXPECTED, ORG_A, ORG_B, PEILDATUM

PAGES = ["pages/hulpvragen.py", "pages/trajectduur.py", "pages/voortgang.py", "pages/inzet.py"]


@pytest.fixture
def app(monkeypatch, fixture_db) -> AppTest:
    return ui.open_app(monkeypatch, fixture_db)


def _assert_captions(at: AppTest, n_charts: int) -> None:
    """One caption with n, definition and data version per chart (at least)."""
    captions = [c.value for c in at.caption if c.value.startswith("**n = ") and "Gegevens: versie" in c.value]
    assert len(captions) >= n_charts


def test_overzicht(app):
    m = ui.metrics(app)
    assert m["Gezinnen"] == str(EXPECTED["families"])
    assert m["Organisaties"] == str(EXPECTED["organisations"])
    assert m["Hulpvragen"] == str(EXPECTED["help_requests"])
    # Requests per family with a request, with a Dutch decimal comma: A 5 requests / 3 families, all 6 / 4.
    table = ui.table(app, "organisatie", "gezinnen").set_index("organisatie")
    assert table.loc[ORG_A, "hulpvragen per gezin met hulpvraag"] == "1,7"
    assert table.loc["Totaal", "hulpvragen per gezin met hulpvraag"] == "1,5"


def test_hulpvragen(app):
    at = ui.open_page(app, "pages/hulpvragen.py")
    table = ui.table(at, "Leefgebied", "Gezinnen", "% van de hulpvragen").set_index("Leefgebied")
    for lg, (fam, fam_pct, req, req_pct) in EXPECTED["needs"].items():
        assert table.loc[lg, "Gezinnen"] == fam and table.loc[lg, "Hulpvragen"] == req
    assert table.loc["Financiën", "% van de gezinnen"] == "50,0 %"
    assert table.loc["Financiën", "% van de hulpvragen"] == "33,3 %"
    detail = ui.table(at, "Categorie")
    assert ((detail["Leefgebied"] == "Wonen") & (detail["Categorie"] == "(geen categorie)")).any()
    assert any("17% van de hulpvragen" in i.value and "79% van de gezinnen" in i.value for i in at.info)
    titles = ui.chart_titles(at)
    assert titles[0] == "Hulpvragen per leefgebied — % van de gezinnen"
    _assert_captions(at, 3)

    at.segmented_control(key="hv_measure").set_value("requests_pct").run()
    ui.assert_ok(at)
    assert ui.chart_titles(at)[:2] == ["Hulpvragen per leefgebied — % van de hulpvragen",
                                       "Hulpvragen per leefgebied en categorie — % van de hulpvragen"]
    assert any("gemiddeld 1,2 hulpvragen per gezin" in c.value for c in at.caption)


def test_trajectduur_at_fixture_peildatum(app):
    at = ui.open_page(app, "pages/trajectduur.py", PEILDATUM)
    table = ui.table(at, "Maanden").set_index("Maanden")
    for bucket, (completed, ongoing) in EXPECTED["duration"].items():
        assert (table.loc[bucket, "Afgerond"], table.loc[bucket, "Lopend (tot peildatum)"]) == (completed, ongoing)
    assert table.loc["Totaal"].tolist() == [2, 3, 5]
    m = ui.metrics(at)
    assert m["Trajecten meegeteld"] == "5" and m["Niet meegeteld"] == "0" and m["Zonder einddatum"] == "3"
    assert any("ondergrens" in w.value for w in at.warning)
    assert any("peildatum 31-10-2021" in c.value for c in at.caption)
    assert ui.chart_titles(at)[:2] == ["Trajecten per duurklasse (maanden)", "Verdeling van de trajectduur"]
    _assert_captions(at, 2)


def test_voortgang(app):
    at = ui.open_page(app, "pages/voortgang.py")
    table = ui.table(at, "n.v.t. (telt niet mee)").set_index("Leefgebied")
    for lg, (n, mean, counts) in EXPECTED["progress"].items():
        assert table.loc[lg, "n"] == n
        assert table.loc[lg, "Gemiddelde"] == f"{mean:.1f}".replace(".", ",")
        assert [table.loc[lg, f"score {k}"] for k in counts] == list(counts.values())
    assert table.loc["Financiën", "Gemiddelde"] == "4,5"
    assert table.loc["Participatie", "n.v.t. (telt niet mee)"] == 1
    assert any("n.v.t. telt niet mee" in c.value for c in at.caption)
    spec = ui.chart_specs(at)[0]
    assert spec["encoding"]["x"]["stack"] == "normalize"
    _assert_captions(at, 1)


def test_inzet(app):
    at = ui.open_page(app, "pages/inzet.py")
    table = ui.table(at, "Soort steun").set_index("Soort steun")
    reg = table.loc["Regelzaken"]
    assert (reg["n eerste meting"], reg["uur/week eerste meting"]) == (2, "3,0")
    assert (reg["n laatste meting"], reg["uur/week laatste meting"]) == (3, "1,0")
    assert table.loc["Ondersteuning door maatje", "n laatste meting"] == 1
    m = ui.metrics(at)
    assert m["Totaal professioneel, eerste meting (rond aanmelding)"] == "3,0 uur/week"
    assert m["Totaal professioneel, laatste meting"] == "1,0 uur/week"
    assert any("Gesprekken met gezin 0/0 · Regelzaken 2/3 · Praktische steun 0/0" in c.value for c in at.caption)
    assert ui.chart_titles(at) == ["Inzet: uren per week van professionals en vrijwilligers",
                                   "Totaal aantal uren inzet per gezin",
                                   "Uren per organisatie — Inzet totaal (professionals + vrijwilligers)"]
    assert any("deelname" in i.value for i in at.info)  # the fixture has no participation hours
    _assert_captions(at, 2)


def test_gegevens_renders(app):
    if not (ui.ROOT / "pages" / "gegevens.py").exists():
        pytest.skip("pages/gegevens.py is not written yet")
    ui.open_page(app, "pages/gegevens.py")


def _filter_org(at: AppTest, page: str, org: str) -> AppTest:
    """Open a page, then choose one organisation in the sidebar.

    In AppTest (unlike a browser, checked with Playwright) sidebar widgets of the entrypoint get a new
    widget id on the first rerun and on every page switch, so the filter is set on the page itself."""
    at = ui.open_page(at, page)
    at.multiselect(key="f_orgs").set_value([org]).run()
    ui.assert_ok(at)
    assert at.multiselect(key="f_orgs").value == [org]
    ui.assert_browser_json(at)
    return at


def test_filter_one_organisation(app):
    at = _filter_org(app, "pages/overzicht.py", ORG_B)
    assert ui.metrics(at)["Gezinnen"] == "1"
    assert ui.metrics(at)["Organisaties"] == "1"

    at = _filter_org(at, "pages/hulpvragen.py", ORG_B)
    table = ui.table(at, "Leefgebied", "Gezinnen", "% van de hulpvragen").set_index("Leefgebied")
    assert table.loc["Gezondheid", "% van de gezinnen"] == "100,0 %"
    assert table.loc["Financiën", "Gezinnen"] == 0
    assert any(f"organisaties: {ORG_B}" in c.value for c in at.caption)  # the filter is named under the figure

    at = _filter_org(at, "pages/trajectduur.py", ORG_B)
    assert ui.table(at, "Maanden").set_index("Maanden").loc["Totaal", "Totaal"] == 1

    for page, message in (("pages/voortgang.py", "Geen voortgangsscores"), ("pages/inzet.py", "Geen urenregistraties")):
        at = _filter_org(at, page, ORG_B)
        assert any(i.value.startswith(message) for i in at.info), page
        assert not at.get("vega_lite_chart")


@pytest.mark.parametrize("page", ["pages/overzicht.py", *PAGES])
def test_empty_store_shows_message(monkeypatch, empty_db, page):
    at = ui.start(monkeypatch, empty_db, page)
    assert any(i.value.startswith("Geen ") for i in at.info)
    assert not at.get("vega_lite_chart")
