"""Contract of the database wrapper, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

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


def test_sqlite_checkpoints_on_a_thread_of_its_own(tmp_path: Path) -> None:
    """The write-ahead log is copied into the database file by the checkpoint thread, not by
    a writer's commit: the writers' own automatic checkpoint is set far above what is written
    here (SQLite's default of 1,000 pages would have checkpointed in the commits)."""
    from manche.storage.database import WAL_LIMIT_PAGES, SqliteDatabase

    path = tmp_path / "c.db"
    db = open_database(f"sqlite:///{path}")
    assert isinstance(db, SqliteDatabase)
    db.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v BLOB)"])
    with db.transaction() as tx:
        assert tx.scalar("PRAGMA wal_autocheckpoint") == WAL_LIMIT_PAGES
    size_before = path.stat().st_size
    for start in range(0, 3000, 500):  # about 3 MB: 750 pages, under the writers' limit
        with db.transaction() as tx:
            tx.executemany(
                "INSERT INTO t (k, v) VALUES (?, ?)",
                [(k, bytes([k % 256]) * 1000) for k in range(start, start + 500)],
            )
    # the rows reached the file
    assert _wait_for(lambda: path.stat().st_size >= size_before + 2_000_000)
    threads = _checkpoint_threads(path)  # this database's (other tests' may be running too)
    assert threads
    db.close()
    assert not any(t.is_alive() for t in threads)  # close stops it
    again = open_database(f"sqlite:///{path}")  # and nothing was lost on the way
    with again.transaction() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM t") == 3000
    again.close()


def test_sqlite_reads_do_not_wake_the_checkpoint_thread(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'r.db'}")
    db.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY)"])
    db.close()  # the schema's commit started a thread; close stops it
    db = open_database(f"sqlite:///{tmp_path / 'r.db'}")
    for _ in range(3):
        with db.transaction() as tx:
            tx.scalar("SELECT COUNT(*) FROM t")
    assert not _checkpoint_threads(tmp_path / "r.db")
    db.close()


def _checkpoint_threads(path: Path) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"sqlite-checkpoint {path}"]


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_sqlite_checkpoint_thread_leaves_when_idle_and_a_commit_brings_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manche.storage import database as module

    monkeypatch.setattr(module, "CHECKPOINT_IDLE_SECONDS", 0.2)
    monkeypatch.setattr(module, "CHECKPOINT_INTERVAL", 0.01)
    path = tmp_path / "idle.db"
    db = open_database(f"sqlite:///{path}")
    db.ensure_schema("t", 1, ["CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v BLOB)"])
    with db.transaction() as tx:
        tx.execute("INSERT INTO t (k, v) VALUES (?, ?)", (0, b""))
    assert _checkpoint_threads(path)
    assert _wait_for(lambda: not _checkpoint_threads(path))  # idle: it left
    size = path.stat().st_size
    with db.transaction() as tx:
        tx.executemany(
            "INSERT INTO t (k, v) VALUES (?, ?)", [(k, b"x" * 1000) for k in range(1, 1001)]
        )
    assert _wait_for(lambda: path.stat().st_size >= size + 800_000)  # back, and it copied
    db.close()
    assert not _checkpoint_threads(path)
