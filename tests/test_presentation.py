"""Presentation mode: sessions in the store, the slide views and their takeaways, the projector scaling, and the
page driven through AppTest (navigation, links, names, highlight, roles, live refresh, the session builder).
The real-browser walk through the default session is in tests/test_presentation_browser.py."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from components import slides, views
from components.context import PageContext
from gezinsmonitor import audit, disclosure, sessions, takeaways
from gezinsmonitor.filters import Filters
from gezinsmonitor.organisations import lasting_names
from gezinsmonitor.permissions import DEMO, Access, Principal
from gezinsmonitor.sessions import Session, Slide
from gezinsmonitor.store import Store
from tests.apptest import app_test, assert_browser_json, assert_ok, chart_specs, table
from tests.helpers import import_file
from tests.test_roles import USER_KEY, secrets_of_others, sent  # noqa: F401 (fixture)

PAGE = "pages/presentatie.py"
OWN = "Stichting Samen Verder"
REAL_NAMES = ("Samen Verder", "Thuisfront", "Buurtkracht", "Het Anker", "Naast Elkaar", "De Overkant")
PEIL = dt.date(2026, 10, 31)


# -- sessions in the store -------------------------------------------------------------------------------
def test_a_session_is_saved_loaded_listed_and_removed(db_url):
    store = Store(db_url)
    slide = Slide("mediane_duur", Filters(organisations=("Stichting Thuisfront", "O'Brien & Zn"),
                                         period=(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
                                         statuses=("lopend",), compositions=("eenoudergezin",)), PEIL)
    saved = sessions.save(store.engine, Session("Leerkring Noord — maart", (Slide("hulpvragen"), slide),
                                                anonymise=True), views=set(views.VIEWS))
    assert saved.slug == "leerkring-noord-maart"
    again = sessions.load(store.engine, saved.slug)
    assert again.slides == (Slide("hulpvragen"), slide) and again.anonymise and again.name == "Leerkring Noord — maart"
    assert [s.slug for s in sessions.listing(store.engine)] == [sessions.DEFAULT_SLUG, saved.slug]
    with pytest.raises(sessions.Invalid, match="Er is al een sessie"):
        sessions.save(store.engine, Session("Leerkring Noord, maart", (Slide("inzet"),)))
    sessions.save(store.engine, Session("Leerkring Noord, maart", (Slide("inzet"),), slug=saved.slug), replace=True)
    assert sessions.load(store.engine, saved.slug).slides == (Slide("inzet"),)
    assert sessions.remove(store.engine, saved.slug) and sessions.load(store.engine, saved.slug) is None
    log = audit.entries(store.engine)
    assert list(log["actie"]) == [audit.SESSION_DELETED, audit.SESSION_SAVED, audit.SESSION_SAVED]
    assert "Leerkring Noord" in log["toelichting"].iloc[-1]


@pytest.mark.parametrize("session, message", [
    (Session("  ", (Slide("hulpvragen"),)), "naam"),
    (Session("Standaard", (Slide("hulpvragen"),)), "gereserveerd"),
    (Session("Leeg", ()), "minstens één dia"),
    (Session("Vreemd", (Slide("bestaat_niet"),)), "Onbekende weergave"),
    (Session("x" * 81, (Slide("hulpvragen"),)), "te lang"),
    (Session("!!!", (Slide("hulpvragen"),)), "letter of cijfer"),
])
def test_a_bad_session_is_refused_in_dutch_and_nothing_is_stored(sqlite_url, session, message):
    store = Store(sqlite_url)
    with pytest.raises(sessions.Invalid, match=message):
        sessions.save(store.engine, session, views=set(views.VIEWS))
    assert [s.slug for s in sessions.listing(store.engine)] == [sessions.DEFAULT_SLUG]
    with pytest.raises(sessions.Invalid):
        sessions.remove(store.engine, sessions.DEFAULT_SLUG)


def test_the_default_session_walks_the_four_themes_with_known_views():
    themes = [views.VIEWS[s.view].theme for s in sessions.DEFAULT.slides]
    assert all(s.view in views.VIEWS for s in sessions.DEFAULT.slides)
    assert list(dict.fromkeys(themes)) == list(views.THEMES)


def test_a_slide_position_stays_within_the_session():
    assert [sessions.slide_index(p, 6) for p in (-1, 0, 5, 9, "2", "x", None)] == [0, 0, 5, 5, 2, 0, 0]
    assert sessions.slide_index(3, 0) == 0


def test_letters_last_for_the_whole_session():
    first = lasting_names({}, ["Beta", "Alfa"])
    assert first == {"Alfa": "Organisatie A", "Beta": "Organisatie B"}
    later = lasting_names(first, ["Beta", "Alfa", "Aardig"])  # alphabetically first, but it came late
    assert later["Alfa"] == "Organisatie A" and later["Beta"] == "Organisatie B" and later["Aardig"] == "Organisatie C"


# -- takeaways -----------------------------------------------------------------------------------------
def test_takeaways_state_the_shown_numbers_and_fall_back_where_they_are_hidden():
    needs = pd.DataFrame({"leefgebied": ["Wonen", "Financiën", "Sociaal"], "families_pct": [35.2, 78.9, float("nan")]})
    assert takeaways.needs(needs).startswith("Financiën komt het vaakst voor: 79%")
    assert "Wonen (35%)" in takeaways.needs(needs)
    assert "%" not in takeaways.needs(needs.assign(families_pct=float("nan")))
    table = pd.DataFrame({"months": ["0-6", "6-12", "12-18", "18-24", "24-36", "36+"],
                          "completed": [10, 10, 5, 5, 0, 0], "ongoing": [5, 5, 5, 5, 0, 0]})
    assert takeaways.duration_classes(table).startswith("40% van de trajecten")  # 20 of 50 longer than a year
    assert "%" not in takeaways.duration_classes(table.assign(completed=["<10", 10, 5, 5, 0, 0]))
    org = pd.DataFrame({"organisation": ["A", "Totaal"], "median": [10.0, float("nan")], "median_lo": [5.0, 8.0],
                        "median_hi": [float("nan")] * 2, "km_n": [30, 60]})
    assert "nog niet bereikt" in takeaways.median_duration(org, "Totaal")
    hours = pd.DataFrame({"moment": ["start", "latest"], "hours_per_week": [6.5, 2.25]})
    assert takeaways.hours(hours) == ("Professionals besteden bij de eerste meting gemiddeld 6 u 30 min per week aan "
                                      "een gezin, bij de laatste meting 2 u 15 min: de steun wordt minder intensief.")


# -- projector scaling ---------------------------------------------------------------------------------
def test_projector_enlarges_text_and_marks_but_never_the_data():
    data = pd.DataFrame({"x": [1, 2], "size": [3, 4]})
    base = alt.Chart(data).encode(x="x:Q", y="size:Q")
    chart = alt.layer(base.mark_text(fontSize=12), base.mark_line(strokeWidth=2),
                      base.mark_point().encode(strokeWidth=alt.condition("datum.x > 1", alt.value(3), alt.value(1)))
                      ).properties(height=alt.Step(30))
    spec = slides.projector(chart, factor=2.0)
    layers = spec["layer"]
    assert layers[0]["mark"]["fontSize"] == 24 and layers[1]["mark"]["strokeWidth"] == 4
    width = layers[2]["encoding"]["strokeWidth"]
    assert width["value"] == 2 and width["condition"]["value"] == 6
    assert spec["height"]["step"] == 30 * slides.ROWS
    assert spec["config"]["axis"]["labelFontSize"] == 22
    assert [row["size"] for row in next(iter(spec["datasets"].values()))] == [3, 4]


# -- the views: same numbers as the pages, protected for every role ------------------------------------
def _context(ds, principal=DEMO, filters=Filters()) -> PageContext:
    from gezinsmonitor.filters import apply
    access = Access(principal)
    disclosure.set_audience(access.audience())
    shown = access.dataset(ds)
    return PageContext(full=shown, data=apply(shown, filters), filters=filters, peildatum=PEIL, version="v", access=access)


@pytest.mark.parametrize("role", ["beheerder", "fonds", "organisatie", "leerkring"])
def test_every_view_builds_for_every_role(samples, role):
    ctx = _context(samples, Principal("x", role, OWN if role == "organisatie" else None))
    built = views.figures(ctx)
    assert [f.key for f in built] == list(views.VIEWS)
    for fig in built:
        assert fig.takeaway.endswith(".") and fig.n_text.startswith("n =") and fig.definition
        json.dumps(slides.projector(fig.chart))  # strict JSON for the browser


def test_the_needs_slide_shows_the_numbers_of_the_hulpvragen_page(monkeypatch, samples_db, samples):
    from tests.apptest import start
    at = start(monkeypatch, samples_db, "pages/hulpvragen.py", samples=False)
    page = table(at, "Leefgebied", "Gezinnen")
    fig = views.build("hulpvragen", _context(samples))
    assert fig.table.astype(str).to_dict("records") == page.astype(str).to_dict("records")


def test_a_small_selection_shows_marks_not_numbers_to_a_fund(samples):
    two = Filters(organisations=("Huiskamer Het Anker",), compositions=("eenoudergezin",))
    ctx = _context(samples, Principal("f", "fonds"), two)
    fig = views.build("duurklassen", ctx)
    assert fig is None or not any(ch.isdigit() for ch in fig.takeaway.split("trajecten")[0])
    needs = views.build("hulpvragen", _context(samples, Principal("f", "fonds"),
                                               Filters(organisations=("Huiskamer Het Anker",))))
    assert needs is not None
    shown = needs.table.astype(str).to_numpy().ravel().tolist()
    hidden = [v for v in shown if v.startswith("<") or v == "×"]
    assert hidden, "a fund looking at one small organisation sees some hidden cells"
    for cell in hidden:
        assert cell not in needs.takeaway


# -- the page ------------------------------------------------------------------------------------------
def _open(monkeypatch, url, principal=None, query=None):
    at = app_test(monkeypatch, url)
    if principal:
        at.session_state[USER_KEY] = principal
    at.run()
    assert_ok(at)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert_ok(at)
    assert_browser_json(at)
    return at


def _slide(at) -> str:
    return " ".join(str(h.value) for h in at.get("html"))


def test_the_default_session_steps_through_its_slides_by_button(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db)
    titles = []
    for i in range(len(sessions.DEFAULT.slides)):
        assert f"Dia {i + 1} van {len(sessions.DEFAULT.slides)}" in _slide(at)
        assert at.query_params["dia"] in (str(i + 1), [str(i + 1)])
        assert len(at.get("vega_lite_chart")) == 1
        titles.append(_slide(at))
        if i < len(sessions.DEFAULT.slides) - 1:
            at.button(key="pz_next").click().run()
            assert_ok(at)
    assert at.button(key="pz_next").disabled
    assert "Waarvoor vragen gezinnen hulp?" in titles[0] and "Uren per organisatie" in titles[-1]
    assert len(set(titles)) == len(titles)
    at.button(key="pz_prev").click().run()
    assert "Hoeveel uur steun" in _slide(at)


def test_a_link_opens_a_slide_and_a_missing_session_falls_back(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db, query={"sessie": "bestaat-niet", "dia": "4"})
    assert any("bestaat niet" in w.value for w in at.warning)
    assert "Hoe ontwikkelen gezinnen zich" in _slide(at)


def test_names_are_letters_for_the_whole_session_and_a_participant_can_highlight_theirs(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db, query={"dia": "3"})  # median duration per organisation
    spec = json.dumps(chart_specs(at))
    assert "Organisatie A" in spec and not [n for n in REAL_NAMES if n in spec]
    at.selectbox(key="pz_highlight").select("Organisatie C").run()
    spec = json.dumps(chart_specs(at))
    assert 'datum.value === \\"Organisatie C\\"' in spec and "#D35400" in spec
    at.toggle(key=f"pz_anon_{sessions.DEFAULT_SLUG}").set_value(False).run()
    assert "Stichting Thuisfront" in json.dumps(chart_specs(at))


def test_an_organisation_sees_its_own_highlighted_and_no_rows_of_others(monkeypatch, samples_db, secrets_of_others):
    at = _open(monkeypatch, samples_db, Principal("eigen", "organisatie", OWN))
    own_letter = at.selectbox(key="pz_highlight").value
    assert own_letter and own_letter.startswith("Organisatie ")
    keys, texts, files = secrets_of_others
    for _ in sessions.DEFAULT.slides:
        text = sent(at)
        assert not [k for k in keys if k in text] and not [t for t in texts if t in text]
        assert not [f for f in files if f in text]
        if not at.button(key="pz_next").disabled:
            at.button(key="pz_next").click().run()
    assert not at.expander or all(e.label != "Sessie samenstellen" for e in at.expander)


def test_a_learning_circle_sees_only_letters_on_every_slide(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db, Principal("kring", "leerkring"))
    assert not [t for t in at.toggle if t.key.startswith("pz_anon")]
    for _ in sessions.DEFAULT.slides:
        text = sent(at)
        assert not [n for n in REAL_NAMES if n in text]
        if not at.button(key="pz_next").disabled:
            at.button(key="pz_next").click().run()


@pytest.fixture
def own_store(samples_db, tmp_path) -> str:
    """A copy of the samples store that a test may write to."""
    path = tmp_path / "store.db"
    shutil.copy(Path(samples_db.removeprefix("sqlite:///")), path)
    return f"sqlite:///{path}"


def test_an_upload_during_the_session_refreshes_the_slide_with_a_quiet_notice(monkeypatch, own_store, fixture_paths):
    at = _open(monkeypatch, own_store)
    before = _slide(at)
    assert not [c for c in at.caption if "Bijgewerkt om" in c.value]
    store = Store(own_store)
    import_file(store, fixture_paths[0])
    store.engine.dispose()
    at.run()  # what the fragment's timer does in the browser (tests/test_presentation_browser.py)
    assert_ok(at)
    notice = [c.value for c in at.caption if "Bijgewerkt om" in c.value]
    assert notice and "nieuwe gegevens" in notice[0]
    assert _slide(at) != before  # the takeaway follows the new data


def test_a_session_built_on_the_page_is_opened_by_its_link(monkeypatch, own_store):
    at = _open(monkeypatch, own_store)
    at.text_input(key="pz_name").input("Fondsoverleg december").run()
    at.selectbox(key="pz_view").select("inzet").run()
    at.button(key="pz_add").click().run()
    at.selectbox(key="pz_view").select("hulpvragen").run()
    at.button(key="pz_add").click().run()
    at.button(key="pz_up_1").click().run()  # hulpvragen first
    at.button(key="pz_save").click().run()
    assert_ok(at)
    assert any("presentatie?sessie=fondsoverleg-december" in s.value for s in at.success)
    saved = sessions.load(Store(own_store).engine, "fondsoverleg-december")
    assert [s.view for s in saved.slides] == ["hulpvragen", "inzet"]
    again = _open(monkeypatch, own_store, query={"sessie": "fondsoverleg-december"})
    assert "Waarvoor vragen gezinnen hulp?" in _slide(again)
    assert "Dia 1 van 2" in _slide(again)


def test_saving_without_a_name_says_so_and_stores_nothing(monkeypatch, own_store):
    at = _open(monkeypatch, own_store)
    at.button(key="pz_add").click().run()
    at.button(key="pz_save").click().run()
    assert_ok(at)
    assert any("Geef de sessie een naam" in e.value for e in at.error)
    assert len(sessions.listing(Store(own_store).engine)) == 1


def test_the_wall_uses_the_learning_circles_letters(monkeypatch, samples_db):
    """Letters on the wall follow a keyed order (who takes part does not tell who is A) and agree with what a
    learning-circle member sees on their own screen."""
    def rows(at):
        import pyarrow as pa
        frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in at.get("vega_lite_chart")[0].proto.datasets]
        frames += [pd.DataFrame(v) for v in chart_specs(at)[0].get("datasets", {}).values()]
        data = next(f for f in frames if {"organisation", "label"} <= set(f.columns))
        return sorted(zip(data["organisation"], data["label"]))

    wall = rows(_open(monkeypatch, samples_db, query={"dia": "3"}))
    member = rows(_open(monkeypatch, samples_db, Principal("kring", "leerkring"), query={"dia": "3"}))
    shown = [(o, label) for o, label in member if not label.startswith("verborgen")]
    assert len(shown) >= 3 and set(shown) <= set(wall)  # the same letter carries the same figures
    assert {o for o, _ in wall} == {o for o, _ in member} >= {"Organisatie A", "Organisatie F"}
    from gezinsmonitor.organisations import anonymous_names
    orgs = ["Buurtkracht Noord", "Huiskamer Het Anker", "Zz"]
    assert lasting_names({}, orgs, b"k" * 16) == anonymous_names(orgs, b"k" * 16) != anonymous_names(orgs)
