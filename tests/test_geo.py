"""The map's core: small-count suppression, families per wijk, area files (GeoJSON / CSV) and their storage."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy.exc import IntegrityError

from gezinsmonitor import geo, suppression
from gezinsmonitor.store import Store
from sample_data import generate as gen


# -- suppression ---------------------------------------------------------------------------
@pytest.mark.parametrize("n, shown", [(0, "0"), (1, "<10"), (5, "<10"), (9, "<10"), (10, "10"), (11, "11"),
                                      (1234, "1.234"), (None, "–"), (float("nan"), "–")])
def test_suppress_default_threshold(n, shown):
    assert suppression.suppress(n, 10) == shown


def test_suppress_other_threshold_and_series():
    assert [suppression.suppress(n, 5) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]
    assert [suppression.is_suppressed(n, 5) for n in (0, 1, 4, 5, None)] == [False, True, True, False, False]
    frame = pd.DataFrame({"wijk": ["a", "b", "c"], "n": [0, 3, 12]})
    out = suppression.suppress_frame(frame, ["n"], 10)
    assert out["n"].tolist() == ["0", "<10", "12"] and frame["n"].tolist() == [0, 3, 12]  # a copy


def test_threshold_is_configurable(monkeypatch, tmp_path):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.delenv(suppression.ENV_K, raising=False)
    assert suppression.threshold(secrets) == 10  # no env, no secrets: the default
    secrets.write_text(f"{suppression.ENV_K} = 5\n")
    assert suppression.threshold(secrets) == 5
    monkeypatch.setenv(suppression.ENV_K, "20")
    assert suppression.threshold(secrets) == 20  # the environment wins
    assert suppression.suppress(15) == "<20" and suppression.label() == "<20"
    for bad in ("tien", "1", "0"):
        monkeypatch.setenv(suppression.ENV_K, bad)
        assert suppression.threshold(secrets) == 10


# -- families per wijk ---------------------------------------------------------------------
def _families(rows: list[tuple[str, str | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["family", "wijk", "organisation"])


def test_families_per_wijk_hand_computed():
    rows = ([(f"a:{i}", "Noord", "A") for i in range(9)]
            + [("a:9", "noord", "A"), ("a:10", " NOORD ", "A"), ("a:11", "Noord", "A"), ("a:11", "Noord", "A")]
            + [(f"b:{i}", "Zuid", "B") for i in range(3)]
            + [("b:3", None, "B"), ("b:4", None, "B"), ("b:5", "  ", "B")]
            + [(f"c:{i}", "Westpunt", "C") for i in range(4)]
            + [(f"c:{i + 4}", "Centrum", "C") for i in range(11)])
    table = geo.families_per_wijk(_families(rows), ["Noord", "Zuid", "Oost"], k=10)
    # Noord: 9 + noord + NOORD + a:11 once (its duplicate row is one family) = 12 → shown.
    # Zuid 3 → <10; Oost 0 stays 0; no wijk: two missing + one blank = 3 → <10;
    # not on the map: Westpunt 4 + Centrum 11 = 15 → shown. n = 12 + 3 + 0 + 3 + 15 = 33.
    assert table[["area", "row", "families", "shown", "suppressed"]].values.tolist() == [
        ["Noord", "wijk", 12, "12", False],
        ["Zuid", "wijk", 3, "<10", True],
        ["Oost", "wijk", 0, "0", False],
        [geo.NO_WIJK_LABEL, geo.ROW_NONE, 3, "<10", True],
        [geo.UNKNOWN_LABEL, geo.ROW_UNKNOWN, 15, "15", False],
    ]
    assert table.attrs["n"] == 33 and table["families"].sum() == 33  # nothing disappears
    assert table.attrs["unknown_names"] == ["Centrum", "Westpunt"]


def test_order_of_rows_does_not_rank_suppressed_cells():
    # Alfa 2 and Bravo 8 are both "<10": by name, whatever their counts; shown counts first, zeros last.
    for alfa, bravo in ((2, 8), (8, 2)):
        rows = ([(f"a{i}", "Alfa", "A") for i in range(alfa)] + [(f"b{i}", "Bravo", "A") for i in range(bravo)]
                + [(f"c{i}", "Charlie", "A") for i in range(10)])
        table = geo.families_per_wijk(_families(rows), ["Delta", "Bravo", "Alfa", "Charlie"], k=10)
        assert table["area"].tolist()[:4] == ["Charlie", "Alfa", "Bravo", "Delta"]


def test_families_per_wijk_empty():
    table = geo.families_per_wijk(_families([]), ["Noord"], k=10)
    assert table["shown"].tolist() == ["0", "0", "0"] and table.attrs["n"] == 0


def test_organisation_points():
    areas = pd.DataFrame([
        {"kind": geo.KIND_ORG, "name": "Stichting A", "latitude": 51.9, "longitude": 4.4, "geometry": None},
        {"kind": geo.KIND_ORG, "name": "Elders", "latitude": 52.0, "longitude": 4.5, "geometry": None},
        {"kind": geo.KIND_WIJK, "name": "Stichting B", "latitude": 51.8, "longitude": 4.3, "geometry": None},
    ])
    rows = [(f"a{i}", "Noord", "stichting a") for i in range(12)] + [(f"b{i}", "Noord", "Stichting B") for i in range(4)]
    fam = _families(rows)
    fam.loc[fam["organisation"] == "stichting a", "organisation"] = "Stichting A"
    points = geo.organisation_points(areas, fam, k=10)
    # Only organisations in the data; B has a wijk of that name, not a location → missing.
    assert points[["name", "families", "shown"]].values.tolist() == [["Stichting A", 12, "12"]]
    assert points.attrs["missing"] == ["Stichting B"]
    few = geo.organisation_points(areas, fam[fam["organisation"] == "Stichting A"].head(4), k=10)
    assert few["shown"].tolist() == ["<10"]


# -- GeoJSON ------------------------------------------------------------------------------
def _square(lon: float, lat: float, size: float) -> list:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def _feature(props: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _fc(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_geojson_polygon_multipolygon_and_point():
    data = _fc(
        _feature({"naam": "Noord"}, {"type": "Polygon", "coordinates": _square(4.0, 52.0, 0.2)}),
        # Two parts: the label goes to the larger square (0.1 wide, centre 4.55/51.85), not the small one.
        _feature({"WK_NAAM": "Zuid"}, {"type": "MultiPolygon",
                                      "coordinates": [_square(4.0, 51.0, 0.02), _square(4.5, 51.8, 0.1)]}),
        _feature({"name": "Oost"}, {"type": "Point", "coordinates": [4.9, 52.3, 1.5]}),
        _feature({"naam": "Stichting X", "soort": "organisatie"}, {"type": "Point", "coordinates": [4.7, 52.1]}),
    )
    areas = geo.parse_geojson(data)
    assert [(a.kind, a.name) for a in areas] == [("wijk", "Noord"), ("wijk", "Zuid"), ("wijk", "Oost"),
                                                 ("organisatie", "Stichting X")]
    noord, zuid, oost, org = areas
    assert (noord.longitude, noord.latitude) == pytest.approx((4.1, 52.1))  # centroid of the square
    assert (zuid.longitude, zuid.latitude) == pytest.approx((4.55, 51.85))
    assert noord.geometry["type"] == "Polygon" and zuid.geometry["type"] == "MultiPolygon"
    assert (oost.longitude, oost.latitude, oost.geometry) == (4.9, 52.3, None)
    assert org.geometry is None


def test_geojson_open_ring_is_closed_and_label_point_used():
    ring = [[4.0, 52.0], [4.2, 52.0], [4.2, 52.2], [4.0, 52.2]]  # not closed
    area, = geo.parse_geojson(_fc(_feature({"naam": "Noord", "lat": "52,05", "lon": 4.15},
                                           {"type": "Polygon", "coordinates": [ring]})))
    assert area.geometry["coordinates"][0][-1] == [4.0, 52.0]
    assert (area.longitude, area.latitude) == (4.15, 52.05)


def _messages(parse, data) -> str:
    with pytest.raises(geo.AreaFileError) as err:
        parse(data)
    assert err.value.messages and all(isinstance(m, str) for m in err.value.messages)
    return "\n".join(err.value.messages)


@pytest.mark.parametrize("data, expected", [
    (b"dit is geen json", "geen geldige JSON (regel 1"),
    (b"\xff\xfe{", "geen geldige JSON"),
    (b'{"type": "Feature"', "geen geldige JSON"),
    (b"[1, 2, 3]", "verwacht een GeoJSON FeatureCollection"),
    (b'{"type": "FeatureCollection"}', "verwacht een GeoJSON FeatureCollection"),
    (b'{"type": "FeatureCollection", "features": []}', "de lijst 'features' is leeg"),
    (_fc(_feature({"naam": "Noord"}, None)), "Gebied 1 ('Noord'): coördinaten ontbreken"),
    (_fc(_feature({"naam": "Noord"}, {"type": "Polygon", "coordinates": []})), "coördinaten ontbreken"),
    (_fc(_feature({"naam": "Noord"}, {"type": "Point", "coordinates": ["4,1", "52,0"]})), "geen paar getallen"),
    (_fc(_feature({}, {"type": "Point", "coordinates": [4.1, 52.0]})), "Gebied 1: naam ontbreekt"),
    (_fc(_feature({"naam": "Noord"}, {"type": "Point", "coordinates": [4.1, 95.0]})), "valt buiten het bereik"),
    (_fc(_feature({"naam": "Noord"}, {"type": "Polygon", "coordinates": _square(200.0, 52.0, 1)})),
     "lengtegraad tussen -180 en 180"),
    (_fc(_feature({"naam": "Noord"}, {"type": "Polygon", "coordinates": _square(92000, 437000, 500)})),
     "Rijksdriehoek"),
    (_fc(_feature({"naam": "Noord"}, {"type": "LineString", "coordinates": [[4, 52], [4.1, 52]]})),
     "geometrie 'LineString' wordt niet ondersteund"),
    (_fc(_feature({"naam": "Noord"}, {"type": "Polygon", "coordinates": [[[4, 52], [4.1, 52], [4, 52]]]})),
     "minder dan drie verschillende punten"),
    (_fc(_feature({"naam": "Noord"}, {"type": "Point", "coordinates": [4.1, 52.0]}),
         _feature({"naam": "noord"}, {"type": "Point", "coordinates": [4.2, 52.0]})),
     "'noord' (wijk) komt meer dan één keer voor (gebied 1 en gebied 2)"),
    (_fc(_feature({"naam": "Noord", "soort": "stad"}, {"type": "Point", "coordinates": [4.1, 52.0]})),
     "soort 'stad' is onbekend"),
])
def test_broken_geojson_gives_a_dutch_message(data, expected):
    assert expected in _messages(geo.parse_geojson, data)


def test_geojson_in_rd_crs_is_refused():
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
           "features": [_feature({"naam": "Noord"}, {"type": "Point", "coordinates": [92000, 437000]})]}
    assert "EPSG:28992" in _messages(geo.parse_geojson, json.dumps(doc))


def test_many_errors_are_capped():
    features = [_feature({"naam": f"W{i}"}, None) for i in range(15)]
    with pytest.raises(geo.AreaFileError) as err:
        geo.parse_geojson(_fc(*features))
    assert len(err.value.messages) == geo.MAX_MESSAGES + 1 and "nog 5 andere fouten" in err.value.messages[-1]


# -- CSV ----------------------------------------------------------------------------------
def test_csv_semicolon_decimal_comma_and_bom():
    data = "\ufeffNaam;Breedtegraad;Lengtegraad\nNoord;51,93;4,49\nZuid ;51,88;4,48\n\n".encode()
    areas = geo.parse_csv(data)
    assert [(a.name, a.latitude, a.longitude, a.kind, a.geometry) for a in areas] == [
        ("Noord", 51.93, 4.49, "wijk", None), ("Zuid", 51.88, 4.48, "wijk", None)]


def test_csv_comma_separated_other_headers_and_kind():
    data = b'wijk,latitude,longitude,soort\nNoord,51.93,4.49,wijk\n"Stichting A","51,9","4,4",organisatie\n'
    areas = geo.parse_csv(data)
    assert [(a.kind, a.name, a.latitude, a.longitude) for a in areas] == [
        ("wijk", "Noord", 51.93, 4.49), ("organisatie", "Stichting A", 51.9, 4.4)]


def test_csv_windows_encoding():
    area, = geo.parse_csv("naam;lat;lon\nBoërenwijk;51,9;4,4\n".encode("cp1252"))
    assert area.name == "Boërenwijk"


@pytest.mark.parametrize("data, expected", [
    (b"", "Het bestand is leeg"),
    (b"naam;lat;lon\n", "alleen een kopregel"),
    (b"naam;hoogte\nNoord;3\n", "Kolom 'breedtegraad' ontbreekt"),
    (b"gebouw;lat;lon\nNoord;51,9;4,4\n", "Kolom 'naam' ontbreekt"),
    (b"naam;lat;lon\nNoord;51,9;oost\n", "Regel 2 ('Noord'): lengtegraad 'oost' is geen getal"),
    (b"naam;lat;lon\nNoord;;4,4\n", "Regel 2 ('Noord'): coördinaten ontbreken"),
    (b"naam;lat;lon\n;51,9;4,4\n", "Regel 2: naam ontbreekt"),
    (b"naam;lat;lon\nNoord;151,9;4,4\n", "valt buiten het bereik"),
    (b"naam;lat;lon\nNoord;437000;92000\n", "Rijksdriehoek"),
    (b"naam,lat,lon\nNoord,51,9,4,4\n", "Gebruikt u een decimale komma? Scheid de kolommen dan met ';'"),
    (b"naam;lat;lon\nNoord;51,9;4,4\nnoord;51,8;4,3\n", "komt meer dan één keer voor (regel 2 en regel 3)"),
    (b"naam;lat;lon\nNoord;nan;4,4\n", "geen eindig getal"),
])
def test_broken_csv_gives_a_dutch_message(data, expected):
    assert expected in _messages(geo.parse_csv, data)


def test_read_area_file_by_extension():
    assert geo.read_area_file("kaart.CSV", b"naam;lat;lon\nNoord;51,9;4,4\n")[0].name == "Noord"
    assert geo.read_area_file("x.json", _fc(_feature({"naam": "N"}, {"type": "Point", "coordinates": [4, 52]})))
    assert "wordt niet ondersteund" in _messages(lambda d: geo.read_area_file("kaart.xlsx", d), b"PK")


# -- the bundled table and storage ----------------------------------------------------------
def test_bundled_table_covers_the_sample_city():
    areas = geo.bundled_areas()
    wijken = {a.name for a in areas if a.kind == geo.KIND_WIJK}
    orgs = {a.name for a in areas if a.kind == geo.KIND_ORG}
    sample_wijken = {w for o in gen.ORGANISATIONS for w in o.wijken}
    assert wijken == sample_wijken == {"Carnisse", "Charlois", "Oude Noorden", "Delfshaven", "Middelland",
                                       "Katendrecht", "Nieuwe Westen", "Beverwaard", "Zevenkamp"}
    assert orgs == {o.name for o in gen.ORGANISATIONS}
    for a in areas:  # roughly Rotterdam, every wijk a polygon
        assert 51.85 < a.latitude < 51.99 and 4.40 < a.longitude < 4.60
        assert (a.geometry is not None) == (a.kind == geo.KIND_WIJK)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'store.db'}")


GOOD_GEOJSON = _fc(_feature({"naam": "Noord"}, {"type": "Polygon", "coordinates": _square(4.0, 52.0, 0.2)}),
                   _feature({"naam": "Zuid"}, {"type": "Point", "coordinates": [4.1, 51.9]}))


def test_bundled_set_is_used_until_an_upload(store):
    areas = geo.load_areas(store.engine)
    assert geo.stored_areas(store.engine).empty  # read directly, never copied into the store
    assert areas["bundled"].all() and (areas["source"] == geo.BUNDLED_SOURCE).all()
    assert (areas["kind"] == geo.KIND_WIJK).sum() == 9 and (areas["kind"] == geo.KIND_ORG).sum() == 6
    assert geo.describe_source(areas, geo.KIND_WIJK).startswith("voorbeeldstad")


def test_upload_replaces_only_the_kinds_it_contains_and_restore(store):
    counts = geo.upload_area_file(store.engine, "stad.geojson", GOOD_GEOJSON)
    assert counts == {"wijk": 2}
    areas = geo.load_areas(store.engine)
    wijken = areas[areas["kind"] == geo.KIND_WIJK]
    assert wijken["name"].tolist() == ["Noord", "Zuid"] and not wijken["bundled"].any()
    assert wijken["source"].tolist() == ["stad.geojson"] * 2
    assert wijken.iloc[0]["geometry"]["type"] == "Polygon" and wijken.iloc[1]["geometry"] is None
    assert areas.loc[areas["kind"] == geo.KIND_ORG, "bundled"].all()  # organisations still bundled
    assert geo.describe_source(areas, geo.KIND_WIJK).startswith("stad.geojson (geüpload ")

    geo.upload_area_file(store.engine, "orgs.csv", b"naam;soort;lat;lon\nStichting A;organisatie;51,9;4,4\n")
    areas = geo.load_areas(store.engine)
    assert areas.loc[areas["kind"] == geo.KIND_ORG, "name"].tolist() == ["Stichting A"]
    assert areas.loc[areas["kind"] == geo.KIND_WIJK, "name"].tolist() == ["Noord", "Zuid"]

    geo.upload_area_file(store.engine, "ander.csv", b"naam;lat;lon\nOost;51,9;4,4\n")  # replaces the wijken
    assert geo.stored_areas(store.engine)["name"].tolist() == ["Stichting A", "Oost"]

    assert geo.restore_bundled(store.engine) == 2
    assert geo.load_areas(store.engine)["bundled"].all()


@pytest.mark.parametrize("name, data", [
    ("kapot.geojson", b"geen json"),
    ("leeg.geojson", b'{"type": "FeatureCollection", "features": []}'),
    ("half.geojson", _fc(_feature({"naam": "Oost"}, {"type": "Point", "coordinates": [4.1, 52.0]}),
                         _feature({"naam": "West"}, None))),
    ("buiten.csv", b"naam;lat;lon\nOost;51,9;4,4\nWest;95;4,4\n"),
    ("kaart.xlsx", b"PK"),
])
def test_a_bad_file_stores_nothing(store, name, data):
    geo.upload_area_file(store.engine, "stad.geojson", GOOD_GEOJSON)
    before = geo.stored_areas(store.engine)
    with pytest.raises(geo.AreaFileError):
        geo.upload_area_file(store.engine, name, data)
    pd.testing.assert_frame_equal(geo.stored_areas(store.engine), before)


def test_replacement_is_one_transaction(store):
    geo.upload_area_file(store.engine, "stad.geojson", GOOD_GEOJSON)
    before = geo.stored_areas(store.engine)
    twice = [geo.Area("wijk", "Oost", 52.0, 4.0), geo.Area("wijk", "Oost", 52.1, 4.1)]  # violates (kind, name)
    with pytest.raises(IntegrityError):
        geo.replace_areas(store.engine, twice, source="dubbel.csv")
    pd.testing.assert_frame_equal(geo.stored_areas(store.engine), before)  # the delete was rolled back too
