"""Hulpvragen analysis: co-occurrence, breakdown by organisation and family background, Wilson columns,
and the chart specs (shared leefgebied selection, small-n marking). Hand-computed fixtures, no Streamlit."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components import charts
from gezinsmonitor import background, breakdown, cooccurrence, metrics

# Five families, two organisations. Counted requests (d's only request waits for review):
#   a (org X): Financiën, Wonen, Wonen     b (org X): Financiën, Sociaal
#   c (org Y): Wonen                       e (org Y): Financiën
#   d (org Y): Overig — te beoordelen, so d has no counted request.
# Families with a counted request: a, b, c, e → n = 4; counted requests: 3 + 2 + 1 + 1 = 7.
REQUESTS = pd.DataFrame({
    "family": ["a", "a", "a", "b", "b", "c", "e", "d"],
    "organisation": ["X", "X", "X", "X", "X", "Y", "Y", "Y"],
    "leefgebied": ["Financiën", "Wonen", "Wonen", "Financiën", "Sociaal", "Wonen", "Financiën", "Overig"],
    "categorie": [None, None, None, "Schulden", "Opvoeding", None, "Acute nood", None],
    "herkomst": ["registratieformat"] * 7 + ["te beoordelen"],
})
FAMILIES = pd.DataFrame({
    "family": ["a", "b", "c", "d", "e"],
    "composition": ["eenouder", "tweeouder", None, "eenouder", "eenouder"],
    "children": [2, 5, np.nan, 0, 3],
    "debts": ["ja", "onbekend", None, "nee", "ja"],
    "language": [None, None, None, None, None],
})

# Wilson 95% intervals worked out by hand (z = 1,96; centre = (p + z²/2n)/(1 + z²/n),
# half width = z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n)), in percent:
W_1_2 = (9.45, 90.55)    # 1 of 2: centre 0,5, half 0,4055
W_1_3 = (6.15, 79.23)    # 1 of 3: centre 0,4269, half 0,3654
W_1_4 = (4.56, 69.94)    # 1 of 4: centre 0,3725, half 0,3269
W_3_4 = (30.06, 95.44)   # 3 of 4: the mirror image of 1 of 4
W_3_7 = (15.82, 74.95)   # 3 of 7: centre 0,4539, half 0,2957
W_2_5 = (11.76, 76.93)   # 2 of 5: centre 0,4434, half 0,3258


def _row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = np.logical_and.reduce([frame[k] == v for k, v in where.items()])
    rows = frame[mask]
    assert len(rows) == 1, where
    return rows.iloc[0]


def _ci(row: pd.Series, prefix: str) -> tuple[float, float]:
    return row[f"{prefix}_lo"], row[f"{prefix}_hi"]


# -- metrics: Wilson columns -----------------------------------------------------------------
def test_needs_carry_wilson_columns():
    needs = metrics.needs(REQUESTS).set_index("leefgebied")
    fin = needs.loc["Financiën"]
    # 3 of the 4 families (a, b, e); 3 of the 7 requests.
    assert fin["families_pct"] == pytest.approx(75.0)
    assert _ci(fin, "families_pct") == pytest.approx(W_3_4, abs=0.05)
    assert fin["requests_pct"] == pytest.approx(300 / 7)
    assert _ci(fin, "requests_pct") == pytest.approx(W_3_7, abs=0.05)
    # Zero of four: lower bound 0, upper bound z²/(n + z²) = 3,8415/7,8415 = 49,0%.
    assert _ci(needs.loc["Gezondheid"], "families_pct") == pytest.approx((0.0, 48.99), abs=0.05)
    detail = metrics.needs_detail(REQUESTS)
    schulden = _row(detail, categorie="Schulden")  # b only: 1 of 4 families
    assert _ci(schulden, "families_pct") == pytest.approx(W_1_4, abs=0.05)


def test_requests_per_family_share_with_interval():
    dist = metrics.requests_per_family(REQUESTS, FAMILIES).set_index("aantal_hulpvragen")
    # a 3, b 2, c 1, d 0 (only a request to review), e 1 → one request: c and e = 2 of 5 families.
    assert dist.loc[1, "gezinnen"] == 2
    assert dist.loc[1, "pct"] == pytest.approx(40.0)
    assert (dist.loc[1, "pct_lo"], dist.loc[1, "pct_hi"]) == pytest.approx(W_2_5, abs=0.05)


def test_needs_without_requests_have_no_interval():
    empty = REQUESTS.iloc[:0]
    needs = metrics.needs(empty)
    assert needs["families_pct_lo"].isna().all() and needs["requests_pct_hi"].isna().all()


# -- co-occurrence ---------------------------------------------------------------------------
def test_cooccurrence_counts_diagonal_and_shares():
    co = cooccurrence.cooccurrence(REQUESTS)
    assert co.attrs["n_families"] == 4 and co.attrs["te_beoordelen"] == 1
    assert len(co) == 36  # 6 × 6 leefgebieden of the taxonomy, zeros included
    # Diagonal: families with that leefgebied (Financiën a, b, e; Wonen a, c; Sociaal b; Overig: d not counted).
    diagonal = co[co["leefgebied"] == co["samen_met"]].set_index("leefgebied")["families"]
    assert diagonal.to_dict() == {"Financiën": 3, "Gezondheid": 0, "Wonen": 2, "Sociaal": 1, "Participatie": 0,
                                  "Overig": 0}
    fin_wonen = _row(co, leefgebied="Financiën", samen_met="Wonen")  # only a
    assert fin_wonen["families"] == 1
    assert fin_wonen["families_pct"] == pytest.approx(25.0)  # 1 of 4 families with a request
    assert _ci(fin_wonen, "families_pct") == pytest.approx(W_1_4, abs=0.05)
    assert fin_wonen["conditional_pct"] == pytest.approx(100 / 3)  # 1 of the 3 families with Financiën
    assert _ci(fin_wonen, "conditional_pct") == pytest.approx(W_1_3, abs=0.05)
    wonen_fin = _row(co, leefgebied="Wonen", samen_met="Financiën")
    assert wonen_fin["families"] == 1 and wonen_fin["conditional_pct"] == pytest.approx(50.0)  # 1 of a, c
    assert _ci(wonen_fin, "conditional_pct") == pytest.approx(W_1_2, abs=0.05)
    assert _row(co, leefgebied="Wonen", samen_met="Sociaal")["families"] == 0  # nobody has both
    assert np.isnan(_row(co, leefgebied="Gezondheid", samen_met="Wonen")["conditional_pct"])  # base 0


def test_cooccurrence_is_symmetric_and_pairs_are_distinct():
    co = cooccurrence.cooccurrence(REQUESTS)
    matrix = co.pivot(index="leefgebied", columns="samen_met", values="families")
    assert (matrix.to_numpy() == matrix.T.to_numpy()).all()
    pairs = cooccurrence.pairs(co)
    assert len(pairs) == 15  # 6 × 5 / 2
    # Ties keep taxonomy order: Financiën–Wonen before Financiën–Sociaal (both 1 family).
    assert pairs[["leefgebied", "samen_met", "families"]].head(3).values.tolist() == [
        ["Financiën", "Wonen", 1], ["Financiën", "Sociaal", 1], ["Financiën", "Gezondheid", 0]]


def test_cooccurrence_of_nothing_is_empty_but_complete():
    co = cooccurrence.cooccurrence(REQUESTS[REQUESTS["herkomst"] == "te beoordelen"])
    assert co.attrs["n_families"] == 0 and (co["families"] == 0).all() and co["families_pct"].isna().all()


# -- breakdown by organisation ---------------------------------------------------------------
def test_needs_by_organisation_small_multiples_data():
    by_org = breakdown.needs_by_organisation(REQUESTS, min_n=20)
    assert by_org.attrs["groups"] == {"X": 2, "Y": 2}  # d (Y) has no counted request
    fin_y = _row(by_org, group="Y", leefgebied="Financiën")  # e of c, e
    assert (fin_y["families"], fin_y["n_families"]) == (1, 2)
    assert fin_y["families_pct"] == pytest.approx(50.0)
    assert _ci(fin_y, "families_pct") == pytest.approx(W_1_2, abs=0.05)
    wonen_x = _row(by_org, group="X", leefgebied="Wonen")  # a's two Wonen requests of X's five
    assert (wonen_x["requests"], wonen_x["n_requests"]) == (2, 5)
    assert wonen_x["requests_pct"] == pytest.approx(40.0)
    assert by_org["small"].all()  # 2 < 20
    assert not breakdown.needs_by_organisation(REQUESTS, min_n=2)["small"].any()
    assert len(by_org) == 2 * 6  # every leefgebied per organisation


# -- breakdown by family background ----------------------------------------------------------
def test_background_composition_groups_shares_and_counts():
    by = background.needs_by_background(REQUESTS, FAMILIES, "composition", min_n=20)
    # With a counted request: eenouder a, e; tweeouder b; onbekend c (empty field). d (eenouder) has none.
    assert by.attrs["groups"] == {"eenouder": 2, "tweeouder": 1, "onbekend": 1}
    assert by.attrs["group_sizes"] == {"eenouder": 3, "tweeouder": 1, "onbekend": 1}
    assert by.attrs["families"] == 5 and by.attrs["known"] == 4 and by.attrs["without_request"] == 1
    assert not by.attrs["empty"]
    wonen = _row(by, group="eenouder", leefgebied="Wonen")  # a of a, e
    assert wonen["families_pct"] == pytest.approx(50.0)
    assert _ci(wonen, "families_pct") == pytest.approx(W_1_2, abs=0.05)
    assert _row(by, group="eenouder", leefgebied="Financiën")["families_pct"] == pytest.approx(100.0)
    assert _row(by, group="onbekend", leefgebied="Financiën")["families_pct"] == pytest.approx(0.0)
    assert list(dict.fromkeys(by["group"])) == ["eenouder", "tweeouder", "onbekend"]


def test_background_children_buckets_and_debts_unknown():
    children = background.needs_by_background(REQUESTS, FAMILIES, "children")
    # a 2, b 5 → 4+, c empty → onbekend, e 3; d (0 children) has no counted request.
    assert children.attrs["groups"] == {"2": 1, "3": 1, "4+": 1, "onbekend": 1}
    assert children.attrs["group_sizes"] == {"0": 1, "2": 1, "3": 1, "4+": 1, "onbekend": 1}
    debts = background.needs_by_background(REQUESTS, FAMILIES, "debts")
    # 'onbekend' written (b) and empty (c) are one group; nee (d) has no request.
    assert debts.attrs["groups"] == {"ja": 2, "onbekend": 2}
    assert _row(debts, group="onbekend", leefgebied="Sociaal")["families_pct"] == pytest.approx(50.0)  # b of b, c


def test_background_entirely_empty_field_is_reported_not_dropped():
    language = background.needs_by_background(REQUESTS, FAMILIES, "language", min_n=20)
    assert language.attrs["empty"] and language.attrs["known"] == 0
    assert language.attrs["groups"] == {"onbekend": 4}  # still counted, as 'onbekend'
    assert language.attrs["label"] == "Beheersing Nederlandse taal"
    assert language.attrs["phrase"] == "beheersing Nederlandse taal"  # in a sentence, the capital stays
    no_column = background.needs_by_background(REQUESTS, FAMILIES.drop(columns="language"), "language")
    assert no_column.attrs["empty"]


# -- charts ----------------------------------------------------------------------------------
def _values(spec: dict) -> list[dict]:
    return spec["datasets"][spec["data"]["name"]]


def _param(spec: dict) -> dict:
    return next(p for p in spec["params"] if p["name"] == charts.NEEDS_SELECTION)


def _layers(spec: dict) -> list[dict]:
    return (spec.get("spec") or spec)["layer"]


def _mark(layer: dict) -> str:
    mark = layer["mark"]
    return mark["type"] if isinstance(mark, dict) else mark


def test_needs_bars_selection_whiskers_and_tooltip():
    spec = charts.needs_bars(metrics.needs(REQUESTS), "families_pct", focus="Wonen").to_dict()
    param = _param(spec)
    assert param["select"]["type"] == "point" and param["select"]["fields"] == ["leefgebied"]
    assert param["value"] == [{"leefgebied": "Wonen"}]  # the page's highlight is the initial selection
    bars = next(layer for layer in spec["layer"] if _mark(layer) == "bar")
    assert bars["encoding"]["opacity"]["condition"]["param"] == charts.NEEDS_SELECTION
    whiskers = next(layer for layer in spec["layer"] if _mark(layer) == "errorbar")
    assert whiskers["encoding"]["x"]["field"] == "families_pct_lo"
    assert whiskers["encoding"]["x2"]["field"] == "families_pct_hi"
    fin = next(r for r in _values(spec) if r["leefgebied"] == "Financiën")
    assert fin["families_pct_text"] == "75,0% (95%-BI 30,1–95,4%)"
    assert fin["n_families"] == 4 and fin["n_requests"] == 7
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"families", "n_families", "requests", "n_requests",
                                                                 "families_pct_text", "requests_pct_text"}
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "value" not in _param(charts.needs_bars(metrics.needs(REQUESTS)).to_dict())  # no highlight: all bright


def test_needs_detail_bars_follow_the_focus():
    spec = charts.needs_detail_bars(metrics.needs_detail(REQUESTS), "requests_pct", focus="Financiën").to_dict()
    assert _param(spec)["value"] == [{"leefgebied": "Financiën"}]
    bars = next(layer for layer in spec["layer"] if _mark(layer) == "bar")
    assert bars["encoding"]["opacity"]["condition"]["param"] == charts.NEEDS_SELECTION
    assert bars["encoding"]["opacity"]["value"] == charts.DIMMED
    assert next(layer for layer in spec["layer"] if _mark(layer) == "errorbar")["encoding"]["x"]["field"] == \
        "requests_pct_lo"


def test_org_multiples_facet_selection_and_small_n():
    by_org = breakdown.needs_by_organisation(REQUESTS, min_n=20)
    spec = charts.needs_org_multiples(by_org, "families_pct", focus="Sociaal", min_n=20).to_dict()
    assert spec["facet"]["field"] == "group_label"
    assert spec["facet"]["sort"] == ["X (n = 2 · n < 20)", "Y (n = 2 · n < 20)"]
    assert _param(spec)["value"] == [{"leefgebied": "Sociaal"}]
    bars = next(layer for layer in _layers(spec) if _mark(layer) == "bar")
    opacity = bars["encoding"]["opacity"]
    assert opacity["condition"]["param"] == charts.NEEDS_SELECTION
    assert opacity["condition"]["field"] == "base_opacity"  # small groups are pale even when selected
    rows = _values(spec)
    assert {r["base_opacity"] for r in rows} == {charts.SMALL_OPACITY}
    assert all("minder dan 20 gezinnen" in r["n_text"] for r in rows)
    big = charts.needs_org_multiples(breakdown.needs_by_organisation(REQUESTS, 2), "requests_pct", None, 2).to_dict()
    assert {r["base_opacity"] for r in _values(big)} == {1.0}
    assert spec["title"] == "Hulpvragen per organisatie — % van de gezinnen"
    assert big["title"] == "Hulpvragen per organisatie — % van de hulpvragen"


def test_background_bars_groups_with_n_and_unknown_grey():
    by = background.needs_by_background(REQUESTS, FAMILIES, "composition", min_n=2)
    spec = charts.background_bars(by, focus="Wonen", min_n=2).to_dict()
    assert spec["title"] == "Hulpvragen naar gezinssamenstelling — % van de gezinnen"
    bars = next(layer for layer in spec["layer"] if _mark(layer) == "bar")
    scale = bars["encoding"]["color"]["scale"]
    assert scale["domain"] == ["eenouder (n = 2)", "tweeouder (n = 1 · n < 2)", "onbekend (n = 1 · n < 2)"]
    assert scale["range"][-1] == charts.UNKNOWN_COLOR
    assert bars["encoding"]["yOffset"]["field"] == "group_label"
    assert bars["encoding"]["opacity"]["condition"]["param"] == charts.NEEDS_SELECTION
    assert _param(spec)["value"] == [{"leefgebied": "Wonen"}]
    rows = _values(spec)
    assert {r["group"]: r["base_opacity"] for r in rows} == {"eenouder": 1.0, "tweeouder": charts.SMALL_OPACITY,
                                                             "onbekend": charts.SMALL_OPACITY}
    wonen = next(r for r in rows if r["group"] == "eenouder" and r["leefgebied"] == "Wonen")
    assert wonen["pct_text"] == "50,0% (95%-BI 9,5–90,5%)" and wonen["count"] == 1 and wonen["n"] == 2


def test_cooccurrence_heatmap_cells_and_selection():
    spec = charts.cooccurrence_heatmap(cooccurrence.cooccurrence(REQUESTS), focus="Financiën").to_dict()
    assert _param(spec)["value"] == [{"leefgebied": "Financiën"}]
    cells = next(layer for layer in spec["layer"] if _mark(layer) == "rect")
    assert cells["encoding"]["opacity"]["condition"]["param"] == charts.NEEDS_SELECTION
    assert cells["encoding"]["color"]["field"] == "families_pct"
    text = next(layer for layer in spec["layer"] if _mark(layer) == "text")
    assert {"param": charts.NEEDS_SELECTION} in text["encoding"]["color"]["condition"]["test"]["and"]
    rows = {(r["leefgebied"], r["samen_met"]): r for r in _values(spec)}
    assert rows[("Financiën", "Wonen")]["cell"] == "1 · 25%"
    assert rows[("Financiën", "Financiën")]["diagonal"] and not rows[("Financiën", "Wonen")]["diagonal"]
    assert rows[("Financiën", "Wonen")]["conditional_text"] == "33,3% (95%-BI 6,1–79,2%) van 3 gezinnen met Financiën"
    assert spec["encoding"]["x"]["sort"][:3] == ["Financiën", "Gezondheid", "Wonen"]


@pytest.mark.parametrize("event, expected", [
    ({"selection": {charts.NEEDS_SELECTION: [{"leefgebied": "Wonen"}]}}, "Wonen"),
    ({"selection": {charts.NEEDS_SELECTION: []}}, None),
    ({"selection": {}}, None),
    (None, None),
    ({"selection": {charts.NEEDS_SELECTION: {"leefgebied": ["Sociaal"]}}}, "Sociaal"),
])
def test_selected_leefgebied_from_the_chart_event(event, expected):
    assert charts.selected_leefgebied(event) == expected


def test_tables_show_intervals_in_dutch():
    table = charts.needs_table(metrics.needs(REQUESTS)).set_index("Leefgebied")
    assert table.loc["Financiën", "95%-BI (gezinnen)"] == "30,1–95,4%"
    assert table.loc["Financiën", "95%-BI (hulpvragen)"] == "15,8–75,0%"  # 74,95 rounds up
    pairs = charts.cooccurrence_table(cooccurrence.pairs(cooccurrence.cooccurrence(REQUESTS)))
    first = pairs.iloc[0]
    assert (first["Leefgebied"], first["Samen met"], first["Gezinnen met beide"]) == ("Financiën", "Wonen", 1)
    assert first["% van de gezinnen (95%-BI)"] == "25,0% (95%-BI 4,6–69,9%)"
    by = background.needs_by_background(REQUESTS, FAMILIES, "debts")
    debts = charts.needs_group_table(by, "families_pct", "Schulden").set_index("Schulden")
    assert debts.loc["onbekend", "Gezinnen met een hulpvraag (n)"] == 2
    assert debts.loc["onbekend", "Sociaal"] == "50,0% (95%-BI 9,5–90,5%)"
