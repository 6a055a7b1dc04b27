"""Every file of the hostile-upload corpus (tests/corpus.py, plus tests/corpus_identifiers.py when present) through
the one door of the product: read_upload + import_upload, into a fresh store and into a store that already holds
data. Each gives its Dutch message, a refused file leaves every table as it was, and each finishes quickly with
bounded memory (Python allocations through tracemalloc, and the process's peak resident memory, which also counts
the Rust reader, where Linux lets us reset it)."""
from __future__ import annotations

import hashlib
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import MetaData, func, select

from gezinsmonitor.store import Store
from loaders.upload import import_upload, read_upload
from tests.corpus import CASES, ORG
from tests.helpers import fixture_store

try:  # written by the identifier helper; the corpus stands on its own without it
    from tests.corpus_identifiers import IDENTIFIER_CASES
except ImportError:
    IDENTIFIER_CASES = []

ALL_CASES = [*CASES, *IDENTIFIER_CASES]
MAX_SECONDS = 20.0
MAX_PYTHON_MB = 200.0
MAX_RSS_GROWTH_MB = 400.0
FIGURES: list[tuple] = []


def test_corpus_is_large_and_names_are_unique():
    assert len(CASES) >= 25
    names = [c.name for c in ALL_CASES]
    assert len(names) == len(set(names))
    assert all(c.why for c in CASES)


def snapshot(store: Store) -> dict[str, tuple[int, str]]:
    """Every table: its row count and a digest of its rows in a stable order."""
    meta = MetaData()
    meta.reflect(store.engine)
    out = {}
    with store.engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            rows = conn.execute(select(table)).all()
            digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            count = conn.execute(select(func.count()).select_from(table)).scalar_one()
            out[name] = (count, digest)
    return out


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def run_case(case, path: Path, store: Store):
    """Upload one file as the page and the command line do; return (result, upload, seconds, python MB, rss MB)."""
    can_reset = _reset_peak_rss()
    rss_before = _status_kb("VmRSS")
    tracemalloc.start()
    started = time.perf_counter()
    upload = read_upload(path)
    organisation = case.organisation if upload.is_registratieformat else (case.organisation or ORG)
    result, _ = import_upload(store, upload, organisation=organisation, accept_suggestions=True)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = (_status_kb("VmHWM") - rss_before) / 1024 if can_reset else float("nan")
    return result, upload, seconds, peak / 2 ** 20, rss_growth


def said(result) -> str:
    """Everything the user reads about this upload: the outcome and every message with its advice."""
    return " ".join([result.message, *(f"{i.message} {i.fix}" for i in result.report.issues)])


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory) -> Path:
    """A SQLite file with both fixture workbooks imported: refused files must leave it exactly as it was."""
    from tests.fixtures import write_fixture_workbooks
    directory = tmp_path_factory.mktemp("corpus_filled")
    path = directory / "filled.db"
    fixture_store(f"sqlite:///{path}", write_fixture_workbooks(directory)).engine.dispose()
    return path


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.name for c in ALL_CASES])
def test_corpus_file(case, tmp_path, filled_db):
    path = tmp_path / case.name
    path.write_bytes(case.make(tmp_path))

    fresh = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    before = snapshot(fresh)
    result, upload, seconds, python_mb, rss_mb = run_case(case, path, fresh)
    text = said(result)
    assert case.expect.lower() in text.lower(), f"{case.name}: expected {case.expect!r} in {text!r}"
    if case.stored:
        assert result.status == "imported", text
        assert not fresh.is_empty()
    else:
        assert result.status == "refused", text
        assert "niets opgeslagen" in result.message
        assert snapshot(fresh) == before  # every table, row for row
        assert fresh.is_empty()
    fresh.engine.dispose()

    # A store that already holds data: a refused file changes no table; an accepted one only adds.
    copy = tmp_path / "filled.db"
    shutil.copy(filled_db, copy)
    filled = Store(f"sqlite:///{copy}")
    before = snapshot(filled)
    result2, *_ = run_case(case, path, filled)
    after = snapshot(filled)
    filled.engine.dispose()
    assert result2.status == result.status, said(result2)
    if not case.stored:
        assert after == before

    FIGURES.append((case.name, upload.opened.kind or "-", result.status, path.stat().st_size, seconds, python_mb,
                    rss_mb))
    assert seconds < MAX_SECONDS, f"{case.name} took {seconds:.1f} s"
    assert python_mb < MAX_PYTHON_MB, f"{case.name} allocated {python_mb:.0f} MB in Python"
    if rss_mb == rss_mb:  # measured (not NaN)
        assert rss_mb < MAX_RSS_GROWTH_MB, f"{case.name} grew the process by {rss_mb:.0f} MB"


def test_print_corpus_figures(capsys):
    """Runs after the cases (pytest keeps file order): the table the closing note quotes (-s to see it)."""
    if not FIGURES:
        pytest.skip("run together with test_corpus_file")
    lines = [f"{'bestand':<42} {'soort':<5} {'uitkomst':<9} {'bytes':>11} {'s':>6} {'py MB':>7} {'rss MB':>7}"]
    for name, kind, status, size, seconds, python_mb, rss_mb in FIGURES:
        lines.append(f"{name:<42} {kind:<5} {status:<9} {size:>11,} {seconds:>6.2f} {python_mb:>7.1f} {rss_mb:>7.1f}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert len(FIGURES) == len(ALL_CASES)
