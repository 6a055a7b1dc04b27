"""The Voortgang page through Streamlit's AppTest: the fixture workbooks (hand-computed figures), the bundled
samples (page = core functions on the same data) with the organisation and leefgebied changed, and an empty store."""
from __future__ import annotations

from gezinsmonitor import formatting, metrics
from gezinsmonitor import progress as pg
from tests import apptest as ui
from tests.fixtures import ORG_A, PEILDATUM

PAGE = "pages/voortgang.py"
ORG_TITLE = "Laatste voortgangsscore 4–5 per organisatie"
DURATION_TITLE = "Laatste voortgangsscore 4–5 naar trajectduur"
ALL_TEXT = "alle leefgebieden samen (4–5 op elk leefgebied met een score)"


# -- fixture workbooks ----------------------------------------------------------------------------
def test_fixture_store(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    titles = ui.chart_titles(at, text_only=True)
    assert titles[0] == "Laatste voortgangsscore per leefgebied (aandeel gezinnen)"
    assert any(t.startswith(ORG_TITLE) for t in titles) and any(t.startswith(DURATION_TITLE) for t in titles)
    # The click on a leefgebied is wired: Streamlit listens to the chart's point selection.
    assert list(at.get("vega_lite_chart")[0].proto.selection_mode) == ["leefgebied_klik"]

    # Per leefgebied (fixture: Financiën A1 4, A2 5 → 2 of 2; Sociaal A3 3 → 0 of 1).
    leefgebied = ui.table(at, "Leefgebied", "% score 4–5 (95%-BI)").set_index("Leefgebied")
    assert leefgebied.loc["Financiën", "% score 4–5 (95%-BI)"] == "100,0% (95%-BI 34,2–100,0%)"
    assert leefgebied.loc["Sociaal", "% score 4–5 (95%-BI)"] == "0,0% (95%-BI 0,0–79,3%)"

    # All leefgebieden together: A1 lowest 4 (Participatie only n.v.t.), A2 5, A3 3 → 2 of 3 families.
    org = ui.table(at, "Organisatie", "% score 4–5 (95%-BI)").set_index("Organisatie")
    assert list(org.index) == [ORG_A]  # Fixture Gezinshuis has no scores: no row, and no pooled row for one
    assert org.loc[ORG_A, ["n", "score 4–5"]].tolist() == [3, 2]
    assert org.loc[ORG_A, "% score 4–5 (95%-BI)"] == "66,7% (95%-BI 20,8–93,9%)"
    assert org.loc[ORG_A, "Let op"] == "n < 20: voorzichtig vergelijken"
    assert any(w.value.startswith("**Kleine aantallen**") and f"{ORG_A} (n = 3)" in w.value for w in at.warning)
    assert any("maar één organisatie" in i.value for i in at.info)

    # Duration at 31-10-2021: A1 afgerond 6-12 (high), A2 afgerond 0-6 (high), A3 lopend 6-12 (score 3).
    dur = ui.table(at, "Status", "Maanden").set_index(["Status", "Maanden"])
    assert dur.loc[("afgerond", "0-6"), ["n", "score 4–5"]].tolist() == [1, 1]
    assert dur.loc[("afgerond", "6-12"), ["n", "score 4–5"]].tolist() == [1, 1]
    assert dur.loc[("lopend", "6-12"), ["n", "score 4–5", "% score 4–5 (95%-BI)"]].tolist() == [
        1, 0, "0,0% (95%-BI 0,0–79,3%)"]
    assert dur["n"].sum() == 3
    assert any(w.value.startswith("**Samenhang, geen effect.**") and "ondergrens" in w.value for w in at.warning)
    captions = ui.captions(at)
    assert any(c.startswith("**n = 3 gezinnen (2 afgerond, 1 lopend)") for c in captions)
    assert any(c.startswith("**n = 3 gezinnen met een score in 1 organisatie ·") for c in captions)
    # Every chart of the page has its caption with n, definition and data version, and its "Hoe berekend?".
    assert len([c for c in captions if c.startswith("**n = ") and "Gegevens: versie" in c]) >= len(titles)
    assert len([e for e in at.expander if e.label == "Hoe berekend?"]) >= len(titles)

    # Choosing Financiën (as a click on its bar does): per organisation n 2, both 4–5, mean 4,5.
    at.selectbox(key="vg_leefgebied").set_value("Financiën").run()
    ui.assert_ok(at)
    org = ui.table(at, "Organisatie", "score 5").set_index("Organisatie")
    assert org.loc[ORG_A, ["n", "score 4", "score 5", "Gemiddelde"]].tolist() == [2, 1, 1, "4,5"]
    assert org.loc[ORG_A, "% score 4–5 (95%-BI)"] == "100,0% (95%-BI 34,2–100,0%)"
    assert any(t == f"{ORG_TITLE} — Financiën" for t in ui.chart_titles(at, text_only=True))
    dur = ui.table(at, "Status", "Maanden").set_index(["Status", "Maanden"])
    assert dur["n"].sum() == 2  # A3 has no Financiën score
    ui.assert_browser_json(at)


def test_fixture_store_organisation_filter(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE)
    at.multiselect(key="f_orgs").set_value([ORG_A]).run()
    ui.assert_ok(at)
    assert any(f"organisaties: {ORG_A}" in c for c in ui.captions(at))
    org = ui.table(at, "Organisatie", "% score 4–5 (95%-BI)")
    assert org["Organisatie"].tolist() == [ORG_A]


def test_empty_store(monkeypatch, empty_db):
    at = ui.start(monkeypatch, empty_db, PAGE)
    assert any(i.value.startswith("Geen voortgangsscores") for i in at.info)
    assert not at.get("vega_lite_chart")


# -- bundled samples ------------------------------------------------------------------------------
def test_samples_page_equals_core(monkeypatch, samples_db, samples):
    at = ui.start(monkeypatch, samples_db, PAGE)
    peil = at.date_input(key="f_peildatum").value
    m = samples.measurements
    titles = ui.chart_titles(at, text_only=True)
    assert titles[:3] == ["Laatste voortgangsscore per leefgebied (aandeel gezinnen)",
                          f"{ORG_TITLE} — {ALL_TEXT}", f"{DURATION_TITLE} — {ALL_TEXT}"]
    assert len(titles) == 6  # plus ZRM, ernst and the direction of change

    comparison = pg.organisation_comparison(pg.family_outcomes(m, until=peil), 20)
    org = ui.table(at, "Organisatie", "% score 4–5 (95%-BI)").set_index("Organisatie")
    assert len(comparison) >= 2 and list(org.index) == [*comparison["organisation"], "Alle organisaties samen"]
    for rec in comparison.itertuples():
        assert org.loc[rec.organisation, "n"] == rec.n
        assert org.loc[rec.organisation, "% score 4–5 (95%-BI)"] == formatting.percent_ci(rec.pct, rec.pct_lo,
                                                                                            rec.pct_hi)
    pooled = comparison.attrs["pooled"]
    assert org.loc["Alle organisaties samen", "n"] == pooled["n"]

    classes = pg.duration_classes(pg.family_outcomes(m, until=peil),
                                  metrics.trajectory_durations(samples.trajectories, peil), 20)
    dur = ui.table(at, "Status", "Maanden")
    assert dur["n"].tolist() == classes["n"].tolist() and dur["n"].sum() == classes.attrs["n"] > 0

    # Organisations with another instrument are named, not silently dropped.
    coverage = pg.coverage(samples.families, m)
    assert coverage.attrs["without"] > 0
    assert any(c.startswith("**Zonder voortgangsscore**") for c in ui.captions(at))
    summary = metrics.progress_summary(m, until=peil).set_index("leefgebied")
    table = ui.table(at, "Leefgebied", "% score 4–5 (95%-BI)").set_index("Leefgebied")
    assert len(summary) > 0
    for lg, rec in summary.iterrows():
        assert table.loc[lg, "n.v.t. (telt niet mee)"] == rec["nvt"]
        assert table.loc[lg, "% score 4–5 (95%-BI)"] == formatting.percent_ci(rec["high_pct"], rec["high_pct_lo"],
                                                                               rec["high_pct_hi"])


def test_samples_leefgebied_and_organisation_filter(monkeypatch, samples_db, samples):
    at = ui.start(monkeypatch, samples_db, PAGE)
    at.selectbox(key="vg_leefgebied").set_value("Wonen").run()
    ui.assert_ok(at)
    peil = at.date_input(key="f_peildatum").value
    wonen = pg.organisation_comparison(pg.family_outcomes(samples.measurements, "Wonen", until=peil), 20)
    org = ui.table(at, "Organisatie", "score 5").set_index("Organisatie")
    assert len(wonen) > 0
    for rec in wonen.to_dict("records"):
        assert org.loc[rec["organisation"], "score 5"] == rec["5"]
        assert (org.loc[rec["organisation"], "Let op"] != "") == rec["small"]
    assert wonen["small"].any()  # Buurtkracht Noord scores Wonen for 12 families: below 20
    assert any(w.value.startswith("**Kleine aantallen**") for w in at.warning)
    ui.assert_browser_json(at)

    # One organisation with voortgangsscores: the comparison has one row and says so; the choice stays.
    one = min(wonen["organisation"])
    at.multiselect(key="f_orgs").set_value([one]).run()
    ui.assert_ok(at)
    assert at.selectbox(key="vg_leefgebied").value == "Wonen"
    assert ui.table(at, "Organisatie", "score 5")["Organisatie"].tolist() == [one]
    assert any("maar één organisatie" in i.value for i in at.info)

    # An organisation that measures with the ZRM only: no voortgangsscore figures, the ZRM view stays.
    zrm_only = samples.measurements.groupby("organisation")["instrument"].agg(set)
    zrm_org = next(o for o, inst in zrm_only.items() if inst == {"zrm"})
    at.multiselect(key="f_orgs").set_value([zrm_org]).run()
    ui.assert_ok(at)
    assert any(i.value.startswith("Geen voortgangsscores") for i in at.info)
    assert ui.chart_titles(at, text_only=True)[0] == "Zelfredzaamheid (ZRM): gemiddeld niveau per meetmoment"


# -- peildatum, small groups, intervals and the rows left out ------------------------------------
def _how(at) -> list[str]:
    return [md.value for e in at.expander if e.label == "Hoe berekend?" for md in e.markdown]


def test_fixture_store_counts_only_scores_up_to_the_peildatum(monkeypatch, fixture_db):
    # Peildatum 15-06-2020: A1 Financiën 2 (01-03) counts, its 4 (01-07) not yet; A2 Financiën 5 (01-05; the
    # n.v.t. of 01-06 is no score); A3's only score (Sociaal, 01-06-2021) lies after it.
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM.replace(year=2020, month=6, day=15))
    bars = ui.table(at, "Leefgebied", "% score 4–5 (95%-BI)").set_index("Leefgebied")
    assert list(bars.index) == ["Financiën"]  # Sociaal has no score yet; A1's Participatie n.v.t. is later
    assert bars.loc["Financiën", ["n", "score 2", "score 5"]].tolist() == [2, 1, 1]
    assert bars.loc["Financiën", "% score 4–5 (95%-BI)"] == "50,0% (95%-BI 9,5–90,5%)"  # 1 of 2
    # Per organisation (all leefgebieden): A1 lowest 2, A2 5 → 1 of 2, the same peildatum rule.
    org = ui.table(at, "Organisatie", "% score 4–5 (95%-BI)").set_index("Organisatie")
    assert org.loc[ORG_A, ["n", "score 4–5"]].tolist() == [2, 1]
    assert org.loc[ORG_A, "% score 4–5 (95%-BI)"] == "50,0% (95%-BI 9,5–90,5%)"
    assert org.loc[ORG_A, "gem. aantal leefgebieden met een score"] == "1,0"  # each family: Financiën only
    assert sum("gezinnen met alleen scores na de peildatum: 1" in h for h in _how(at)) >= 2  # comparison, duration
    assert any("gezinnen met alleen voortgangsscores na de peildatum: 1" in h for h in _how(at))  # the bars
    assert any("Alleen scores gemeten op of vóór de peildatum tellen" in c for c in ui.captions(at))
    # Before the first score (01-03-2020) there is nothing to show, and the page says why.
    at.date_input(key="f_peildatum").set_value(PEILDATUM.replace(year=2020, month=1, day=1)).run()
    ui.assert_ok(at)
    assert any(i.value.startswith("Geen voortgangsscores op of vóór de peildatum (01-01-2020)") for i in at.info)


def test_samples_intervals_small_groups_and_left_out(monkeypatch, samples_db, samples):
    at = ui.start(monkeypatch, samples_db, PAGE)
    peil = at.date_input(key="f_peildatum").value
    m = samples.measurements
    warnings = [w.value for w in at.warning if w.value.startswith("**Kleine aantallen**")]

    # ZRM: every point below 20 families is named in a warning.
    levels = metrics.zrm_levels(m, min_n=20, until=peil)
    small = levels[levels["small"]]
    assert len(small) > 0
    for rec in small.itertuples():
        assert any(f"{rec.leefgebied} {rec.moment} (n = {rec.n})" in w for w in warnings)

    # Ernst: % middel + zwaar with its interval in the table; small N named; unanswered in "Hoe berekend?".
    share = metrics.severity_share(m, samples.trajectories, min_n=20, until=peil)
    table = ui.table(at, "Indicator", "95%-BI")
    assert table["95%-BI"].tolist() == [formatting.interval(lo, hi) if n else "–" for lo, hi, n in
                                       zip(share["pct_lo"], share["pct_hi"], share["n"])]
    assert (table["Let op"] != "").tolist() == share["small"].tolist()
    t2 = share[(share["moment"] == "T2") & share["small"]].iloc[0]
    unit = f" ({t2.unit})" if t2.unit else ""
    assert any(f"{t2.indicator}{unit} T2 (n = {t2.n})" in w for w in warnings)
    assert sum(share.attrs["unanswered"].values()) > 0
    how = "\n".join(_how(at))
    for moment, count in share.attrs["unanswered"].items():
        assert f"gezin × indicator zonder bekend antwoord op {moment} (onbekend of leeg; het moment was zeker voorbij): {count}" in how

    # Direction of change: intervals in the table, small bars named, one-moment families left out.
    direction = metrics.direction_of_change(m, min_n=20, until=peil)
    dir_table = ui.table(at, "Instrument", "95%-BI verbeterd")
    assert dir_table["95%-BI verbeterd"].tolist() == [
        formatting.interval(lo, hi) for lo, hi in zip(direction["verbeterd_pct_lo"], direction["verbeterd_pct_hi"])]
    zrm_small = direction[(direction["instrument"] == "zrm") & direction["small"]]
    assert len(zrm_small) > 0
    for rec in zrm_small.itertuples():
        assert any(f"{rec.leefgebied} · ZRM (n = {rec.n})" in w for w in warnings)
    assert f"gezinnen met één meetmoment (ZRM): {direction.attrs['een_meetmoment']['zrm']}" in how

    # The comparison table shows the mean number of scored leefgebieden per organisation.
    comparison = pg.organisation_comparison(pg.family_outcomes(m, until=peil), 20)
    org = ui.table(at, "Organisatie", "gem. aantal leefgebieden met een score").set_index("Organisatie")
    for rec in comparison.itertuples():
        assert org.loc[rec.organisation, "gem. aantal leefgebieden met een score"] == formatting.number(
            rec.leefgebieden_mean, 1)


def test_samples_earlier_peildatum_same_rule_everywhere(monkeypatch, samples_db, samples):
    at = ui.start(monkeypatch, samples_db, PAGE)
    peil = at.date_input(key="f_peildatum").value.replace(year=2025, month=6, day=30)
    at.date_input(key="f_peildatum").set_value(peil).run()
    ui.assert_ok(at)
    ui.assert_browser_json(at)
    m = samples.measurements
    summary = metrics.progress_summary(m, until=peil)
    assert summary.attrs["after_until"] > 0  # the samples have scores after 30-06-2025
    bars = ui.table(at, "Leefgebied", "% score 4–5 (95%-BI)").set_index("Leefgebied")
    assert (summary["n"] > 0).any()
    for rec in summary[summary["n"] > 0].itertuples():
        assert bars.loc[rec.leefgebied, "n"] == rec.n
    outcomes = pg.family_outcomes(m, until=peil)
    comparison = pg.organisation_comparison(outcomes, 20)
    org = ui.table(at, "Organisatie", "% score 4–5 (95%-BI)").set_index("Organisatie")
    assert org.loc["Alle organisaties samen", "n"] == comparison.attrs["pooled"]["n"]
    classes = pg.duration_classes(outcomes, metrics.trajectory_durations(samples.trajectories, peil), 20)
    # Comparison and duration view count the same families: every family with a score has a trajectory here.
    assert comparison.attrs["pooled"]["n"] == classes.attrs["n"] + sum(
        v for k, v in classes.attrs["excluded"].items() if k.startswith("gezinnen met een score"))
    after = outcomes.attrs["after_until"]
    assert sum(f"gezinnen met alleen scores na de peildatum: {formatting.count(after)}" in h for h in _how(at)) >= 2
