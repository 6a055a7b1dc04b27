"""Small-cell suppression on Trajectduur and Kaart (issue 5, point 5): every protected function under an owner and
a non-owner audience, recovery through totals, an organisatie on its own rows, and both pages through AppTest as a
fonds (nothing 1..9 shown, no single duration in the chart data) and as the beheerder (exact, as before)."""
from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pytest

from components import charts, maps
from gezinsmonitor import caseload, disclosure, endings, geo, metrics, suppression, survival
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.permissions import Principal
from tests import apptest as ui

K = 10
STRANGER = disclosure.Audience(frozenset(), K)  # a fonds or leerkring: owns no rows
PEIL = dt.date(2026, 10, 31)
DURATION_PAGE, MAP_PAGE = "pages/trajectduur.py", "pages/kaart.py"
TIME_FIELDS = {"months", "time", "month", "month_end", "middle"}  # where a chart carries a duration


def _small(v) -> bool:
    return v is not None and v == v and not isinstance(v, bool) and 1 <= float(v) < K


def _reader_ranges(cells: list[int], hidden: list[bool], total: int) -> dict[int, tuple[float, float]]:
    """What a reader can deduce about each hidden small cell of one column that adds up to a shown `total`:
    a hidden small cell lies in 1..k-1, any other hidden cell in 0..∞ (stronger than the reader who sees '<10'
    everywhere: it knows which hidden cell is the small one)."""
    rest = total - sum(c for c, h in zip(cells, hidden) if not h)
    bounds = {i: (1, K - 1) if _small(c) else (0, np.inf) for i, (c, h) in enumerate(zip(cells, hidden)) if h}
    out = {}
    for i, (lo_i, hi_i) in bounds.items():
        if not _small(cells[i]):
            continue
        others_lo = sum(b[0] for j, b in bounds.items() if j != i)
        others_hi = sum(b[1] for j, b in bounds.items() if j != i)
        out[i] = (max(lo_i, rest - others_hi), min(hi_i, rest - others_lo))
    return out


def _assert_unrecoverable(cells, hidden, total) -> int:
    ranges = _reader_ranges([int(c) for c in cells], [bool(h) for h in hidden], int(total))
    for i, (lo, hi) in ranges.items():
        assert hi - lo >= 1, (i, lo, hi, list(cells), list(hidden), total)
    return len(ranges)


@pytest.fixture(scope="module")
def six(samples):
    """The six sample organisations' trajectories and families (as the pages load them)."""
    return samples


@pytest.fixture
def durations(six):
    return metrics.trajectory_durations(six.trajectories, PEIL)


def _stranger(fn, *args, **kwargs):
    with disclosure.audience(STRANGER):
        return fn(*args, **kwargs)


# -- registry ---------------------------------------------------------------------------------
def test_every_function_of_the_pages_is_registered():
    names = {"metrics.trajectory_durations", "metrics.duration_table", "metrics.tabulate_durations",
             "metrics.duration_bins", "survival.km_by_group", "survival.median_table", "caseload.monthly_caseload",
             "endings.ending_reasons", "endings.end_date_completeness", "endings.funnel_rates",
             "geo.families_per_wijk", "geo.organisation_points"}
    assert {f"gezinsmonitor.{n}" for n in names} <= set(disclosure.REGISTRY)


# -- duration classes -------------------------------------------------------------------------
def test_duration_table_owner_exact_stranger_protected(durations):
    owner = metrics.tabulate_durations(durations)
    assert disclosure.HIDDEN not in owner and owner["completed"].dtype.kind == "i"
    # The samples: 24-36 has 7 afgerond; alone it would be 69 (all afgerond) minus the shown classes.
    assert owner.set_index("months").loc["24-36", "completed"] == 7
    table = _stranger(metrics.tabulate_durations, durations)
    hidden = table[disclosure.HIDDEN].to_numpy()
    assert hidden[list(table["months"]).index("24-36")]
    assert hidden.sum() >= 2  # a partner: one hidden class would be recoverable from the column totals
    for col in ("completed", "ongoing"):
        shown = table.loc[~hidden, col]
        assert not shown.map(_small).any() and table.loc[hidden, col].isna().all()
    checked = 0
    for col in ("completed", "ongoing"):
        checked += _assert_unrecoverable(owner[col], hidden, owner[col].sum())
    checked += _assert_unrecoverable(owner["completed"] + owner["ongoing"], hidden, len(durations))
    assert checked >= 1
    assert table.attrs["totals"] == {"completed": 69, "ongoing": 144, "total": 213}
    nl = charts.duration_table_nl(table).set_index("Maanden")
    assert nl.loc["24-36"].tolist() == [suppression.HIDDEN_MARK] * 3 and nl.loc["Totaal"].tolist() == ["69", "144", "213"]
    # duration_table protects once: the same table.
    same = _stranger(metrics.duration_table, _trajectories(durations), PEIL)
    pd.testing.assert_frame_equal(same.reset_index(drop=True), table.reset_index(drop=True), check_dtype=False)


def _trajectories(durations: pd.DataFrame) -> pd.DataFrame:
    return durations[["start_date", "end_date", "status", "organisation", "family"]]


def test_small_column_total_hides_both_split_totals():
    rows = [("O", f"f{i}", "2020-01-01", "2020-03-01" if i < 3 else None, "afgerond" if i < 3 else "lopend")
            for i in range(30)]
    tr = pd.DataFrame(rows, columns=["organisation", "family", "start_date", "end_date", "status"])
    tr[["start_date", "end_date"]] = tr[["start_date", "end_date"]].apply(pd.to_datetime)
    table = _stranger(metrics.duration_table, tr, dt.date(2021, 6, 30))
    # 3 afgerond in all: afgerond and lopend would give each other back through n = 30, so both go.
    assert table.attrs["totals"] == {"completed": None, "ongoing": None, "total": 30}
    assert charts.duration_table_nl(table).iloc[-1].tolist() == ["Totaal", "×", "×", "30"]


# -- histogram ----------------------------------------------------------------------------------
def test_duration_bins_owner_exact_and_stranger_binned_and_protected(durations):
    owner = metrics.duration_bins(durations)
    assert owner.attrs["step"] == 1 and disclosure.HIDDEN not in owner
    assert owner["trajectories"].sum() == durations["excluded"].isna().sum()
    bins = _stranger(metrics.duration_bins, durations)
    assert bins.attrs["step"] == metrics.STRANGER_BIN_MONTHS
    assert set(bins.columns) == {*metrics.BIN_COLUMNS, disclosure.HIDDEN}  # counts per bin, no duration per row
    hidden = bins[disclosure.HIDDEN].to_numpy()
    assert not bins.loc[~hidden, "trajectories"].map(_small).any()
    exact = metrics.duration_bins(durations, step=metrics.STRANGER_BIN_MONTHS)
    classes = _stranger(metrics.tabulate_durations, durations).set_index("months")
    owner_classes = metrics.tabulate_durations(durations).set_index("months")
    checked = 0
    for (bucket, status), rows in exact.groupby(["bucket", "status"]).groups.items():
        if classes.loc[bucket, disclosure.HIDDEN]:
            assert hidden[exact.index.get_indexer(rows)].all()  # the class cell is hidden: so are its bins
            continue
        cell = owner_classes.loc[bucket, "completed" if status == tx.STATUS_AFGEROND else "ongoing"]
        checked += _assert_unrecoverable(exact.loc[rows, "trajectories"], hidden[exact.index.get_indexer(rows)], cell)
    assert checked >= 1
    spec = charts.duration_histogram(bins).to_dict()
    text = json.dumps(spec)
    assert "nan" not in text.lower().replace("nan\"", "")
    rows = [r for d in spec["datasets"].values() for r in d]
    assert any(r.get("label") == suppression.HIDDEN_MARK for r in rows) and all(r.get("aantal") != "nan" for r in rows)


# -- Kaplan–Meier ------------------------------------------------------------------------------
def test_median_table_and_curves_hide_small_groups(durations):
    owner = survival.median_table(durations)
    assert disclosure.HIDDEN not in owner and len(owner) == 7
    medians = _stranger(survival.median_table, durations)
    hidden = medians[disclosure.HIDDEN].to_numpy()
    counts = list(survival.MEDIAN_COUNTS)
    for row, hid in zip(owner.itertuples(index=False), hidden):
        if any(_small(getattr(row, c)) for c in counts):
            assert hid, row.group
    assert not medians.loc[~hidden, counts].map(_small).any().any()
    groups = ~owner["is_overall"].to_numpy()
    for col in counts:
        _assert_unrecoverable(owner.loc[groups, col], hidden[groups], owner.loc[~groups, col].iloc[0])
    shown = set(medians.loc[~hidden & groups, "group"])
    km = _stranger(survival.km_by_group, durations)
    assert set(km.loc[~km["is_overall"], "group"]) == shown
    assert km["at_risk"].isna().all() and km["events"].isna().all()
    assert (km["time"] == km["time"].round()).all()  # whole months only
    kept = survival.km_input(durations)
    for name, curve in km.groupby("group"):
        part = kept if curve["is_overall"].iloc[0] else kept[kept["organisation"] == name]
        times = curve["time"].tolist()
        assert int(curve["families"].iloc[0]) >= K
        for a, b in zip(times, times[1:]):  # every step down is at least k trajectories ending
            ended = part["observed"] & (part["months"] > a) & (part["months"] <= b)
            assert ended.sum() >= K, (name, a, b)
    owner_km = survival.km_by_group(durations)
    assert len(owner_km) > len(km) and owner_km["events"].notna().all()


def test_km_chart_for_a_stranger_has_no_single_duration(durations):
    km = _stranger(survival.km_by_group, durations)
    spec = charts.km_chart(km, min_n=20).to_dict()
    values = {round(v, 2) for d in spec["datasets"].values() for r in d for f, v in r.items()
              if f in TIME_FIELDS and isinstance(v, float)}
    assert values  # the curves are there, on whole months
    exact = {r for r in (round(m, 2) for m in durations["months"].dropna()) if r != round(r)}
    assert not values & exact
    tips = {t["field"] for layer in spec["layer"] for t in layer.get("encoding", {}).get("tooltip", [])
            if isinstance(layer.get("encoding", {}).get("tooltip"), list)}
    assert not tips & {"at_risk", "events", "censored"}


# -- caseload ----------------------------------------------------------------------------------
def test_monthly_caseload(durations):
    owner = caseload.monthly_caseload(durations, PEIL)
    assert disclosure.HIDDEN not in owner and owner["starts"].dtype.kind == "i"
    flow = _stranger(caseload.monthly_caseload, durations, PEIL)
    for col in ("starts", "ends", "running"):
        assert not flow[col].map(_small).any()
    # Starts and ends go together, and a shown caseload next to shown flows agrees: no hidden count follows.
    assert (flow["starts"].isna() == flow["ends"].isna()).all()
    both = flow["running"].notna() & flow["running"].shift().notna() & flow["starts"].notna()
    assert (flow.loc[both, "running"] == flow["running"].shift()[both] + flow.loc[both, "starts"]
            - flow.loc[both, "ends"]).all()
    assert flow["running"].notna().sum() > 20  # the caseload itself stays visible
    table = charts.caseload_table_nl(flow)
    assert table["Instroom"].isna().sum() == flow["starts"].isna().sum()


# -- reasons, end dates, funnel ------------------------------------------------------------------
def test_ending_reasons_partition(durations):
    owner = endings.ending_reasons(durations)
    reasons = _stranger(endings.ending_reasons, durations)
    hidden = reasons[disclosure.HIDDEN]
    assert hidden.sum() >= 2 and not reasons.loc[~hidden, "n"].map(_small).any()
    assert reasons.loc[hidden, ["pct", "pct_lo", "pct_hi"]].isna().all().all()
    exact = owner.set_index("reason")["n"].reindex(reasons["reason"])
    status = pd.Series([suppression.PRIMARY if h and _small(n) else suppression.SECONDARY if h else suppression.SHOWN
                        for h, n in zip(hidden, exact)], index=exact.index)
    audit = suppression.partition_intervals(exact, status, int(exact.sum()), suppression.SHOWN, k=K)
    small = audit.loc[status[status == suppression.PRIMARY].index]
    assert len(small) and ((small["hi"] - small["lo"]) >= 1).all()
    assert reasons["reason"].iloc[-1] == endings.NO_REASON
    hidden_names = list(reasons.loc[hidden & (reasons["reason"] != endings.NO_REASON), "reason"])
    assert hidden_names == sorted(hidden_names)  # the order does not rank the hidden counts
    spec = json.dumps(charts.reasons_chart(reasons).to_dict())
    assert '"\\u00d7"' in spec and "NaN" not in spec  # the hidden mark '×', JSON-escaped


def test_end_date_completeness_and_summary(six):
    owner = endings.end_date_completeness(six.trajectories)
    table = _stranger(endings.end_date_completeness, six.trajectories)
    hidden = table[disclosure.HIDDEN].to_numpy()
    counts = list(endings.COMPLETENESS_COUNTS)
    assert not table.loc[~hidden, counts].map(_small).any().any()
    orgs = (owner["group"] != "Totaal").to_numpy()
    for col in counts:
        _assert_unrecoverable(owner.loc[orgs, col], hidden[orgs], owner.loc[~orgs, col].iloc[0])
    summary = _stranger(endings.end_date_summary, six.trajectories)
    total_hidden = bool(table.loc[~orgs, disclosure.HIDDEN].iloc[0])
    # Hidden with the Totaal row: '<10' (None) only where the count itself is small, else the mark '×'.
    assert (summary["no_end"] in (suppression.label(10), suppression.COMPLEMENTARY_MARK)) == total_hidden
    if total_hidden:
        exact = endings.end_date_summary(six.trajectories)["no_end"]  # as the owner sees it
        assert summary["no_end"] == (suppression.label(10) if 0 < exact < 10 else suppression.COMPLEMENTARY_MARK)
    assert endings.end_date_summary(six.trajectories)["no_end"] == owner.loc[~orgs, "no_end_running"].iloc[0] + \
        owner.loc[~orgs, "no_end_completed"].iloc[0]


def test_funnel_shows_only_what_the_protected_partition_gives():
    # 30 trajectories: 3 stop at aanmelding (a small count a difference of two steps would show), 27 reach
    # begeleiding with results 15 geslaagd, 12 niet geslaagd.
    phase = ["aanmelding"] * 3 + ["begeleiding"] * 27
    result = [None] * 3 + ["geslaagd"] * 15 + ["niet geslaagd"] * 12
    frame = pd.DataFrame({"organisation": "O", "phase": phase, "result": result})
    owner = endings.funnel_rates(frame)
    assert owner["n"].tolist()[:3] == [30, 27, 27]
    funnel = _stranger(endings.funnel_rates, frame)
    n = funnel["n"].tolist()
    shown_steps = [v for v in n[:3] if v == v]
    assert shown_steps and not (n[0] == n[0] and n[1] == n[1])  # 30 and 27 together would give away the 3
    assert all(not _small(a - b) for a, b in zip(shown_steps, shown_steps[1:]))
    assert not funnel["n"].map(_small).any() and not funnel["of"].map(_small).any()
    for row in funnel.itertuples():
        if row.n == row.n and row.of == row.of:
            assert not _small(row.of - row.n) or row.Index >= 3
    success = _stranger(endings.funnel_success, frame)
    assert (success["n"] is None) == bool(funnel.set_index("step").loc[
        ["resultaat: geslaagd", "resultaat: niet geslaagd"], disclosure.HIDDEN].any())
    assert endings.funnel_success(frame)["k"] == 15


def test_duration_summary_for_a_stranger(durations):
    owner = endings.duration_summary(durations)
    head = _stranger(endings.duration_summary, durations)
    assert head["counted"] == owner["counted"] and head[tx.STATUS_AFGEROND] == 69


# -- organisatie on its own rows ---------------------------------------------------------------
def test_an_organisatie_on_its_own_rows_sees_everything_exact(six):
    org = "Huiskamer Het Anker"
    mine = six.trajectories[six.trajectories["organisation"] == org]
    fam = six.families[six.families["organisation"] == org]
    own = disclosure.Audience(frozenset({org}), K)
    with disclosure.audience(own):
        d = metrics.trajectory_durations(mine, PEIL)
        results = [metrics.tabulate_durations(d), metrics.duration_bins(d), survival.median_table(d),
                   survival.km_by_group(d), caseload.monthly_caseload(d, PEIL), endings.ending_reasons(d),
                   endings.end_date_completeness(mine), endings.funnel_rates(mine)]
        table = geo.families_per_wijk(fam, ["Carnisse"], K)
        mixed = geo.families_per_wijk(six.families, ["Carnisse"], K)
    assert not any(disclosure.is_protected(r) for r in results)
    assert results[1].attrs["step"] == 1 and results[3]["events"].notna().all()
    assert not table.attrs["protected"] and mixed.attrs["protected"]
    # With other organisations' rows in the input, the same organisatie gets protected figures.
    with disclosure.audience(own):
        assert disclosure.is_protected(metrics.tabulate_durations(metrics.trajectory_durations(six.trajectories,
                                                                                              PEIL)))


# -- kaart core --------------------------------------------------------------------------------
def test_families_per_wijk_follows_the_audience(six):
    wijken = ["Carnisse", "Zevenkamp", "Beverwaard"]
    exact = geo.families_per_wijk(six.families, wijken, K).set_index("area")
    assert not exact.attrs["protected"] and not exact["suppressed"].any()
    assert exact.loc["Zevenkamp", "shown"] == str((six.families["wijk"] == "Zevenkamp").sum())
    protected = _stranger(geo.families_per_wijk, six.families, wijken, K).set_index("area")
    assert protected.attrs["protected"] and protected.loc["Zevenkamp", "shown"] == "<10"
    status = protected["status"]
    audit = suppression.partition_intervals(protected["families"], status, int(protected["families"].sum()),
                                            protected.attrs["total_status"], k=K)
    primary = audit.loc[status[status == suppression.PRIMARY].index]
    assert len(primary) and ((primary["hi"] - primary["lo"]) >= 1).all()
    deck = json.loads(maps.wijk_map(exact.reset_index(), _areas(), geo.organisation_points(_areas(), six.families, K),
                                    K).to_json())
    labels = {d["label"] for layer in deck["layers"] if layer["id"] == "wijk-labels" for d in layer["data"]}
    assert f"Zevenkamp\n{exact.loc['Zevenkamp', 'shown']}" in labels


def _areas() -> pd.DataFrame:
    return geo._frame(geo.bundled_areas(), geo.BUNDLED_SOURCE, pd.NaT, True)


# -- the pages as a fonds and as the beheerder ---------------------------------------------------
def _as(monkeypatch, url, page, principal=None, peildatum=None):
    at = ui.app_test(monkeypatch, url)
    if principal is not None:
        at.session_state["gm_principal"] = principal
    at.run()
    ui.assert_ok(at)
    return ui.open_page(at, page, peildatum)


def _cells(frame: pd.DataFrame):
    for col in frame.columns:
        for v in frame[col]:
            yield col, v


def _count_like(value) -> float | None:
    """A number a reader would take as a count: an int/float, or text that is only digits ('7', '1.234')."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if value != value else float(value)
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}(\.\d{3})*", value.strip()):
        return float(value.replace(".", ""))
    return None


COUNT_FIELDS = {"trajecten", "trajectories", "n", "running", "starts", "ends", "families", "at_risk", "events",
                "censored", "of", "n_total"}


def test_trajectduur_as_a_fonds(monkeypatch, samples_db, samples):
    at = _as(monkeypatch, samples_db, DURATION_PAGE, Principal("f", "fonds"), PEIL)
    ui.assert_browser_json(at)
    tables = [d.value for d in at.dataframe]
    assert len(tables) >= 5
    for frame in tables:
        for col, v in _cells(frame):
            n = _count_like(v)
            assert n is None or not _small(n), (list(frame.columns), col, v)
    assert any("<10" in str(v) for frame in tables for _, v in _cells(frame))
    for value in ui.metrics(at).values():
        for part in re.split(r"\s*/\s*", str(value)):
            n = _count_like(part)
            assert n is None or not _small(n), value
    durations = metrics.trajectory_durations(samples.trajectories, PEIL)
    exact = {r for r in (round(m, 2) for m in durations["months"].dropna()) if r != round(r)}
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title")
        for row in ui.chart_rows(at, title):
            for field, v in row.items():
                if field in COUNT_FIELDS:
                    assert not _small(v), (title, field, v)
                if field in TIME_FIELDS and isinstance(v, float) and v == v:
                    assert round(v, 2) not in exact, (title, field, v)
            assert "nan" not in {str(v).lower() for v in row.values() if isinstance(v, str)}
    medians = ui.table(at, "Mediane duur", "95%-BI").set_index("Organisatie")
    assert medians.loc["Huiskamer Het Anker", "Mediane duur"] == "<10"
    assert any("groepen verborgen" in e.value for e in at.markdown)  # 'Hoe berekend?' says what was withheld


def test_trajectduur_as_the_beheerder_is_unchanged(monkeypatch, samples_db, samples):
    at = _as(monkeypatch, samples_db, DURATION_PAGE, Principal("b", "beheerder"), PEIL)
    durations = metrics.trajectory_durations(samples.trajectories, PEIL)
    table = ui.table(at, "Maanden", "Afgerond")
    expected = charts.duration_table_nl(metrics.tabulate_durations(durations))
    pd.testing.assert_frame_equal(table.reset_index(drop=True), expected, check_dtype=False)
    medians = ui.table(at, "Mediane duur", "95%-BI")
    pd.testing.assert_frame_equal(medians.reset_index(drop=True),
                                  charts.km_median_table_nl(survival.median_table(durations), min_n=20),
                                  check_dtype=False)
    assert "<10" not in json.dumps([d.value.astype(str).values.tolist() for d in at.dataframe])
    flow = ui.table(at, "Instroom", "Lopend eind maand")
    assert flow["Instroom"].sum() == caseload.monthly_caseload(durations, PEIL)["starts"].sum()


def test_kaart_as_a_fonds_and_as_the_beheerder(monkeypatch, samples_db, samples):
    families = samples.families
    for principal, protected in ((Principal("f", "fonds"), True), (Principal("b", "beheerder"), False)):
        at = _as(monkeypatch, samples_db, MAP_PAGE, principal)
        ui.assert_browser_json(at)
        frame = next(d.value for d in at.dataframe if list(d.value.columns) == ["Wijk", "Gezinnen"])
        table = dict(zip(frame["Wijk"], frame["Gezinnen"]))
        deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
        layer_rows = [r for layer in deck["layers"] for r in (layer["data"]["features"] if isinstance(
            layer["data"], dict) else layer["data"])]
        numbers = [float(n) for r in layer_rows for n in re.findall(r"Gezinnen: (\d+)\b", json.dumps(r))]
        numbers += [float(v) for v in table.values() if re.fullmatch(r"\d+", v)]
        zevenkamp = int((families["wijk"] == "Zevenkamp").sum())
        assert 0 < zevenkamp < K
        if protected:
            assert not any(_small(n) for n in numbers)
            assert table["Zevenkamp"] == "<10"
        else:
            assert table["Zevenkamp"] == str(zevenkamp) and "<10" not in table.values()
            counts = families["wijk"].value_counts()
            assert all(table[w] == str(int(counts[w])) for w in counts.index if w in table)
