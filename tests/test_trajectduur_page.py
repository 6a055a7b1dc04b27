"""The Trajectduur page through AppTest: fixture store (hand-computed figures), filters changed, bundled
samples and an empty store."""
from __future__ import annotations

import datetime as dt

from tests import apptest as ui
from tests.fixtures import ORG_A, ORG_B, PEILDATUM

PAGE = "pages/trajectduur.py"
KM_TITLE = "Kaplan–Meier: aandeel trajecten nog in begeleiding"
FLOW_TITLE = "Instroom, uitstroom en caseload per maand"
REASONS_TITLE = "Redenen van beëindiging"


def _medians(at):
    return ui.table(at, "Mediane duur", "95%-BI").set_index("Organisatie")


def _set(at, key: str, value):
    at.multiselect(key=key).set_value(value).run()
    ui.assert_ok(at)
    return at


def test_fixture_store(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    titles = ui.chart_titles(at)
    assert titles[:2] == ["Trajecten per duurklasse (maanden)", "Verdeling van de trajectduur"]
    assert {KM_TITLE, FLOW_TITLE, REASONS_TITLE} <= set(titles)
    metrics = ui.metrics(at)
    assert metrics["Zonder einddatum"] == "3" and metrics["Alleen verwachte einddatum"] == "0"

    # Months at 31-10-2021: A1 afgerond 6,0; A2 afgerond 5 + 28,81/30,44 = 5,947; A3 lopend 9,95;
    # A4 lopend 33,99; B1 lopend 4,99.
    # All: B1 censored (S 1); A2 4 at risk → 3/4; A1 3 at risk → exactly 1/2, flat to the last follow-up (A4,
    # 33 + 30/30,4375 = 33,99): R's midpoint (6,0 + 33,99) / 2 = 19,99 → 20,0. Buurtwerk the same (A2, A1, A4 last).
    medians = _medians(at)
    assert medians.loc["Alle organisaties", "Mediane duur"] == "20,0 mnd"
    assert medians.loc[ORG_A, "Mediane duur"] == "20,0 mnd"
    assert medians.loc[ORG_B, "Mediane duur"] == "niet bereikt"  # one lopend trajectory
    counts = ["n trajecten", "Afgerond (einde gezien)", "Lopend (gecensureerd)"]
    assert medians.loc["Alle organisaties", counts].tolist() == [5, 2, 3]
    assert any("Kleine aantallen" in w.value and f"{ORG_B} (n = 1)" in w.value for w in at.warning)

    # Caseload on 31-10-2021: A3, A4, B1 run; B1 started in June 2021.
    flow = ui.table(at, "Instroom", "Lopend eind maand")
    assert flow.iloc[-1].tolist() == ["oktober 2021", 0, 0, 3, "31-10-2021"]
    assert flow.loc[flow["Maand"] == "juni 2021", "Instroom"].item() == 1

    reasons = ui.table(at, "Reden van beëindiging").set_index("Reden van beëindiging")
    assert reasons["Trajecten"].to_dict() == {"doelen bereikt": 1, "verhuisd": 1}
    assert reasons.loc["verhuisd", "% van afgerond (95%-BI)"].startswith("50,0% (95%-BI ")

    ends = ui.table(at, "Einddatum ingevuld").set_index("Organisatie")
    assert ends.loc["Totaal"].tolist() == [5, 2, 0, 3, 0]
    assert any("geen trechter geregistreerd" in i.value for i in at.info)

    captions = [c.value for c in at.caption if c.value.startswith("**n = ") and "Gegevens: versie" in c.value]
    assert len(captions) >= 7
    assert any("2 afgerond (einde gezien), 3 lopend (gecensureerd" in c for c in captions)
    assert len([e for e in at.expander if e.label == "Hoe berekend?"]) >= 7


def test_fixture_status_filter(monkeypatch, fixture_db):
    at = _set(ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM), "f_status", ["afgerond"])
    # A1 and A2 only: A2 ends at 5,947 (exactly 1/2 left) until A1 ends at 6,0 → R's midpoint 5,97 → 6,0 mnd.
    medians = _medians(at)
    assert medians.loc["Alle organisaties", "Mediane duur"] == "6,0 mnd"
    assert ORG_B not in medians.index
    assert ui.table(at, "Instroom", "Lopend eind maand").iloc[-1]["Lopend eind maand"] == 0
    assert any("geregistreerde status: afgerond" in c.value for c in at.caption)

    at = _set(at, "f_status", ["lopend"])
    assert any(i.value.startswith("Geen afgeronde trajecten") for i in at.info)
    assert REASONS_TITLE not in ui.chart_titles(at) and KM_TITLE in ui.chart_titles(at)
    assert _medians(at).loc["Alle organisaties", "Mediane duur"] == "niet bereikt"


def test_fixture_organisation_filter(monkeypatch, fixture_db):
    at = _set(ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM), "f_orgs", [ORG_B])
    medians = _medians(at)
    assert list(medians.index) == ["Alle organisaties", ORG_B]
    assert any(f"organisaties: {ORG_B}" in c.value for c in at.caption)
    assert ui.table(at, "Einddatum ingevuld").set_index("Organisatie").loc["Totaal", "Trajecten"] == 1


def test_bundled_samples(monkeypatch, samples_db):
    at = ui.start(monkeypatch, samples_db, PAGE, dt.date(2026, 10, 31))
    assert {KM_TITLE, FLOW_TITLE, REASONS_TITLE} <= set(ui.chart_titles(at))
    medians = _medians(at)
    assert len(medians) == 7  # six organisations and all together
    assert medians["n trajecten"].iloc[1:].sum() == medians.loc["Alle organisaties", "n trajecten"]
    assert medians["Mediane duur"].str.endswith(("mnd", "niet bereikt")).all()
    reasons = ui.table(at, "Reden van beëindiging")
    assert "geen reden ingevuld" in set(reasons["Reden van beëindiging"])
    ends = ui.table(at, "Einddatum ingevuld").set_index("Organisatie")
    assert ends.loc["Totaal", "Alleen verwachte einddatum (loopt nog)"] > 0  # "naar verwachting maart 2027" …
    # The counts at the top agree with this table: "zonder einddatum" leaves out those with only an expected end.
    top = {m.label: m.value for m in at.metric}
    total = ends.loc["Totaal"]
    assert top["Zonder einddatum"] == str(total["Geen einddatum, lopend"] + total["Geen einddatum, afgerond"])
    assert top["Alleen verwachte einddatum"] == str(total["Alleen verwachte einddatum (loopt nog)"])

    one = medians.index[1]
    at = _set(at, "f_orgs", [one])
    assert list(_medians(at).index) == ["Alle organisaties", one]
    ui.assert_ok(at)


def test_empty_store(monkeypatch, empty_db):
    at = ui.start(monkeypatch, empty_db, PAGE)
    assert any(i.value.startswith("Geen trajecten") for i in at.info)
    assert not at.get("vega_lite_chart")
