"""The Organisaties page through AppTest: the comparison table on the fixture store (hand-computed), the profile
selectbox, the organisation filter, anonymous names, the bundled samples and an empty store."""
from __future__ import annotations

from tests import apptest as ui
from tests.fixtures import ORG_A, ORG_B, PEILDATUM

PAGE = "pages/organisaties.py"
MEDIAN = "Mediane duur in maanden (95%-BI)"


def _comparison(at):
    return ui.table(at, MEDIAN).set_index("Organisatie")


def test_comparison_table_on_fixture(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    table = _comparison(at)
    assert list(table.index) == [ORG_A, ORG_B, "Totaal"]
    a, b, total = table.loc[ORG_A], table.loc[ORG_B], table.loc["Totaal"]
    # A: earliest start A4 01-01-2019; 4 families; at 31-10-2021 A1 and A2 afgerond, A3 and A4 lopend.
    assert (a["Start"], a["Intensief (gezinnen)"], a["Lopend"], a["Afgerond"]) == ("jan 2019", 4, 2, 2)
    assert (b["Start"], b["Intensief (gezinnen)"], b["Lopend"], b["Afgerond"]) == ("jun 2021", 1, 1, 0)
    assert (total["Intensief (gezinnen)"], total["Lopend"], total["Afgerond"]) == (5, 3, 2)
    assert (table["Kort (1–3 gesprekken)"] == "niet geregistreerd").all()
    # Requests: A 5 over A1, A2, A3 → 1,7; B 1 over 1; total 6 over 4 → 1,5.
    assert (a["Hulpvragen per gezin"], b["Hulpvragen per gezin"], total["Hulpvragen per gezin"]) == \
        ("1,7 (n = 3)", "1,0 (n = 1)", "1,5 (n = 4)")
    # KM for A: A2 5,95 months (event, 4 at risk) → 0,75; A1 6,0 (event, 3 at risk) → exactly 0,5, and no later
    # event: the curve stays at 0,5 to the last follow-up, A4 censored at 33 + 30/30,4375 = 33,99 months. R's rule
    # for such a flat: median = (6,0 + 33,99) / 2 = 19,99 → 20,0. The lower band already crosses 0,5 at 5,95
    # (Greenwood 1/12: exp(-exp(ln(-ln 0,75) + 1,96·0,2887/0,2877)) = 0,13); the upper band at 6,0 is 0,84 and no
    # later event: not reached. B1 only censored: not reached.
    assert a[MEDIAN] == "20,0 (95%-BI 5,9–niet bereikt)"
    assert b[MEDIAN] == "niet bereikt"
    assert total[MEDIAN] == "20,0 (95%-BI 5,9–niet bereikt)"  # B1 (4,99, censored) only adds to the risk set early
    # Professional hours per week (fixture EXPECTED): Regelzaken start 4, 2 → 3,0 (n 2); latest 1, 0, 2 → 1,0 (n 3).
    assert a["Uren professionals per week, eerste meting"] == "3,0 (n = 2)"
    assert a["Uren professionals per week, laatste meting"] == "1,0 (n = 3)"
    assert b["Uren professionals per week, eerste meting"] == "– (n = 0)"
    assert any("niet geregistreerd" in i.value for i in at.info)
    assert any(f"{ORG_A} (n = 4)" in w.value and f"{ORG_B} (n = 1)" in w.value for w in at.warning)
    assert "Mediane trajectduur per organisatie" in ui.chart_titles(at)
    captions = [c.value for c in at.caption if c.value.startswith("**n = ")]
    assert any("n = 5 gezinnen bij 2 organisaties" in c for c in captions)

    # Profile: the first organisation by default, with its figures and the others pooled.
    assert at.selectbox(key="org_profile").value == ORG_A
    m = ui.metrics(at)
    assert (m["Gezinnen (intensief)"], m["Lopend / afgerond"], m["Hulpvragen per gezin"]) == ("4", "2 / 2", "1,7")
    assert m["Mediane duur (maanden)"] == "20,0"
    assert m["Uren professionals, eerste meting"] == "3,0 uur/week"
    assert ui.chart_titles(at)[1:] == ["Hulpvragen per leefgebied — % van de gezinnen",
                                       "Trajectduur (Kaplan–Meier): aandeel dat nog loopt",
                                       "Inzet in uren per week per gezin"]
    ui.assert_browser_json(at)  # the Kaplan–Meier medians of 'niet bereikt' are NaN: they must not reach the browser


def test_profile_selectbox_filter_and_anonymous(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    at.selectbox(key="org_profile").set_value(ORG_B).run()
    ui.assert_ok(at)
    m = ui.metrics(at)
    assert (m["Gezinnen (intensief)"], m["Lopend / afgerond"], m["Mediane duur (maanden)"]) == ("1", "1 / 0",
                                                                                                 "niet bereikt")
    assert m["Uren professionals, laatste meting"] == "geen uren"
    assert any(i.value.startswith(f"{ORG_B} heeft geen uren") for i in at.info)
    assert any(f"{ORG_B} (n = 1)" in w.value for w in at.warning)
    assert "Inzet in uren per week per gezin" not in ui.chart_titles(at)
    ui.assert_browser_json(at)

    at.toggle(key="org_anon").set_value(True).run()
    ui.assert_ok(at)
    assert list(_comparison(at).index) == ["Organisatie A", "Organisatie B", "Totaal"]
    assert at.selectbox(key="org_profile").options == ["Organisatie A", "Organisatie B"]
    at.toggle(key="org_anon").set_value(False).run()

    at.multiselect(key="f_orgs").set_value([ORG_A]).run()
    ui.assert_ok(at)
    assert list(_comparison(at).index) == [ORG_A, "Totaal"]
    assert at.selectbox(key="org_profile").options == [ORG_A]
    assert any(i.value.startswith("Geen andere organisaties in de selectie") for i in at.info)
    assert any(f"organisaties: {ORG_A}" in c.value for c in at.caption)


def test_samples(monkeypatch, samples_db, samples):
    at = ui.start(monkeypatch, samples_db, PAGE, PEILDATUM.replace(year=2026))
    table = _comparison(at)
    assert set(table.index) == set(samples.families["organisation"]) | {"Totaal"}
    total = table.loc["Totaal"]
    # The sample data is calibrated on the published 213 families, 69 afgerond / 144 lopend (DOMAIN §3.3).
    assert (total["Intensief (gezinnen)"], total["Afgerond"], total["Lopend"]) == (213, 69, 144)
    assert table.drop(index="Totaal")["Intensief (gezinnen)"].sum() == 213
    for name in table.index.drop("Totaal"):
        at.selectbox(key="org_profile").set_value(name).run()
        ui.assert_ok(at)
        assert ui.metrics(at)["Gezinnen (intensief)"] == str(table.loc[name, "Intensief (gezinnen)"])
        ui.assert_browser_json(at)


def test_empty_store(monkeypatch, empty_db):
    at = ui.start(monkeypatch, empty_db, PAGE)
    assert any(i.value.startswith("Geen ") for i in at.info)
    assert not at.get("vega_lite_chart")


def _everything_shown(at) -> str:
    """All the main area sends: every element's message (labels, help, markdown, captions, chart specs), the
    tables' cells and the charts' data rows. The sidebar (the user's own filter widgets) is left out."""
    import pyarrow as pa

    parts = []

    def walk(node):
        if getattr(node, "proto", None) is not None:
            parts.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at.main)
    parts += [df.value.to_csv() for df in at.main.dataframe]
    parts += [pa.ipc.open_stream(d.data.data).read_pandas().to_csv()
              for chart in at.main.get("vega_lite_chart") for d in chart.proto.datasets]
    return "\n".join(parts)


def test_hidden_names_leave_no_real_name_on_the_page(monkeypatch, fixture_db):
    at = ui.start(monkeypatch, fixture_db, PAGE, PEILDATUM)
    at.multiselect(key="f_orgs").set_value([ORG_A, ORG_B]).run()  # a filter that names both in every caption
    ui.assert_ok(at)
    real = [ORG_A, ORG_B, "Buurtwerk", "Gezinshuis", "fixture_1.xlsx", "fixture_2.xlsx"]
    shown = _everything_shown(at)
    assert ORG_A in shown and "fixture_2.xlsx)" in shown  # without hiding: names and the latest upload's file

    at.toggle(key="org_anon").set_value(True).run()
    ui.assert_ok(at)
    shown = _everything_shown(at)
    assert [name for name in real if name in shown] == []
    captions = [c.value for c in at.main.caption if c.value.startswith("**n = ")]
    assert captions and all("organisaties: Organisatie A, Organisatie B" in c for c in captions)
    assert all("laatste upload" in c and ".xlsx" not in c for c in captions)
    how = [m.value for e in at.main.expander if e.label == "Hoe berekend?" for m in e.markdown]
    assert how and all("**Namen** — verborgen" in text for text in how)
    assert "Organisatie A" in {r["organisation"] for r in ui.chart_rows(at, "Mediane trajectduur per organisatie")}
    assert "adresbalk" in at.toggle(key="org_anon").help  # the URL keeps the real filter: the help says so
    ui.assert_browser_json(at)

    # Another organisation's profile: its own charts and warnings carry only the letter.
    at.selectbox(key="org_profile").set_value("Organisatie B").run()
    ui.assert_ok(at)
    assert [name for name in real if name in _everything_shown(at)] == []
