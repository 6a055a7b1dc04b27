"""Small-cell suppression (issue 5, point 5) on the Hulpvragen, Overzicht and Organisaties figures.

Core: every protected function returns exactly its old result to an owner and hides counts 1..k-1 (with the
percentages and means derived from them) from a viewer who does not own the rows, with complementary suppression
where a hidden cell could be recovered from a shown total. Pages: a fonds on the six sample organisations sees no
table cell and no chart data row with a count from 1 to 9, sees '<10' where a group is hidden, and the beheerder
sees what everyone saw before."""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from gezinsmonitor import background, breakdown, cooccurrence, disclosure, metrics
from gezinsmonitor import organisations as og
from gezinsmonitor.disclosure import Audience
from gezinsmonitor.permissions import Principal
from tests import apptest as ui

K = 10
FONDS = Audience(frozenset(), K)
PEILDATUM = dt.date(2025, 6, 30)


def _requests(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    """One request per family: `counts[(organisation, leefgebied)]` families of that organisation with a request
    on that leefgebied, each family with only that one request."""
    rows = [{"family": f"{org}-{lg}-{i}", "organisation": org, "leefgebied": lg, "categorie": None,
             "herkomst": "registratieformat"}
            for (org, lg), n in counts.items() for i in range(n)]
    return pd.DataFrame(rows)


# Gezondheid has 5 families (< k): hidden. The requests per leefgebied add up to the shown n_requests, so with
# Gezondheid alone hidden it would be n − the rest: the smallest other row (Wonen, 20) is hidden too.
REQUESTS = _requests({("A", "Financiën"): 30, ("B", "Financiën"): 25, ("A", "Wonen"): 12, ("B", "Wonen"): 8,
                      ("A", "Gezondheid"): 5, ("B", "Sociaal"): 40})
# Four of A's Financiën families also ask for help on Sociaal: 4 families with 2 requests (a small bin).
REQUESTS = pd.concat([REQUESTS, REQUESTS[REQUESTS["leefgebied"] == "Financiën"].head(4).assign(leefgebied="Sociaal")],
                     ignore_index=True)
FAMILIES = REQUESTS[["family", "organisation"]].drop_duplicates("family").reset_index(drop=True)
FAMILIES = FAMILIES.assign(composition=np.where(FAMILIES.index % 2 == 0, "eenouder", "tweeouder"), children=2,
                           debts="ja", language="goed")


def _counts_ok(frame: pd.DataFrame, columns) -> None:
    """No count in `columns` from 1 to k-1: each is missing, 0 or at least k."""
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce").dropna()
        assert not ((values >= 1) & (values < K)).any(), (col, values.tolist())


def _hidden_consistent(frame: pd.DataFrame, counts, values) -> None:
    """A hidden row has every count and derived value missing; a shown row none of its counts."""
    hidden = frame[disclosure.HIDDEN]
    for col in (*counts, *values):
        if col in frame:
            assert frame.loc[hidden, col].isna().all(), col
    for col in counts:
        if col in frame:
            assert frame.loc[~hidden, col].notna().all(), col


# -- core --------------------------------------------------------------------------------------
CASES = {
    "needs": (lambda: metrics.needs(REQUESTS), ("families", "requests")),
    "needs_detail": (lambda: metrics.needs_detail(REQUESTS), ("families", "requests")),
    "requests_per_family": (lambda: metrics.requests_per_family(REQUESTS, FAMILIES), ("gezinnen",)),
    "needs_by_organisation": (lambda: breakdown.needs_by_organisation(REQUESTS, 20),
                              ("families", "requests", "n_families", "n_requests")),
    "needs_by_background": (lambda: background.needs_by_background(REQUESTS, FAMILIES, "composition", 20),
                            ("families", "requests", "n_families", "n_requests")),
    "cooccurrence": (lambda: cooccurrence.cooccurrence(REQUESTS), ("families", "base_families")),
    "needs_vs_others": (lambda: og.needs_vs_others(REQUESTS, "A"), ("families", "n")),
}


@pytest.mark.parametrize("name", CASES)
def test_owner_gets_the_exact_result_and_others_no_small_count(name):
    compute, counts = CASES[name]
    fn = {"needs": metrics.needs, "needs_detail": metrics.needs_detail,
          "requests_per_family": metrics.requests_per_family, "needs_by_organisation": breakdown.needs_by_organisation,
          "needs_by_background": background.needs_by_background, "cooccurrence": cooccurrence.cooccurrence,
          "needs_vs_others": og.needs_vs_others}[name]
    assert f"{fn.__module__}.{fn.__qualname__}" in disclosure.REGISTRY
    owner = compute()
    assert not disclosure.is_protected(owner)
    with disclosure.audience(Audience(None, K)):
        assert_frame_equal(compute(), owner)
    with disclosure.audience(FONDS):
        shown = compute()
    assert disclosure.is_protected(shown) and len(shown) == len(owner)
    _counts_ok(shown, counts)
    small = pd.Series(False, index=owner.index)
    for col in counts:
        n = pd.to_numeric(owner[col], errors="coerce")
        small |= (n >= 1) & (n < K)
    assert small.any(), "the fixture must have a small cell here"
    assert shown.loc[small, disclosure.HIDDEN].all()
    assert shown.attrs["suppressed"] == int(shown[disclosure.HIDDEN].sum()) > 0
    _hidden_consistent(shown, counts, [c for c in shown.columns if c.endswith(("_pct", "_lo", "_hi")) or c == "pct"])
    # What stays shown is exactly the owner's figure.
    kept = ~shown[disclosure.HIDDEN]
    assert_frame_equal(shown.loc[kept, owner.columns].reset_index(drop=True).astype(object),
                       owner.loc[kept].reset_index(drop=True).astype(object), check_dtype=False)


def test_needs_complementary_hides_the_smallest_other_row():
    with disclosure.audience(FONDS):
        needs = metrics.needs(REQUESTS).set_index("leefgebied")
    hidden = needs[disclosure.HIDDEN]
    assert hidden["Gezondheid"]  # 5 families: primary
    assert hidden["Wonen"]  # 20: else Gezondheid = 124 − 55 − 20 − 44
    assert not hidden["Financiën"] and not hidden["Sociaal"]
    assert needs.loc["Financiën", "families"] == 55 and np.isnan(needs.loc["Wonen", "families_pct"])
    # Without the complementary cell, Gezondheid could be recovered from the shown total.
    shown = needs.loc[~hidden, "requests"].sum() + needs.loc[hidden & (needs["requests"] == 0), "requests"].sum()
    assert needs.attrs["n_requests"] - shown != 5 or hidden.sum() >= 2


def test_needs_by_organisation_complementary_across_organisations():
    """B's Wonen (8) is hidden; A's Wonen (12) too, else 20 (needs' Wonen) − 12 gives it back."""
    with disclosure.audience(FONDS):
        by_org = breakdown.needs_by_organisation(REQUESTS, 20).set_index(["group", "leefgebied"])
    assert by_org.loc[("B", "Wonen"), disclosure.HIDDEN]
    assert by_org.loc[("A", "Wonen"), disclosure.HIDDEN]
    assert not by_org.loc[("A", "Financiën"), disclosure.HIDDEN]
    assert by_org.loc[("A", "Financiën"), "families"] == 30


def test_small_group_size_is_hidden_with_its_partner():
    """Organisation C has 3 families with a request: its size is hidden, and so is the smallest other size (the
    sizes add up to the shown n); every row of both groups is hidden."""
    requests = pd.concat([REQUESTS, _requests({("C", "Financiën"): 3})], ignore_index=True)
    with disclosure.audience(FONDS):
        by_org = breakdown.needs_by_organisation(requests, 20)
    groups = by_org.attrs["groups"]
    assert groups["C"] is None and sum(v is None for v in groups.values()) == 2
    hidden_groups = {g for g, v in groups.items() if v is None}
    assert by_org.loc[by_org["group"].isin(hidden_groups), disclosure.HIDDEN].all()


def test_organisation_owning_every_row_sees_everything():
    only_a = REQUESTS[REQUESTS["organisation"] == "A"]
    with disclosure.audience(Audience(frozenset({"A"}), K)):
        needs = metrics.needs(only_a)
        by_org = breakdown.needs_by_organisation(only_a, 20)
        over = metrics.overview(FAMILIES[FAMILIES["organisation"] == "A"], _trajectories("A"), only_a,
                                pd.DataFrame(columns=["organisation", "uploaded_at", "file_name"]))
    assert not disclosure.is_protected(needs) and not disclosure.is_protected(by_org)
    assert not disclosure.is_protected(over)
    assert needs.set_index("leefgebied").loc["Gezondheid", "families"] == 5  # own rows: no suppression
    # The same organisation looking at both organisations' rows gets the protected figure.
    with disclosure.audience(Audience(frozenset({"A"}), K)):
        assert metrics.needs(REQUESTS).set_index("leefgebied").loc["Gezondheid", disclosure.HIDDEN]


def _trajectories(*orgs: str) -> pd.DataFrame:
    fam = FAMILIES[FAMILIES["organisation"].isin(orgs)]
    # A's families: 7 still running, the rest ended; B's: all ended.
    running = fam.groupby("organisation").cumcount() < np.where(fam["organisation"] == "A", 7, 0)
    return pd.DataFrame({
        "family": fam["family"], "organisation": fam["organisation"],
        "status": np.where(running, "lopend", "afgerond"),
        "start_date": pd.Timestamp("2024-01-15"),
        "end_date": np.where(running, pd.NaT, pd.Timestamp("2025-01-20")),
    })


def test_overview_hides_per_block_and_keeps_the_total():
    trajectories = _trajectories("A", "B")
    batches = pd.DataFrame({"organisation": ["A", "B"], "uploaded_at": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                            "file_name": ["a.xlsx", "b.xlsx"]})
    owner = metrics.overview(FAMILIES, trajectories, REQUESTS, batches)
    with disclosure.audience(FONDS):
        shown = metrics.overview(FAMILIES, trajectories, REQUESTS, batches)
    owner, shown = owner.set_index("organisatie"), shown.set_index("organisatie")
    assert owner.loc["A", "lopend"] == 7  # small: A's lopend/afgerond block is hidden …
    assert np.isnan(shown.loc["A", "lopend"]) and np.isnan(shown.loc["A", "afgerond"])
    # … and so is the total's (7 lopend in all): with the total hidden, B's 0 and 73 give nothing away.
    assert np.isnan(shown.loc["Totaal", "lopend"]) and shown.loc["B", "afgerond"] == 73
    assert shown.loc["A", "gezinnen"] == owner.loc["A", "gezinnen"]  # families: another block, shown
    assert shown.loc["Totaal", "gezinnen"] == owner.loc["Totaal", "gezinnen"]
    assert shown.loc["A", disclosure.HIDDEN] and not shown.loc["B", disclosure.HIDDEN]
    # With a large total, the complementary rule hides B's split as well: 12 lopend at B next to A's 7.
    more = trajectories.assign(status=np.where(trajectories["organisation"].eq("B")
                                               & (trajectories.groupby("organisation").cumcount() < 12),
                                               "lopend", trajectories["status"]))
    with disclosure.audience(FONDS):
        both = metrics.overview(FAMILIES, more, REQUESTS, batches).set_index("organisatie")
    assert both.loc["Totaal", "lopend"] == 19 and np.isnan(both.loc["A", "lopend"])
    assert np.isnan(both.loc["B", "lopend"]) and np.isnan(both.loc["B", "afgerond"])
    assert "_with_requests" not in shown


def test_comparison_table_and_profile_protected():
    trajectories = _trajectories("A", "B")
    hours = pd.DataFrame({"family": pd.Series(dtype=object), "organisation": pd.Series(dtype=object),
                          "support_type": pd.Series(dtype=object), "moment": pd.Series(dtype=object),
                          "measured_on": pd.Series(dtype="datetime64[ns]"), "hours_per_week": pd.Series(dtype=float),
                          "minutes": pd.Series(dtype=float), "not_applicable": pd.Series(dtype=bool)})
    args = (FAMILIES, trajectories, REQUESTS, hours, PEILDATUM)
    owner = og.comparison_table(*args)
    with disclosure.audience(FONDS):
        shown = og.comparison_table(*args).set_index("organisation")
        km = og.duration_vs_others(trajectories, "A", PEILDATUM)
    assert np.isnan(shown.loc["A", "lopend"]) and np.isnan(shown.loc["A", "trajectories"])
    assert shown.loc["A", "intensive"] == owner.set_index("organisation").loc["A", "intensive"]
    for col in ("intensive", "trajectories", "lopend", "afgerond", "km_n", "km_afgerond", "requests",
                "families_with_requests"):
        _counts_ok(shown, [col])
    # Kaplan–Meier steps are per trajectory: no curve for a viewer who owns neither group.
    assert km.empty and km.attrs["rows_withheld"] > 0
    assert all(v["km_n"] is None or v["km_n"] >= K for v in km.attrs["summary"].values())


def test_pairs_keep_the_protection():
    with disclosure.audience(FONDS):
        co = cooccurrence.cooccurrence(REQUESTS)
    pairs = cooccurrence.pairs(co)
    assert disclosure.is_protected(pairs)
    assert pairs.attrs["suppressed"] == int(pairs[disclosure.HIDDEN].sum())
    _counts_ok(pairs, ["families", "base_families"])


# -- pages -------------------------------------------------------------------------------------
SMALL = re.compile(r"^[1-9]$")
COUNT_FIELDS = {"families", "requests", "gezinnen", "count", "n", "km_n", "km_afgerond", "n_families",
                "n_requests", "base_families", "lopend", "afgerond", "aantal"}
COUNT_COLUMNS = re.compile(r"gezinnen|hulpvragen \(n\)|^hulpvragen$|^lopend$|^afgerond$|intensief|gezinnen met",
                           re.IGNORECASE)


def _open(monkeypatch, url, page, principal=None):
    at = ui.app_test(monkeypatch, url)
    if principal is not None:
        at.session_state["gm_principal"] = principal
    at.run()
    ui.assert_ok(at)
    return ui.open_page(at, page)


def _small(value) -> bool:
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return value == value and 1 <= value < K and float(value).is_integer()
    return isinstance(value, str) and bool(SMALL.match(value.strip()))


def _tables(at):
    return [df.value for df in at.dataframe]


def _assert_no_small_counts(at) -> None:
    checked = 0
    for table in _tables(at):
        for col in table.columns:
            if COUNT_COLUMNS.search(str(col)):
                bad = [v for v in table[col] if _small(v)]
                assert not bad, (col, bad)
                checked += len(table)
    for chart in at.get("vega_lite_chart"):
        import json
        title = json.loads(chart.proto.spec).get("title")
        for row in ui.chart_rows(at, title):
            bad = {f: v for f, v in row.items() if f in COUNT_FIELDS and _small(v)}
            assert not bad, (title, bad)
            checked += sum(f in COUNT_FIELDS for f in row)
    assert checked, "no count cell was found to check: renamed columns or an empty page"
    ui.assert_browser_json(at)


def _cells(at) -> list[str]:
    return [str(v) for table in _tables(at) for col in table.columns for v in table[col]]


PAGES = ("pages/overzicht.py", "pages/hulpvragen.py", "pages/organisaties.py")


@pytest.mark.parametrize("page", PAGES)
def test_fonds_sees_no_small_count(monkeypatch, samples_db, page):
    at = _open(monkeypatch, samples_db, page, Principal("f", "fonds"))
    _assert_no_small_counts(at)
    assert "<10" in _cells(at), "the samples have small groups: some cell must say so"
    hows = [e.markdown[0].value for e in at.expander if e.label == "Hoe berekend?" and e.markdown]
    assert any("groepen verborgen" in h for h in hows)


def test_fonds_overzicht_key_figures_and_hidden_split(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db, "pages/overzicht.py", Principal("f", "fonds"))
    demo = _open(monkeypatch, samples_db, "pages/overzicht.py")
    # The totals are large (213 families): shown as for the beheerder.
    assert ui.metrics(at)["Gezinnen"] == ui.metrics(demo)["Gezinnen"]
    table = ui.table(at, "organisatie", "lopend").set_index("organisatie")
    # Buurtkracht Noord has 6 afgerond: its split reads '<10', its 24 families stay.
    assert table.loc["Buurtkracht Noord", "afgerond"] == "<10" and table.loc["Buurtkracht Noord", "lopend"] == "<10"
    assert table.loc["Buurtkracht Noord", "gezinnen"] == 24
    rows = ui.chart_rows(at, "Gezinnen per organisatie")
    assert any(r["status"] == "lopend/afgerond verborgen" and r["organisatie"] == "Buurtkracht Noord" for r in rows)
    assert not any(r["status"] == "afgerond" and r["organisatie"] == "Buurtkracht Noord" for r in rows)


def test_fonds_hulpvragen_marks(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db, "pages/hulpvragen.py", Principal("f", "fonds"))
    detail = ui.table(at, "Leefgebied", "Categorie", "Gezinnen").set_index(["Leefgebied", "Categorie"])
    assert detail.loc[("Gezondheid", "Verslaving"), "Gezinnen"] == "<10"
    per_org = [r for r in ui.chart_rows(at, "Hulpvragen per organisatie — % van de gezinnen")]
    hidden = [r for r in per_org if r[disclosure.HIDDEN]]
    assert hidden and all(r["count"] == "×" and r["hidden_label"] == "×" for r in hidden)  # hidden, size not claimed
    assert all(r["families_pct"] != r["families_pct"] for r in hidden)  # no bar (NaN is dropped by Vega)


def test_fonds_organisaties_profile_and_names(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db, "pages/organisaties.py", Principal("f", "fonds"))
    at.selectbox(key="org_profile").set_value("Buurtkracht Noord").run()
    ui.assert_ok(at)
    m = ui.metrics(at)
    assert m["Lopend / afgerond"] == "× / ×" and m["Mediane duur (maanden)"] == "×"  # a median is no small count
    assert any("alleen zichtbaar voor de eigen organisatie" in i.value for i in at.info)
    _assert_no_small_counts(at)
    at.toggle(key="org_anon").set_value(True).run()
    ui.assert_ok(at)
    table = ui.table(at, "Mediane duur in maanden (95%-BI)")
    assert all(o.startswith("Organisatie ") or o == "Totaal" for o in table["Organisatie"])
    _assert_no_small_counts(at)


@pytest.mark.parametrize("page", PAGES)
def test_beheerder_view_unchanged(monkeypatch, samples_db, page):
    demo = _open(monkeypatch, samples_db, page)
    admin = _open(monkeypatch, samples_db, page, Principal("b", "beheerder"))
    assert "<10" not in _cells(admin)
    assert _tables(admin) and len(_tables(admin)) == len(_tables(demo))
    for a, d in zip(_tables(admin), _tables(demo)):
        assert_frame_equal(a, d)
    assert [r for r in ui.chart_specs(admin)] == [r for r in ui.chart_specs(demo)]
