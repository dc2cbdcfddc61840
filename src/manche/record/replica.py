"""Export and import of the log as JSON Lines, to keep a full verified replica.

Export (``export_lines(log, since)``) writes, in log order, for each batch from the one that
holds entry ``since`` (exports start at a batch boundary, so every batch can be verified):

    {"kind": "batch", "first_seq": 0, "count": 2, "agency": "UK-BF", "key_id": "...",
     "root": "<hex>", "signed_at": "...", "last_entry_hash": "<hex>", "signature": "<hex>"}
    {"kind": "entry", "seq": 0, "entry_hash": "<hex>", "body": "<the canonical JSON text>"}
    ...

then every checkpoint: ``{"kind": "checkpoint", "tree_size": ..., "root": ..., "timestamp":
..., "agency": ..., "key_id": ..., "signature": ...}``. ``body`` is the exact signed text, so
the importer hashes the same bytes.

Import (``import_lines(log, lines)``) is one transaction, all or nothing. It refuses:

- a line that is not such an object (line number named);
- an overlap with what the replica already holds that differs (a fork or a rewrite): it names
  the first entry where the two logs diverge and both hashes;
- a gap (the export starts after the replica's end);
- an entry whose hash does not follow from the previous one, a batch whose root or Ed25519
  signature does not verify (keys must be pinned first: ``manche keys import-public``), an
  entry whose body is not a valid event of the batch's agency;
- a checkpoint that does not verify or does not match the replica's tree.

Public API (stable): :func:`export_lines`, :func:`import_lines`, :class:`ImportSummary`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from hashlib import sha256
from typing import Any

from manche.domain.events.parse import parse_event
from manche.errors import ImportRejected, InputError
from manche.record import merkle
from manche.record.chain import GENESIS
from manche.record.log import (
    Batch,
    Checkpoint,
    Log,
    columns_from_body,
    entry_fields,
    insert_entries,
    lock_for_write,
)
from manche.record.signing import verify_signature


def export_lines(log: Log, since: int = 0) -> Iterator[str]:
    """JSON Lines of the log from the batch holding entry ``since`` (see module doc)."""
    batches = log.batches()
    start = 0
    for batch in batches:
        if batch.first_seq <= since:
            start = batch.first_seq
    chosen = [b for b in batches if b.first_seq >= start]
    if chosen:
        entries = log.entries(since=chosen[0].first_seq)
        for batch in chosen:
            yield json.dumps({"kind": "batch", **batch.to_json()})
            for _ in range(batch.count):
                entry = next(entries)
                yield json.dumps(
                    {
                        "kind": "entry",
                        "seq": entry.seq,
                        "entry_hash": entry.entry_hash.hex(),
                        "body": entry.body.decode("utf-8"),
                    },
                    ensure_ascii=False,
                )
    for cp in log.checkpoints():
        yield json.dumps({"kind": "checkpoint", **cp.to_json()})


@dataclass
class ImportSummary:
    entries_added: int = 0
    entries_already_held: int = 0
    batches_added: int = 0
    checkpoints_added: int = 0
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Incoming:
    batch: Batch
    line: int
    entries: list[tuple[int, int, bytes, bytes]]  # (line, seq, entry_hash, body)


def _hex(data: dict[str, Any], name: str, line: int, size: int | None = 32) -> bytes:
    try:
        value = bytes.fromhex(str(data[name]))
    except KeyError as exc:
        raise ImportRejected("missing field", row=line, field=name) from exc
    except ValueError as exc:
        raise ImportRejected("not hexadecimal", row=line, field=name) from exc
    if size is not None and len(value) != size:
        raise ImportRejected(f"expected {size} bytes", row=line, field=name)
    return value


def _read(lines: Iterable[str]) -> tuple[list[_Incoming], list[tuple[int, Checkpoint]]]:
    batches: list[_Incoming] = []
    checkpoints: list[tuple[int, Checkpoint]] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ImportRejected(f"not JSON: {exc}", row=number) from exc
        if not isinstance(data, dict):
            raise ImportRejected("each line is a JSON object", row=number)
        kind = data.get("kind")
        try:
            if kind == "batch":
                batch = Batch(
                    int(data["first_seq"]),
                    int(data["count"]),
                    str(data["agency"]),
                    str(data["key_id"]),
                    _hex(data, "root", number),
                    str(data["signed_at"]),
                    _hex(data, "signature", number, 64),
                    _hex(data, "last_entry_hash", number),
                )
                batches.append(_Incoming(batch, number, []))
            elif kind == "entry":
                if not batches:
                    raise ImportRejected("an entry before any batch line", row=number)
                body = data["body"]
                if not isinstance(body, str):
                    raise ImportRejected("body must be the canonical JSON text", row=number)
                batches[-1].entries.append(
                    (number, int(data["seq"]), _hex(data, "entry_hash", number), body.encode())
                )
            elif kind == "checkpoint":
                _hex(data, "root", number)
                _hex(data, "signature", number, 64)
                checkpoints.append((number, Checkpoint.from_json(data)))
            else:
                raise ImportRejected(
                    f"unknown kind {kind!r} (batch, entry, checkpoint)", row=number, field="kind"
                )
        except KeyError as exc:
            raise ImportRejected("missing field", row=number, field=str(exc.args[0])) from exc
        except (TypeError, ValueError) as exc:
            raise ImportRejected(f"bad value: {exc}", row=number) from exc
    return batches, checkpoints


def import_lines(log: Log, lines: Iterable[str]) -> ImportSummary:
    """Bring the replica up to date from an export; all or nothing (see module doc)."""
    incoming, checkpoints = _read(lines)
    summary = ImportSummary()
    with log.db.transaction() as tx:
        lock_for_write(tx)
        keys = {
            row[0]: (row[1], bytes(row[2]))
            for row in tx.all("SELECT key_id, agency, public_key FROM log_keys")
        }
        head = tx.one("SELECT seq, entry_hash FROM log_entries ORDER BY seq DESC LIMIT 1")
        size = 0 if head is None else head[0] + 1
        prev = GENESIS if head is None else bytes(head[1])
        for item in incoming:
            batch = item.batch
            if len(item.entries) != batch.count:
                raise ImportRejected(
                    f"batch {batch.first_seq} announces {batch.count} entries, "
                    f"the file has {len(item.entries)}",
                    row=item.line,
                )
            if batch.first_seq < size:
                _compare_overlap(tx, item)
                summary.entries_already_held += batch.count
                continue
            if batch.first_seq > size:
                raise ImportRejected(
                    f"the export starts at entry {batch.first_seq} but this log ends at {size}: "
                    f"export again with --since {size}",
                    row=item.line,
                )
            prev = _check_batch(item, prev, keys)
            rows = []
            for line, seq, entry_hash, body in item.entries:
                columns = _columns(body, batch.agency, line)
                rows.append((seq, batch.first_seq, *entry_fields(columns), entry_hash))
            insert_entries(tx, rows)
            tx.execute(
                "INSERT INTO log_batches (first_seq, count, agency, key_id, root, signed_at, "
                "signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (batch.first_seq, batch.count, batch.agency, batch.key_id, batch.root,
                 batch.signed_at, batch.signature),
            )  # fmt: skip
            size += batch.count
            summary.entries_added += batch.count
            summary.batches_added += 1
        if checkpoints:
            leaves = [
                sha256(b"\x00" + bytes(row[0])).digest()
                for row in tx.all("SELECT entry_hash FROM log_entries ORDER BY seq")
            ]
            held = {
                (row[0], row[1], row[2])
                for row in tx.all("SELECT tree_size, agency, timestamp FROM log_checkpoints")
            }
            for line, cp in checkpoints:
                _check_checkpoint(cp, line, keys, leaves)
                if (cp.tree_size, cp.agency, cp.timestamp) not in held:
                    Log.store_checkpoint(tx, cp)
                    summary.checkpoints_added += 1
        summary.size = size
    return summary


def _compare_overlap(tx: Any, item: _Incoming) -> None:
    batch = item.batch
    local = {
        row[0]: bytes(row[1])
        for row in tx.all(
            "SELECT seq, entry_hash FROM log_entries WHERE seq >= ? AND seq < ?",
            (batch.first_seq, batch.first_seq + batch.count),
        )
    }
    for line, seq, entry_hash, _ in item.entries:
        mine = local.get(seq)
        if mine is None:
            raise ImportRejected(
                f"entry {seq}: this log has a different batch boundary here; the logs diverge",
                row=line,
            )
        if mine != entry_hash:
            raise ImportRejected(
                f"the logs diverge at entry {seq}: this log has hash {mine.hex()}, the import "
                f"has {entry_hash.hex()} (a forked or rewritten log)",
                row=line,
            )


def _check_batch(item: _Incoming, prev: bytes, keys: dict[str, tuple[str, bytes]]) -> bytes:
    batch = item.batch
    leaves = []
    for offset, (line, seq, entry_hash, body) in enumerate(item.entries):
        if seq != batch.first_seq + offset:
            raise ImportRejected(f"entry {seq} out of order", row=line, field="seq")
        computed = sha256(prev + seq.to_bytes(8, "big") + body).digest()
        if computed != entry_hash:
            raise ImportRejected(
                f"entry {seq}: hash does not follow from the previous entry and its body "
                "(tampered, or the logs diverge here)",
                row=line,
                field="entry_hash",
            )
        leaves.append(merkle.leaf_hash(entry_hash))
        prev = entry_hash
    pinned = keys.get(batch.key_id)
    if pinned is None or pinned[0] != batch.agency:
        raise ImportRejected(
            f"batch {batch.first_seq} is signed by key {batch.key_id} of {batch.agency!r}, which "
            "is not pinned here: `manche keys import-public` it first",
            row=item.line,
        )
    if merkle.root(leaves) != batch.root or prev != batch.last_entry_hash:
        raise ImportRejected(
            f"batch {batch.first_seq}: its entries do not match its signed root", row=item.line
        )
    if not verify_signature(pinned[1], batch.signature, batch.message()):
        raise ImportRejected(
            f"batch {batch.first_seq}: the signature of {batch.agency!r} does not verify",
            row=item.line,
        )
    return prev


def _columns(body: bytes, agency: str, line: int) -> Any:
    try:
        event = parse_event(body)
        columns = columns_from_body(body)
    except InputError as exc:
        raise ImportRejected(f"entry body is not a valid event: {exc.message}", row=line) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ImportRejected(f"entry body is not a readable event: {exc}", row=line) from exc
    if event.agency != agency:
        raise ImportRejected(f"event of {event.agency!r} in a batch of {agency!r}", row=line)
    return columns


def _check_checkpoint(
    cp: Checkpoint, line: int, keys: dict[str, tuple[str, bytes]], leaves: list[bytes]
) -> None:
    pinned = keys.get(cp.key_id)
    if pinned is None or pinned[0] != cp.agency:
        raise ImportRejected(
            f"checkpoint signed by key {cp.key_id} of {cp.agency!r}, not pinned here", row=line
        )
    if not verify_signature(pinned[1], cp.signature, cp.message()):
        raise ImportRejected("checkpoint signature does not verify", row=line)
    if cp.tree_size > len(leaves):
        raise ImportRejected(
            f"checkpoint for {cp.tree_size} entries; this log has {len(leaves)}", row=line
        )
    if merkle.root(leaves[: cp.tree_size]) != cp.root:
        raise ImportRejected(
            f"checkpoint root for size {cp.tree_size} does not match this log: the logs diverge",
            row=line,
        )
