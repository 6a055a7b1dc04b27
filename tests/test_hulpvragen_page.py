"""The Hulpvragen page through AppTest: fixture store, bundled samples, measure switch, highlight, filter, empty."""
from __future__ import annotations

from components import charts
from tests import apptest as ui
from tests.fixtures import ORG_A, ORG_B

PAGE = "pages/hulpvragen.py"
TITLES = [
    "Hulpvragen per leefgebied — % van de gezinnen",
    "Hulpvragen per leefgebied en categorie — % van de gezinnen",
    "Hulpvragen per organisatie — % van de gezinnen",
    "Welke hulpvragen komen samen voor? — % van de gezinnen",
    "Hulpvragen naar gezinssamenstelling — % van de gezinnen",
    "Hulpvragen naar aantal kinderen — % van de gezinnen",
    "Hulpvragen naar schulden — % van de gezinnen",  # taal: nobody filled it in, so no chart
    "Aantal hulpvragen per gezin",
]


def _focus_values(at) -> list:
    """Per chart with the shared leefgebied selection: its initial value (None when nothing is highlighted)."""
    values = []
    for spec in ui.chart_specs(at):
        for param in spec.get("params", []):
            if param["name"] == charts.NEEDS_SELECTION:
                values.append(param.get("value"))
    return values


def test_fixture_store_every_view(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE)
    assert ui.chart_titles(at) == TITLES
    # 4 families with a counted request (A4 has none); Financiën A1, A2 = 2 of 4 → Wilson 15,0–85,0%.
    needs = ui.table(at, "Leefgebied", "95%-BI (gezinnen)").set_index("Leefgebied")
    assert needs.loc["Financiën", "95%-BI (gezinnen)"] == "15,0–85,0%"
    # Co-occurrence: A1 has Financiën and Participatie, A3 Sociaal and Wonen; every other pair is empty.
    pairs = ui.table(at, "Samen met", "Gezinnen met beide")
    assert pairs[["Leefgebied", "Samen met", "Gezinnen met beide"]].head(3).values.tolist() == [
        ["Financiën", "Participatie", 1], ["Wonen", "Sociaal", 1], ["Financiën", "Gezondheid", 0]]
    assert pairs.iloc[0]["% van de gezinnen (95%-BI)"] == "25,0% (95%-BI 4,6–69,9%)"
    # Background: eenouder A1, A3; tweeouder A2; B1 registered nothing → onbekend, counted.
    composition = ui.table(at, "Gezinssamenstelling").set_index("Gezinssamenstelling")
    assert composition["Gezinnen met een hulpvraag (n)"].to_dict() == {"eenouder": 2, "tweeouder": 1, "onbekend": 1}
    assert composition.loc["eenouder", "Sociaal"] == "50,0% (95%-BI 9,5–90,5%)"
    children = ui.table(at, "Aantal kinderen").set_index("Aantal kinderen")
    assert list(children.index) == ["1", "2", "3", "onbekend"]
    assert any(i.value.startswith("Geen gegevens over beheersing Nederlandse taal") for i in at.info)
    # Small groups are named: both organisations (3 and 1 families) and the background groups.
    warnings = [w.value for w in at.warning if w.value.startswith("**Kleine aantallen**")]
    assert any(f"{ORG_A} (n = 3)" in w and f"{ORG_B} (n = 1)" in w for w in warnings)
    assert any("eenouder (n = 2)" in w for w in warnings)
    # Every chart has its n-caption; the background caption counts families left out of n.
    assert sum(c.startswith("**n = ") and "Gegevens: versie" in c for c in ui.captions(at)) >= len(TITLES)
    assert any("gezinssamenstelling bekend bij 3 van 5 gezinnen" in c for c in ui.captions(at))
    assert sum(e.label == "Hoe berekend?" for e in at.expander) >= len(TITLES)


def test_fixture_store_highlight_and_measure(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE)
    main = at.get("vega_lite_chart")[0].proto
    assert list(main.selection_mode) == [charts.NEEDS_SELECTION]  # a click reruns the page
    assert _focus_values(at) == [None] * 7
    at.segmented_control(key="hv_focus").set_value("Wonen").run()
    ui.assert_ok(at)
    assert _focus_values(at) == [[{"leefgebied": "Wonen"}]] * 7  # every leefgebied view follows
    at.segmented_control(key="hv_measure").set_value("requests_pct").run()
    ui.assert_ok(at)
    titles = ui.chart_titles(at)
    assert titles[:3] == [t.replace("gezinnen", "hulpvragen") for t in TITLES[:3]]
    assert _focus_values(at)[0] == [{"leefgebied": "Wonen"}]  # the highlight survives the switch
    ui.assert_browser_json(at)
    org_table = ui.table(at, "Organisatie", "Hulpvragen (n)").set_index("Organisatie")
    assert org_table.loc[ORG_A, "Hulpvragen (n)"] == 5 and org_table.loc[ORG_B, "Hulpvragen (n)"] == 1
    assert org_table.loc[ORG_B, "Gezondheid"] == "100,0% (95%-BI 20,7–100,0%)"  # 1 of 1
    at.segmented_control(key="hv_focus").set_value(None).run()
    ui.assert_ok(at)
    assert _focus_values(at) == [None] * 7


def test_fixture_store_one_organisation(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE)
    at.multiselect(key="f_orgs").set_value([ORG_A]).run()
    ui.assert_ok(at)
    org_spec = next(s for s in ui.chart_specs(at) if s.get("title", "").startswith("Hulpvragen per organisatie"))
    assert org_spec["facet"]["sort"] == [f"{ORG_A} (n = 3 · n < 20)"]
    # One organisation is no comparison between organisations: no organisation warning.
    assert not any(ORG_B in w.value for w in at.warning)
    assert any(f"organisaties: {ORG_A}" in c for c in ui.captions(at))


def test_samples_page_with_filter_and_switch(monkeypatch, samples_db, samples):
    languages = samples.families["language"]
    has_language = bool((languages.notna() & (languages != "onbekend")).any())
    at = ui.start(monkeypatch, samples_db, PAGE)
    language_title = "Hulpvragen naar beheersing Nederlandse taal — % van de gezinnen"
    assert ui.chart_titles(at) == TITLES[:6] + [language_title] * has_language + TITLES[6:]
    needs = ui.table(at, "Leefgebied", "Gezinnen", "95%-BI (gezinnen)").set_index("Leefgebied")
    pairs = ui.table(at, "Samen met", "Gezinnen met beide")
    # The co-occurrence diagonal is 'Per leefgebied': the base of each pair is that leefgebied's families.
    assert len(pairs) > 0
    for _, row in pairs.iterrows():
        assert row["Gezinnen met het eerste leefgebied"] == needs.loc[row["Leefgebied"], "Gezinnen"], dict(row)
    assert any(i.value.startswith("Geen gegevens over beheersing Nederlandse taal") for i in at.info) != has_language
    n_all = int(needs["Gezinnen"].max())

    at.segmented_control(key="hv_measure").set_value("requests_pct").run()
    ui.assert_ok(at)
    assert ui.chart_specs(at)[2]["title"] == "Hulpvragen per organisatie — % van de hulpvragen"

    org = "Stichting Thuisfront"
    at.multiselect(key="f_orgs").set_value([org]).run()
    ui.assert_ok(at)
    assert at.multiselect(key="f_orgs").value == [org]
    filtered = ui.table(at, "Leefgebied", "Gezinnen", "95%-BI (gezinnen)").set_index("Leefgebied")
    assert int(filtered["Gezinnen"].max()) < n_all
    org_spec = ui.chart_specs(at)[2]
    assert len(org_spec["facet"]["sort"]) == 1 and org_spec["facet"]["sort"][0].startswith(org)
    assert any(f"organisaties: {org}" in c for c in ui.captions(at))
    ui.assert_browser_json(at)


def test_empty_store(monkeypatch, empty_db):
    at = ui.start(monkeypatch, empty_db, PAGE)
    assert any(i.value.startswith("Geen ") for i in at.info)
    assert not at.get("vega_lite_chart")
