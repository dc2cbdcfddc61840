"""The log: append-only, hash-chained, Merkle-tree, batch-signed store of events.

    log = Log(db)                                   # SQLite or PostgreSQL (manche.storage)
    receipt = log.append(events, signer)            # one batch, all or nothing
    log.size(); log.entries(since=0); log.root(size)
    log.query(visible_to=Side.FR, types=["rescue"], bbox=(1.2, 50.8, 1.9, 51.2), after=cursor)
    log.inclusion_proof(seq, size); log.consistency_proof(old_size, new_size)
    cp = log.checkpoint(signer)                     # signed tree head, stored
    log.checkpoints()

What ``append`` does, inside one write transaction (SQLite ``BEGIN IMMEDIATE``; PostgreSQL
``LOCK TABLE log_entries IN EXCLUSIVE MODE``, so there is one writer at a time):

1. every event is turned into its canonical bytes (:mod:`manche.record.canonical`), which can
   be done beforehand with :func:`prepare` (outside the lock);
2. the entries are chained from the current head (:mod:`manche.record.chain`);
3. the RFC 6962 root over the batch's leaf hashes is signed once with the agency's Ed25519 key
   (:mod:`manche.record.signing`), so every entry is covered by a signature: an entry's
   inclusion proof in its batch ends at the signed root;
4. entries (``executemany``) and the batch row are inserted; any failure rolls everything back.

There is no UPDATE or DELETE of the log tables anywhere in the code. Every event of a batch
must belong to the signer's agency, and the signer's key must be pinned (see
:mod:`manche.record.keys`). Event ids are unique in the log: a repeated id is a Conflict.

Public API (stable): :class:`Log`, :class:`Prepared`, :func:`prepare`, :class:`LogEntry`,
:class:`Batch`, :class:`Checkpoint`, :data:`MAX_BATCH`, :func:`occurred_key`,
:func:`time_key`.

The events of a batch get consecutive entry numbers: event ``i`` of a batch is entry
``batch.first_seq + i``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from hashlib import sha256
from typing import Any, NamedTuple

from manche.domain.events.base import Event
from manche.domain.events.parse import parse_event
from manche.domain.sharing import reach_of, reach_of_json
from manche.domain.values import Releasability, Side
from manche.errors import AccessDenied, Conflict, InputError, NotFound
from manche.record import merkle, schema
from manche.record.canonical import event_bytes, text_of
from manche.record.chain import GENESIS, chain
from manche.record.signing import Signer, batch_message, checkpoint_message, format_time
from manche.storage import Database, Transaction

MAX_BATCH = 100_000
"""The most events one append may hold (the HTTP API sets its own, smaller limit)."""

CHUNK = 20_000
"""Rows read per query when streaming the log."""

_ENTRY_COLUMNS = (
    "seq, batch, event_id, type, agency, occurred_at, incident, releasability, lon, lat, "
    "body, entry_hash"
)

_INSERT_BATCH = (
    "INSERT INTO log_batches (first_seq, count, agency, key_id, root, signed_at, signature)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def occurred_key(value: str) -> str:
    """``occurred_at`` as stored in the query column: fixed width, so text order is time order
    (``2026-08-14T03:12:00Z`` becomes ``2026-08-14T03:12:00.000000Z``)."""
    return value[:19] + ".000000Z" if len(value) == 20 else value


def time_key(moment: datetime) -> str:
    """A timezone-aware bound in the form of :func:`occurred_key`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Prepared(NamedTuple):
    """An event ready to append: the columns copied from it and its canonical bytes, in the
    order of the ``log_entries`` columns between ``batch`` and ``entry_hash`` (a tuple, so a
    row is built without copying field by field)."""

    event_id: str
    type: str
    agency: str
    occurred_at: str
    incident: str | None
    releasability: str
    lon: float | None
    lat: float | None
    body: bytes


def prepare(event: Event) -> Prepared:
    """Canonical bytes and query columns of an event (pure; do it outside the write lock).

    The columns are read off the model and written as its JSON form states them (the id as
    text, ``occurred_at`` in the form of :func:`occurred_key`, enum values); ``verify`` checks
    them against the body. The values are read from the model's ``__dict__`` (every event has
    these fields): a pydantic model's attribute access goes through its ``__getattr__`` hook
    (4 % of this function's instructions, callgrind)."""
    fields = event.__dict__
    position = fields["position"]
    at = None if position is None else position.__dict__
    return _new_prepared(
        Prepared,
        (
            text_of(fields["id"]),
            fields["type"],
            fields["agency"],
            occurred_key(text_of(fields["occurred_at"])),
            fields["incident"],
            reach_of(event).value,  # narrowed by the handling of its grade
            None if at is None else at["lon"],
            None if at is None else at["lat"],
            event_bytes(event),
        ),
    )


_new_prepared = tuple.__new__  # Prepared(...) without its generated Python ``__new__``


def entry_fields(p: Prepared) -> tuple[Any, ...]:
    """The columns of ``log_entries`` from ``event_id`` to ``body``."""
    return tuple(p)


def columns_from_body(body: bytes) -> Prepared:
    """The query columns as the signed body states them (used by import and verify)."""
    data = json.loads(body)
    position = data.get("position")
    return Prepared(
        data["id"],
        data["type"],
        data["agency"],
        occurred_key(data["occurred_at"]),
        data.get("incident"),
        reach_of_json(data).value,
        None if position is None else position["lon"],
        None if position is None else position["lat"],
        body,
    )


@dataclass(frozen=True)
class LogEntry:
    seq: int
    batch: int
    event_id: str
    type: str
    agency: str
    occurred_at: str
    incident: str | None
    releasability: str
    lon: float | None
    lat: float | None
    body: bytes
    entry_hash: bytes

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> LogEntry:
        return cls(*row[:10], bytes(row[10]), bytes(row[11]))  # type: ignore[call-arg]

    def event(self) -> Event:
        """The event, parsed (and upcast) from the stored body."""
        return parse_event(self.body)

    @property
    def leaf_hash(self) -> bytes:
        return merkle.leaf_hash(self.entry_hash)


@dataclass(frozen=True)
class Batch:
    """One signed append."""

    first_seq: int
    count: int
    agency: str
    key_id: str
    root: bytes
    signed_at: str
    signature: bytes
    last_entry_hash: bytes

    def message(self) -> bytes:
        return batch_message(
            agency=self.agency,
            key_id=self.key_id,
            first_seq=self.first_seq,
            count=self.count,
            root=self.root,
            last_entry_hash=self.last_entry_hash,
            signed_at=self.signed_at,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "first_seq": self.first_seq,
            "count": self.count,
            "agency": self.agency,
            "key_id": self.key_id,
            "root": self.root.hex(),
            "signed_at": self.signed_at,
            "last_entry_hash": self.last_entry_hash.hex(),
            "signature": self.signature.hex(),
        }


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head: the log had ``tree_size`` entries with Merkle root ``root``."""

    tree_size: int
    root: bytes
    timestamp: str
    agency: str
    key_id: str
    signature: bytes

    def message(self) -> bytes:
        return checkpoint_message(
            agency=self.agency,
            key_id=self.key_id,
            tree_size=self.tree_size,
            root=self.root,
            timestamp=self.timestamp,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "root": self.root.hex(),
            "timestamp": self.timestamp,
            "agency": self.agency,
            "key_id": self.key_id,
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            int(data["tree_size"]),
            bytes.fromhex(data["root"]),
            str(data["timestamp"]),
            str(data["agency"]),
            str(data["key_id"]),
            bytes.fromhex(data["signature"]),
        )


def lock_for_write(tx: Transaction) -> None:
    if tx.dialect == "postgresql":
        tx.execute("LOCK TABLE log_entries IN EXCLUSIVE MODE")


COPY_FROM = 64
"""Batches of more entries than this go in with ``COPY`` on PostgreSQL; smaller ones with a
pipelined INSERT (no extra round trips: a single POST is one entry)."""

ROWS_PER_INSERT = 512
"""SQLite: the most rows one multi-row INSERT carries (12 values each, well under SQLite's
32,766 bound parameters)."""


@cache
def _insert_rows(table: str, count: int) -> str:
    """``INSERT INTO table (...) VALUES (...), (...), ...`` for ``count`` rows."""
    row = f"({', '.join(['?'] * 12)})"
    return f"INSERT INTO {table} ({_ENTRY_COLUMNS}) VALUES {', '.join([row] * count)}"


def insert_entries(
    tx: Transaction, rows: list[tuple[Any, ...]], table: str = "log_entries"
) -> None:
    """INSERT the rows. SQLite: multi-row INSERTs of 512, 256, ... 1 rows (the sizes of the
    binary digits of the count: few distinct statements, each compiled once and kept in
    sqlite3's statement cache); SQLite inserts each statement's rows in one step, without a
    call back into Python per row (a quarter faster than ``executemany`` here). PostgreSQL:
    ``COPY ... FROM STDIN`` for more than :data:`COPY_FROM` rows (faster there than a
    pipelined executemany), else ``executemany``. ``table`` is for benchmarks' baselines."""
    if tx.dialect == "sqlite":
        at = 0
        while at < len(rows):
            size = 1 << (min(len(rows) - at, ROWS_PER_INSERT).bit_length() - 1)
            values = list(itertools.chain.from_iterable(rows[at : at + size]))
            tx.execute(_insert_rows(table, size), values)
            at += size
        return
    connection = getattr(tx, "_connection", None)  # psycopg connection of storage.database
    if connection is None or len(rows) <= COPY_FROM:
        tx.executemany(_insert_rows(table, 1), rows)
        return
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({_ENTRY_COLUMNS}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _is_unique_violation(exc: BaseException) -> bool:
    name = type(exc).__name__
    return name in ("IntegrityError", "UniqueViolation") and "manche" not in type(exc).__module__


class Log:
    """The log kept in ``db`` (tables created on first use)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        schema.ensure(db)

    # --- writing ---------------------------------------------------------------------------

    def append(self, events: Sequence[Event | Prepared], signer: Signer) -> Batch:
        """Append ``events`` as one signed batch, all or nothing."""
        entries = [e if isinstance(e, Prepared) else prepare(e) for e in events]
        if not entries:
            raise InputError("empty batch: nothing to append")
        if len(entries) > MAX_BATCH:
            raise InputError(f"batch of {len(entries)} events; at most {MAX_BATCH}")
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry.agency != signer.agency:
                raise AccessDenied(
                    f"event {index + 1} ({entry.event_id}) belongs to agency {entry.agency!r}; "
                    f"a batch signed by {signer.agency!r} may only hold its own events",
                    field="agency",
                )
            if entry.event_id in seen:
                raise Conflict(f"event id {entry.event_id} appears twice in the batch", field="id")
            seen.add(entry.event_id)
        try:
            with self.db.transaction() as tx:
                return self._append(tx, entries, signer)
        except Exception as exc:
            if _is_unique_violation(exc):
                raise self._duplicate(entries) from exc
            raise

    def _append(self, tx: Transaction, entries: list[Prepared], signer: Signer) -> Batch:
        with tx.pipeline():  # PostgreSQL: BEGIN, LOCK and both reads in one round trip
            lock_for_write(tx)
            key_rows = tx.execute(
                "SELECT agency, public_key FROM log_keys WHERE key_id = ?", (signer.key_id,)
            )
            head_rows = tx.execute(
                "SELECT seq, entry_hash FROM log_entries ORDER BY seq DESC LIMIT 1"
            )
        pinned = key_rows.fetchone()
        if pinned is None or pinned[0] != signer.agency or bytes(pinned[1]) != signer.public_key:
            raise AccessDenied(
                f"key {signer.key_id} of {signer.agency!r} is not pinned in this log",
                field="agency",
            )
        head = head_rows.fetchone()
        first = 0 if head is None else head[0] + 1
        prev = GENESIS if head is None else bytes(head[1])
        hashes = chain(prev, first, [entry.body for entry in entries])
        batch_root = merkle.root([sha256(b"\x00" + h).digest() for h in hashes])
        batch = Batch(
            first_seq=first,
            count=len(entries),
            agency=signer.agency,
            key_id=signer.key_id,
            root=batch_root,
            signed_at=format_time(datetime.now(UTC)),
            signature=b"",
            last_entry_hash=hashes[-1],
        )
        batch = Batch(**{**batch.__dict__, "signature": signer.sign(batch.message())})
        rows = [(first + i, first, *e, hashes[i]) for i, e in enumerate(entries)]
        batch_row = (
            first, batch.count, batch.agency, batch.key_id, batch.root, batch.signed_at,
            batch.signature,
        )  # fmt: skip
        if len(rows) > COPY_FROM:  # COPY cannot run in a pipeline
            insert_entries(tx, rows)
            tx.execute(_INSERT_BATCH, batch_row)
        else:
            with tx.pipeline():  # PostgreSQL: both INSERTs in one round trip
                insert_entries(tx, rows)
                tx.execute(_INSERT_BATCH, batch_row)
        return batch

    def _duplicate(self, entries: list[Prepared]) -> Conflict:
        ids = [entry.event_id for entry in entries]
        with self.db.transaction() as tx:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ", ".join("?" for _ in part)
                row = tx.one(
                    f"SELECT event_id, seq FROM log_entries WHERE event_id IN ({marks}) "
                    "ORDER BY seq LIMIT 1",
                    part,
                )
                if row is not None:
                    return Conflict(
                        f"event {row[0]} is already in the log (entry {row[1]}); nothing appended",
                        field="id",
                    )
        return Conflict("the batch clashes with the log (concurrent append?); nothing appended")

    def checkpoint(self, signer: Signer, now: datetime | None = None) -> Checkpoint:
        """Sign and store the current tree head."""
        with self.db.transaction() as tx:
            lock_for_write(tx)
            size = tx.scalar("SELECT COUNT(*) FROM log_entries")
            leaves = self._leaves(tx, size)
            cp = Checkpoint(
                tree_size=size,
                root=merkle.root(leaves),
                timestamp=format_time(now or datetime.now(UTC)),
                agency=signer.agency,
                key_id=signer.key_id,
                signature=b"",
            )
            cp = Checkpoint(**{**cp.__dict__, "signature": signer.sign(cp.message())})
            self.store_checkpoint(tx, cp)
        return cp

    @staticmethod
    def store_checkpoint(tx: Transaction, cp: Checkpoint) -> None:
        tx.execute(
            "INSERT INTO log_checkpoints (tree_size, root, timestamp, agency, key_id, signature) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (cp.tree_size, cp.root, cp.timestamp, cp.agency, cp.key_id, cp.signature),
        )

    # --- reading ---------------------------------------------------------------------------

    def size(self) -> int:
        with self.db.transaction() as tx:
            return int(tx.scalar("SELECT COUNT(*) FROM log_entries"))

    def head(self) -> tuple[int, bytes]:
        """(size, entry hash of the last entry or GENESIS)."""
        with self.db.transaction() as tx:
            row = tx.one("SELECT seq, entry_hash FROM log_entries ORDER BY seq DESC LIMIT 1")
        return (0, GENESIS) if row is None else (row[0] + 1, bytes(row[1]))

    def entries(self, since: int = 0, until: int | None = None) -> Iterator[LogEntry]:
        """Entries with since <= seq < until, in order, read in chunks. Redacted entries (held
        by a replica without their body, see :mod:`manche.record.replica`) are skipped: every
        reading sees only what the side may see."""
        seq = since
        while until is None or seq < until:
            upper = seq + CHUNK if until is None else min(seq + CHUNK, until)
            with self.db.transaction() as tx:
                rows = tx.all(
                    f"SELECT {_ENTRY_COLUMNS} FROM log_entries WHERE seq >= ? AND seq < ? "
                    "ORDER BY seq",
                    (seq, upper),
                )
            for row in rows:
                if row[10] is not None:  # a redacted entry (replica) has no body to read
                    yield LogEntry.from_row(row)
            if len(rows) < upper - seq:
                return
            seq = upper

    def query(
        self,
        *,
        visible_to: Side | None = None,
        types: Sequence[str] | None = None,
        agency: str | None = None,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        incident: str | None = None,
        after: int = -1,
        limit: int = 100,
    ) -> list[LogEntry]:
        """Entries matching every filter given, in log order, after entry ``after`` (a cursor:
        pass the last ``seq`` of the previous page), at most ``limit``.

        ``visible_to`` keeps only what that side may see (``shared`` plus its own
        ``uk-only``/``fr-only``); ``occurred_from`` is inclusive, ``occurred_to`` exclusive;
        ``bbox`` is (min_lon, min_lat, max_lon, max_lat), WGS84, and drops events without a
        position. Corrections are entries like any other: readings apply them.

        The log keeps no index on these columns (appends pay for every index, see
        :mod:`manche.record.schema`): this scans forward from the cursor. The application's
        filtered reading (API, CLI, pages) uses ``event_index``, a reading with indexes."""
        where: list[str] = ["seq > ?", "body IS NOT NULL"]  # never a redacted entry
        params: list[Any] = [after]
        if visible_to is not None:
            allowed = [r.value for r in Releasability if r.visible_to(visible_to)]
            where.append(f"releasability IN ({', '.join('?' for _ in allowed)})")
            params += allowed
        if types:
            where.append(f"type IN ({', '.join('?' for _ in types)})")
            params += list(types)
        if agency is not None:
            where.append("agency = ?")
            params.append(agency)
        if occurred_from is not None:
            where.append("occurred_at >= ?")
            params.append(time_key(occurred_from))
        if occurred_to is not None:
            where.append("occurred_at < ?")
            params.append(time_key(occurred_to))
        if bbox is not None:
            min_lon, min_lat, max_lon, max_lat = bbox
            where.append("lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?")
            params += [min_lon, max_lon, min_lat, max_lat]
        if incident is not None:
            where.append("incident = ?")
            params.append(incident)
        params.append(max(0, limit))
        with self.db.transaction() as tx:
            rows = tx.all(
                f"SELECT {_ENTRY_COLUMNS} FROM log_entries WHERE {' AND '.join(where)} "
                "ORDER BY seq LIMIT ?",
                params,
            )
        return [LogEntry.from_row(row) for row in rows]

    def entry(self, seq: int) -> LogEntry:
        with self.db.transaction() as tx:
            row = tx.one(f"SELECT {_ENTRY_COLUMNS} FROM log_entries WHERE seq = ?", (seq,))
        if row is None:
            raise NotFound(f"no entry {seq} in the log", field="seq")
        if row[10] is None:
            raise NotFound(
                f"entry {seq} is redacted in this replica: the exporting side withheld it",
                field="seq",
            )
        return LogEntry.from_row(row)

    def entry_hash(self, seq: int) -> bytes:
        """The chain hash of entry ``seq``, redacted or not."""
        with self.db.transaction() as tx:
            value = tx.scalar("SELECT entry_hash FROM log_entries WHERE seq = ?", (seq,))
        if value is None:
            raise NotFound(f"no entry {seq} in the log", field="seq")
        return bytes(value)

    def redacted_count(self) -> int:
        """How many entries this log holds redacted (hash only, no body)."""
        with self.db.transaction() as tx:
            return int(tx.scalar("SELECT COUNT(*) FROM log_entries WHERE redacted = 1"))

    def entry_by_event(self, event_id: str) -> LogEntry:
        with self.db.transaction() as tx:
            row = tx.one(
                f"SELECT {_ENTRY_COLUMNS} FROM log_entries WHERE event_id = ?", (event_id,)
            )
        if row is None:
            raise NotFound(f"no event {event_id} in the log", field="id")
        return LogEntry.from_row(row)

    def batches(self, since: int = 0) -> list[Batch]:
        """Batches whose first_seq >= since, in order, with their last entry hashes."""
        with self.db.transaction() as tx:
            rows = tx.all(
                "SELECT b.first_seq, b.count, b.agency, b.key_id, b.root, b.signed_at, "
                "b.signature, e.entry_hash FROM log_batches b LEFT JOIN log_entries e "
                "ON e.seq = b.first_seq + b.count - 1 WHERE b.first_seq >= ? ORDER BY b.first_seq",
                (since,),
            )
        return [
            Batch(r[0], r[1], r[2], r[3], bytes(r[4]), r[5], bytes(r[6]),
                  bytes(r[7]) if r[7] is not None else b"")
            for r in rows
        ]  # fmt: skip

    def batch_of(self, seq: int) -> Batch:
        with self.db.transaction() as tx:
            first = tx.scalar("SELECT batch FROM log_entries WHERE seq = ?", (seq,))
        if first is None:
            raise NotFound(f"no entry {seq} in the log", field="seq")
        return self.batches(since=first)[0]

    def checkpoints(self) -> list[Checkpoint]:
        with self.db.transaction() as tx:
            rows = tx.all(
                "SELECT tree_size, root, timestamp, agency, key_id, signature "
                "FROM log_checkpoints ORDER BY timestamp, tree_size"
            )
        return [Checkpoint(r[0], bytes(r[1]), r[2], r[3], r[4], bytes(r[5])) for r in rows]

    def latest_checkpoint(self) -> Checkpoint:
        checkpoints = self.checkpoints()
        if not checkpoints:
            raise NotFound("no checkpoint yet; run `manche log checkpoint`")
        return checkpoints[-1]

    # --- Merkle tree -----------------------------------------------------------------------

    def _leaves(self, tx: Transaction, size: int) -> list[bytes]:
        rows = tx.all("SELECT entry_hash FROM log_entries WHERE seq < ? ORDER BY seq", (size,))
        if len(rows) != size:
            raise NotFound(f"the log has {len(rows)} entries, not {size}", field="tree_size")
        return [sha256(b"\x00" + bytes(row[0])).digest() for row in rows]

    def leaf_hashes(self, size: int | None = None) -> list[bytes]:
        with self.db.transaction() as tx:
            if size is None:
                size = int(tx.scalar("SELECT COUNT(*) FROM log_entries"))
            return self._leaves(tx, size)

    def root(self, size: int | None = None) -> bytes:
        return merkle.root(self.leaf_hashes(size))

    def inclusion_proof(self, seq: int, size: int | None = None) -> list[bytes]:
        """Audit path of entry ``seq`` in the tree of ``size`` entries (default: all)."""
        leaves = self.leaf_hashes(size)
        if not 0 <= seq < len(leaves):
            raise NotFound(f"entry {seq} is not in a tree of {len(leaves)} entries", field="seq")
        return merkle.inclusion_proof(seq, leaves)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        leaves = self.leaf_hashes(new_size)
        if not 0 <= old_size <= len(leaves):
            raise NotFound(
                f"cannot prove size {old_size} against {len(leaves)} entries", field="old_size"
            )
        return merkle.consistency_proof(old_size, leaves)

    def batch_inclusion_proof(self, seq: int) -> tuple[Batch, list[bytes]]:
        """The signed batch holding ``seq`` and the entry's audit path to the batch's root."""
        batch = self.batch_of(seq)
        with self.db.transaction() as tx:
            rows = tx.all(
                "SELECT entry_hash FROM log_entries WHERE seq >= ? AND seq < ? ORDER BY seq",
                (batch.first_seq, batch.first_seq + batch.count),
            )
        leaves = [merkle.leaf_hash(bytes(row[0])) for row in rows]
        return batch, merkle.inclusion_proof(seq - batch.first_seq, leaves)
