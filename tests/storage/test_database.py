"""Contract of the database wrapper, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from manche.errors import ConfigurationError
from manche.storage import Database, open_database


def test_transaction_commits(database: Database) -> None:
    database.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v BLOB)"])
    with database.transaction() as tx:
        tx.executemany("INSERT INTO t (k, v) VALUES (?, ?)", [("a", b"\x00\x01"), ("b", b"")])
    with database.transaction() as tx:
        rows = tx.all("SELECT k, v FROM t ORDER BY k")
    assert [(k, bytes(v)) for k, v in rows] == [("a", b"\x00\x01"), ("b", b"")]


def test_transaction_rolls_back_on_error(database: Database) -> None:
    database.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)"])
    with pytest.raises(RuntimeError), database.transaction() as tx:
        tx.execute("INSERT INTO t (k) VALUES (?)", ("a",))
        raise RuntimeError("half-way")
    with database.transaction() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM t") == 0


def test_schema_version_applies_once(database: Database) -> None:
    statements = ["CREATE TABLE s (id SERIAL_PK, x INTEGER)"]  # not idempotent on purpose
    database.ensure_schema("s", 1, statements)
    database.ensure_schema("s", 1, statements)
    with database.transaction() as tx:
        tx.execute("INSERT INTO s (x) VALUES (?)", (5,))
        assert tx.all("SELECT id, x FROM s") == [(1, 5)]


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://x/y", "nonsense"])
def test_unusable_urls_are_refused_with_a_message(url: str) -> None:
    with pytest.raises(ConfigurationError, match="MANCHE_DATABASE_URL"):
        open_database(url)
