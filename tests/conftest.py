"""Shared fixtures: real stores on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""
from __future__ import annotations

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

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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
