"""Hardened upload and safe output (issue 5, points 6 and 7), checked on what the reader and the exporter really do:
formulas read as stored values, macros never run, entities never expanded, CSV read as text, exported text never
a live formula, no user text rendered as HTML, and a <script> label shown as plain text on Te beoordelen."""
from __future__ import annotations

import ast
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from gezinsmonitor import config
from gezinsmonitor.export import export_workbook, write_tables
from gezinsmonitor.store import Store
from loaders import workbook as wbk
from loaders.upload import import_upload, read_upload
from tests import apptest as ui
from tests import corpus

ROOT = Path(__file__).resolve().parent.parent


def grid_of(data: bytes, name: str = "x.xlsx"):
    upload = read_upload(data, name)
    assert not upload.refused, upload.report.to_text()
    return upload


# -- reading ----------------------------------------------------------------------------------------
def test_formulas_are_read_as_their_cached_values_never_evaluated():
    upload = grid_of(corpus.formulas(Path()))
    rows = upload.grids[0].rows
    assert rows[1][3] == 2  # "=1+1" with Excel's stored result 2
    assert rows[2][3] == ""  # SUM(D2,40) without a stored result: not computed to 42
    assert any("formules zonder opgeslagen uitkomst" in i.message for i in upload.report.warnings)


def test_xlsm_is_read_for_its_data_only():
    data = corpus.macro_workbook(Path())
    import zipfile
    assert "xl/vbaProject.bin" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    upload = grid_of(data, "macro.xlsm")
    assert upload.opened.kind == "xlsm"
    assert upload.grids[0].rows == corpus.ROWS
    assert any("macro's" in i.message for i in upload.report.warnings)


def test_legacy_xls_and_ods_are_read():
    xls = grid_of(corpus.legacy_xls(Path()), "oud.xls")
    assert xls.opened.kind == "xls" and xls.grids[0].rows == corpus.ROWS
    ods = grid_of(corpus.ods(corpus.ods_table("Registratie", corpus.ROWS)), "blad.ods")
    assert ods.opened.kind == "ods" and ods.grids[0].rows == corpus.ROWS


@pytest.mark.parametrize("encoding, sep, bom", [("utf-8", ";", True), ("utf-8", ",", False), ("cp1252", ";", False),
                                                ("utf-8", "\t", False)])
def test_csv_encodings_separators_and_quotes(encoding, sep, bom):
    rows = corpus.ROWS + [["K4", "2-5-2024", f'geldzorgen{sep} één "maaltijd"\nper dag']]
    data = corpus._csv(rows, sep).encode(encoding)
    upload = grid_of((b"\xef\xbb\xbf" if bom else b"") + data, "registratie.xlsx")  # the name does not matter
    assert upload.opened.kind == "csv" and upload.grids[0].rows == rows


def test_csv_formula_text_is_stored_as_plain_text_and_exported_as_text(sqlite_url, tmp_path):
    store = Store(sqlite_url)
    case = next(c for c in corpus.CASES if c.name == "csv_formules.csv")
    result, _ = import_upload(store, read_upload(case.make(tmp_path), case.name), organisation=corpus.ORG,
                              accept_suggestions=True)
    assert result.status == "imported", result.report.to_text()
    labels = set(store.load_dataset().requests["label_raw"].dropna())
    assert {corpus.FORMULA_LABEL, "@SUM(1+1)", corpus.SCRIPT_LABEL} <= labels
    buffer = io.BytesIO()
    export_workbook(store.load_dataset(), buffer)
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["hulpvragen"]
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert cells[corpus.FORMULA_LABEL] == "s" and cells["@SUM(1+1)"] == "s"
    assert not any(t == "f" for t in cells.values())


def test_calamine_does_not_expand_entities_even_without_our_guard():
    """Defence in depth: were the DOCTYPE scan to miss something, the reader refuses unknown entities itself."""
    for make in (corpus.billion_laughs, corpus.xxe):
        data = make(Path())
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            rows = book.get_sheet_by_index(0).to_python()
        except Exception:
            continue  # refused by the reader: nothing expanded
        text = " ".join(str(v) for row in rows for v in row)
        assert "lollol" not in text and "root:" not in text


def test_size_limit_is_checked_before_reading(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "MAX_UPLOAD_MB", 1)
    path = tmp_path / "groot.xlsx"
    path.write_bytes(b"\0" * (1024 * 1024 + 1))
    upload = read_upload(path)
    assert upload.refused and "groter dan 1 MB" in upload.report.errors[0].message
    assert upload.sha256 == ""  # refused on its size alone: the content was not even hashed
    assert read_upload(io.BytesIO(b"\0" * (1024 * 1024 + 1)), "x.xlsx").refused


def test_big_real_workbook_passes_the_guards_quickly(tmp_path):
    """20,000 families × 20 columns: far above a real registration, and not mistaken for a bomb."""
    import time
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Gezinnen")
    ws.append([f"kolom {j}" for j in range(20)])
    for i in range(20_000):
        ws.append([f"G{i}", i, "schulden", 3.5, "2024-01-01"] * 4)
    path = tmp_path / "groot.xlsx"
    wb.save(path)
    started = time.perf_counter()
    opened = wbk.open_workbook(path)
    assert opened.refusal is None, opened.refusal.to_text()
    assert time.perf_counter() - started < 10


# -- output -----------------------------------------------------------------------------------------
def test_exported_text_never_becomes_a_formula(tmp_path):
    values = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1", "gewoon", "=1+1"]
    out = tmp_path / "export.xlsx"
    write_tables(out, {"t": pd.DataFrame({"x": values})})
    ws = openpyxl.load_workbook(out)["t"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [v.replace("\r", "\n") for v in values]  # XML normalises a lone CR
    assert all(c.data_type == "s" for c in cells)


def test_no_html_rendering_of_non_constant_text():
    """unsafe_allow_html / st.html only with a literal, with maps.legend_html (built from numbers only) or with
    slides.slide_html (escapes every text it is given)."""
    allowed_calls = {"legend_html", "slide_html"}
    offenders = []
    for path in [*ROOT.glob("*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("components/**/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            unsafe = any(k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                         for k in node.keywords)
            if not (unsafe or name == "html" and isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "st"):
                continue
            arg = node.args[0] if node.args else None
            constant = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            allowed = isinstance(arg, ast.Call) and getattr(arg.func, "attr", getattr(arg.func, "id", "")) in allowed_calls
            if not (constant or allowed):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_legend_html_carries_only_numbers_and_fixed_words():
    import inspect
    import re

    from components import maps
    # Its inputs are a threshold and a flag: no parameter through which user text could arrive.
    assert set(inspect.signature(maps.legend_html).parameters) <= {"k", "protected"}
    for k in (3, 10, 25):
        for protected in (True, False):
            text = re.sub(r"<[^>]+>", "", maps.legend_html(k, protected))
            labels = "".join(label for label, _ in maps.classes(k, protected))
            assert text == "Gezinnen per wijk:" + labels.replace("<", "&lt;").replace(">", "&gt;") + "organisatie"
    with pytest.raises((TypeError, ValueError)):
        maps.legend_html("<script>alert(1)</script>")


def test_slide_html_escapes_every_text_and_only_knows_its_own_classes():
    from components import slides
    html = slides.slide_html(("gm-slide-title", '<script>alert(1)</script> & "Org"'), ("gm-slide-print", "<b>x</b>"))
    body = html.removeprefix(slides.STYLE)
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Org&quot;" in body
    with pytest.raises(ValueError):
        slides.slide_html(('x" onclick="alert(1)', "tekst"))


def test_script_label_is_shown_as_text_on_te_beoordelen(monkeypatch, sqlite_url, tmp_path):
    store = Store(sqlite_url)
    rows = corpus.ROWS + [["K9", "6-5-2024", corpus.SCRIPT_LABEL]]
    result, _ = import_upload(store, read_upload(corpus._csv(rows).encode(), "eigen.csv"), organisation=corpus.ORG,
                              accept_suggestions=True)
    assert result.status == "imported", result.report.to_text()
    assert corpus.SCRIPT_LABEL in set(store.review_queue()["tekst"])
    store.engine.dispose()
    at = ui.start(monkeypatch, sqlite_url, "pages/te_beoordelen.py")
    editor = at.data_editor[0].value
    assert corpus.SCRIPT_LABEL in editor["tekst"].tolist()  # the literal text, in a data grid (never HTML)
    for element in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success, *at.title,
                    *at.subheader, *at.header, *at.text]:
        value = str(getattr(element, "value", "") or getattr(element, "body", ""))
        assert "<script>" not in value, (element.type, value)
        assert not getattr(element.proto, "allow_html", False)


def test_a_small_file_with_thousands_of_columns_is_refused_quickly(tmp_path):
    """Recognising a column takes tens of milliseconds: 5,000 columns in a 40 KB CSV would hold the page for
    minutes. It is refused before the columns are read, and nothing is stored."""
    import time

    from gezinsmonitor.store import Store
    from loaders.upload import MAX_COLUMNS, import_upload, read_upload
    header = ";".join(["Gezin"] + [f"k{i}" for i in range(5000)])
    row = ";".join(["G1"] + ["x"] * 5000)
    started = time.perf_counter()
    upload = read_upload(f"{header}\n{row}\n".encode(), "breed.csv")
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    result, _ = import_upload(store, upload, organisation="Breed", accept_suggestions=True)
    assert time.perf_counter() - started < 30  # generous: the point is minutes, not seconds
    assert result.status == "refused" and store.is_empty()
    assert any(f"hooguit {MAX_COLUMNS}" in i.message for i in upload.report.errors)
