"""Tables of the log (component ``record``, schema version 1). Only INSERT and SELECT touch them.

``log_entries``  one row per event: ``seq`` (0-based position = Merkle leaf index), ``batch``
                 (the ``first_seq`` of its batch), ``body`` (canonical JSON bytes, what is hashed),
                 ``entry_hash`` (chain hash), and columns copied from the body for queries
                 (``event_id``, ``type``, ``agency``, ``occurred_at``, ``incident``,
                 ``releasability``, ``lon``, ``lat``). ``verify`` checks the copies match the body.
``log_batches``  one row per append: its agency, key, first_seq, count, Merkle root over its
                 entries, signing time and Ed25519 signature.
``log_keys``     pinned Ed25519 public keys: ``key_id``, ``agency``, raw ``public_key``,
                 ``origin`` (``local``: generated here; ``imported``: the other side's).
``log_checkpoints`` signed tree heads: tree_size, root, timestamp, agency, key_id, signature.
"""

from __future__ import annotations

from manche.storage import Database

COMPONENT = "record"
VERSION = 1

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
    )""",
    "CREATE INDEX IF NOT EXISTS log_entries_occurred ON log_entries (occurred_at)",
    "CREATE INDEX IF NOT EXISTS log_entries_incident ON log_entries (incident)",
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


def ensure(db: Database) -> None:
    db.ensure_schema(COMPONENT, VERSION, DDL)
