"""The Logboek page and the role limits of the Gegevens page, through AppTest.

Logboek is run as its own script (it shows the same whether or not the navigation lists it); Gegevens through the
app. Every test writes, so each builds its own store from the fixture workbooks."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from gezinsmonitor import audit
from gezinsmonitor.permissions import Principal
from gezinsmonitor.store import Store
from gezinsmonitor.template import write_workbook
from tests import apptest as ui
from tests.fixtures import ORG_A, ORG_B

LOGBOEK = "pages/logboek.py"
GEGEVENS = "pages/gegevens.py"
BEHEERDER = Principal("Bea Beheer", "beheerder")
FONDS = Principal("Fons Fonds", "fonds")
LEERKRING = Principal("Lies Leerkring", "leerkring")
ORGANISATIE_A = Principal("Olga Buurtwerk", "organisatie", ORG_A)


@pytest.fixture
def store_url(tmp_path):
    """Both fixture organisations, uploaded from the command line (two log entries)."""
    url = ui.store_from_fixtures(tmp_path)
    audit.set_actor(audit.COMMAND_LINE)  # a page run in this thread set its user as the actor; start clean
    yield url
    audit.set_actor(audit.COMMAND_LINE)


def direct(monkeypatch, url: str, page: str, principal: Principal) -> AppTest:
    """`page` run as its own script, without the app's navigation."""
    ui.app_test(monkeypatch, url)  # environment and caches as for every page test
    at = AppTest.from_file(str(ui.ROOT / page), default_timeout=ui.TIMEOUT)
    at.session_state["gm_principal"] = principal
    at.run()
    ui.assert_ok(at)
    ui.assert_browser_json(at)
    return at


def logboek(monkeypatch, url: str, principal: Principal) -> AppTest:
    return direct(monkeypatch, url, LOGBOEK, principal)


def gegevens(monkeypatch, url: str, principal: Principal) -> AppTest:
    at = ui.app_test(monkeypatch, url)
    at.session_state["gm_principal"] = principal
    at.run()
    ui.assert_ok(at)
    return ui.open_page(at, GEGEVENS)


def history(at: AppTest) -> pd.DataFrame:
    return ui.table(at, "upload", "organisatie", "bestand")


def test_beheerder_sees_the_entries_newest_first_and_filters_them(monkeypatch, store_url):
    store = Store(store_url)
    audit.set_actor(audit.Actor("Bea Beheer", "beheerder"))
    store.erase_organisation(ORG_B)
    audit.set_actor(audit.COMMAND_LINE)

    at = logboek(monkeypatch, store_url, BEHEERDER)
    assert [t.value for t in at.title] == ["Logboek"]
    log = ui.table(at, "tijdstip (UTC)", "wie", "actie", "organisatie")
    assert log["actie"].tolist() == [audit.ERASE, audit.UPLOAD, audit.UPLOAD]
    assert log["wie"].tolist() == ["Bea Beheer", "opdrachtregel", "opdrachtregel"]
    assert log["tijdstip (UTC)"].is_monotonic_decreasing
    assert any(c.startswith("n = 3 van 3 regels") for c in ui.captions(at))

    at.selectbox(key="log_action").set_value(audit.UPLOAD).run()
    ui.assert_ok(at)
    log = ui.table(at, "actie", "organisatie")
    assert set(log["actie"]) == {audit.UPLOAD} and len(log) == 2
    at.selectbox(key="log_organisation").set_value(ORG_A).run()
    log = ui.table(at, "actie", "organisatie", "toelichting")
    assert log["organisatie"].tolist() == [ORG_A] and "fixture_1.xlsx" in log["toelichting"].iloc[0]
    assert any(c.startswith("n = 1 van 3 regels") for c in ui.captions(at))
    assert not at.get("markdown") or all("<" not in m.value for m in at.markdown)  # plain text, no HTML


@pytest.mark.parametrize("principal", [FONDS, LEERKRING, ORGANISATIE_A])
def test_other_roles_are_told_the_log_is_for_the_beheerder(monkeypatch, store_url, principal):
    at = logboek(monkeypatch, store_url, principal)
    assert any("alleen voor de beheerder" in i for i in ui.texts(at.info))
    assert not at.dataframe
    shown = [str(e.value) for e in [*at.main.markdown, *at.main.caption, *at.main.info]]
    assert not any("fixture_" in text or "opdrachtregel" in text for text in shown)


def test_organisatie_sees_only_its_own_uploads_and_cannot_erase_another(monkeypatch, store_url):
    at = gegevens(monkeypatch, store_url, ORGANISATIE_A)
    assert set(history(at)["organisatie"]) == {ORG_A}
    assert "fixture_2.xlsx" not in history(at)["bestand"].tolist()
    # Erasure offers its own organisation only, and needs its name typed.
    assert at.selectbox(key="erase_org").options == [ORG_A] and at.selectbox(key="erase_org").disabled
    erase = ui.button(at, "Gegevens definitief wissen")
    assert erase.disabled
    at.text_input(key="erase_confirm").input(ORG_B).run()
    assert any("komt niet overeen" in w for w in ui.texts(at.warning))
    assert ui.button(at, "Gegevens definitief wissen").disabled
    # Sample data are the beheerder's.
    assert not any(b.label == "Voorbeelddata laden" for b in at.button)

    # An upload is saved as the organisation itself, whatever its Toelichting says.
    buf = io.BytesIO()
    write_workbook(buf, {"families": pd.DataFrame({"family": ["Z1"], "start": [pd.Timestamp("2021-02-01").date()]}),
                         "requests": pd.DataFrame({"family": ["Z1"], "leefgebied": ["Wonen"]})}, organisation=ORG_B)
    at.file_uploader[0].upload("andere_naam.xlsx", buf.getvalue()).run()
    ui.assert_ok(at)
    assert at.text_input(key="upload_org_fixed").value == ORG_A and at.text_input(key="upload_org_fixed").disabled
    assert any(f"opgeslagen als uw eigen organisatie, {ORG_A}" in i for i in ui.texts(at.info))
    ui.button(at, "Opslaan in Gezinsmonitor").click().run()
    ui.assert_ok(at)
    batches = Store(store_url).batches().set_index("file_name")
    assert batches.loc["andere_naam.xlsx", "organisation"] == ORG_A
    assert set(history(at)["organisatie"]) == {ORG_A} and len(history(at)) == 2

    # Its own data it may erase: everything of A goes, B stays, and the log says who did it.
    b_before = Store(store_url).load_dataset().families.query("organisation == @ORG_B")["family_key"].tolist()
    at.text_input(key="erase_confirm").input(ORG_A).run()
    ui.button(at, "Gegevens definitief wissen").click().run()
    ui.assert_ok(at)
    assert any(f"Alle gegevens van {ORG_A} zijn gewist" in s for s in ui.texts(at.success))
    ds = Store(store_url).load_dataset()
    assert ORG_A not in set(Store(store_url).organisations()["name"])
    assert ds.families["family_key"].tolist() == b_before
    entry = audit.entries(Store(store_url).engine).iloc[0]
    assert (entry["wie"], entry["rol"], entry["actie"], entry["organisatie"]) == (
        "Olga Buurtwerk", "organisatie", audit.ERASE, ORG_A)
    assert f"Nog geen uploads van {ORG_A}." in ui.texts(at.info)


def test_fonds_gets_no_rows_uploads_or_erasure_on_gegevens(monkeypatch, store_url):
    # The navigation does not offer Gegevens to a fonds; the page itself holds when it is run all the same.
    at = direct(monkeypatch, store_url, GEGEVENS, FONDS)
    assert not at.file_uploader
    assert not any({"upload", "bestand"} <= set(d.value.columns) for d in at.dataframe)
    assert not [s for s in at.selectbox if s.key in ("erase_org", "restore_id")]
    assert not [t for t in at.toggle if t.key == "prepare_export"]
    infos = " ".join(ui.texts(at.info))
    assert "alleen zichtbaar voor de organisatie zelf en de beheerder" in infos
    assert "export per gezin" in infos.lower()
    assert not any(b.label == "Gegevens definitief wissen" for b in at.button)


def test_beheerder_erases_any_organisation_after_typing_its_name(monkeypatch, store_url):
    at = gegevens(monkeypatch, store_url, BEHEERDER)
    assert set(history(at)["organisatie"]) == {ORG_A, ORG_B}
    assert at.selectbox(key="erase_org").options == [ORG_A, ORG_B]
    at.selectbox(key="erase_org").set_value(ORG_B).run()
    at.text_input(key="erase_confirm").input(ORG_B.lower()).run()  # the name exactly, with capitals
    assert ui.button(at, "Gegevens definitief wissen").disabled
    at.text_input(key="erase_confirm").input(ORG_B).run()
    ui.button(at, "Gegevens definitief wissen").click().run()
    ui.assert_ok(at)
    assert set(history(at)["organisatie"]) == {ORG_A}
    assert Store(store_url).organisations()["name"].tolist() == [ORG_A]

    log = logboek(monkeypatch, store_url, BEHEERDER)
    top = ui.table(log, "wie", "actie", "organisatie").iloc[0]
    assert (top["wie"], top["actie"], top["organisatie"]) == ("Bea Beheer", audit.ERASE, ORG_B)
