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


def test_read_outside_a_transaction(database: Database) -> None:
    database.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, n INTEGER)"])
    with database.transaction() as tx:
        tx.executemany("INSERT INTO t (k, n) VALUES (?, ?)", [("a", 1), ("b", 2)])
    assert database.read_all("SELECT k, n FROM t ORDER BY k") == [("a", 1), ("b", 2)]
    assert database.read_one("SELECT n FROM t WHERE k = ?", ("b",)) == (2,)
    assert database.read_one("SELECT n FROM t WHERE k = ?", ("z",)) is None
    # the next transaction is a transaction again: all or nothing
    with pytest.raises(RuntimeError), database.transaction() as tx:
        tx.execute("INSERT INTO t (k, n) VALUES (?, ?)", ("c", 3))
        raise RuntimeError("half-way")
    assert database.read_one("SELECT COUNT(*) FROM t") == (2,)


def test_read_inside_a_transaction_sees_its_writes(database: Database) -> None:
    database.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)"])
    with pytest.raises(RuntimeError), database.transaction() as tx:
        tx.execute("INSERT INTO t (k) VALUES (?)", ("a",))
        assert database.read_one("SELECT COUNT(*) FROM t") == (1,)
        raise RuntimeError("roll back")
    assert database.read_one("SELECT COUNT(*) FROM t") == (0,)


def test_pipeline_results_and_errors(database: Database) -> None:
    database.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)"])
    with database.transaction() as tx:
        with tx.pipeline():
            tx.execute("INSERT INTO t (k) VALUES (?)", ("a",))
            first = tx.execute("SELECT COUNT(*) FROM t")
            tx.executemany("INSERT INTO t (k) VALUES (?)", [("b",), ("c",)])
            second = tx.execute("SELECT k FROM t ORDER BY k")
        assert first.fetchone() == (1,)
        assert second.fetchall() == [("a",), ("b",), ("c",)]
    # a failing statement in a pipeline fails the transaction: nothing of it is kept
    clash = r"(?i)unique|duplicate"
    with pytest.raises(Exception, match=clash), database.transaction() as tx, tx.pipeline():
        tx.execute("INSERT INTO t (k) VALUES (?)", ("d",))
        tx.execute("INSERT INTO t (k) VALUES (?)", ("a",))
    assert database.read_all("SELECT k FROM t ORDER BY k") == [("a",), ("b",), ("c",)]


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://x/y", "nonsense"])
def test_unusable_urls_are_refused_with_a_message(url: str) -> None:
    with pytest.raises(ConfigurationError, match="MANCHE_DATABASE_URL"):
        open_database(url)
