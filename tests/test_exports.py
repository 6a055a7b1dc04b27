"""Exports of the dashboard: tables as Excel and CSV (gezinsmonitor/tables.py), charts as slide images
(components/images.py), and the download buttons on the pages that offer exactly what the page shows."""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile

import altair as alt
import openpyxl
import pandas as pd
import pytest
import streamlit as st
from PIL import Image

from components import charts, images
from gezinsmonitor import formatting, metrics, suppression, tables
from gezinsmonitor.export import write_tables
from gezinsmonitor.permissions import Principal
from tests import apptest as ui

INJECTIONS = ['=HYPERLINK("http://x","klik")', "+31 6", "@SUM(A1)", "-2 kinderen", "\t=1+1", "=1+1"]


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _csv_rows(data: bytes) -> list[list[str]]:
    import csv
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Dutch Excel reads the accents right
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))


@pytest.fixture
def shown() -> pd.DataFrame:
    """A table as the pages show one: numbers, Dutch number text, marks and other text side by side."""
    return pd.DataFrame({
        "Organisatie": ["Stichting Één", "Buurtwerk", "Totaal"],
        "Gezinnen": [1234, 12, 1246],                   # int64
        "Mediaan": [2.25, 3.5, float("nan")],          # float64 with a gap
        "Aantal (tekst)": ["1.234", "<10", "×"],       # formatting.count and marks
        "% van de gezinnen": ["79,3 %", "12%", "–"],   # pct_text and formatting.percent
        "Uur/week": ["-0,5", "3 u 5 min", "45 (41–49)"],
        "Start": [pd.Timestamp("2026-10-31"), pd.Timestamp("2025-01-02"), pd.NaT],
        "Toelichting": ["x" * 200, "kort", "postcode 0612"],
    })


# -- Dutch number text -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, fmt", [
    ("1.234", 1234, "#,##0"), ("0", 0, "#,##0"), ("1.234.567", 1234567, "#,##0"), ("79,3", 79.3, "#,##0.0"),
    ("-0,5", -0.5, "#,##0.0"), ("2,25", 2.25, "#,##0.00"), ("79,3 %", 0.793, "0.0%"), ("12%", 0.12, "0%"),
    ("0,4\u00a0%", 0.004, "0.0%")])
def test_dutch_number_text_becomes_a_number(text, value, fmt):
    parsed = tables.dutch_number(text)
    assert parsed is not None and parsed[0] == pytest.approx(value) and parsed[1] == fmt


@pytest.mark.parametrize("text", ["<10", "×", "–", "45 (41–49)", "3 u 5 min", "007", "1.23", "12,", "1,234.5",
                                  "+31 6", "n < 30", "72,9–83,8%", ""])
def test_other_text_stays_text(text):
    assert tables.dutch_number(text) is None


# -- Excel -------------------------------------------------------------------------------------------
def test_xlsx_is_a_clean_grid_with_dutch_number_formats(shown):
    wb = _open(tables.to_xlsx(shown, sheet="Hulpvragen", notes=["Hulpvragen per leefgebied", "n = 1.246 gezinnen"]))
    assert wb.sheetnames == ["Hulpvragen", tables.NOTES_SHEET]
    ws = wb["Hulpvragen"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == list(shown.columns) and all(c.font.b for c in ws[1])
    widths = {col: ws.column_dimensions[col].width for col in "ABCDEFGH"}
    assert widths["H"] == tables.MAX_WIDTH  # 200 characters: capped
    assert widths["A"] >= len("Stichting Één") and widths["B"] < widths["A"]
    assert widths["E"] >= len("% van de gezinnen")
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    one, two, total = rows["Stichting Één"], rows["Buurtwerk"], rows["Totaal"]
    # Numeric dtypes: numbers, whole numbers as '#,##0', others '#,##0.0'; a gap stays empty.
    assert (one[1].value, one[1].number_format) == (1234, "#,##0")
    assert (one[2].value, one[2].number_format) == (2.25, "#,##0.0")
    assert total[2].value is None
    # Text that is a plain Dutch number: a number Excel can compute with; a percentage as a fraction.
    assert (one[3].value, one[3].number_format, one[3].data_type) == (1234, "#,##0", "n")
    assert one[4].value == pytest.approx(0.793) and one[4].number_format == "0.0%"
    assert two[4].value == pytest.approx(0.12) and two[4].number_format == "0%"
    assert one[5].value == -0.5 and one[5].data_type == "n"
    # Marks and other text stay text.
    assert [two[3].value, total[3].value, total[4].value] == ["<10", "×", "–"]
    assert [two[5].value, total[5].value] == ["3 u 5 min", "45 (41–49)"]
    assert all(c.data_type == "s" for c in (two[3], total[3], total[4], two[5], total[5], total[7]))
    assert total[7].value == "postcode 0612"
    # Dates as dates, shown dd-mm-yyyy.
    assert one[6].value == dt.datetime(2026, 10, 31) and one[6].number_format == "DD-MM-YYYY"
    notes = [r[0].value for r in wb[tables.NOTES_SHEET].iter_rows()]
    assert notes == ["Hulpvragen per leefgebied", "n = 1.246 gezinnen"]


def test_xlsx_numbers_read_back_as_the_page_printed_them(shown):
    """Formatted with the project's own formatter, every number cell gives the text the page showed."""
    ws = _open(tables.to_xlsx(shown)).active
    checked = 0
    for row, (_, expected) in zip(ws.iter_rows(min_row=2), shown.iterrows()):
        for cell, text in zip(row, expected):
            if cell.data_type == "n" and isinstance(text, str):
                assert _as_printed(cell) == re.sub(r"\s", "", text), (cell.coordinate, text)
                checked += 1
    assert checked >= 4  # the page's number texts became numbers


def _as_printed(cell) -> str:
    """A number cell as Dutch text with the decimals of its format ('0.0%' → '79,3%')."""
    fmt = cell.number_format
    digits = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return formatting.number(cell.value * 100, digits) + "%"
    return formatting.number(cell.value, digits)


def test_workbook_holds_several_tables_and_valid_sheet_names(shown):
    wb = _open(tables.workbook({"Hulpvragen/leefgebied": shown, "Inzet": shown.head(1), "x" * 40: shown},
                               notes=["n = 3"]))
    assert wb.sheetnames == ["Hulpvragen-leefgebied", "Inzet", "x" * 31, tables.NOTES_SHEET]
    assert wb["Inzet"].max_row == 2


def _no_formula_anywhere(data: bytes) -> None:
    """No cell of any sheet is a formula, in the file itself (not only as openpyxl reads it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml and 't="str"' not in xml, name


def test_no_exported_cell_is_a_live_formula():
    frame = pd.DataFrame({"Organisatie": INJECTIONS, "=kolom": range(len(INJECTIONS))})
    data = tables.to_xlsx(frame, notes=['=HYPERLINK("http://x")'])
    _no_formula_anywhere(data)
    wb = _open(data)
    ws = wb["Tabel"]
    assert ws["B1"].value == "=kolom" and ws["B1"].data_type == "s"
    cells = [r[0] for r in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == INJECTIONS and all(c.data_type == "s" for c in cells)
    assert wb[tables.NOTES_SHEET]["A1"].data_type == "s"
    # The raw export (python -m gezinsmonitor export) shares the guard.
    out = io.BytesIO()
    write_tables(out, {"t": frame})
    _no_formula_anywhere(out.getvalue())
    assert all(r[0].data_type == "s" for r in _open(out.getvalue())["t"].iter_rows(min_row=2))


def test_raw_export_gets_widths_and_a_frozen_header():
    out = io.BytesIO()
    write_tables(out, {"gezinnen": pd.DataFrame({"organisatie": ["Stichting Samen Verder"], "gezin": ["a"]})})
    ws = _open(out.getvalue())["gezinnen"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= len("Stichting Samen Verder")


# -- CSV ---------------------------------------------------------------------------------------------
def test_csv_for_dutch_excel(shown):
    data = tables.to_csv(shown)
    rows = _csv_rows(data)
    assert b";" in data.splitlines()[0] and data.count(b"\r\n") == len(shown) + 1
    assert rows[0] == list(shown.columns)
    one, two, total = rows[1:]
    assert one[:7] == ["Stichting Één", "1234", "2,25", "1.234", "79,3 %", "-0,5", "31-10-2026"]
    assert two[1:6] == ["12", "3,5", "<10", "12%", "3 u 5 min"]
    assert total[2] == "" and total[6] == ""


def test_csv_text_never_starts_a_formula():
    frame = pd.DataFrame({"Organisatie": INJECTIONS + ["-0,5", "-1.234"], "=kolom": range(len(INJECTIONS) + 2)})
    rows = _csv_rows(tables.to_csv(frame))
    assert rows[0] == ["Organisatie", "'=kolom"]
    values = [r[0] for r in rows[1:]]
    assert values[:len(INJECTIONS)] == ["'" + v for v in INJECTIONS]
    assert values[len(INJECTIONS):] == ["-0,5", "-1.234"]  # a negative number stays a number


# -- images ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def needs_chart():
    requests = pd.DataFrame({"family": ["f1", "f1", "f2", "f3", "f4"],
                             "leefgebied": ["Financiën", "Sociaal", "Financiën", "Wonen", "Gezondheid"],
                             "categorie": ["Schulden", None, "Acute nood", None, None]})
    return charts.needs_bars(metrics.needs(requests), "families_pct", "Financiën")  # layered, with a selection


LINES = images.slide_lines("**n = 4 gezinnen** met een hulpvraag", "Aandeel van de gezinnen " * 12,
                           "geen filters; peildatum 31-10-2026", "versie 3 · laatste upload 01-11-2026 10:00 UTC")


def test_slide_lines_are_plain_and_complete():
    assert LINES[0] == "n = 4 gezinnen met een hulpvraag"
    assert LINES[1].startswith("Definitie: Aandeel")
    assert LINES[2] == "Filters: geen filters; peildatum 31-10-2026"
    assert LINES[3].startswith("Gegevens: versie 3") and images.SOURCE in LINES[3]


def test_png_is_a_full_slide_with_its_title(needs_chart):
    png = images.chart_image(needs_chart, "png", title="Per leefgebied", lines=LINES)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size == images.SLIDE_SIZE == (1920, 1080)
    pixels = image.load()
    dark = sum(pixels[x, y] < 128 for x in range(0, 1920, 4) for y in range(0, 1080, 4))
    assert dark > 3000  # bars, axes and text: not a blank canvas
    # The title is inside the image, on top: dark pixels in the upper band, white in the margin above it.
    band = image.crop((0, 0, 1920, 160))
    assert band.getextrema()[0] < 60
    assert image.crop((0, 0, 1920, images.MARGIN_PX - 8)).getextrema() == (255, 255)
    # Centred: the white margins left and right are about equal.
    columns = [x for x in range(1920) if image.crop((x, 0, x + 1, 1080)).getextrema()[0] < 200]
    assert abs(columns[0] - (1919 - columns[-1])) < 12


def test_svg_is_a_full_slide_with_title_and_small_print(needs_chart):
    svg = images.chart_image(needs_chart, "svg", title="Per leefgebied", lines=LINES).decode()
    head = re.match(r"<svg\b[^>]*>", svg).group(0)
    assert 'width="1920"' in head and 'height="1080"' in head and 'viewBox="0 0 1920 1080"' in head
    # The chart's own title names the measure, and contains the page's subheader: it leads.
    assert ">Hulpvragen per leefgebied — % van de gezinnen<" in svg
    assert ">n = 4 gezinnen met een hulpvraag<" in svg and "Bron: Gezinsmonitor" in svg
    assert "Financiën" in svg and "<rect" in svg


def test_image_size_and_a_concatenated_chart():
    frame = pd.DataFrame({"x": ["a", "b", "c"], "y": [1.5, 2.25, 3]})
    base = alt.Chart(frame).mark_bar().encode(x="x:N", y="y:Q")
    chart = alt.vconcat(base, base.mark_point()).configure(locale=charts.DUTCH_NUMBERS)
    png = images.chart_image(chart, "png", title="Twee grafieken", lines=["n = 3"], size=(1280, 720))
    assert Image.open(io.BytesIO(png)).size == (1280, 720)
    svg = images.chart_image(chart, "svg", title="Twee grafieken", lines=["n = 3"], size=(1280, 720)).decode()
    assert 'width="1280"' in svg and ">Twee grafieken<" in svg
    assert ">0,5<" in svg and ">0.5<" not in svg  # axis ticks with the chart's Dutch locale


def test_title_and_small_print_are_slide_sized(needs_chart):
    """40 px title and 20 px small print after scaling on a 1920×1080 slide (in proportion on a smaller one),
    whatever the chart's own size."""
    for size in ((1920, 1080), (1280, 720)):
        spec, _svg, scale = images._layout(needs_chart, "Per leefgebied", LINES, size)
        unit = size[1] / 1080
        assert spec["title"]["fontSize"] * scale == pytest.approx(images.TITLE_PX * unit, rel=0.05)
        assert spec["title"]["subtitleFontSize"] * scale == pytest.approx(images.LINE_PX * unit, rel=0.05)
        assert max(len(line) for line in spec["title"]["subtitle"]) <= images.LINE_CHARS
        assert len(spec["title"]["subtitle"]) > len(LINES)  # the long definition wrapped


def test_unknown_image_format_is_refused(needs_chart):
    with pytest.raises(ValueError):
        images.chart_image(needs_chart, "jpg", title="x")


# -- the pages ---------------------------------------------------------------------------------------
def _recording(monkeypatch) -> dict[str, object]:
    """file name → data callable of every download button a page offers (the page calls st.download_button)."""
    offered: dict[str, object] = {}
    original = st.download_button

    def record(label, data, *args, **kwargs):
        offered[kwargs["file_name"]] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", record)
    return offered


def _xlsx_matches_page(data: bytes, page_table: pd.DataFrame) -> None:
    """The first sheet holds the page's table cell for cell: numbers equal, text equal (marks included)."""
    rows = list(_open(data).worksheets[0].iter_rows())
    assert [c.value for c in rows[0]] == list(page_table.columns)
    assert len(rows) - 1 == len(page_table) > 0
    for row, (_, expected) in zip(rows[1:], page_table.iterrows()):
        for cell, value in zip(row, expected):
            if isinstance(value, str):
                if cell.data_type == "n":
                    assert _as_printed(cell) == re.sub(r"\s", "", value), (cell.coordinate, value)
                else:
                    assert cell.value == value, (cell.coordinate, value)
            elif pd.isna(value):
                assert cell.value is None
            else:
                assert cell.value == pytest.approx(value), (cell.coordinate, value)


def _csv_matches_page(data: bytes, page_table: pd.DataFrame) -> None:
    rows = _csv_rows(data)
    assert rows[0] == list(page_table.columns) and len(rows) - 1 == len(page_table)
    for i, col in enumerate(page_table.columns):  # every cell: text as shown, a number with a decimal comma
        got = [r[i] for r in rows[1:]]
        values = page_table[col]
        if pd.api.types.is_numeric_dtype(values):
            assert [float(g.replace(".", "").replace(",", ".")) if g else None for g in got] == pytest.approx(
                [None if pd.isna(v) else float(v) for v in values]), col
        else:
            assert got == ["" if pd.isna(v) else str(v) for v in values], col


def test_hulpvragen_offers_every_chart_and_table(monkeypatch, samples_db):
    offered = _recording(monkeypatch)
    at = ui.open_app(monkeypatch, samples_db, samples=True)
    offered.clear()  # what the first page (Overzicht) offered
    ui.open_page(at, "pages/hulpvragen.py")
    labels = [b.proto.label for b in at.get("download_button")]
    n_charts, n_tables = len(at.get("vega_lite_chart")), len(at.get("dataframe"))
    assert labels.count("PNG (dia, 1920 × 1080)") == labels.count("SVG (schaalbaar)") == n_charts >= 7
    assert labels.count("Excel (.xlsx)") == labels.count("CSV (;-gescheiden)") == n_tables >= 6
    assert len(set(offered)) == len(labels)  # one file name per button
    assert {"hulpvragen-per-leefgebied.png", "hulpvragen-per-leefgebied.xlsx", "aantal-hulpvragen-per-gezin.svg",
            "hulpvragen-naar-gezinssamenstelling.csv"} <= set(offered)

    page_table = ui.table(at, "Leefgebied", "95%-BI (gezinnen)")
    xlsx = offered["hulpvragen-per-leefgebied.xlsx"]()
    _xlsx_matches_page(xlsx, page_table)
    notes = [r[0].value for r in _open(xlsx)[tables.NOTES_SHEET].iter_rows()]
    assert notes[0] == "Hulpvragen per leefgebied" and any(n.startswith("n = ") for n in notes)
    assert any(n.startswith("Gegevens: versie") for n in notes)
    _csv_matches_page(offered["hulpvragen-per-leefgebied.csv"](), page_table)

    png = offered["hulpvragen-per-leefgebied.png"]()
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    svg = offered["hulpvragen-per-leefgebied.svg"]().decode()
    caption = next(c for c in ui.captions(at) if c.startswith("**n = "))
    n_text = caption.split("**")[1]
    assert f">{html.escape(n_text, quote=False)}<" in svg


def test_inzet_exports_what_a_protected_viewer_sees(monkeypatch, samples_db):
    """An organisation sees the others' small groups as marks: the Excel holds the same marks, as text."""
    offered = _recording(monkeypatch)
    at = ui.app_test(monkeypatch, samples_db)
    at.session_state["gm_principal"] = Principal("gebruiker", "organisatie", "Stichting Samen Verder")
    at.run()
    offered.clear()
    ui.open_page(at, "pages/inzet.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("PNG (dia, 1920 × 1080)") == len(at.get("vega_lite_chart")) >= 3
    assert labels.count("Excel (.xlsx)") == len(at.get("dataframe")) >= 2
    for name in ("inzet-uren-per-organisatie", "inzet-uren-per-week-per-soort-steun"):
        assert {f"{name}.xlsx", f"{name}.csv"} <= set(offered)
    page_table = ui.table(at, "Organisatie", "Moment", "Inzet totaal (uur/week)")
    marks = {suppression.HIDDEN_MARK, suppression.label()}
    assert marks & set(page_table.astype(str).to_numpy().ravel())  # the check has teeth: something is hidden
    data = offered["inzet-uren-per-organisatie.xlsx"]()
    _xlsx_matches_page(data, page_table)
    cells = {c.value for row in _open(data).worksheets[0].iter_rows() for c in row}
    assert marks & cells
    _csv_matches_page(offered["inzet-uren-per-organisatie.csv"](), page_table)
