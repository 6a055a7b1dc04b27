"""The Inzet page through AppTest: fixture store (hand-computed totals), filters and the measure switch changed,
the bundled samples and an empty store."""
from __future__ import annotations

from gezinsmonitor import investment
from tests import apptest as ui
from tests.fixtures import ORG_A, ORG_B, PEILDATUM

PAGE = "pages/inzet.py"
TOTAL_TITLE = "Totaal aantal uren inzet per gezin"
ORG_TITLE = "Uren per organisatie — Inzet totaal (professionals + vrijwilligers)"


def _expanders_text(at) -> str:
    return "\n".join(m.value for e in at.expander for m in e.markdown)


def test_fixture_totals_and_hours_per_organisation(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    titles = ui.chart_titles(at)
    assert titles[0] == "Inzet: uren per week van professionals en vrijwilligers"  # the existing chart stays
    assert TOTAL_TITLE in titles and ORG_TITLE in titles
    m = ui.metrics(at)
    # The distinction is explicit: professionals and volunteers each have their own figure.
    assert m["Totaal professioneel, eerste meting (rond aanmelding)"] == "3,0 uur/week"
    assert m["Vrijwilligers (maatje), laatste meting"] == "3,0 uur/week"
    assert m["Vrijwilligers (maatje), eerste meting (rond aanmelding)"] == "–"  # A1's buddy was n.v.t.
    assert any("geen inzet" in md.value for md in at.markdown)

    # Totals at peildatum 31-10-2021 (weekly hours linear between measurements, n.v.t. = 0):
    # A1 15-01 → 15-07-2020 (182 days). Regelzaken 4 → 1 on 01-07 (day 168): (4+1)/2·168/7 = 60, + 1·14/7 = 2 → 62;
    #    buddy n.v.t. → 3 on day 168: (0+3)/2·24 = 36, + 3·2 = 6 → 42. Total 104.
    # A2 15-01 → 14-07-2020 (181 days). Regelzaken 2 → 0 on 01-06 (day 138): (2+0)/2·138/7 = 19,71; then 0.
    # A3 01-01 → 31-10-2021 (303 days, lopend). n.v.t. → 2 on 01-06 (day 151): 151/7 + 2·152/7 = 455/7 = 65.
    assert m["Gezinnen met een totaal"] == "3"
    assert m["Mediaan uren per gezin"] == "65"
    assert m["Mediaan, alleen afgeronde trajecten"] == "62"  # (104 + 19,71) / 2 = 61,9
    table = ui.table(at, "Mediaan (uren)", "25e–75e percentiel").set_index("Organisatie")
    a = table.loc[ORG_A]
    assert (a["n (gezinnen)"], a["waarvan afgerond"]) == (3, 2)
    assert a["Gemiddelde (uren)"] == "63"  # (104 + 19,71 + 65) / 3 = 62,9
    assert a["waarvan professionals"] == "49" and a["waarvan vrijwilligers (maatje)"] == "14"  # 146,7/3; 42/3
    assert list(table.index) == [ORG_A, "Totaal"]
    # A4 and B1 have no hours: said in the "Hoe berekend?" text, and the small n warned about.
    assert "gezinnen zonder registratie van inzet (uren of contactlog): 2" in _expanders_text(at)
    assert any(f"{ORG_A} (n = 3)" in w.value for w in at.warning)

    # Hours per organisation: start A1 4, A2 2 (A3 n.v.t.) → 3,0 (n 2); latest A1 1+3, A2 0, A3 2 → 2,0 (n 3).
    per_org = ui.table(at, "Moment", "Inzet totaal (uur/week)")
    first = per_org[(per_org["Organisatie"] == ORG_A) & per_org["Moment"].str.startswith("eerste")].iloc[0]
    last = per_org[(per_org["Organisatie"] == ORG_A) & (per_org["Moment"] == "laatste meting")].iloc[0]
    assert (first["Inzet totaal (uur/week)"], first["n inzet totaal"]) == ("3,0", 2)
    assert (last["Inzet totaal (uur/week)"], last["n inzet totaal"]) == ("2,0", 3)
    assert ORG_B not in set(per_org["Organisatie"])  # no hours at all: named under the table instead
    assert any(c.value == f"Zonder uren of contactlog (niet in de tabel): {ORG_B}." for c in at.caption)
    assert "organisaties zonder deze inzet: " + ORG_B in _expanders_text(at)

    # The box chart and the histogram are linked by a selection on organisation.
    spec = ui.chart_spec(at, TOTAL_TITLE)
    assert spec["vconcat"][1]["transform"][0]["filter"]["param"] == "org_pick"
    ui.assert_browser_json(at)


def test_measure_switch_and_filters(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    at.segmented_control(key="iz_measure").set_value("volunteer").run()
    ui.assert_ok(at)
    assert "Uren per organisatie — Vrijwilligers (maatje)" in ui.chart_titles(at)
    rows = ui.chart_rows(at, "Uren per organisatie — Vrijwilligers (maatje)")
    assert {(r["organisation"], r["moment"], r["n"]) for r in rows} == {(ORG_A, "latest", 1), ("Totaal", "latest", 1)}
    assert next(r for r in rows if r["organisation"] == ORG_A)["n_label"] == "n = 1 (klein)"
    assert any(f"{ORG_A} (n = 1)" in w.value for w in at.warning)
    ui.assert_browser_json(at)

    at.multiselect(key="f_orgs").set_value([ORG_A]).run()
    ui.assert_ok(at)
    table = ui.table(at, "Mediaan (uren)")
    assert list(table["Organisatie"]) == [ORG_A, "Totaal"]
    assert any(f"organisaties: {ORG_A}" in c.value for c in at.caption)

    at.multiselect(key="f_orgs").set_value([ORG_B]).run()
    assert any(i.value.startswith("Geen urenregistraties") for i in at.info)
    assert not at.get("vega_lite_chart")


def test_samples(monkeypatch, samples_db, samples):
    at = ui.start(monkeypatch, samples_db, PAGE, PEILDATUM.replace(year=2026))
    assert TOTAL_TITLE in ui.chart_titles(at) and ORG_TITLE in ui.chart_titles(at)
    # Cross-check against the store: every family with investment hours (weekly or contact log) has a total.
    investment_rows = samples.hours[samples.hours["support_type"].map(investment.investment_group).notna()]
    expected = investment_rows.groupby("organisation")["family"].nunique()
    table = ui.table(at, "Mediaan (uren)").set_index("Organisatie")
    assert table.drop(index="Totaal")["n (gezinnen)"].to_dict() == expected.to_dict()
    assert table.loc["Totaal", "n (gezinnen)"] == expected.sum()
    per_org = ui.table(at, "Moment", "Inzet totaal (uur/week)")
    assert set(per_org["Organisatie"]) == set(expected.index) | {"Totaal"}
    ui.assert_browser_json(at)


def test_empty_store(monkeypatch, empty_db):
    at = ui.start(monkeypatch, empty_db, PAGE)
    assert any(i.value.startswith("Geen ") for i in at.info)
    assert not at.get("vega_lite_chart")
