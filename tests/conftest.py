"""Fixtures every test may use.

``database`` runs a test once on SQLite (a file in a temporary folder) and once on PostgreSQL
(a fresh schema in the server named by MANCHE_TEST_POSTGRES_URL, which ``make test`` provides,
starting a throwaway server when none is reachable). ``sqlite_database`` is SQLite only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from manche.storage import Database, open_database

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "src" / "manche" / "data"


def _postgres_url() -> str | None:
    url = os.environ.get("MANCHE_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("MANCHE_REQUIRE_POSTGRES"):
        pytest.fail("MANCHE_REQUIRE_POSTGRES is set but MANCHE_TEST_POSTGRES_URL is not")
    return None


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'manche.db'}")
    yield db
    db.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema, dropped afterwards."""
    base = _postgres_url()
    if base is None:
        pytest.skip("no PostgreSQL: run through `make test` (scripts/with-postgres)")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = open_database(f"sqlite:///{tmp_path / 'manche.db'}")
    else:
        db = open_database(request.getfixturevalue("postgres_url"))
    yield db
    db.close()
