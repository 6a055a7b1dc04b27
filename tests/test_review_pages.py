"""Te beoordelen and Taxonomie: the pure helpers in components/review.py, then both pages through AppTest
against a real SQLite store."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select, update

from components import review
from gezinsmonitor import schema as s
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.store import Store
from tests import apptest as ui
from tests.helpers import fixture_store

SMALL = tx.Taxonomy({"Financiën": ("Schulden", "Acute nood"), "Wonen": (), "Overig": ("Juridisch",)},
                    {"geldzaken": ("Financiën", None), "lege koelkast": ("Financiën", "Acute nood")}, 3)


def frames(categories: list[tuple], synonyms: list[tuple] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (pd.DataFrame(categories, columns=review.CATEGORY_COLUMNS, dtype=object),
            pd.DataFrame(list(synonyms), columns=review.SYNONYM_COLUMNS, dtype=object))


# -- frames <-> Taxonomy ------------------------------------------------------------------------
def test_frames_round_trip_keeps_order_empty_leefgebied_and_synonyms():
    categories, synonyms = review.taxonomy_frames(SMALL)
    assert categories.values.tolist() == [["Financiën", "Schulden"], ["Financiën", "Acute nood"], ["Wonen", ""],
                                          ["Overig", "Juridisch"]]
    assert synonyms.values.tolist() == [["geldzaken", "Financiën", ""], ["lege koelkast", "Financiën", "Acute nood"]]
    edit = review.taxonomy_from_frames(categories, synonyms, version=3)
    assert edit.ok and edit.errors == []
    assert edit.taxonomy == SMALL and review.same_content(edit.taxonomy, SMALL)


def test_default_taxonomy_round_trips():
    categories, synonyms = review.taxonomy_frames(tx.DEFAULT_TAXONOMY)
    edit = review.taxonomy_from_frames(categories, synonyms)
    assert edit.ok
    assert edit.taxonomy.to_json() == tx.DEFAULT_TAXONOMY.to_json()
    assert list(edit.taxonomy.leefgebieden) == list(tx.LEEFGEBIED_NAMES)


def test_new_rows_from_the_editor_are_trimmed_normalised_and_empty_rows_ignored():
    categories, synonyms = frames(
        [("Wonen", None), (" Financiën ", "Schulden"), (None, None), ("Financiën", pd.NA), ("Nieuw", "")],
        [("  GELDZAKEN  ", "Financiën", None), ("Schuld  Hulp", "Financiën", "Schulden"), (None, None, None)])
    edit = review.taxonomy_from_frames(categories, synonyms)
    assert edit.ok, edit.errors
    assert edit.taxonomy.leefgebieden == {"Wonen": (), "Financiën": ("Schulden",), "Nieuw": ()}
    assert edit.taxonomy.synonyms == {"geldzaken": ("Financiën", None), "schuld hulp": ("Financiën", "Schulden")}


@pytest.mark.parametrize("categories, synonyms, expected", [
    ([], [], "geen enkel leefgebied"),
    ([(None, "Schulden")], [], "categorie 'Schulden' heeft geen leefgebied"),
    ([("Financiën", "Schulden"), ("Financien", "Acute nood")], [], "dezelfde naam in een andere schrijfwijze"),
    ([("Financiën", "Schulden"), ("Financiën", "schulden")], [], "staat twee keer bij Financiën"),
    ([("Financiën", "Schulden"), ("Wonen", "Schulden")], [], "staat al bij Financiën"),
    ([("Wonen", "")], [("huur", "Financiën", "")], "leefgebied 'Financiën' bestaat niet"),
    ([("Wonen", ""), ("Financiën", "Schulden")], [("huur", "Wonen", "Schulden")],
     "categorie 'Schulden' hoort niet bij leefgebied Wonen (die hoort bij Financiën)"),
    ([("Wonen", "")], [("huur", None, None)], "kies het leefgebied"),
    ([("Wonen", "")], [(None, "Wonen", None)], "het synoniem is leeg"),
    ([("Wonen", "")], [("Huur", "Wonen", None), (" huur ", "Wonen", None)], "staat ook in rij 1"),
])
def test_invalid_tables_give_dutch_errors_and_no_taxonomy(categories, synonyms, expected):
    edit = review.taxonomy_from_frames(*frames(categories, synonyms))
    assert not edit.ok and edit.taxonomy is None
    assert any(expected in e for e in edit.errors), edit.errors


def test_every_error_is_reported_at_once():
    edit = review.taxonomy_from_frames(*frames([(None, "X"), ("Wonen", "")],
                                               [("a", "Nergens", None), ("b", None, None)]))
    assert len(edit.errors) == 3


def test_taxonomy_changes_lists_what_an_edit_does():
    new = tx.Taxonomy({"Financiën": ("Schulden",), "Overig": ("Juridisch", "Acute nood"), "Meedoen": ()},
                      {"geldzaken": ("Financiën", "Schulden"), "taalles": ("Meedoen", None)})
    lines = review.taxonomy_changes(SMALL, new)
    text = "\n".join(lines)
    assert "Nieuwe leefgebieden: Meedoen." in text
    assert "Verwijderde leefgebieden: Wonen." in text and "Te beoordelen" in text
    assert "Verplaatste categorieën: Acute nood (Financiën → Overig)." in text
    assert "Nieuwe synoniemen (1): taalles." in text
    assert "Verwijderde synoniemen (1): lege koelkast." in text
    assert "Gewijzigde synoniemen (1): geldzaken." in text
    assert review.taxonomy_changes(SMALL, SMALL) == []


# -- review queue helpers -----------------------------------------------------------------------
def queue() -> pd.DataFrame:
    return pd.DataFrame({"tekst": ["brieven", "raar"], "voorstel leefgebied": ["Financiën", "Overig"],
                         "zekerheid": [60, 0], "aantal": [3, 1], "organisaties": ["A, B", "A"]})


def test_queue_editor_frame_prefills_only_a_real_suggestion():
    frame = review.queue_editor_frame(queue(), SMALL)
    assert frame.columns.tolist() == review.QUEUE_COLUMNS
    assert frame["leefgebied"].tolist() == ["Financiën", None]  # zekerheid 0: no suggestion, Overig is a fallback
    assert frame["voorstel leefgebied"].tolist() == ["Financiën", ""]
    assert frame["categorie"].tolist() == ["", ""] and frame["bevestigen"].tolist() == [False, False]
    assert review.all_categories(SMALL) == ["", "Schulden", "Acute nood", "Juridisch"]


def test_ticked_decisions_only_ticked_rows_and_categorie_must_fit():
    edited = review.queue_editor_frame(queue(), SMALL)
    edited.loc[0, ["categorie", "bevestigen"]] = ["Schulden", True]
    decisions, errors = review.ticked_decisions(edited, SMALL)
    assert errors == [] and decisions == [review.Decision("brieven", "Financiën", "Schulden")]

    edited.loc[1, ["leefgebied", "categorie", "bevestigen"]] = ["Wonen", "Juridisch", True]
    decisions, errors = review.ticked_decisions(edited, SMALL)
    assert len(errors) == 1 and "categorie 'Juridisch' hoort niet bij leefgebied Wonen" in errors[0]
    assert "hoort bij Overig" in errors[0]

    edited.loc[1, ["leefgebied", "categorie"]] = [None, ""]
    assert "kies eerst een leefgebied" in review.ticked_decisions(edited, SMALL)[1][0]
    edited.loc[1, ["leefgebied", "categorie"]] = ["Wonen", None]
    decisions, errors = review.ticked_decisions(edited, SMALL)
    assert errors == [] and decisions[1] == review.Decision("raar", "Wonen", None)


def test_moved_view_and_summary():
    moved = pd.DataFrame({"van leefgebied": ["Overig", "Financiën"], "van categorie": ["", "Schulden"],
                          "naar leefgebied": ["Wonen", "Overig"], "naar categorie": ["", ""],
                          "herkomst": [tx.HERKOMST_PERSOON, tx.HERKOMST_TE_BEOORDELEN], "aantal": [3, 1]})
    view = review.moved_view(moved)
    assert view.values.tolist() == [["Overig", "Wonen", "persoon", 3], ["Financiën – Schulden", "Overig",
                                                                         "te beoordelen", 1]]
    assert review.moved_summary(moved) == ("4 hulpvragen opnieuw ingedeeld, 3 volgens een beslissing van een "
                                           "persoon, 1 naar Te beoordelen.")
    assert review.moved_summary(pd.DataFrame(columns=review.MOVED_COLUMNS)).startswith("Niets verschoven")


def test_taxonomy_version_reads_saved_content(sqlite_url):
    store = Store(sqlite_url)
    assert review.taxonomy_version(store, 0) is tx.DEFAULT_TAXONOMY
    v1 = store.save_taxonomy(SMALL, author="test", note="klein")
    store.save_taxonomy(tx.DEFAULT_TAXONOMY, author="test", note="terug")
    old = review.taxonomy_version(store, v1)
    assert old.version == v1 == 1 and review.same_content(old, SMALL)
    assert store.taxonomy().version == 2
    with pytest.raises(KeyError):
        review.taxonomy_version(store, 9)


# -- the pages through AppTest ------------------------------------------------------------------
QUEUED = {1: "Kwjibo", 6: "kwjibo!"}  # request id -> text; ids 1 (Fixture Buurtwerk) and 6 (Fixture Gezinshuis)


def queued_store(url: str, paths) -> Store:
    """The fixture data with one unknown text in each organisation, waiting in the review queue exactly as
    the harmoniser leaves it (suggestion Overig, no categorie, herkomst te beoordelen)."""
    store = fixture_store(url, paths)
    t = s.help_requests
    with store.engine.begin() as conn:
        for rid, text in QUEUED.items():
            conn.execute(update(t).where(t.c.id == rid).values(
                label_raw=text, leefgebied_raw=None, categorie_raw=None, leefgebied="Overig", categorie=None,
                herkomst=tx.HERKOMST_TE_BEOORDELEN, confidence=0.0))
        store.bump_revision(conn)
    return store


def rows(store: Store) -> pd.DataFrame:
    t = s.help_requests
    with store.engine.connect() as conn:
        return pd.read_sql(select(t.c.id, t.c.leefgebied, t.c.categorie, t.c.herkomst), conn).set_index("id")


def run(at):
    at.run()
    ui.assert_ok(at)
    return at


def click(at, label: str):
    b = ui.button(at, label)
    assert not b.disabled, label
    b.click()
    return run(at)


def test_review_queue_confirm_reject_and_undo(monkeypatch, sqlite_url, fixture_paths):
    store = queued_store(sqlite_url, fixture_paths)
    before = rows(store)
    at = ui.start(monkeypatch, sqlite_url, "pages/te_beoordelen.py")
    assert "Wachtrij: 2 teksten, 2 hulpvragen" in ui.texts(at.subheader)
    key = at.data_editor[0].key
    assert key.startswith("review_editor_r")
    editor = at.data_editor(key=key).value
    assert sorted(editor["tekst"]) == ["Kwjibo", "kwjibo!"] and editor["aantal"].tolist() == [1, 1]
    assert set(editor["organisaties"]) == {"Fixture Buurtwerk", "Fixture Gezinshuis"}
    assert editor["leefgebied"].isna().all()  # zekerheid 0: no suggestion to pre-fill
    assert editor["voorstel leefgebied"].tolist() == ["", ""]
    assert any("álle organisaties en voor toekomstige uploads" in m for m in ui.texts(at.markdown))
    assert any("Nog geen beslissingen" in i for i in ui.texts(at.info))
    assert ui.button(at, "Beslissingen opslaan").disabled  # nothing ticked yet
    row = editor.index[editor["tekst"] == "Kwjibo"][0]

    # a categorie of another leefgebied: a clear error, nothing stored or moved
    at.session_state[key] = {"edited_rows": {int(row): {"leefgebied": "Wonen", "categorie": "Schulden",
                                                                    "bevestigen": True}},
                                         "added_rows": [], "deleted_rows": []}
    click(run(at), "Beslissingen opslaan")
    assert any("categorie 'Schulden' hoort niet bij leefgebied Wonen" in e for e in ui.texts(at.error))
    assert any("Er is niets opgeslagen" in e for e in ui.texts(at.error))
    assert store.value_decisions().empty
    pd.testing.assert_frame_equal(rows(store), before)

    # a valid decision on the text of one organisation also settles the other's spelling of it
    at.session_state[key] = {"edited_rows": {int(row): {"leefgebied": "Financiën",
                                                                    "categorie": "Schulden", "bevestigen": True}},
                                         "added_rows": [], "deleted_rows": []}
    click(run(at), "Beslissingen opslaan")
    assert not at.error
    success = ui.texts(at.success)
    assert any("1 beslissing opgeslagen. 2 hulpvragen opnieuw ingedeeld, 2 volgens een beslissing van een persoon"
               in m for m in success), success
    assert any(m.startswith("Niets te beoordelen") for m in success)
    moved = at.dataframe[0].value
    assert moved.values.tolist() == [["Overig", "Financiën – Schulden", tx.HERKOMST_PERSOON, 2]]
    after = rows(store)
    assert after.loc[list(QUEUED), "herkomst"].tolist() == [tx.HERKOMST_PERSOON] * 2
    assert after.loc[list(QUEUED), "leefgebied"].tolist() == ["Financiën"] * 2
    assert after.loc[list(QUEUED), "categorie"].tolist() == ["Schulden"] * 2
    others = [i for i in before.index if i not in QUEUED]
    pd.testing.assert_frame_equal(after.loc[others], before.loc[others])  # the rest is untouched
    assert store.review_queue().empty
    decisions = store.value_decisions()
    assert decisions[["example", "leefgebied", "categorie", "decided_by"]].values.tolist() == [
        ["Kwjibo", "Financiën", "Schulden", "beheerder"]]
    listed = at.dataframe[-1].value
    assert listed[["tekst", "leefgebied", "categorie"]].values.tolist() == [["Kwjibo", "Financiën", "Schulden"]]
    assert any("n = 1 onthouden beslissingen" in c for c in ui.texts(at.caption))

    # undo: the texts go back to the queue
    assert at.selectbox(key="forget_key").value == decisions["key"].iloc[0]
    click(at, "Beslissing intrekken")
    assert any(m.startswith("Beslissing ingetrokken (Kwjibo → Financiën – Schulden). 2 hulpvragen opnieuw "
                            "ingedeeld") and "2 naar Te beoordelen" in m for m in ui.texts(at.success))
    assert store.value_decisions().empty
    pd.testing.assert_frame_equal(rows(store)[["leefgebied", "herkomst"]], before[["leefgebied", "herkomst"]])
    assert sorted(store.review_queue()["tekst"]) == ["Kwjibo", "kwjibo!"]
    assert "Wachtrij: 2 teksten, 2 hulpvragen" in ui.texts(at.subheader)
    assert any("Nog geen beslissingen" in i for i in ui.texts(at.info))


def test_empty_queue_is_a_friendly_message(monkeypatch, sqlite_url, fixture_paths):
    fixture_store(sqlite_url, fixture_paths)
    at = ui.start(monkeypatch, sqlite_url, "pages/te_beoordelen.py")
    assert any(m.startswith("Niets te beoordelen") and "n = 0" in m for m in ui.texts(at.success))
    assert not at.data_editor


def synonym_row(at, synoniem: str, leefgebied: str, categorie: str = "") -> None:
    at.session_state["tax_synonyms_v0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"synoniem": synoniem, "leefgebied": leefgebied, "categorie": categorie}]}


def test_taxonomy_invalid_edit_saves_nothing(monkeypatch, sqlite_url, fixture_paths):
    store = queued_store(sqlite_url, fixture_paths)
    before = rows(store)
    at = ui.start(monkeypatch, sqlite_url, "pages/taxonomie.py")
    assert any("standaardtaxonomie (versie 0)" in c for c in ui.texts(at.caption))
    categories = at.data_editor(key="tax_categories_v0").value
    assert len(categories) == 21 and categories.iloc[0].tolist() == ["Financiën", "Schulden"]
    assert ["Wonen", ""] in categories.values.tolist()
    assert at.data_editor(key="tax_synonyms_v0").editing_mode == "dynamic"

    synonym_row(at, "kwjibo", "Wonen", "Schulden")  # categorie of another leefgebied
    at.text_input(key="taxonomy_note").input("Buurtwoord")
    click(run(at), "Nieuwe versie opslaan")
    assert any("categorie 'Schulden' hoort niet bij leefgebied Wonen (die hoort bij Financiën)" in e
               for e in ui.texts(at.error)), ui.texts(at.error)
    synonym_row(at, "", "Wonen")  # empty name
    click(run(at), "Nieuwe versie opslaan")
    assert any("het synoniem is leeg" in e for e in ui.texts(at.error))
    synonym_row(at, "Geldzaken", "Financiën")  # already there (as "geldzaken")
    click(run(at), "Nieuwe versie opslaan")
    assert any("staat ook in rij" in e for e in ui.texts(at.error))

    synonym_row(at, "kwjibo", "Wonen")  # valid, but no note
    at.text_input(key="taxonomy_note").input("   ")
    click(run(at), "Nieuwe versie opslaan")
    assert any("Vul een toelichting in" in e for e in ui.texts(at.error))
    assert store.taxonomy_history().empty and store.taxonomy().version == 0
    pd.testing.assert_frame_equal(rows(store), before)

    at.session_state["tax_synonyms_v0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": []}
    at.text_input(key="taxonomy_note").input("Niets")
    click(run(at), "Nieuwe versie opslaan")
    assert any("niets gewijzigd" in e for e in ui.texts(at.error))
    assert store.taxonomy_history().empty


def test_taxonomy_new_synonym_reharmonises_and_restoring_undoes_it(monkeypatch, sqlite_url, fixture_paths):
    store = queued_store(sqlite_url, fixture_paths)
    before = rows(store)
    at = ui.start(monkeypatch, sqlite_url, "pages/taxonomie.py")
    assert any("Nog geen eigen versies" in i for i in ui.texts(at.info))

    synonym_row(at, "  KWJIBO ", "Wonen")
    at.text_input(key="taxonomy_note").input("Buurtwoord voor huisvesting")
    run(at)
    assert any("Nieuwe synoniemen (1): kwjibo." in m for m in ui.texts(at.markdown))  # preview before saving
    click(at, "Nieuwe versie opslaan")
    assert not at.error
    assert any(m.startswith("Versie 1 opgeslagen. 2 hulpvragen opnieuw ingedeeld") for m in ui.texts(at.success))
    assert at.dataframe[0].value.values.tolist() == [["Overig", "Wonen", tx.HERKOMST_WOORDENLIJST, 2]]
    current = store.taxonomy()
    assert current.version == 1 and current.synonyms["kwjibo"] == ("Wonen", None)
    assert len(current.synonyms) == len(tx.DEFAULT_TAXONOMY.synonyms) + 1
    after = rows(store)
    assert after.loc[list(QUEUED), "leefgebied"].tolist() == ["Wonen", "Wonen"]
    assert after.loc[list(QUEUED), "herkomst"].tolist() == [tx.HERKOMST_WOORDENLIJST] * 2
    others = [i for i in before.index if i not in QUEUED]
    pd.testing.assert_frame_equal(after.loc[others], before.loc[others])
    assert store.review_queue().empty
    assert any("versie 1 ·" in c for c in ui.texts(at.caption))
    assert ["kwjibo", "Wonen", ""] in at.data_editor(key="tax_synonyms_v1").value.values.tolist()
    history = at.dataframe[-1].value
    assert history[["versie", "door", "toelichting"]].values.tolist() == [[1, "beheerder",
                                                                          "Buurtwoord voor huisvesting"]]
    assert at.text_input(key="taxonomy_note").value == ""  # emptied for the next change

    # undo by restoring version 0 as a new version
    assert at.selectbox(key="taxonomy_restore").value == 0
    click(at, "Deze versie terugzetten")
    assert any(m.startswith("Versie 0 teruggezet als versie 2. 2 hulpvragen opnieuw ingedeeld")
               and "2 naar Te beoordelen" in m for m in ui.texts(at.success))
    history = store.taxonomy_history()
    assert history["version"].tolist() == [2, 1] and len(at.dataframe[-1].value) == 2
    assert history["note"].iloc[0] == "Versie 0 teruggezet"
    assert store.taxonomy().version == 2 and review.same_content(store.taxonomy(), tx.DEFAULT_TAXONOMY)
    pd.testing.assert_frame_equal(rows(store)[["leefgebied", "herkomst"]], before[["leefgebied", "herkomst"]])
    assert at.selectbox(key="taxonomy_restore").options == ["versie 1", "versie 0 (standaard)"]


def test_taxonomy_new_leefgebied_with_category_and_synonym(monkeypatch, sqlite_url, fixture_paths):
    store = queued_store(sqlite_url, fixture_paths)
    at = ui.start(monkeypatch, sqlite_url, "pages/taxonomie.py")
    at.session_state["tax_categories_v0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"leefgebied": "Veiligheid", "categorie": "Buurt"}]}
    run(at)
    # the new leefgebied and categorie are offered in the synonym table straight away
    synonym_row(at, "kwjibo", "Veiligheid", "Buurt")
    at.text_input(key="taxonomy_note").input("Nieuw leefgebied")
    click(run(at), "Nieuwe versie opslaan")
    assert not at.error, ui.texts(at.error)
    current = store.taxonomy()
    assert list(current.leefgebieden)[-1] == "Veiligheid" and current.leefgebieden["Veiligheid"] == ("Buurt",)
    assert current.synonyms["kwjibo"] == ("Veiligheid", "Buurt")
    after = rows(store)
    assert after.loc[list(QUEUED), ["leefgebied", "categorie"]].values.tolist() == [["Veiligheid", "Buurt"]] * 2
