"""The funder report: every section, self-contained, escaped, protected as the pages are and with the pages'
numbers; the page Rapport through AppTest and the `report` command."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from components import images, report, views
from components.context import PageContext, selected_context
from gezinsmonitor import disclosure, suppression, users
from gezinsmonitor.filters import Filters, period_bounds
from gezinsmonitor.organisations import rename_organisations
from gezinsmonitor.permissions import DEMO, Access, Principal
from gezinsmonitor.store import Store
from tests import apptest as ui
from tests.conftest import ROOT
from tests.test_roles import OWN, USER_KEY, secrets_of_others  # noqa: F401 (fixture)

PEIL = dt.date(2026, 10, 31)
SMALL_ORG = "Huiskamer Het Anker"  # 22 families in the samples: enough to show, small enough to hide cells
PAGE = "pages/rapport.py"


# -- reading the document back -----------------------------------------------------------------------
class Document(HTMLParser):
    """The parts of the report a test reads: sections with their figures, tables as rows of cell texts,
    every attribute, ids and links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.sections: list[dict] = []  # {"id", "heading", "figures": [{"id", "svg", "tables": [...]}], "text"}
        self.tables: list[dict] = []  # {"figure": id, "header": [...], "rows": [[...]]}
        self.tags: list[str] = []
        self._text_target: list | None = None
        self._cell: list[str] | None = None
        self._figure: dict | None = None
        self._section: dict | None = None
        self._heading: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name, value in attrs.items():
            self.attributes.append((tag, name, value or ""))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "section":
            self._section = {"id": attrs.get("id"), "heading": "", "figures": [], "text": []}
            self.sections.append(self._section)
        elif tag == "h2" and self._section is not None:
            self._heading = []
        elif tag == "article":
            self._figure = {"id": attrs.get("id"), "svg": 0, "tables": 0}
            self._section["figures"].append(self._figure)
        elif tag == "svg" and self._figure is not None:
            self._figure["svg"] += 1
        elif tag == "table":
            self.tables.append({"figure": self._figure and self._figure["id"], "header": [], "rows": []})
            if self._figure is not None:
                self._figure["tables"] += 1
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            table = self.tables[-1]
            text = "".join(self._cell).strip()
            (table["header"] if tag == "th" else table["rows"][-1]).append(text)
            self._cell = None
        elif tag == "h2" and self._heading is not None:
            self._section["heading"] = "".join(self._heading).strip()
            self._heading = None
        elif tag == "article":
            self._figure = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._section is not None:
            self._section["text"].append(data)

    def table_of(self, figure_key: str) -> dict:
        found = [t for t in self.tables if t["figure"] == report.anchor(figure_key)]
        assert len(found) == 1, f"one table for {figure_key}"
        table = found[0]
        return {"header": table["header"], "rows": [r for r in table["rows"] if r]}

    def section_text(self, section_id: str) -> str:
        return " ".join(next(s for s in self.sections if s["id"] == section_id)["text"])


# -- contexts as the page and the command build them --------------------------------------------------
@pytest.fixture(scope="module")
def stored(samples_db):
    store = Store(samples_db)
    dataset = store.load_dataset()
    store.engine.dispose()
    return dataset


def _context(dataset, principal=DEMO, filters=Filters(), peildatum=PEIL) -> PageContext:
    access = Access(principal)
    return selected_context(access, access.dataset(dataset), filters, peildatum)


def _build(ctx: PageContext) -> tuple[str, list[views.Figure]]:
    """The report and the figures it should hold, computed for the context's viewer."""
    with disclosure.audience(ctx.access.audience()):
        return report.build_report(ctx), views.figures(ctx)


@pytest.fixture(scope="module")
def owner_report(stored):
    ctx = _context(stored)
    html, figures = _build(ctx)
    return ctx, html, figures


# -- the document -------------------------------------------------------------------------------------
def test_every_theme_has_its_section_with_chart_table_n_and_definition(owner_report):
    ctx, html, figures = owner_report
    doc = Document(html)
    themes = [s for s in doc.sections if (s["id"] or "").startswith("thema-")]
    assert [s["heading"] for s in themes] == [f"{i}. {t}" for i, t in enumerate(views.THEMES, start=1)]
    shown = [f["id"] for s in themes for f in s["figures"]]
    assert shown == [report.anchor(f.key) for f in figures] and len(figures) == len(views.VIEWS)
    for section in themes:
        for fig in section["figures"]:
            assert fig["svg"] >= 1, f"{fig['id']} has no chart"
            assert fig["tables"] == 1, f"{fig['id']} has no table"
    for fig in figures:
        table = doc.table_of(fig.key)
        assert table["header"] == [str(c) for c in fig.table.columns]
        assert len(table["rows"]) == len(fig.table)
        assert html.count(f"<h3>{report._e(fig.title)}</h3>") == 1
        assert report._e(fig.n_text) in html and report._e(fig.takeaway) in html
    # Inside each chart image: its n and the source; a chart's own subtitle is kept (Voortgang's whisker note).
    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(charts) == len(figures)
    for fig, svg in zip(figures, charts):
        text = html_lib.unescape(" ".join(re.findall(r">([^<]+)<", svg)))
        assert images.plain_text(fig.n_text)[:40] in text and images.SOURCE[:30] in text, fig.key
    assert "95%-betrouwbaarheidsinterval" in html_lib.unescape(charts[[f.key for f in figures].index("voortgang")])
    definitions = doc.section_text(report.DEFINITIONS_ID)
    assert "Definities en bronnen" in definitions
    for fig in figures:
        assert fig.definition in definitions
    assert ctx.version in definitions
    cover = html.split('<nav class="toc"', 1)[0]
    assert report._e(ctx.version) in cover and "31-10-2026" in cover
    assert "Organisaties" in cover and "Stichting Thuisfront" in cover
    # A demo beheerder owns everything: no suppression note.
    assert "Kleine aantallen zijn verborgen" not in html


def test_the_table_of_contents_links_every_section(owner_report):
    _, html, figures = owner_report
    doc = Document(html)
    internal = [link[1:] for link in doc.links if link.startswith("#")]
    assert set(internal) <= doc.ids
    assert {report.theme_anchor(t) for t in views.THEMES} | {report.DEFINITIONS_ID} <= set(internal)
    assert {report.anchor(f.key) for f in figures} <= set(internal)


def test_the_report_is_self_contained(owner_report):
    _, html, _ = owner_report
    doc = Document(html)
    assert "script" not in doc.tags and "link" not in doc.tags and "img" not in doc.tags
    for tag, name, value in doc.attributes:
        if name in ("src", "href", "xlink:href"):
            assert not re.match(r"\s*(https?:)?//", value), f"<{tag} {name}={value!r}> reaches out"
        assert not name.startswith("on"), f"<{tag} {name}> runs script"
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "@import" not in style and "url(" not in style
    assert "@media print" in style and "break-before: page" in style
    # Charts from several figures share one document: their ids must not clash.
    assert len(doc.ids) == len([v for _, n, v in doc.attributes if n == "id"])


def test_a_theme_without_data_says_so_and_keeps_its_section(stored):
    ctx = _context(stored)
    empty = replace(ctx, data=replace(ctx.data, hours=ctx.data.hours.iloc[:0],
                                      measurements=ctx.data.measurements.iloc[:0]))
    doc = Document(report.build_report(empty))
    for theme in ("Voortgang", "Inzet"):
        section = next(s for s in doc.sections if s["id"] == report.theme_anchor(theme))
        assert section["figures"] == []
        assert "Geen gegevens over" in " ".join(section["text"])
    assert next(s for s in doc.sections if s["id"] == "thema-hulpvragen")["figures"]


def test_organisation_names_are_escaped_everywhere(stored):
    evil = '<img src=x onerror="alert(1)"> Zorg & Co'
    renamed = rename_organisations(stored, {"Stichting Thuisfront": evil})
    ctx = _context(renamed, filters=Filters(organisations=(evil, "Stichting Samen Verder")))
    html, _ = _build(ctx)
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=") >= 3  # cover, tables, definitions (and the charts' text)
    doc = Document(html)
    assert "img" not in doc.tags and not [n for _, n, _ in doc.attributes if n.startswith("on")]
    assert any(evil in row[0] for t in doc.tables for row in t["rows"] if row)  # read back as the name itself


def test_anonymised_names_reach_the_report_not_the_real_ones(stored):
    from components.context import anonymised, keyed_names
    ctx = _context(stored)
    html, _ = _build(anonymised(ctx, keyed_names(ctx.full)))
    assert "Organisatie A" in html and "Namen verborgen" in html
    for name in stored.families["organisation"].unique():
        assert name not in html


# -- privacy: a fund sees the page's marks -----------------------------------------------------------------
def test_a_fund_sees_small_counts_hidden_with_the_pages_marks(stored):
    one = Filters(organisations=(SMALL_ORG,))
    fund = _context(stored, Principal("f", "fonds"), one)
    html, figures = _build(fund)
    owner_html, owner_figures = _build(_context(stored, DEMO, one))
    doc, owner_doc = Document(html), Document(owner_html)
    small, mark = suppression.label(fund.access.k), suppression.HIDDEN_MARK
    note = report._e(report.suppression_text(fund))
    assert note in html and note not in owner_html
    hidden_cells = 0
    for fig in figures:
        expected = [[report.cell_text(v) for v in row] for row in fig.table.itertuples(index=False)]
        assert doc.table_of(fig.key)["rows"] == expected  # the table as the page shows it
        hidden_cells += sum(cell in (small, mark) for row in expected for cell in row)
    assert hidden_cells, "one small organisation: a fund sees some hidden cells"
    owner_cells = [c for t in owner_doc.tables for row in t["rows"] for c in row]
    assert small not in owner_cells and mark not in owner_cells  # the owner sees the numbers themselves
    assert len(owner_figures) == len(figures)


@pytest.mark.parametrize("role", ["organisatie", "fonds", "leerkring"])
def test_no_rows_of_other_organisations_reach_the_report(stored, secrets_of_others, role):
    html, _ = _build(_context(stored, Principal("x", role, OWN if role == "organisatie" else None)))
    keys, texts, files = secrets_of_others
    assert not [k for k in keys if k in html], "a family key of another organisation is in the report"
    assert not [t for t in texts if t in html], "free text of another organisation is in the report"
    assert not [f for f in files if f in html], "a file name of another organisation is in the report"


def test_the_reports_needs_table_is_the_pages_for_owner_and_fund(monkeypatch, samples_db, stored):
    """The report shows the numbers and marks of the page Hulpvragen, for the same organisation."""
    for principal in (None, Principal("f", "fonds")):
        at = ui.app_test(monkeypatch, samples_db)
        if principal:
            at.session_state[USER_KEY] = principal
        at.run()
        ui.assert_ok(at)
        at.switch_page("pages/hulpvragen.py").run()
        at.multiselect(key="f_orgs").set_value([SMALL_ORG]).run()
        ui.assert_ok(at)
        page = ui.table(at, "Leefgebied", "Gezinnen")
        html, _ = _build(_context(stored, principal or DEMO, Filters(organisations=(SMALL_ORG,))))
        shown = Document(html).table_of("hulpvragen")
        assert shown["header"] == list(page.columns)
        assert shown["rows"] == [[report.cell_text(v) for v in row] for row in page.itertuples(index=False)]
        if principal:
            assert any(c in (suppression.label(), suppression.HIDDEN_MARK) for r in shown["rows"] for c in r)


# -- the page ------------------------------------------------------------------------------------------------
def _open_page(monkeypatch, url, principal=None):
    at = ui.app_test(monkeypatch, url)
    if principal:
        at.session_state[USER_KEY] = principal
    at.run()
    ui.assert_ok(at)
    at.switch_page(PAGE).run()
    ui.assert_ok(at)
    return at


def test_the_page_makes_the_report_and_offers_the_download(monkeypatch, samples_db):
    at = _open_page(monkeypatch, samples_db)
    assert not at.get("download_button")
    at.date_input(key="rp_peildatum").set_value(PEIL).run()
    at.toggle(key="rp_anon").set_value(True).run()
    ui.button(at, "Rapport maken").click().run()
    ui.assert_ok(at)
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == ["Rapport downloaden (HTML)"]
    assert report.file_name(PEIL) == "gezinsmonitor-rapport-2026-10-31.html"
    made = at.session_state["rp_report"]
    # The file offered is this report under that name: Streamlit names a download by a hash of both.
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id
    file_id = _calculate_file_id(made["html"].encode("utf-8"), "text/html", report.file_name(PEIL))
    assert buttons[0].proto.url.endswith(f"/{file_id}.html")
    doc = Document(made["html"])
    assert [s["heading"] for s in doc.sections if (s["id"] or "").startswith("thema-")] == [
        f"{i}. {t}" for i, t in enumerate(views.THEMES, start=1)]
    assert "Stichting Thuisfront" not in made["html"] and "Organisatie A" in made["html"]
    figures = sum(len(s["figures"]) for s in doc.sections)
    assert figures and any(f"4 thema's, {figures} figuren" in s.value for s in at.success)
    preview = " ".join(m.value for m in at.markdown)
    assert all(theme in preview for theme in views.THEMES) and "Definities en bronnen" in preview
    # Another choice: the old report is not offered as if it were the new one.
    at.multiselect(key="rp_orgs").set_value(["Stichting Thuisfront"]).run()
    ui.assert_ok(at)
    assert not at.get("download_button") and any("gewijzigd" in i.value for i in at.info)


def test_the_page_refuses_bad_input_in_dutch(monkeypatch, samples_db):
    at = _open_page(monkeypatch, samples_db)
    at.date_input(key="rp_period").set_value((dt.date(2024, 3, 1),)).run()  # only a start date
    ui.assert_ok(at)
    assert any("begin- én een einddatum" in w.value for w in at.warning)
    at.date_input(key="rp_period").set_value((dt.date(2020, 1, 1), dt.date(2020, 12, 31))).run()
    ui.button(at, "Rapport maken").click().run()
    ui.assert_ok(at)
    assert any("geen gezinnen" in w.value for w in at.warning) and not at.get("download_button")


def test_a_selection_too_small_for_a_fund_is_refused(monkeypatch, samples_db):
    at = _open_page(monkeypatch, samples_db, Principal("f", "fonds"))
    assert at.toggle(key="rp_anon")  # a fund may anonymise; only the leerkring sees letters already
    at.date_input(key="rp_period").set_value((dt.date(2024, 1, 1), dt.date(2024, 1, 20))).run()  # 5 families
    ui.button(at, "Rapport maken").click().run()
    ui.assert_ok(at)
    assert any("minder dan 10 gezinnen" in w.value for w in at.warning)
    assert not at.get("download_button") and "rp_report" not in at.session_state


def test_the_learning_circle_gets_no_anonymise_toggle(monkeypatch, samples_db):
    at = _open_page(monkeypatch, samples_db, Principal("k", "leerkring"))
    assert not [t for t in at.get("toggle") if t.key == "rp_anon"]
    assert "Organisatie A" in at.multiselect(key="rp_orgs").options


# -- the command line ---------------------------------------------------------------------------------------
def cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GEZINSMONITOR_DB", None)
    return subprocess.run([sys.executable, "-m", "gezinsmonitor", "report", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def test_the_command_writes_the_report(samples_db, tmp_path, stored):
    out = tmp_path / "rapport.html"
    result = cli(out, "--db", samples_db, "--peildatum", PEIL.isoformat(), "--organisatie", "Stichting Thuisfront",
                 "Stichting Samen Verder", "--van", "2024-06-01")
    assert result.returncode == 0, result.stderr
    assert "Rapport geschreven" in result.stdout and result.stderr == ""
    html = out.read_text(encoding="utf-8")
    doc = Document(html)
    assert [s["heading"] for s in doc.sections if (s["id"] or "").startswith("thema-")] == [
        f"{i}. {t}" for i, t in enumerate(views.THEMES, start=1)]
    assert "01-06-2024 t/m" in html and "Stichting Samen Verder" in html and "Wijkpost De Overkant" not in html
    # The same numbers as built in-process for that selection.
    bounds = period_bounds(stored)
    ctx = _context(stored, filters=Filters(organisations=("Stichting Thuisfront", "Stichting Samen Verder"),
                                           period=(dt.date(2024, 6, 1), bounds[1])))
    _, figures = _build(ctx)
    assert len(figures) >= len(views.THEMES)
    for fig in figures:
        assert doc.table_of(fig.key)["rows"] == [[report.cell_text(v) for v in r]
                                                  for r in fig.table.itertuples(index=False)]


def test_the_command_hides_small_counts_for_a_fund_user(samples_db, tmp_path):
    secrets = tmp_path / "secrets.toml"
    for user in (users.User("fenna", "fonds", email="f@fonds.nl"),
                 users.User("kees", "leerkring", email="k@kring.nl")):
        users.save_user(user, secrets)
    out = tmp_path / "fonds.html"
    result = cli(out, "--db", samples_db, "--gebruiker", "fenna", "--secrets", secrets, "--organisatie", SMALL_ORG)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    doc = Document(html)
    cells = [c for t in doc.tables for row in t["rows"] for c in row]
    assert suppression.label() in cells or suppression.HIDDEN_MARK in cells
    assert "Kleine aantallen zijn verborgen" in html and "Fonds" in html
    # A learning circle knows organisations by letter only: a real name is unknown to it.
    refused = cli(tmp_path / "kring.html", "--db", samples_db, "--gebruiker", "kees", "--secrets", secrets,
                  "--organisatie", SMALL_ORG)
    assert refused.returncode == 2 and "Onbekende organisatie" in refused.stderr
    assert SMALL_ORG not in refused.stderr.split("Kies uit:")[1]  # the choices it is offered are letters
    assert not (tmp_path / "kring.html").exists()


@pytest.mark.parametrize("args, message", [
    (["--organisatie", "Stichting Bestaat Niet"], "Onbekende organisatie: Stichting Bestaat Niet"),
    (["--van", "2025-06-01", "--tot", "2025-01-01"], "is leeg"),
    (["--van", "31-02-2025"], "geen geldige datum"),
    (["--van", "2020-01-01", "--tot", "2020-12-31"], "geen gezinnen"),
])
def test_the_command_refuses_bad_input_with_exit_2(samples_db, tmp_path, args, message):
    out = tmp_path / "rapport.html"
    result = cli(out, "--db", samples_db, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert not out.exists()


@pytest.mark.skipif(not shutil.which("chromium"), reason="PDF needs headless Chromium")
def test_the_command_writes_a_pdf_with_chromium(samples_db, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = cli(out, "--db", samples_db, "--anoniem")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 6  # cover, four themes, definitions
