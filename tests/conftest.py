"""Shared fixtures: real stores on SQLite and (with TEST_DATABASE_URL) PostgreSQL, and the read-only stores the
page tests open the app on (see tests/apptest.py)."""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gezinsmonitor.config import normalise_url  # noqa: E402
from tests.fixtures import write_fixture_workbooks  # noqa: E402
from tests.helpers import record_raw_keys  # noqa: E402

record_raw_keys()

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# A fixed pseudonym secret: tests never write data/pseudonym.key, and the app they start (browser tests) agrees.
os.environ.setdefault("GEZINSMONITOR_SECRET", "test-secret-for-pseudonyms-only")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI.")
        pytest.skip("PostgreSQL tests skipped: set TEST_DATABASE_URL to run them.")
    return normalise_url(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = postgres_url()
    _reset_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(scope="session")
def fixture_paths(tmp_path_factory) -> list[Path]:
    return write_fixture_workbooks(tmp_path_factory.mktemp("fixtures"))


# -- read-only stores for the page tests ---------------------------------------------------------
# Built once per run and shared by every module: the app caches the store per URL and the tests clear that cache
# whenever they open the app, so sharing is safe as long as nothing writes to these stores. A test that uploads,
# decides or deletes makes its own store (sqlite_url, or a copy of the file). Teardown checks that the database
# and its write-ahead log are still the same, byte for byte.
def _digest(path: Path) -> str:
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def _read_only(url: str):
    path = Path(url.removeprefix("sqlite:///"))
    before = _digest(path)
    yield url
    assert _digest(path) == before, f"a test wrote to the shared store {path}: give it its own store"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory):
    """URL of a SQLite store with both fixture workbooks (tests/fixtures.py)."""
    # Imported here, not at the top: tests/apptest.py brings in Streamlit, which most tests do not need.
    from tests.apptest import store_from_fixtures
    yield from _read_only(store_from_fixtures(tmp_path_factory.mktemp("fixture_db")))


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory):
    """URL of a SQLite store with the six bundled sample files."""
    from tests.apptest import store_from_samples
    yield from _read_only(store_from_samples(tmp_path_factory.mktemp("samples_db")))


@pytest.fixture(scope="session")
def samples(samples_db):
    """The dataset in samples_db, as the pages load it (for cross-checks against the core functions)."""
    from gezinsmonitor.store import Store
    store = Store(samples_db)
    from tests.helpers import with_raw_keys
    dataset = with_raw_keys(store.load_dataset())  # keys as in the sample files, for cross-checks
    store.engine.dispose()
    return dataset


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> str:
    """URL of a store without data (the app creates the tables when it first opens it)."""
    return f"sqlite:///{tmp_path_factory.mktemp('empty_db') / 'store.db'}"


@pytest.fixture(autouse=True)
def _owner_and_command_line():
    """Every test starts as the command line with every row owned: a page run by AppTest in this thread set
    its viewer's audience and actor, which must not leak into the next test."""
    from gezinsmonitor import audit, disclosure
    disclosure.set_audience(disclosure.OWNER)
    audit.set_actor(audit.COMMAND_LINE)
    yield
