"""The Kaart page: the pydeck spec (layers, no base map, suppressed labels) and the page through AppTest on
the bundled samples (with an organisation filter), on an empty store, and the administrator's upload."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from components import maps
from gezinsmonitor import disclosure, geo
from gezinsmonitor.permissions import Principal
from gezinsmonitor.store import Store
from tests import apptest as ui
from tests.test_geo import _reader_values

PAGE = "pages/kaart.py"


# -- the deck spec ------------------------------------------------------------------------
def _areas() -> pd.DataFrame:
    def square(lon, lat):
        return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + .02, lat], [lon + .02, lat + .01],
                                                    [lon, lat + .01], [lon, lat]]]}
    rows = [("wijk", "Noord", 51.935, 4.49, square(4.48, 51.93)), ("wijk", "Zuid", 51.885, 4.49, square(4.48, 51.88)),
            ("wijk", "Oost", 51.905, 4.56, square(4.55, 51.90)), ("wijk", "Groot", 51.90, 4.44, square(4.43, 51.895)),
            ("wijk", "Punt", 51.95, 4.40, None), ("organisatie", "Stichting A", 51.92, 4.50, None)]
    return pd.DataFrame([{"kind": k, "name": n, "latitude": la, "longitude": lo, "geometry": g, "source": "t",
                          "uploaded_at": pd.NaT, "bundled": False} for k, n, la, lo, g in rows])


@pytest.fixture
def deck_parts():
    # Noord 12, Zuid 3, Oost 0, Groot 60, Punt 10; A has 12 + 3 + 60 + 10 = 85 families.
    # Zuid '<10' alone would be 85 - 12 - 60 - 10 = 3: its partner is the smallest other, Punt 10 ('×').
    counts = {"Noord": 12, "Zuid": 3, "Groot": 60, "Punt": 10}
    fam = pd.DataFrame([(f"{w}{i}", w, "Stichting A") for w, n in counts.items() for i in range(n)],
                       columns=["family", "wijk", "organisation"])
    areas = _areas()
    with disclosure.audience(disclosure.Audience(frozenset(), 10)):  # as a fonds sees it: suppressed
        table = geo.families_per_wijk(fam, areas.loc[areas["kind"] == "wijk", "name"], k=10)
        points = geo.organisation_points(areas, fam, k=10)
    return table, areas, points


def _layers(deck) -> dict:
    return {layer["id"]: layer for layer in json.loads(deck.to_json())["layers"]}


def test_deck_layers_and_no_base_map(deck_parts):
    deck = maps.wijk_map(*deck_parts, k=10)
    spec = json.loads(deck.to_json())
    layers = _layers(deck)
    assert list(layers) == ["wijken", "wijk-centra", "wijk-labels", "organisaties", "organisatie-labels"]
    assert [layers[i]["@@type"] for i in layers] == ["GeoJsonLayer", "ScatterplotLayer", "TextLayer",
                                                     "ScatterplotLayer", "TextLayer"]
    # No tiles: no provider, and pydeck's style sentinel, which Streamlit renders without a base map
    # (an absent mapStyle would make Streamlit fetch Carto tiles). No URL anywhere in the spec.
    assert deck.map_provider is None and spec["mapStyle"] == "__MAP_STYLE__"
    assert "http" not in deck.to_json() and "mapbox" not in deck.to_json().lower()
    assert deck.mapbox_key is None or deck.mapbox_key == ""
    assert deck._tooltip["html"] == "<b>{naam}</b><br/>{detail}"
    assert 3 <= spec["initialViewState"]["zoom"] <= 15
    assert 51.88 < spec["initialViewState"]["latitude"] < 51.96 and 4.40 < spec["initialViewState"]["longitude"] < 4.57


def test_deck_labels_colours_and_no_raw_small_counts(deck_parts):
    deck = maps.wijk_map(*deck_parts, k=10)
    layers = _layers(deck)
    labels = {d["label"] for d in layers["wijk-labels"]["data"]}
    assert labels == {"Noord\n12", "Zuid\n<10", "Oost\n0", "Groot\n60", "Punt\n×"}
    props = {f["properties"]["naam"]: f["properties"] for f in layers["wijken"]["data"]["features"]}
    assert props["Zuid"]["detail"] == "Gezinnen: <10 (kleine aantallen worden niet getoond)"
    assert props["Noord"]["detail"] == "Gezinnen: 12"
    assert {n: p["kleur"] for n, p in props.items()} == {
        "Noord": maps.CLASS_COLOURS[0], "Zuid": maps.SUPPRESSED_COLOUR, "Oost": maps.ZERO_COLOUR,
        "Groot": maps.CLASS_COLOURS[2]}
    for p in props.values():  # the browser gets texts and colours, never a count
        assert set(p) == {"naam", "detail", "kleur"}
    centre, = layers["wijk-centra"]["data"]  # a wijk with only a centre is a circle
    # Hidden as in the table: its own grey, not the class colour of 10 (that would show 10..24).
    assert centre["naam"] == "Punt" and centre["kleur"] == maps.COMPLEMENTARY_COLOUR
    assert centre["detail"] == "Gezinnen: × (verborgen om terugrekenen te voorkomen)"
    assert "10" not in json.dumps(layers["wijk-centra"]["data"])
    org, = layers["organisaties"]["data"]
    assert org["naam"] == "Stichting A" and org["detail"] == "Organisatie · Gezinnen: 85"
    assert org["positie"] == [4.50, 51.92]


def test_classes_follow_the_threshold():
    hidden = "× (verborgen om terugrekenen te voorkomen)"
    assert [t for t, _ in maps.classes(10)] == ["0", "<10 (niet getoond)", hidden, "10–24", "25–49", "50–99",
                                                "100 of meer"]
    assert [t for t, _ in maps.classes(30)] == ["0", "<30 (niet getoond)", hidden, "30–49", "50–99", "100 of meer"]
    assert [maps.count_colour(n, 10) for n in (0, 9, 10, 24, 25, 99, 100, 5000)] == [
        maps.ZERO_COLOUR, maps.SUPPRESSED_COLOUR, maps.CLASS_COLOURS[0], maps.CLASS_COLOURS[0],
        maps.CLASS_COLOURS[1], maps.CLASS_COLOURS[2], maps.CLASS_COLOURS[3], maps.CLASS_COLOURS[3]]
    assert [maps.count_colour(n, 10, status) for n, status in ((12, "secondary"), (5, "primary"), (12, "shown"))] == [
        maps.COMPLEMENTARY_COLOUR, maps.SUPPRESSED_COLOUR, maps.CLASS_COLOURS[0]]
    assert "100 of meer" in maps.legend_html(10) and "&lt;10" in maps.legend_html(10)
    assert "× (verborgen om terugrekenen te voorkomen)" in maps.legend_html(10)


def test_view_state_without_areas_shows_the_netherlands():
    view = maps.view_state(_areas().iloc[0:0])
    assert (view.latitude, view.longitude, view.zoom) == maps.NETHERLANDS


# -- the page -----------------------------------------------------------------------------
def _table(at) -> dict[str, str]:
    frame = next(d.value for d in at.dataframe if list(d.value.columns) == ["Wijk", "Gezinnen"])
    return dict(zip(frame["Wijk"], frame["Gezinnen"]))


def _deck(at) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _expected(families: pd.DataFrame) -> dict[str, str]:
    """Independently of geo: value_counts per wijk, the <10 rule, and for a single '<10' row its partner
    '×': the smallest other nonzero row (the samples have no tie there)."""
    def shown(n: int) -> str:
        return "<10" if 0 < n < 10 else str(n)
    wijken = ["Carnisse", "Charlois", "Oude Noorden", "Delfshaven", "Middelland", "Katendrecht", "Nieuwe Westen",
              "Beverwaard", "Zevenkamp"]
    counts = families["wijk"].value_counts()
    raw = {w: int(counts.get(w, 0)) for w in wijken}
    raw[geo.NO_WIJK_LABEL] = int(families["wijk"].isna().sum())
    raw[geo.UNKNOWN_LABEL] = int((families["wijk"].notna() & ~families["wijk"].isin(wijken)).sum())
    out = {w: shown(n) for w, n in raw.items()}
    small = [w for w, n in raw.items() if 0 < n < 10]
    if len(small) == 1:
        others = sorted((n, w) for w, n in raw.items() if n >= 10)
        assert len(others) < 2 or others[0][0] < others[1][0]
        out[others[0][1]] = "×"
    out["Totaal"] = shown(len(families))
    return out


def _assert_nothing_recoverable(table: dict[str, str]) -> int:
    """From the shown table alone: the total minus the shown rows is the sum of the hidden ones, so there
    must be no single hidden row; and a reader who tries every value the marks allow ('<10': 1..9; '×': 10
    up to the smallest shown count of 10 or more) keeps at least two values for every '<10' row."""
    rows = {w: v for w, v in table.items() if w != "Totaal"}
    hidden = [w for w, v in rows.items() if v in ("<10", "×")]
    if table["Totaal"] not in ("<10", "×"):
        rest = int(table["Totaal"]) - sum(int(v) for v in rows.values() if v not in ("<10", "×"))
        assert len(hidden) != 1 and rest >= 0, (table, rest)
    possible = _reader_values(list(rows.values()), table["Totaal"], 10, top=500)
    for (w, v), values in zip(rows.items(), possible):
        if v == "<10":
            assert len(values) >= 2, (w, values, table)
    return sum(v == "<10" for v in rows.values())  # how many '<10' rows were checked


def _start_as_fonds(monkeypatch, url):
    """The page as a fonds sees it: every family belongs to another organisation, so counts are suppressed
    (the beheerder's exact counts: tests/test_suppression_duration.py)."""
    at = ui.app_test(monkeypatch, url)
    at.session_state["gm_principal"] = Principal("f", "fonds")
    at.run()
    ui.assert_ok(at)
    return ui.open_page(at, PAGE)


def test_page_on_the_bundled_samples(monkeypatch, samples_db, samples):
    families = samples.families
    at = _start_as_fonds(monkeypatch, samples_db)
    table = _table(at)
    assert table == _expected(families)
    assert table["Zevenkamp"] == "<10" and table["Carnisse"] == str((families["wijk"] == "Carnisse").sum())
    # The review's case: Zevenkamp 7 = 213 - the rest. Now Beverwaard (10, the smallest other) is '×' too.
    assert table["Beverwaard"] == "×" and table["Totaal"] == str(len(families))
    assert _assert_nothing_recoverable(table) == 1  # Zevenkamp was actually checked
    spec = _deck(at)
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert set(layers) == {"wijken", "wijk-labels", "organisaties", "organisatie-labels"}
    assert spec["mapStyle"] == "__MAP_STYLE__" and "http" not in at.get("deck_gl_json_chart")[0].proto.json
    labels = {d["label"] for d in layers["wijk-labels"]["data"]}
    assert labels == {f"{w}\n{table[w]}" for w in table if w not in (geo.NO_WIJK_LABEL, geo.UNKNOWN_LABEL, "Totaal")}
    props = {f["properties"]["naam"]: f["properties"] for f in layers["wijken"]["data"]["features"]}
    assert props["Beverwaard"]["detail"] == "Gezinnen: × (verborgen om terugrekenen te voorkomen)"
    assert props["Beverwaard"]["kleur"] == maps.COMPLEMENTARY_COLOUR
    assert props["Zevenkamp"]["kleur"] == maps.SUPPRESSED_COLOUR
    assert {d["naam"] for d in layers["organisaties"]["data"]} == set(families["organisation"])
    assert any("× (verborgen om terugrekenen te voorkomen)" in m.value for m in at.markdown)  # legend
    assert any("**×** = verborgen om terugrekenen te voorkomen" in c.value for c in at.caption)  # footnote
    caption = next(c.value for c in at.caption if c.value.startswith("**n = "))
    assert f"**n = {len(families)} gezinnen**" in caption and "Gegevens: versie" in caption
    assert any("gezinnen zonder wijk (niet op de kaart)" in e.value for e in at.markdown)  # Hoe berekend?
    assert not at.warning  # every sample wijk is on the map
    assert "Gebiedenkaart vervangen (beheerder)" not in [e.label for e in at.expander]  # a fund may not replace it


def test_page_with_an_organisation_filter(monkeypatch, samples_db, samples):
    families = samples.families
    at = _start_as_fonds(monkeypatch, samples_db)
    checked = {}
    for org in ("Buurtkracht Noord", "Huiskamer Het Anker"):
        at.sidebar.multiselect(key="f_orgs").set_value([org]).run()
        ui.assert_ok(at)
        ui.assert_browser_json(at)
        table = _table(at)
        assert table == _expected(families[families["organisation"] == org])
        checked[org] = _assert_nothing_recoverable(table)
        layers = {layer["id"]: layer for layer in _deck(at)["layers"]}
        assert [d["naam"] for d in layers["organisaties"]["data"]] == [org]
    assert checked == {"Buurtkracht Noord": 1, "Huiskamer Het Anker": 0}  # Zevenkamp <10 under Buurtkracht
    # Huiskamer Het Anker registers no wijk: nothing on the map, all of it on the "Zonder wijk" line.
    assert table[geo.NO_WIJK_LABEL] == table["Totaal"] != "0"
    assert {v for w, v in table.items() if w not in (geo.NO_WIJK_LABEL, "Totaal")} == {"0"}


def test_page_on_an_empty_store(monkeypatch, empty_db):
    at = ui.start(monkeypatch, empty_db, PAGE)
    assert any("Geen gezinnen" in i.value for i in at.info)
    table = _table(at)
    assert len(table) == 9 + 3 and set(table.values()) == {"0"}
    layers = {layer["id"] for layer in _deck(at)["layers"]}
    assert layers == {"wijken", "wijk-labels"}  # no organisations in the data: no points
    assert any(c.value.startswith("**n = 0 gezinnen**") for c in at.caption)


def test_administrator_upload_and_restore(monkeypatch, samples_db, samples, tmp_path):
    """Writes to the store: on a copy of the shared samples store."""
    families = samples.families
    copy = tmp_path / "copy.db"
    shutil.copy(Path(samples_db.removeprefix("sqlite:///")), copy)
    at = ui.start(monkeypatch, f"sqlite:///{copy}", PAGE)
    store = Store(f"sqlite:///{copy}")

    at.file_uploader[0].upload("kapot.geojson", b"{ geen json").run()
    assert any("de gebiedenkaart is niet veranderd" in e.value and "geen geldige JSON" in e.value for e in at.error)
    assert geo.stored_areas(store).empty

    csv = b"naam;lat;lon\nCarnisse;51,882;4,488\nCharlois;51,884;4,465\nOude-Noorden;51,933;4,49\n"
    at.file_uploader[0].upload("drie.csv", csv).run()
    assert not at.error
    assert any("drie.csv" in i.value and "3 wijken gevonden" in i.value and "Zevenkamp" in i.value for i in at.info)
    assert geo.stored_areas(store).empty  # nothing stored before the button
    ui.button(at, "Gebiedenkaart vervangen").click().run()
    ui.assert_ok(at)
    assert any("Gebiedenkaart vervangen door drie.csv: 3 wijken" in s.value for s in at.success)
    assert geo.stored_areas(store)["name"].tolist() == ["Carnisse", "Charlois", "Oude-Noorden"]
    table = _table(at)
    assert list(table)[:3] == ["Carnisse", "Charlois", "Oude-Noorden"]  # 'Oude Noorden' in the data still matches
    assert table["Oude-Noorden"] == str((families["wijk"] == "Oude Noorden").sum())
    unknown = families["wijk"].notna() & ~families["wijk"].isin(["Carnisse", "Charlois", "Oude Noorden"])
    assert table[geo.UNKNOWN_LABEL] == str(unknown.sum())
    assert any("Niet in de gebiedenkaart" in w.value and "Zevenkamp" in w.value for w in at.warning)
    layers = {layer["id"]: layer for layer in _deck(at)["layers"]}
    assert "wijken" in layers and len(layers["wijk-centra"]["data"]) == 3  # centres only: circles
    assert len(layers["organisaties"]["data"]) == 6  # organisation locations still bundled

    ui.button(at, "Meegeleverde gebiedenkaart terugzetten").click().run()
    assert any("Meegeleverde gebiedenkaart teruggezet (3 geüploade gebieden verwijderd)" in s.value for s in at.success)
    assert geo.stored_areas(store).empty and len(_table(at)) == 12
    store.engine.dispose()
