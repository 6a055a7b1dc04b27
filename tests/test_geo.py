"""The map's core: small-count suppression, families per wijk, area files (GeoJSON / CSV) and their storage."""
from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest
from sqlalchemy.exc import IntegrityError

from gezinsmonitor import disclosure, geo, suppression
from gezinsmonitor.store import Store
from sample_data import generate as gen


@pytest.fixture(autouse=True)
def stranger():
    """The counts here are suppressed as for a viewer who does not own the rows (a fonds); the owner's exact
    counts are tested in tests/test_suppression_duration.py."""
    with disclosure.audience(disclosure.Audience(frozenset(), 10)) as who:
        yield who


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


# -- complementary suppression --------------------------------------------------------------
def _protect(counts: dict[str, int], **kw) -> tuple[dict[str, str], str]:
    out = suppression.protect_partition(pd.Series(counts), k=10, **kw)
    return out["shown"].to_dict(), out.attrs["total_shown"]


def _ranges(counts: dict[str, int], **kw) -> dict[str, tuple[float, float]]:
    out = suppression.protect_partition(pd.Series(counts), k=10, **kw)
    bounds = suppression.partition_intervals(out["count"], out["status"], out.attrs["total"],
                                             out.attrs["total_status"], k=10)
    return {i: (b.lo, b.hi) for i, b in bounds.iterrows()}


def test_one_small_cell_gets_a_complementary_partner():
    # Without a partner: 49 - 12 - 30 - 0 = 7 recovers A. Partner: the smallest other nonzero cell, B 12
    # (D 0 is not a partner: a zero is no secret and hiding it protects nothing).
    # Reader: A + B = 49 - 30 = 19, A in 1..9, B in 10..30 (at most the smallest shown count, C) → A 1..9, B 10..18.
    counts = {"A": 7, "B": 12, "C": 30, "D": 0}
    assert _protect(counts) == ({"A": "<10", "B": "×", "C": "30", "D": "0"}, "49")
    assert _ranges(counts) == {"A": (1, 9), "B": (10, 18)}


def test_two_small_cells_need_no_partner():
    # The total gives their sum 117 - 50 - 60 = 7, not each: A in 7-6..6 = 1..6, B likewise. Standard practice.
    counts = {"A": 3, "B": 4, "C": 50, "D": 60}
    assert _protect(counts) == ({"A": "<10", "B": "<10", "C": "50", "D": "60"}, "117")
    assert _ranges(counts) == {"A": (1, 6), "B": (1, 6)}


@pytest.mark.parametrize("counts, partner_range", [
    # Sum 2 of two '<10' cells: both must be 1. With C hidden: A + B + C = 92 - 50 = 42, C in 10..50
    # → C 42-18..42-2 = 24..40, A 42-9-50..42-1-10 → 1..9.
    ({"A": 1, "B": 1, "C": 40, "D": 50}, (24, 40)),
    # Sum 18: both must be 9. With C: 58 → C 58-18..58-2 = 40..50 (capped by D), A 58-9-50..58-1-10 → 1..9.
    ({"A": 9, "B": 9, "C": 40, "D": 50}, (40, 50)),
])
def test_two_small_cells_pinned_by_their_bounds_get_a_partner(counts, partner_range):
    shown, total = _protect(counts)
    assert shown == {"A": "<10", "B": "<10", "C": "×", "D": "50"} and total == str(sum(counts.values()))
    assert _ranges(counts) == {"A": (1, 9), "B": (1, 9), "C": partner_range}


def test_a_small_cell_among_zeros_makes_the_total_small_too():
    # 7, 0, 0: the shown zeros and the total would give the 7 away, but the total 7 is itself below 10,
    # so it reads '<10' and the reader learns A = total, both 1..9: no more than '<10'.
    assert _protect({"A": 7, "B": 0, "C": 0}) == ({"A": "<10", "B": "0", "C": "0"}, "<10")
    assert _ranges({"A": 7, "B": 0, "C": 0}) == {"A": (1, 9)}


def test_equal_smallest_cells_are_hidden_together():
    # Hiding only the first 10 (B): the reader knows B <= the smallest shown count, C 10, and B >= 10,
    # so B = 10 and A = 77 - 50 - 10 - 10 = 7. So C goes too: A + B + C = 27, B, C 10..50 → A 1..7.
    counts = {"A": 7, "B": 10, "C": 10, "D": 50}
    assert _protect(counts) == ({"A": "<10", "B": "×", "C": "×", "D": "50"}, "77")
    assert _ranges(counts)["A"] == (1, 7)


def test_no_cell_left_to_hide_hides_the_total():
    # 1 and 10: with both hidden and total 11, A <= 11 - 10 = 1. Nothing else to hide: the total goes ('×', >= 10).
    assert _protect({"A": 1, "B": 10}) == ({"A": "<10", "B": "×"}, "×")
    # 9 and 9 with total 18: both 9. The total goes; then A, B 1..9 each.
    assert _protect({"A": 9, "B": 9}) == ({"A": "<10", "B": "<10"}, "×")
    # 1, 10, 30: B alone gives A <= 41 - 30 - 10 = 1; C too → A + B + C = 41, A 1..9 (the total stays).
    assert _protect({"A": 1, "B": 10, "C": 30}) == ({"A": "<10", "B": "×", "C": "×"}, "41")


def test_last_resort_hides_every_cell():
    # Nine cells of 1, total 9 ('<10'): nine cells of at least 1 adding up to at most 9 → each is 1.
    # Nothing shown is left to hide, so every cell becomes '×' (zeros too).
    out = suppression.protect_partition(pd.Series([1] * 9 + [0]), k=10)
    assert out["shown"].tolist() == ["×"] * 10 and out.attrs["total_shown"] == "<10" and out.attrs["all_hidden"]
    assert not suppression.protect_partition(pd.Series([1] * 8), k=10).attrs["all_hidden"]  # 8 of 1: 1..2 each


def test_nothing_small_nothing_hidden_and_empty():
    assert _protect({"A": 25, "B": 30, "C": 0}) == ({"A": "25", "B": "30", "C": "0"}, "55")
    assert _protect({"A": 0, "B": 0}) == ({"A": "0", "B": "0"}, "0")
    empty = suppression.protect_partition(pd.Series([], dtype=int), k=10)
    assert empty.empty and empty.attrs["total_shown"] == "0" and not empty.attrs["all_hidden"]


def test_min_range_asks_for_more_protection():
    # The sample city: Zevenkamp 7, Beverwaard 10 hidden; Katendrecht and Nieuwe Westen 11 shown.
    # Default: Z + B = 17, B 10..11 (at most 11) → Z 6..7: two values, not recoverable exactly.
    counts = {"Carnisse": 54, "Katendrecht": 11, "Nieuwe Westen": 11, "Beverwaard": 10, "Zevenkamp": 7}
    shown, _ = _protect(counts)
    assert [w for w, t in shown.items() if t != str(counts[w])] == ["Beverwaard", "Zevenkamp"]
    assert _ranges(counts)["Zevenkamp"] == (6, 7)
    # min_range 3: Katendrecht (first of the two 11s) too → Z + B + K = 28, B, K 10..11 → Z 28-22..28-20 = 6..8.
    assert _ranges(counts, min_range=3)["Zevenkamp"] == (6, 8)
    # min_range 9 (= k-1, nothing learnt beyond '<10'): both 11s → 39, partners 10..54 → Z 1..9.
    shown, total = _protect(counts, min_range=9)
    assert shown == {"Carnisse": "54", "Katendrecht": "×", "Nieuwe Westen": "×", "Beverwaard": "×",
                     "Zevenkamp": "<10"} and total == "93"
    assert _ranges(counts, min_range=9)["Zevenkamp"] == (1, 9)


def test_protect_partition_refuses_what_is_not_a_partition():
    with pytest.raises(ValueError, match="not a partition"):
        suppression.protect_partition(pd.Series([3, 12]), total=16, k=10)
    with pytest.raises(ValueError):
        suppression.protect_partition(pd.Series([3, -1]), k=10)
    with pytest.raises(ValueError):
        suppression.protect_partition(pd.Series([3, 12], index=["a", "a"]), k=10)
    with pytest.raises(ValueError, match="min_range"):
        suppression.protect_partition(pd.Series([3, 12]), k=10, min_range=10)
    assert suppression.protect_partition([3, 12], total=15, k=10)["shown"].tolist() == ["<10", "×"]


def _reader_values(texts: list[str], total_text: str, k: int, top: int) -> list[set[int]]:
    """Every value each cell can take for a reader who knows the rule, by enumeration (cells up to `top`)."""
    shown = [int(t) for t in texts if t not in ("×", f"<{k}")]
    cap = min([n for n in shown if n >= k], default=top)
    domains = [range(1, k) if t == f"<{k}" else range(k, cap + 1) if t == "×" else [int(t)] for t in texts]
    fits = {f"<{k}": lambda s: 0 < s < k, "×": lambda s: s >= k}.get(total_text, lambda s: s == int(total_text))
    seen = [set() for _ in texts]
    for values in itertools.product(*domains):
        if fits(sum(values)):
            for cell, v in zip(seen, values):
                cell.add(v)
    return seen


def test_no_small_cell_is_recoverable_exhaustively():
    # Every partition of three cells 0..9 with k = 4: each '<4' keeps at least two possible values for a
    # reader who enumerates everything consistent with the published texts and the rule.
    for counts in itertools.product(range(10), repeat=3):
        out = suppression.protect_partition(pd.Series(counts), k=4)
        if out.attrs["all_hidden"]:
            continue
        values = _reader_values(out["shown"].tolist(), out.attrs["total_shown"], 4, top=30)
        for n, text, possible in zip(counts, out["shown"], values):
            assert n in possible, (counts, out["shown"].tolist())  # the reader's model is true
            if text == "<4":
                assert len(possible) >= 2, (counts, out["shown"].tolist(), out.attrs["total_shown"])


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
    # Two '<10' cells: the total gives only their sum, 33 - 12 - 15 = 6, so no '×' is needed.
    assert table[["area", "row", "families", "status", "shown", "suppressed"]].values.tolist() == [
        ["Noord", "wijk", 12, "shown", "12", False],
        ["Zuid", "wijk", 3, "primary", "<10", True],
        ["Oost", "wijk", 0, "shown", "0", False],
        [geo.NO_WIJK_LABEL, geo.ROW_NONE, 3, "primary", "<10", True],
        [geo.UNKNOWN_LABEL, geo.ROW_UNKNOWN, 15, "shown", "15", False],
    ]
    assert table.attrs["n"] == 33 and table["families"].sum() == 33  # nothing disappears
    assert table.attrs["total_shown"] == "33" and table.attrs["total_status"] == "shown"
    assert table.attrs["unknown_names"] == []  # other organisations' free text is not named to a non-owner
    with disclosure.audience(disclosure.OWNER):
        assert geo.families_per_wijk(_families(rows), ["Noord", "Zuid", "Oost"], k=10).attrs["unknown_names"] == [
            "Centrum", "Westpunt"]
    assert geo.off_map(table) == ({"gezinnen met een wijk die niet in de gebiedenkaart staat (niet op de kaart)": 15},
                                  ["<10 gezinnen zonder wijk"])


def test_families_per_wijk_complementary_partner_can_be_an_off_map_row():
    # Noord 30, Zuid 4, Oost 0, no wijk 11, unknown 0; n = 45. Zuid alone would be 45 - 30 - 11 = 4, so the
    # smallest other nonzero row is hidden too: 'Zonder wijk' 11 ('×'), though it is not on the map.
    rows = ([(f"n{i}", "Noord", "A") for i in range(30)] + [(f"z{i}", "Zuid", "A") for i in range(4)]
            + [(f"x{i}", None, "A") for i in range(11)])
    table = geo.families_per_wijk(_families(rows), ["Noord", "Zuid", "Oost"], k=10)
    assert table[["area", "status", "shown"]].values.tolist() == [
        ["Noord", "shown", "30"], ["Zuid", "primary", "<10"], ["Oost", "shown", "0"],
        [geo.NO_WIJK_LABEL, "secondary", "×"], [geo.UNKNOWN_LABEL, "shown", "0"]]
    assert table.attrs["total_shown"] == "45"
    assert geo.off_map(table) == ({}, ["× gezinnen zonder wijk"])


def test_order_of_rows_does_not_rank_suppressed_cells():
    # Alfa 2 and Bravo 8 are both "<10": by name, whatever their counts; shown counts first, zeros last.
    for alfa, bravo in ((2, 8), (8, 2)):
        rows = ([(f"a{i}", "Alfa", "A") for i in range(alfa)] + [(f"b{i}", "Bravo", "A") for i in range(bravo)]
                + [(f"c{i}", "Charlie", "A") for i in range(10)])
        table = geo.families_per_wijk(_families(rows), ["Delta", "Bravo", "Alfa", "Charlie"], k=10)
        assert table["area"].tolist()[:4] == ["Charlie", "Alfa", "Bravo", "Delta"]
    # A '×' row (Alfa 12, the smallest partner of Bravo 5) sits with the hidden rows by name, not by its
    # count among the shown ones: the position of a hidden row must not say anything about its count.
    rows = ([(f"a{i}", "Alfa", "A") for i in range(12)] + [(f"b{i}", "Bravo", "A") for i in range(5)]
            + [(f"c{i}", "Charlie", "A") for i in range(30)] + [(f"e{i}", "Echo", "A") for i in range(13)])
    table = geo.families_per_wijk(_families(rows), ["Echo", "Delta", "Charlie", "Bravo", "Alfa"], k=10)
    assert table[["area", "shown"]].values.tolist()[:5] == [
        ["Charlie", "30"], ["Echo", "13"], ["Alfa", "×"], ["Bravo", "<10"], ["Delta", "0"]]


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
    # Only organisations in the data; B has a wijk of that name, not a location → missing. B's 4 is '<10',
    # and A 12 is hidden as '×': otherwise n = 16 minus A's 12 gives B away, map or no map.
    assert points[["name", "families", "status", "shown"]].values.tolist() == [["Stichting A", 12, "secondary", "×"]]
    assert points.attrs["missing"] == ["Stichting B"]
    more = pd.concat([fam, _families([(f"e{i}", "Noord", "Elders") for i in range(20)])])
    # Elders 20, A 12, B 4: the partner is the smallest other, A; Elders stays shown.
    assert geo.organisation_points(areas, more, k=10)[["name", "shown"]].values.tolist() == [
        ["Elders", "20"], ["Stichting A", "×"]]
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
    areas = geo.load_areas(store)
    assert geo.stored_areas(store).empty  # read directly, never copied into the store
    assert areas["bundled"].all() and (areas["source"] == geo.BUNDLED_SOURCE).all()
    assert (areas["kind"] == geo.KIND_WIJK).sum() == 9 and (areas["kind"] == geo.KIND_ORG).sum() == 6
    assert geo.describe_source(areas, geo.KIND_WIJK).startswith("voorbeeldstad")


def test_upload_replaces_only_the_kinds_it_contains_and_restore(store):
    counts = geo.upload_area_file(store, "stad.geojson", GOOD_GEOJSON)
    assert counts == {"wijk": 2}
    areas = geo.load_areas(store)
    wijken = areas[areas["kind"] == geo.KIND_WIJK]
    assert wijken["name"].tolist() == ["Noord", "Zuid"] and not wijken["bundled"].any()
    assert wijken["source"].tolist() == ["stad.geojson"] * 2
    assert wijken.iloc[0]["geometry"]["type"] == "Polygon" and wijken.iloc[1]["geometry"] is None
    assert areas.loc[areas["kind"] == geo.KIND_ORG, "bundled"].all()  # organisations still bundled
    assert geo.describe_source(areas, geo.KIND_WIJK).startswith("stad.geojson (geüpload ")

    geo.upload_area_file(store, "orgs.csv", b"naam;soort;lat;lon\nStichting A;organisatie;51,9;4,4\n")
    areas = geo.load_areas(store)
    assert areas.loc[areas["kind"] == geo.KIND_ORG, "name"].tolist() == ["Stichting A"]
    assert areas.loc[areas["kind"] == geo.KIND_WIJK, "name"].tolist() == ["Noord", "Zuid"]

    geo.upload_area_file(store, "ander.csv", b"naam;lat;lon\nOost;51,9;4,4\n")  # replaces the wijken
    assert geo.stored_areas(store)["name"].tolist() == ["Stichting A", "Oost"]

    assert geo.restore_bundled(store) == 2
    assert geo.load_areas(store)["bundled"].all()


@pytest.mark.parametrize("name, data", [
    ("kapot.geojson", b"geen json"),
    ("leeg.geojson", b'{"type": "FeatureCollection", "features": []}'),
    ("half.geojson", _fc(_feature({"naam": "Oost"}, {"type": "Point", "coordinates": [4.1, 52.0]}),
                         _feature({"naam": "West"}, None))),
    ("buiten.csv", b"naam;lat;lon\nOost;51,9;4,4\nWest;95;4,4\n"),
    ("kaart.xlsx", b"PK"),
])
def test_a_bad_file_stores_nothing(store, name, data):
    geo.upload_area_file(store, "stad.geojson", GOOD_GEOJSON)
    before = geo.stored_areas(store)
    with pytest.raises(geo.AreaFileError):
        geo.upload_area_file(store, name, data)
    pd.testing.assert_frame_equal(geo.stored_areas(store), before)


def test_replacement_is_one_transaction(store):
    geo.upload_area_file(store, "stad.geojson", GOOD_GEOJSON)
    before = geo.stored_areas(store)
    twice = [geo.Area("wijk", "Oost", 52.0, 4.0), geo.Area("wijk", "Oost", 52.1, 4.1)]  # violates (kind, name)
    with pytest.raises(IntegrityError):
        geo.replace_areas(store, twice, source="dubbel.csv")
    pd.testing.assert_frame_equal(geo.stored_areas(store), before)  # the delete was rolled back too
