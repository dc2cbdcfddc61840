"""Tables of the log (component ``record``, schema version 3). Only INSERT and SELECT touch
them (and the one-off migration from version 1 below).

``log_entries``  one row per event: ``seq`` (0-based position = Merkle leaf index), ``batch``
                 (the ``first_seq`` of its batch), ``body`` (canonical JSON bytes, what is hashed),
                 ``entry_hash`` (chain hash), and columns copied from the body for queries
                 (``event_id``, ``type``, ``agency``, ``occurred_at``, ``incident``,
                 ``releasability``, ``lon``, ``lat``). ``verify`` checks the copies match the body.
                 ``redacted`` is 1 for an entry a replica holds without its body (an entry the
                 exporting side withheld, :mod:`manche.record.replica`): then ``body`` and every
                 query column are NULL and only ``seq``, ``batch`` and ``entry_hash`` are known;
                 0 otherwise.
``log_batches``  one row per append: its agency, key, first_seq, count, Merkle root over its
                 entries, signing time and Ed25519 signature.
``log_keys``     pinned Ed25519 public keys: ``key_id``, ``agency``, raw ``public_key``,
                 ``origin`` (``local``: generated here; ``imported``: the other side's).
``log_checkpoints`` signed tree heads: tree_size, root, timestamp, agency, key_id, signature.

``log_entries`` has no index besides its primary key and the uniqueness of ``event_id``: it is
the record, written once and read in ``seq`` order (verify, export, readings catching up).
Filtered, paged reading goes through a reading built from it with the indexes that reading
needs (``event_index``, :mod:`manche.readings.event_index`); ``Log.query`` scans from its
cursor. Every secondary index costs each append (the two version 2 had, on ``occurred_at`` and
``incident``, were a quarter of SQLite's work per row and served no query of the application).

Version 3 dropped the indexes ``log_entries_occurred`` and ``log_entries_incident`` (see above).
Version 2 (redacted entries) made the body and query columns of ``log_entries`` nullable and
added ``redacted``. A version-1 database is migrated when it is first opened, in one
transaction: PostgreSQL drops the NOT NULL constraints and adds the column; SQLite, which cannot
alter a column, copies the table into a new one of the new shape and swaps them. Every stored
row keeps its values (``redacted`` = 0).
"""

from __future__ import annotations

from manche.storage import Database, Transaction

COMPONENT = "record"
VERSION = 3

DDL = [
    """CREATE TABLE IF NOT EXISTS log_keys (
        key_id TEXT PRIMARY KEY,
        agency TEXT NOT NULL,
        public_key BLOB NOT NULL,
        origin TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS log_batches (
        first_seq BIGINT PRIMARY KEY,
        count INTEGER NOT NULL,
        agency TEXT NOT NULL,
        key_id TEXT NOT NULL,
        root BLOB NOT NULL,
        signed_at TEXT NOT NULL,
        signature BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS log_entries (
        seq BIGINT PRIMARY KEY,
        batch BIGINT NOT NULL,
        event_id TEXT UNIQUE,
        type TEXT,
        agency TEXT,
        occurred_at TEXT,
        incident TEXT,
        releasability TEXT,
        lon DOUBLE PRECISION,
        lat DOUBLE PRECISION,
        body BLOB,
        entry_hash BLOB NOT NULL,
        redacted SMALLINT NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE IF NOT EXISTS log_checkpoints (
        tree_size BIGINT NOT NULL,
        root BLOB NOT NULL,
        timestamp TEXT NOT NULL,
        agency TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature BLOB NOT NULL,
        PRIMARY KEY (tree_size, agency, timestamp)
    )""",
]


_V1_COLUMNS = (
    "seq, batch, event_id, type, agency, occurred_at, incident, releasability, lon, lat, "
    "body, entry_hash"
)

_NULLABLE_SINCE_V2 = ("event_id", "type", "agency", "occurred_at", "releasability", "body")


def _statements(db: Database) -> list[str]:
    if db.dialect == "sqlite":  # make seq the rowid: no separate primary-key index
        return [s.replace("seq BIGINT PRIMARY KEY", "seq INTEGER PRIMARY KEY") for s in DDL]
    return list(DDL)


def _migrate_from_1(db: Database, tx: Transaction) -> None:
    """Version 1 -> 2: body and query columns nullable, ``redacted`` added (see module doc)."""
    if db.dialect == "postgresql":
        for column in _NULLABLE_SINCE_V2:
            tx.execute(f"ALTER TABLE log_entries ALTER COLUMN {column} DROP NOT NULL")
        tx.execute("ALTER TABLE log_entries ADD COLUMN redacted SMALLINT NOT NULL DEFAULT 0")
        return
    create = next(s for s in _statements(db) if "TABLE IF NOT EXISTS log_entries" in s)
    tx.execute(create.replace("log_entries", "log_entries_v2", 1))
    tx.execute(
        f"INSERT INTO log_entries_v2 ({_V1_COLUMNS}, redacted) "
        f"SELECT {_V1_COLUMNS}, 0 FROM log_entries ORDER BY seq"
    )
    tx.execute("DROP TABLE log_entries")
    tx.execute("ALTER TABLE log_entries_v2 RENAME TO log_entries")


_DROPPED_IN_V3 = ("log_entries_occurred", "log_entries_incident")


def _migrate_from_2(tx: Transaction) -> None:
    """Version 2 -> 3: the query indexes of ``log_entries`` dropped (see module doc)."""
    for index in _DROPPED_IN_V3:
        tx.execute(f"DROP INDEX IF EXISTS {index}")


def ensure(db: Database) -> None:
    """Create the tables, or bring a version-1 or -2 database to version 3, once."""
    with db.transaction() as tx:
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions "
            "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        current = tx.scalar("SELECT version FROM schema_versions WHERE component = ?", (COMPONENT,))
        if current is not None and current >= VERSION:
            return
        if current in (1, 2) and db.dialect == "postgresql":
            # one migrator at a time: whoever waited here finds the new version and stops
            tx.execute("LOCK TABLE log_entries IN ACCESS EXCLUSIVE MODE")
            current = tx.scalar(
                "SELECT version FROM schema_versions WHERE component = ?", (COMPONENT,)
            )
        if current in (1, 2):
            if current == 1:
                _migrate_from_1(db, tx)
            _migrate_from_2(tx)
            for statement in _statements(db):
                tx.execute(db.ddl(statement))
            tx.execute(
                "UPDATE schema_versions SET version = ? WHERE component = ?", (VERSION, COMPONENT)
            )
            return
        if current is not None and current >= VERSION:
            return
    db.ensure_schema(COMPONENT, VERSION, _statements(db))
