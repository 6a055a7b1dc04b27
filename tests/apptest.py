"""What the page tests share: stores to open the app on, the app opened on a page through Streamlit's AppTest,
readers for what a page shows, and the check that everything sent to the browser is strict JSON.

The store fixtures built from these (fixture_db, samples_db, empty_db) live in tests/conftest.py."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import streamlit as st
from streamlit.testing.v1 import AppTest

from gezinsmonitor import config, suppression
from gezinsmonitor.store import Store
from loaders.samples import load_samples
from tests.fixtures import write_fixture_workbooks
from tests.helpers import fixture_store

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 90  # seconds an AppTest run may take (the page tests used 60 and 90)
PEILDATUM_KEY = "f_peildatum"


# -- stores ------------------------------------------------------------------------------------
def store_from_fixtures(directory: Path) -> str:
    """A SQLite store in `directory` with both fixture workbooks imported; returns its URL."""
    url = f"sqlite:///{Path(directory) / 'store.db'}"
    fixture_store(url, write_fixture_workbooks(directory)).engine.dispose()
    return url


def store_from_samples(directory: Path) -> str:
    """A SQLite store in `directory` with the six bundled sample files imported; returns its URL."""
    url = f"sqlite:///{Path(directory) / 'store.db'}"
    store = Store(url)
    assert load_samples(store).startswith("Voorbeelddata: 6 van 6")
    store.engine.dispose()
    return url


# -- the app -----------------------------------------------------------------------------------
def app_test(monkeypatch, url: str, *, samples: bool = False) -> AppTest:
    """The app on the store at `url`, not yet run (set query parameters first where a test needs them).

    Streamlit's caches are cleared: the store is cached per URL and the data per revision, so each test sees
    the store as it is now. Settings from the developer's environment do not leak in."""
    monkeypatch.setenv(config.ENV_DB, url)
    if samples:
        monkeypatch.delenv(config.ENV_NO_SAMPLES, raising=False)
    else:
        monkeypatch.setenv(config.ENV_NO_SAMPLES, "1")
    monkeypatch.delenv(config.ENV_MIN_N, raising=False)
    monkeypatch.delenv(suppression.ENV_K, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    # Any secret replaces the developer's own .streamlit/secrets.toml, whose users would ask for a login.
    at.secrets["_test"] = True
    return at


def open_app(monkeypatch, url: str, *, samples: bool = False) -> AppTest:
    """The app run once on the store at `url` (the default page, Overzicht)."""
    at = app_test(monkeypatch, url, samples=samples)
    at.run()
    assert_ok(at)
    assert_browser_json(at)
    return at


def open_page(at: AppTest, page: str, peildatum=None) -> AppTest:
    """Switch a running app to `page` (e.g. "pages/inzet.py"), optionally set the peildatum, and check that
    the page ran without an exception and sends only strict JSON to the browser."""
    at.switch_page(page).run()
    assert_ok(at)
    if peildatum is not None:
        at.date_input(key=PEILDATUM_KEY).set_value(peildatum).run()
        assert_ok(at)
    assert_browser_json(at)
    return at


def start(monkeypatch, url: str, page: str, peildatum=None, *, samples: bool = False) -> AppTest:
    """The app on the store at `url`, opened on `page`."""
    return open_page(open_app(monkeypatch, url, samples=samples), page, peildatum)


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# -- what a page shows -------------------------------------------------------------------------
def texts(elements) -> list[str]:
    return [e.value for e in elements]


def captions(at: AppTest) -> list[str]:
    return texts(at.caption)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest, *columns: str):
    """The first table that has all these columns."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def chart_specs(at: AppTest) -> list[dict]:
    """The Vega-Lite spec of every Altair chart on the page, in order."""
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def chart_titles(at: AppTest, *, text_only: bool = False) -> list:
    """Every chart's title, in order, as in the spec: a string, or {"text", "subtitle"} for a chart with a
    subtitle; with text_only, the text of each."""
    titles = [spec.get("title") for spec in chart_specs(at)]
    return [t.get("text") if text_only and isinstance(t, dict) else t for t in titles]


def _chart(at: AppTest, title):
    return next(c for c in at.get("vega_lite_chart") if json.loads(c.proto.spec).get("title") == title)


def chart_spec(at: AppTest, title) -> dict:
    """The spec of the (first) chart with this title."""
    return json.loads(_chart(at, title).proto.spec)


def chart_rows(at: AppTest, title) -> list[dict]:
    """The rows Streamlit sent with a chart (its datasets travel as Arrow next to the spec)."""
    return [row for d in _chart(at, title).proto.datasets
            for row in pa.ipc.open_stream(d.data.data).read_pandas().to_dict("records")]


# -- what the browser gets ---------------------------------------------------------------------
def strict_json(text: str):
    """json.loads as the browser's JSON.parse: NaN and Infinity are refused."""
    def refuse(constant):
        raise ValueError(f"{constant} is not valid JSON for the browser")
    return json.loads(text, parse_constant=refuse)


def _pandas_metadata(arrow: bytes, required: bool) -> None:
    metadata = pa.ipc.open_stream(arrow).schema.metadata or {}
    if required or b"pandas" in metadata:
        strict_json(metadata[b"pandas"].decode())


def assert_browser_json(at: AppTest) -> None:
    """Everything the page sends that the browser parses as JSON is strict JSON: each chart's spec and the
    Arrow metadata of its datasets, the Arrow metadata of every table, and each map's deck spec. JSON.parse
    refuses NaN, and pyarrow writes a DataFrame's `.attrs` (n, NaN medians …) into that metadata."""
    for chart in at.get("vega_lite_chart"):
        strict_json(chart.proto.spec)
        for d in chart.proto.datasets:
            _pandas_metadata(d.data.data, required=True)
    for frame in [*at.get("dataframe"), *at.get("table")]:
        arrow = frame.proto.arrow_data.data
        if not arrow and frame.type == "dataframe" and frame.proto.HasField("lazy_data"):
            arrow = frame.proto.lazy_data.initial_chunk.data
        if arrow:
            _pandas_metadata(arrow, required=False)
    for deck in at.get("deck_gl_json_chart"):
        strict_json(deck.proto.json)
