"""The Gegevens page through AppTest: upload, report, save, duplicate, refusal, restore, sample data."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from gezinsmonitor.store import Store
from gezinsmonitor.template import write_workbook
from tests import apptest as ui
from tests.fixtures import FRAMES, ORG_A
from tests.helpers import with_raw_keys

PAGE = "pages/gegevens.py"


def upload(at, name: str, content: bytes):
    at.file_uploader[0].upload(name, content).run()
    ui.assert_ok(at)
    return at


def test_upload_save_duplicate_and_refusal(monkeypatch, sqlite_url, fixture_paths):
    at = ui.start(monkeypatch, sqlite_url, PAGE)
    assert "Nog geen uploads." in ui.texts(at.info)
    upload(at, "fixture_1.xlsx", fixture_paths[0].read_bytes())
    assert any("Gelezen: 4 gezinnen, 5 hulpvragen" in c for c in ui.texts(at.caption))
    assert at.text_input(key="upload_org").value == ORG_A
    ui.button(at, "Opslaan in Gezinsmonitor").click().run()
    assert any("Ingelezen: 4 gezinnen, 5 hulpvragen" in s for s in ui.texts(at.success))
    history = at.dataframe[0].value
    assert history["bestand"].tolist() == ["fixture_1.xlsx"] and history["status"].tolist() == ["actief"]

    upload(at, "kopie.xlsx", fixture_paths[0].read_bytes())
    ui.button(at, "Opslaan in Gezinsmonitor").click().run()
    assert any("al eerder ingelezen" in i for i in ui.texts(at.info))
    assert with_raw_keys(Store(sqlite_url).load_dataset()).families["family"].nunique() == 4

    bad = dict(FRAMES[ORG_A], requests=pd.DataFrame({"family": ["A1"], "leefgebied": ["Onzin"]}))
    buf = io.BytesIO()
    write_workbook(buf, bad, organisation=ORG_A)
    upload(at, "fout.xlsx", buf.getvalue())
    assert any("1 fout(en)" in e for e in ui.texts(at.error))
    assert ui.button(at, "Opslaan in Gezinsmonitor").disabled
    report = at.dataframe[0].value
    assert report.iloc[0]["blad"] == "Hulpvragen" and report.iloc[0]["kolom"] == "Leefgebied"

    upload(at, "tekst.xlsx", b"dit is geen excel")
    assert any("tekstbestand zonder herkenbare kolommen" in e and "Upload een Excel-werkmap" in e for e in ui.texts(at.error))
    assert len(Store(sqlite_url).batches()) == 1


def test_restore_an_earlier_upload(monkeypatch, sqlite_url, fixture_paths):
    at = ui.start(monkeypatch, sqlite_url, PAGE)
    upload(at, "fixture_1.xlsx", fixture_paths[0].read_bytes())
    ui.button(at, "Opslaan in Gezinsmonitor").click().run()
    newer = {"families": pd.DataFrame({"family": ["A1"], "start": [pd.Timestamp("2020-01-15").date()]}),
             "requests": pd.DataFrame({"family": ["A1"], "leefgebied": ["Wonen"]})}
    buf = io.BytesIO()
    write_workbook(buf, newer, organisation=ORG_A)
    upload(at, "nieuwer.xlsx", buf.getvalue())
    ui.button(at, "Opslaan in Gezinsmonitor").click().run()
    history = at.dataframe[0].value.set_index("bestand")
    assert history.loc["fixture_1.xlsx", "status"] == "deels vervangen"
    assert at.selectbox(key="restore_id").value == int(history.loc["fixture_1.xlsx", "upload"])
    ui.button(at, "Terugzetten").click().run()
    assert any("is teruggezet: 4 gezinnen" in s for s in ui.texts(at.success))
    ds = with_raw_keys(Store(sqlite_url).load_dataset())
    assert sorted(ds.requests.loc[ds.requests["family_key"] == "A1", "leefgebied"]) == ["Financiën", "Participatie"]


def test_sample_data_loaded_once_and_removed_for_good(monkeypatch, sqlite_url):
    at = ui.start(monkeypatch, sqlite_url, PAGE, samples=True)
    assert Store(sqlite_url).has_sample_data()
    assert any("Voorbeelddata" in i for i in ui.texts(at.sidebar.info))
    show = next(d.value for d in at.dataframe if "eigen indeling" in d.value.columns).set_index("organisatie")
    assert len(show) == 6 and (show["gelezen als"] == "eigen indeling").sum() == 5
    assert show.loc["Huiskamer Het Anker", "profiel"] == "versie 1"
    assert "vinkje" in show.loc["Huiskamer Het Anker", "eigen indeling"]
    remove = ui.button(at, "Voorbeelddata verwijderen")
    assert remove.disabled  # needs the confirmation first
    at.checkbox(key="confirm_remove_samples").check().run()
    ui.button(at, "Voorbeelddata verwijderen").click().run()
    assert any("Voorbeelddata verwijderd (6 organisaties)" in s for s in ui.texts(at.success))
    assert not Store(sqlite_url).has_sample_data()
    again = ui.start(monkeypatch, sqlite_url, PAGE, samples=True)  # a restart does not bring them back
    assert not Store(sqlite_url).has_sample_data()
    assert "Er staan geen voorbeelddata in de database." in ui.texts(again.markdown)


def test_unreachable_database_gives_a_dutch_message(monkeypatch):
    at = ui.start(monkeypatch, "postgresql://nobody@127.0.0.1:1/geen", PAGE)
    assert any("De database is niet bereikbaar" in e for e in ui.texts(at.error))


def test_own_layout_confirm_save_profile_then_no_questions(monkeypatch, sqlite_url, tmp_path):
    from tests import own_layouts as ol
    at = ui.start(monkeypatch, sqlite_url, PAGE)
    upload(at, "buurtwerk.xlsx", ol.free_text(tmp_path / "a.xlsx").read_bytes())
    assert any("Vul eerst de naam van uw organisatie in" in i for i in ui.texts(at.info))
    at.text_input(key="upload_org_own").input("Buurtwerk Test").run()
    ui.assert_ok(at)
    tables = at.dataframe[0].value
    assert tables["blad"].tolist() == ["2024", "2025", "Voortgang"] and tables["kopregel (rij)"].tolist() == [3, 3, 1]
    assert any("2 met een onzeker voorstel" in w for w in ui.texts(at.warning))  # Opmerkingen on two sheets
    assert any("Niet ingelezen kolommen (2): Opmerkingen, Opmerkingen" in c for c in ui.texts(at.caption))
    understood = next(d.value for d in at.dataframe if "herkomst" in d.value.columns)
    row = understood.set_index("tekst").loc["lege koelkast"]
    assert (row["leefgebied"], row["categorie"], row["herkomst"]) == ("Financiën", "Acute nood", "tekstregel")
    assert any("1 hulpvraag/-vragen" in w and "Te beoordelen" in w for w in ui.texts(at.warning))
    ui.button(at, "Kolomindeling bevestigen en opslaan").click().run()
    ui.assert_ok(at)
    assert any("Ingelezen: 3 gezinnen, 5 hulpvragen" in s and "profiel versie 1" in s for s in ui.texts(at.success))
    store = Store(sqlite_url)
    assert store.profiles()["organisation"].tolist() == ["Buurtwerk Test"]
    assert store.review_queue()["tekst"].tolist() == ["diversen"]

    # The next file in the same layout: the profile is used without questions.
    upload(at, "buurtwerk_2026.xlsx", ol.free_text(tmp_path / "b.xlsx", extra_family=True).read_bytes())
    at.text_input(key="upload_org_own").input("Buurtwerk Test").run()
    assert any("Bekende indeling" in s and "profiel versie 1" in s for s in ui.texts(at.success))
    ui.button(at, "Opslaan in Gezinsmonitor").click().run()
    assert any("Ingelezen: 4 gezinnen" in s for s in ui.texts(at.success))
    assert len(Store(sqlite_url).profiles()) == 1 and len(Store(sqlite_url).batches()) == 2


OWN_LAYOUT_SAMPLES = [
    ("Buurtkracht Noord", 24), ("Huiskamer Het Anker", 22), ("Stichting Thuisfront", 70),
    ("Wijkpost De Overkant", 25), ("Stichting Naast Elkaar", 26),
]


@pytest.mark.parametrize("organisation,families", OWN_LAYOUT_SAMPLES)
def test_every_sample_layout_through_the_upload_page(monkeypatch, sqlite_url, organisation, families):
    from sample_data import generate as gen
    at = ui.start(monkeypatch, sqlite_url, PAGE)
    name = gen.sample_file_name(organisation)
    upload(at, name, (ui.ROOT / "sample_data" / name).read_bytes())
    assert any(f"Eigen indeling: {name}" in h for h in ui.texts(at.subheader))
    at.text_input(key="upload_org_own").input(organisation).run()
    ui.assert_ok(at)
    assert at.metric[0].value == str(families)  # Gezinnen, before anything is stored
    ui.button(at, "Kolomindeling bevestigen en opslaan").click().run()
    ui.assert_ok(at)
    assert any(f"Ingelezen: {families} gezinnen" in s and "profiel versie 1" in s for s in ui.texts(at.success))
    store = Store(sqlite_url)
    assert store.profiles()["organisation"].tolist() == [organisation]
    assert store.batches()["format"].tolist() == ["eigen indeling"]
