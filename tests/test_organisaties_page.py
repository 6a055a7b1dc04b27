"""The Organisaties page through AppTest: the comparison table on the fixture store (hand-computed), the profile
selectbox, the organisation filter, anonymous names, the bundled samples and an empty store."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
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
PAGE = "pages/organisaties.py"
MEDIAN = "Mediane duur in maanden (95%-BI)"


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("organisaties")
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
    url = f"sqlite:///{tmp_path_factory.mktemp('organisaties_samples') / 'store.db'}"
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
    if peildatum is not None:
        at.date_input(key="f_peildatum").set_value(peildatum).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def _strict(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not valid JSON for the browser")
    return json.loads(text, parse_constant=refuse)


def _assert_browser_json(at: AppTest) -> None:
    """Every chart's spec and the Arrow metadata of its datasets are strict JSON: the browser's JSON.parse
    refuses NaN (pyarrow writes a DataFrame's `.attrs` into that metadata)."""
    for chart in at.get("vega_lite_chart"):
        _strict(chart.proto.spec)
        for d in chart.proto.datasets:
            _strict(pa.ipc.open_stream(d.data.data).schema.metadata[b"pandas"].decode())


def _titles(at: AppTest) -> list:
    return [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]


def _comparison(at: AppTest):
    return next(df.value for df in at.dataframe if MEDIAN in df.value.columns).set_index("Organisatie")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_comparison_table_on_fixture(monkeypatch, fixture_url):
    at = _open(monkeypatch, fixture_url)
    table = _comparison(at)
    assert list(table.index) == [ORG_A, ORG_B, "Totaal"]
    a, b, total = table.loc[ORG_A], table.loc[ORG_B], table.loc["Totaal"]
    # A: earliest start A4 01-01-2019; 4 families; at 31-10-2021 A1 and A2 afgerond, A3 and A4 lopend.
    assert (a["Start"], a["Intensief (gezinnen)"], a["Lopend"], a["Afgerond"]) == ("jan 2019", 4, 2, 2)
    assert (b["Start"], b["Intensief (gezinnen)"], b["Lopend"], b["Afgerond"]) == ("jun 2021", 1, 1, 0)
    assert (total["Intensief (gezinnen)"], total["Lopend"], total["Afgerond"]) == (5, 3, 2)
    assert (table["Kort (1–3 gesprekken)"] == "niet geregistreerd").all()
    # Requests: A 5 over A1, A2, A3 → 1,7; B 1 over 1; total 6 over 4 → 1,5.
    assert (a["Hulpvragen per gezin"], b["Hulpvragen per gezin"], total["Hulpvragen per gezin"]) == \
        ("1,7 (n = 3)", "1,0 (n = 1)", "1,5 (n = 4)")
    # KM for A: A2 5,95 months (event, 4 at risk) → 0,75; A1 6,0 (event, 3 at risk) → 0,5 = median 6,0. The lower
    # band already crosses 0,5 at 5,95 (Greenwood 1/12: exp(-exp(ln(-ln 0,75) + 1,96·0,2887/0,2877)) = 0,13);
    # the upper band at 6,0 is 0,84 and no later event: not reached. B1 only censored: not reached.
    assert a[MEDIAN] == "6,0 (95%-BI 5,9–niet bereikt)"
    assert b[MEDIAN] == "niet bereikt"
    assert total[MEDIAN] == "6,0 (95%-BI 5,9–niet bereikt)"  # B1 (4,99, censored) only adds to the risk set early
    # Professional hours per week (fixture EXPECTED): Regelzaken start 4, 2 → 3,0 (n 2); latest 1, 0, 2 → 1,0 (n 3).
    assert a["Uren professionals per week, eerste meting"] == "3,0 (n = 2)"
    assert a["Uren professionals per week, laatste meting"] == "1,0 (n = 3)"
    assert b["Uren professionals per week, eerste meting"] == "– (n = 0)"
    assert any("niet geregistreerd" in i.value for i in at.info)
    assert any(f"{ORG_A} (n = 4)" in w.value and f"{ORG_B} (n = 1)" in w.value for w in at.warning)
    assert "Mediane trajectduur per organisatie" in _titles(at)
    captions = [c.value for c in at.caption if c.value.startswith("**n = ")]
    assert any("n = 5 gezinnen bij 2 organisaties" in c for c in captions)

    # Profile: the first organisation by default, with its figures and the others pooled.
    assert at.selectbox(key="org_profile").value == ORG_A
    m = _metrics(at)
    assert (m["Gezinnen (intensief)"], m["Lopend / afgerond"], m["Hulpvragen per gezin"]) == ("4", "2 / 2", "1,7")
    assert m["Mediane duur (maanden)"] == "6,0"
    assert m["Uren professionals, eerste meting"] == "3,0 uur/week"
    assert _titles(at)[1:] == ["Hulpvragen per leefgebied — % van de gezinnen",
                               "Trajectduur (Kaplan–Meier): aandeel dat nog loopt",
                               "Inzet in uren per week per gezin"]
    _assert_browser_json(at)  # the Kaplan–Meier medians of 'niet bereikt' are NaN: they must not reach the browser


def test_profile_selectbox_filter_and_anonymous(monkeypatch, fixture_url):
    at = _open(monkeypatch, fixture_url)
    at.selectbox(key="org_profile").set_value(ORG_B).run()
    assert not at.exception, [e.value for e in at.exception]
    m = _metrics(at)
    assert (m["Gezinnen (intensief)"], m["Lopend / afgerond"], m["Mediane duur (maanden)"]) == ("1", "1 / 0",
                                                                                                 "niet bereikt")
    assert m["Uren professionals, laatste meting"] == "geen uren"
    assert any(i.value.startswith(f"{ORG_B} heeft geen uren") for i in at.info)
    assert any(f"{ORG_B} (n = 1)" in w.value for w in at.warning)
    assert "Inzet in uren per week per gezin" not in _titles(at)

    at.toggle(key="org_anon").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(_comparison(at).index) == ["Organisatie A", "Organisatie B", "Totaal"]
    assert at.selectbox(key="org_profile").options == ["Organisatie A", "Organisatie B"]
    at.toggle(key="org_anon").set_value(False).run()

    at.multiselect(key="f_orgs").set_value([ORG_A]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(_comparison(at).index) == [ORG_A, "Totaal"]
    assert at.selectbox(key="org_profile").options == [ORG_A]
    assert any(i.value.startswith("Geen andere organisaties in de selectie") for i in at.info)
    assert any(f"organisaties: {ORG_A}" in c.value for c in at.caption)


def test_samples(monkeypatch, samples_url):
    at = _open(monkeypatch, samples_url, peildatum=PEILDATUM.replace(year=2026))
    table = _comparison(at)
    ds = Store(samples_url).load_dataset()
    assert set(table.index) == set(ds.families["organisation"]) | {"Totaal"}
    total = table.loc["Totaal"]
    # The sample data is calibrated on the published 213 families, 69 afgerond / 144 lopend (DOMAIN §3.3).
    assert (total["Intensief (gezinnen)"], total["Afgerond"], total["Lopend"]) == (213, 69, 144)
    assert table.drop(index="Totaal")["Intensief (gezinnen)"].sum() == 213
    for name in table.index.drop("Totaal"):
        at.selectbox(key="org_profile").set_value(name).run()
        assert not at.exception, [e.value for e in at.exception]
        assert _metrics(at)["Gezinnen (intensief)"] == str(table.loc[name, "Intensief (gezinnen)"])
        _assert_browser_json(at)


def test_empty_store(monkeypatch, tmp_path):
    at = _open(monkeypatch, f"sqlite:///{tmp_path / 'empty.db'}", peildatum=None)
    assert any(i.value.startswith("Geen ") for i in at.info)
    assert not at.get("vega_lite_chart")
