"""The Trajectduur page through AppTest: fixture store (hand-computed figures), filters changed, bundled
samples and an empty store."""
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
from loaders.samples import load_samples
from tests.fixtures import ORG_A, ORG_B, PEILDATUM, write_fixture_workbooks

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/trajectduur.py"
KM_TITLE = "Kaplan–Meier: aandeel trajecten nog in begeleiding"
FLOW_TITLE = "Instroom, uitstroom en caseload per maand"
REASONS_TITLE = "Redenen van beëindiging"


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("trajectduur")
    url = f"sqlite:///{tmp / 'store.db'}"
    store = Store(url)
    for path in write_fixture_workbooks(tmp):
        loaded = read_registration(path)
        result = import_registration(store, validate(loaded.raw), file_name=path.name, sha256=loaded.sha256)
        assert result.status == "imported", result.report.to_text()
    store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def samples_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('trajectduur_samples') / 'store.db'}"
    store = Store(url)
    assert load_samples(store).startswith("Voorbeelddata: 6 van 6")
    store.engine.dispose()
    return url


def _open(monkeypatch, url: str, peildatum=PEILDATUM) -> AppTest:
    monkeypatch.setenv("GEZINSMONITOR_DB", url)
    monkeypatch.setenv("GEZINSMONITOR_NO_SAMPLES", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if peildatum is not None and at.date_input(key="f_peildatum"):
        at.date_input(key="f_peildatum").set_value(peildatum).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def _titles(at: AppTest) -> list:
    return [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]


def _table(at: AppTest, *columns: str):
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def _medians(at: AppTest):
    return _table(at, "Mediane duur", "95%-BI").set_index("Organisatie")


def _set(at: AppTest, key: str, value) -> AppTest:
    at.multiselect(key=key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_fixture_store(monkeypatch, fixture_url):
    at = _open(monkeypatch, fixture_url)
    titles = _titles(at)
    assert titles[:2] == ["Trajecten per duurklasse (maanden)", "Verdeling van de trajectduur"]
    assert {KM_TITLE, FLOW_TITLE, REASONS_TITLE} <= set(titles)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Zonder einddatum"] == "3" and metrics["Alleen verwachte einddatum"] == "0"

    # Months at 31-10-2021: A1 afgerond 6,0; A2 afgerond 5 + 28,81/30,44 = 5,947; A3 lopend 9,95;
    # A4 lopend 33,99; B1 lopend 4,99.
    # All: B1 censored (S 1); A2 4 at risk → 3/4; A1 3 at risk → 1/2: median 6,0. Buurtwerk the same (A2, A1).
    medians = _medians(at)
    assert medians.loc["Alle organisaties", "Mediane duur"] == "6,0 mnd"
    assert medians.loc[ORG_A, "Mediane duur"] == "6,0 mnd"
    assert medians.loc[ORG_B, "Mediane duur"] == "niet bereikt"  # one lopend trajectory
    counts = ["n trajecten", "Afgerond (einde gezien)", "Lopend (gecensureerd)"]
    assert medians.loc["Alle organisaties", counts].tolist() == [5, 2, 3]
    assert any("Kleine aantallen" in w.value and f"{ORG_B} (n = 1)" in w.value for w in at.warning)

    # Caseload on 31-10-2021: A3, A4, B1 run; B1 started in June 2021.
    flow = _table(at, "Instroom", "Lopend eind maand")
    assert flow.iloc[-1].tolist() == ["oktober 2021", 0, 0, 3, "31-10-2021"]
    assert flow.loc[flow["Maand"] == "juni 2021", "Instroom"].item() == 1

    reasons = _table(at, "Reden van beëindiging").set_index("Reden van beëindiging")
    assert reasons["Trajecten"].to_dict() == {"doelen bereikt": 1, "verhuisd": 1}
    assert reasons.loc["verhuisd", "% van afgerond (95%-BI)"].startswith("50,0% (95%-BI ")

    ends = _table(at, "Einddatum ingevuld").set_index("Organisatie")
    assert ends.loc["Totaal"].tolist() == [5, 2, 0, 3, 0]
    assert any("geen trechter geregistreerd" in i.value for i in at.info)

    captions = [c.value for c in at.caption if c.value.startswith("**n = ") and "Gegevens: versie" in c.value]
    assert len(captions) >= 7
    assert any("2 afgerond (einde gezien), 3 lopend (gecensureerd" in c for c in captions)
    assert len([e for e in at.expander if e.label == "Hoe berekend?"]) >= 7


def test_fixture_status_filter(monkeypatch, fixture_url):
    at = _set(_open(monkeypatch, fixture_url), "f_status", ["afgerond"])
    # A1 and A2 only: A2 ends at 5,947 (1/2 left) → median 5,9 mnd.
    medians = _medians(at)
    assert medians.loc["Alle organisaties", "Mediane duur"] == "5,9 mnd"
    assert ORG_B not in medians.index
    assert _table(at, "Instroom", "Lopend eind maand").iloc[-1]["Lopend eind maand"] == 0
    assert any("status: afgerond" in c.value for c in at.caption)

    at = _set(at, "f_status", ["lopend"])
    assert any(i.value.startswith("Geen afgeronde trajecten") for i in at.info)
    assert REASONS_TITLE not in _titles(at) and KM_TITLE in _titles(at)
    assert _medians(at).loc["Alle organisaties", "Mediane duur"] == "niet bereikt"


def test_fixture_organisation_filter(monkeypatch, fixture_url):
    at = _set(_open(monkeypatch, fixture_url), "f_orgs", [ORG_B])
    medians = _medians(at)
    assert list(medians.index) == ["Alle organisaties", ORG_B]
    assert any(f"organisaties: {ORG_B}" in c.value for c in at.caption)
    assert _table(at, "Einddatum ingevuld").set_index("Organisatie").loc["Totaal", "Trajecten"] == 1


def test_bundled_samples(monkeypatch, samples_url):
    import datetime as dt
    at = _open(monkeypatch, samples_url, peildatum=dt.date(2026, 10, 31))
    assert {KM_TITLE, FLOW_TITLE, REASONS_TITLE} <= set(_titles(at))
    medians = _medians(at)
    assert len(medians) == 7  # six organisations and all together
    assert medians["n trajecten"].iloc[1:].sum() == medians.loc["Alle organisaties", "n trajecten"]
    assert medians["Mediane duur"].str.endswith(("mnd", "niet bereikt")).all()
    reasons = _table(at, "Reden van beëindiging")
    assert "geen reden ingevuld" in set(reasons["Reden van beëindiging"])
    ends = _table(at, "Einddatum ingevuld").set_index("Organisatie")
    assert ends.loc["Totaal", "Alleen verwachte einddatum (loopt nog)"] > 0  # "naar verwachting maart 2027" …

    one = medians.index[1]
    at = _set(at, "f_orgs", [one])
    assert list(_medians(at).index) == ["Alle organisaties", one]
    assert not at.exception


def test_empty_store(monkeypatch, tmp_path):
    at = _open(monkeypatch, f"sqlite:///{tmp_path / 'empty.db'}", peildatum=None)
    assert any(i.value.startswith("Geen trajecten") for i in at.info)
    assert not at.get("vega_lite_chart")
