"""The log's schema: a version-1 database (before redacted entries) or a version-2 one (with the
query indexes) is migrated to version 3 when first opened, on both stores, keeping every row;
then it takes redacted entries, and ``log_entries`` keeps no index beyond its keys."""

from __future__ import annotations

from pathlib import Path

from manche.domain.values import Side
from manche.record.log import Log
from manche.record.replica import export_lines, import_lines
from manche.record.verify import verify
from manche.storage import Database
from tests.record.replicas import mixed_log, pin

# log_entries as schema version 1 created it (copied from the version-1 source, not imported)
V1_ENTRIES = """CREATE TABLE log_entries (
    seq {seq} PRIMARY KEY,
    batch BIGINT NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    agency TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    incident TEXT,
    releasability TEXT NOT NULL,
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    body BLOB NOT NULL,
    entry_hash BLOB NOT NULL
)"""
COLUMNS = (
    "seq, batch, event_id, type, agency, occurred_at, incident, releasability, lon, lat, "
    "body, entry_hash"
)


def make_version_1(db: Database) -> list[tuple[object, ...]]:
    """Rebuild ``log_entries`` in the version-1 shape with the same rows; the rows."""
    with db.transaction() as tx:
        rows = [tuple(r) for r in tx.all(f"SELECT {COLUMNS} FROM log_entries ORDER BY seq")]
        tx.execute("DROP TABLE log_entries")
        seq = "INTEGER" if db.dialect == "sqlite" else "BIGINT"
        tx.execute(db.ddl(V1_ENTRIES.format(seq=seq)))
        tx.execute("CREATE INDEX log_entries_occurred ON log_entries (occurred_at)")
        tx.execute("CREATE INDEX log_entries_incident ON log_entries (incident)")
        tx.executemany(f"INSERT INTO log_entries ({COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
        tx.execute("UPDATE schema_versions SET version = 1 WHERE component = 'record'")
    return rows


def log_indexes(db: Database) -> set[str]:
    """Names of the indexes on ``log_entries``, as the database lists them."""
    with db.transaction() as tx:
        if db.dialect == "sqlite":
            rows = tx.all("SELECT name FROM sqlite_master WHERE type = 'index' "
                          "AND tbl_name = 'log_entries'")  # fmt: skip
        else:
            rows = tx.all("SELECT indexname FROM pg_indexes WHERE tablename = 'log_entries' "
                          "AND schemaname = current_schema()")  # fmt: skip
    return {row[0] for row in rows}


def version(db: Database) -> int:
    with db.transaction() as tx:
        return int(tx.scalar("SELECT version FROM schema_versions WHERE component = 'record'"))


def test_version_1_is_migrated_and_then_takes_redacted_entries(
    database: Database, tmp_path: Path
) -> None:
    mixed = mixed_log(tmp_path)
    try:
        replica = pin(mixed, database, tmp_path / "replica-keys")
        full = list(export_lines(mixed.log))
        import_lines(replica, full[:4])  # batch 0-2, bodies and all
        rows = make_version_1(database)
        assert version(database) == 1 and len(rows) == 3
        migrated = Log(database)
        assert version(database) == 3
        assert not log_indexes(database) & {"log_entries_occurred", "log_entries_incident"}
        with database.transaction() as tx:
            after = [tuple(r) for r in tx.all(f"SELECT {COLUMNS}, redacted FROM log_entries")]
        assert [row[:12] for row in after] == rows and {row[12] for row in after} == {0}
        assert verify(database).ok
        Log(database)  # opening again does nothing more
        assert version(database) == 3
        summary = import_lines(migrated, export_lines(mixed.log, for_side=Side.FR))
        assert (summary.entries_added, summary.entries_redacted) == (3, 1)  # 3-4, and 5 redacted
        report = verify(database)
        assert report.ok and (report.entries, report.redacted) == (6, 1)
        assert report.root == mixed.log.root().hex()
    finally:
        mixed.log.db.close()


def test_version_2_loses_its_query_indexes_and_nothing_else(
    database: Database, tmp_path: Path
) -> None:
    mixed = mixed_log(tmp_path)
    try:
        replica = pin(mixed, database, tmp_path / "replica-keys")
        import_lines(replica, export_lines(mixed.log))
        with database.transaction() as tx:  # version 2 as it was: its two query indexes
            tx.execute("CREATE INDEX log_entries_occurred ON log_entries (occurred_at)")
            tx.execute("CREATE INDEX log_entries_incident ON log_entries (incident)")
            tx.execute("UPDATE schema_versions SET version = 2 WHERE component = 'record'")
            before = [tuple(r) for r in tx.all(f"SELECT {COLUMNS} FROM log_entries ORDER BY seq")]
        assert {"log_entries_occurred", "log_entries_incident"} <= log_indexes(database)
        Log(database)
        assert version(database) == 3
        assert not log_indexes(database) & {"log_entries_occurred", "log_entries_incident"}
        with database.transaction() as tx:
            after = [tuple(r) for r in tx.all(f"SELECT {COLUMNS} FROM log_entries ORDER BY seq")]
        assert after == before and len(after) == 6
        report = verify(database)
        assert report.ok and report.root == mixed.log.root().hex()
    finally:
        mixed.log.db.close()
