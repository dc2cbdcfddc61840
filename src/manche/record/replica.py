"""Export and import of the log as JSON Lines, to keep a verified (possibly redacted) replica.

Export (``export_lines(log, since, for_side=...)``) writes, in log order, for each batch from
the one that holds entry ``since`` (exports start at a batch boundary, so every batch can be
verified):

    {"kind": "batch", "first_seq": 0, "count": 2, "agency": "UK-BF", "key_id": "...",
     "root": "<hex>", "signed_at": "...", "last_entry_hash": "<hex>", "signature": "<hex>"}
    {"kind": "entry", "seq": 0, "entry_hash": "<hex>", "body": "<the canonical JSON text>"}
    {"kind": "entry", "seq": 1, "entry_hash": "<hex>", "redacted": true}
    ...

then every checkpoint: ``{"kind": "checkpoint", "tree_size": ..., "root": ..., "timestamp":
..., "agency": ..., "key_id": ..., "signature": ...}``. ``body`` is the exact signed text, so
the importer hashes the same bytes.

A *redacted* entry line carries only its number and its chain hash: nothing of the event (no
id, type, time, position, releasability). It is written for an entry the receiving side
``for_side`` may not see (``uk-only`` for FR, ``fr-only`` for UK), and for an entry this log
itself holds redacted (a replica re-exporting keeps it redacted). The receiver can still check
it: its hash is a leaf under the batch's signed Merkle root, the next entry's hash is
recomputed from it, and checkpoint roots recompute over it. Only its own link to the previous
entry cannot be recomputed without the body; the batch signature covers it instead.

Import (``import_lines(log, lines)``) is one transaction, all or nothing. It refuses:

- a line that is not such an object (line number named), or a redacted entry line with any
  field besides ``kind``, ``seq``, ``entry_hash`` and ``redacted`` (a body, an event id...);
- an overlap with what the replica already holds that differs (a fork or a rewrite): it names
  the first entry where the two logs diverge and both hashes;
- a gap (the export starts after the replica's end);
- an entry whose hash does not follow from the previous one, a batch whose root or Ed25519
  signature does not verify (keys must be pinned first: ``manche keys import-public``), an
  entry whose body is not a valid event of the batch's agency;
- a checkpoint that does not verify or does not match the replica's tree.

A redacted entry is stored as such (``seq``, ``batch``, ``entry_hash``, ``redacted`` = 1, no
body, no query columns). Where the replica already holds an entry, only hashes are compared, so
a redacted line over a full entry with the same hash is fine, and so is a full line over a
redacted entry: the entry stays redacted (the log is never updated; the summary counts these
in ``bodies_not_filled``). A replica that should hold those bodies is rebuilt from an export
that carries them.

Public API (stable): :func:`export_lines`, :class:`ExportTally`, :func:`import_lines`,
:class:`ImportSummary`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from hashlib import sha256
from typing import Any

from manche.domain.events.parse import parse_event
from manche.domain.sharing import reach_of_json
from manche.domain.values import Releasability, Side
from manche.errors import ImportRejected, InputError
from manche.record import merkle
from manche.record.chain import GENESIS
from manche.record.log import (
    CHUNK,
    Batch,
    Checkpoint,
    Log,
    columns_from_body,
    entry_fields,
    insert_entries,
    lock_for_write,
)
from manche.record.signing import verify_signature


def _start(batches: list[Batch], since: int) -> int:
    start = 0
    for batch in batches:
        if batch.first_seq <= since:
            start = batch.first_seq
    return start


@dataclass
class ExportTally:
    """What an export wrote: lines, entries, and how many of those entries were redacted."""

    lines: int = 0
    entries: int = 0
    redacted: int = 0


def _chain_rows(log: Log, since: int) -> Iterator[tuple[int, str | None, bytes | None, bytes]]:
    """(seq, releasability, body or None if redacted, entry_hash) from ``since``, in order."""
    seq = since
    while True:
        with log.db.transaction() as tx:
            rows = tx.all(
                "SELECT seq, releasability, body, entry_hash FROM log_entries "
                "WHERE seq >= ? AND seq < ? ORDER BY seq",
                (seq, seq + CHUNK),
            )
        for row in rows:
            body = None if row[2] is None else bytes(row[2])
            yield row[0], row[1], body, bytes(row[3])
        if len(rows) < CHUNK:
            return
        seq += CHUNK


def export_lines(
    log: Log,
    since: int = 0,
    *,
    for_side: Side | None = None,
    tally: ExportTally | None = None,
) -> Iterator[str]:
    """JSON Lines of the log from the batch holding entry ``since`` (see module doc).

    With ``for_side``, the export is for that side's replica: an entry that side may not see is
    written redacted (hash only). Entries this log holds redacted are always written redacted.
    ``tally``, if given, is filled in as lines are written."""
    tally = tally if tally is not None else ExportTally()
    hidden = {r.value for r in Releasability if for_side and not r.visible_to(for_side)}
    batches = log.batches()
    start = _start(batches, since)
    chosen = [b for b in batches if b.first_seq >= start]
    if chosen:
        entries = _chain_rows(log, chosen[0].first_seq)
        for batch in chosen:
            tally.lines += 1
            yield json.dumps({"kind": "batch", **batch.to_json()})
            for _ in range(batch.count):
                seq, releasability, body, entry_hash = next(entries)
                line: dict[str, Any] = {"kind": "entry", "seq": seq, "entry_hash": entry_hash.hex()}
                if body is None or (hidden and _withheld(releasability, body, hidden)):
                    line["redacted"] = True
                    tally.redacted += 1
                else:
                    line["body"] = body.decode("utf-8")
                tally.entries += 1
                tally.lines += 1
                yield json.dumps(line, ensure_ascii=False)
    for cp in log.checkpoints():
        tally.lines += 1
        yield json.dumps({"kind": "checkpoint", **cp.to_json()})


def _withheld(column: str | None, body: bytes, hidden: set[str]) -> bool:
    """Whether the entry is not for the receiving side: by its releasability column or by its
    signed body, read as every reading reads it (its releasability narrowed by the handling of
    its grade, :func:`manche.domain.sharing.reach`), so an edited column can never let a
    one-sided body out."""
    if column in hidden:
        return True
    try:
        data = json.loads(body)
        stated = reach_of_json(data).value
    except (ValueError, AttributeError, TypeError):
        return True  # unreadable: withhold it rather than guess
    return stated in hidden


@dataclass
class ImportSummary:
    entries_added: int = 0
    entries_redacted: int = 0
    entries_already_held: int = 0
    bodies_not_filled: int = 0
    batches_added: int = 0
    checkpoints_added: int = 0
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Incoming:
    batch: Batch
    line: int
    entries: list[tuple[int, int, bytes, bytes | None]]  # (line, seq, entry_hash, body or None)


_REDACTED_FIELDS = {"kind", "seq", "entry_hash", "redacted"}


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
                entry_hash = _hex(data, "entry_hash", number)
                body = _body(data, number)
                batches[-1].entries.append((number, int(data["seq"]), entry_hash, body))
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


def _body(data: dict[str, Any], line: int) -> bytes | None:
    """The body of an entry line, or None for a redacted one (which carries nothing else)."""
    if "redacted" in data:
        if data["redacted"] is not True:
            raise ImportRejected("redacted must be true when given", row=line, field="redacted")
        extra = sorted(set(data) - _REDACTED_FIELDS)
        if extra:
            raise ImportRejected(
                f"a redacted entry carries only its seq and entry_hash, not {', '.join(extra)}",
                row=line,
                field=extra[0],
            )
        return None
    body = data["body"]
    if not isinstance(body, str):
        raise ImportRejected("body must be the canonical JSON text", row=line)
    return body.encode()


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
                summary.bodies_not_filled += _compare_overlap(tx, item)
                summary.entries_already_held += batch.count
                continue
            if batch.first_seq > size:
                raise ImportRejected(
                    f"the export starts at entry {batch.first_seq} but this log ends at {size}: "
                    f"export again with --since {size}",
                    row=item.line,
                )
            prev = _check_batch(item, prev, keys)
            rows, redacted = [], []
            for line, seq, entry_hash, body in item.entries:
                if body is None:
                    redacted.append((seq, batch.first_seq, entry_hash))
                    continue
                columns = _columns(body, batch.agency, line)
                rows.append((seq, batch.first_seq, *entry_fields(columns), entry_hash))
            if rows:
                insert_entries(tx, rows)
            if redacted:
                tx.executemany(
                    "INSERT INTO log_entries (seq, batch, entry_hash, redacted) "
                    "VALUES (?, ?, ?, 1)",
                    redacted,
                )
                summary.entries_redacted += len(redacted)
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


def _compare_overlap(tx: Any, item: _Incoming) -> int:
    """Check a batch the replica already holds; how many of its bodies stay redacted here."""
    batch = item.batch
    rows = tx.all(
        "SELECT seq, entry_hash, redacted FROM log_entries WHERE seq >= ? AND seq < ?",
        (batch.first_seq, batch.first_seq + batch.count),
    )
    local = {row[0]: bytes(row[1]) for row in rows}
    held_redacted = {row[0] for row in rows if row[2]}
    not_filled = 0
    for line, seq, entry_hash, body in item.entries:
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
        if body is not None and seq in held_redacted:
            not_filled += 1
    return not_filled


def _check_batch(item: _Incoming, prev: bytes, keys: dict[str, tuple[str, bytes]]) -> bytes:
    batch = item.batch
    leaves = []
    for offset, (line, seq, entry_hash, body) in enumerate(item.entries):
        if seq != batch.first_seq + offset:
            raise ImportRejected(f"entry {seq} out of order", row=line, field="seq")
        if body is None:  # redacted: its hash is checked by the batch root below
            leaves.append(merkle.leaf_hash(entry_hash))
            prev = entry_hash
            continue
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
        redacted = any(entry[3] is None for entry in item.entries)
        raise ImportRejected(
            f"batch {batch.first_seq}: its entries do not match its signed root"
            + (" (or a redacted entry's hash was changed)" if redacted else ""),
            row=item.line,
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
