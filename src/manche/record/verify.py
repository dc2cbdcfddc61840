"""``verify``: check the whole log, and name the first thing that fails and why.

In one pass over the entries, in order:

- entries are numbered 0, 1, 2... without gaps, and each belongs to a signed batch;
- each entry's hash is recomputed from the previous entry's hash, its number and its stored
  body (:mod:`manche.record.chain`); the query columns (id, type, agency, time, incident,
  releasability, position) must say what the signed body says;
- a redacted entry (a replica's, held without its body: :mod:`manche.record.replica`) has no
  body and no query columns, and is marked ``redacted``; its own link to the previous entry
  cannot be recomputed, so its stored hash is checked by its batch's signed Merkle root, and the
  next entry's hash is recomputed from it as usual. The report counts redacted entries;
- each batch: its entries' agency is the batch's; the RFC 6962 root over its leaves is the
  stored root; the key is pinned for that agency; the Ed25519 signature verifies over the
  batch statement (:mod:`manche.record.signing`);
- each checkpoint: signed by a pinned key of its agency, its tree size no larger than the log,
  its root equal to the root recomputed over the first ``tree_size`` entries (kept as a running
  compact range, so every checkpoint costs O(log n)); checkpoints in time order never shrink.
  Two checkpoints are consistent exactly when both roots are recomputed from the same leaves,
  which this pass does; a replica holding only checkpoints uses consistency proofs instead
  (:func:`manche.record.merkle.verify_consistency`).

Public API (stable): :func:`verify`, :class:`Report`, :class:`Failure`.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import asdict, dataclass
from hashlib import sha256
from typing import Any

from manche.domain.sharing import reach_of_json
from manche.record import merkle, schema
from manche.record.chain import GENESIS
from manche.record.log import CHUNK, Checkpoint, occurred_key
from manche.record.signing import batch_message, checkpoint_message, verify_signature
from manche.storage import Database
from manche.wording import counted


@dataclass(frozen=True)
class Failure:
    """The first problem found: where (entry ``seq``, batch or checkpoint) and why."""

    where: str
    reason: str
    seq: int | None = None


@dataclass
class Report:
    ok: bool
    entries: int = 0
    redacted: int = 0
    batches: int = 0
    checkpoints: int = 0
    root: str = merkle.EMPTY_ROOT.hex()
    seconds: float = 0.0
    failure: Failure | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        if self.ok:
            redacted = f" ({self.redacted} of them redacted)" if self.redacted else ""
            return (
                f"OK: {counted(self.entries, 'entry', 'entries')}{redacted} in "
                f"{counted(self.batches, 'signed batch', 'signed batches')}, "
                f"{counted(self.checkpoints, 'checkpoint')} verified in {self.seconds:.2f} s\n"
                f"root {self.root}"
            )
        assert self.failure is not None
        return f"FAILED at {self.failure.where}: {self.failure.reason}"


class _Stop(Exception):
    def __init__(self, failure: Failure) -> None:
        self.failure = failure


_COLUMNS = ("event_id", "type", "agency", "occurred_at", "incident", "releasability", "lon", "lat")


def verify(db: Database) -> Report:
    """Verify the log in ``db`` against the public keys pinned there."""
    schema.ensure(db)
    started = time.perf_counter()
    with db.transaction() as tx:
        keys = {
            row[0]: (row[1], bytes(row[2]))
            for row in tx.all("SELECT key_id, agency, public_key FROM log_keys")
        }
        batches = tx.all(
            "SELECT first_seq, count, agency, key_id, root, signed_at, signature "
            "FROM log_batches ORDER BY first_seq"
        )
        checkpoints = [
            Checkpoint(r[0], bytes(r[1]), r[2], r[3], r[4], bytes(r[5]))
            for r in tx.all(
                "SELECT tree_size, root, timestamp, agency, key_id, signature "
                "FROM log_checkpoints ORDER BY timestamp, tree_size"
            )
        ]
    report = Report(ok=True, batches=len(batches), checkpoints=len(checkpoints))
    try:
        _check_checkpoint_order(checkpoints)
        size, frontier_root, redacted = _walk(db, keys, batches, checkpoints)
        report.entries = size
        report.redacted = redacted
        report.root = frontier_root.hex()
    except _Stop as stop:
        report.ok = False
        report.failure = stop.failure
    report.seconds = time.perf_counter() - started
    return report


def _check_key(keys: dict[str, tuple[str, bytes]], key_id: str, agency: str, where: str) -> bytes:
    pinned = keys.get(key_id)
    if pinned is None:
        raise _Stop(Failure(where, f"signed with key {key_id}, which is not pinned here"))
    if pinned[0] != agency:
        raise _Stop(Failure(where, f"key {key_id} is pinned for {pinned[0]!r}, not for {agency!r}"))
    return pinned[1]


def _check_checkpoint_order(checkpoints: list[Checkpoint]) -> None:
    for earlier, later in itertools.pairwise(checkpoints):
        if later.tree_size < earlier.tree_size:
            raise _Stop(
                Failure(
                    f"checkpoint of {later.timestamp}",
                    f"tree size {later.tree_size} is smaller than {earlier.tree_size} at "
                    f"{earlier.timestamp}: the log shrank",
                )
            )


def _walk(
    db: Database,
    keys: dict[str, tuple[str, bytes]],
    batches: list[Any],
    checkpoints: list[Checkpoint],
) -> tuple[int, bytes, int]:
    by_size: dict[int, list[Checkpoint]] = {}
    for cp in checkpoints:
        by_size.setdefault(cp.tree_size, []).append(cp)
    frontier = merkle.Frontier()
    for cp in by_size.get(0, []):
        _check_checkpoint(cp, keys, frontier.root())
    prev = GENESIS
    seq = 0
    batch_index = 0
    batch_first = 0
    batch_leaves: list[bytes] = []
    batch_agency = ""
    batch_end = 0
    redacted = 0
    pending: Failure | None = None  # a broken link after a redacted entry, see below
    previous_redacted = False
    scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # C scanner, no wrappers
    hash_ = sha256
    while True:
        with db.transaction() as tx:
            rows = tx.all(
                "SELECT seq, batch, event_id, type, agency, occurred_at, incident, releasability, "
                "lon, lat, body, entry_hash, redacted FROM log_entries WHERE seq >= ? "
                "ORDER BY seq LIMIT ?",
                (seq, CHUNK),
            )
        if not rows:
            break
        for row in rows:
            if row[0] != seq:
                raise _Stop(
                    Failure(f"entry {seq}", f"missing: the next entry is numbered {row[0]}", seq)
                )
            if seq == batch_end:  # a new batch starts here
                _start_batch(batches, batch_index, seq)
                batch_first, count, batch_agency = batches[batch_index][0:3]
                batch_end = batch_first + count
            if row[1] != batch_first:
                raise _Stop(
                    Failure(f"entry {seq}", f"says it is in batch {row[1]}, not {batch_first}", seq)
                )
            body = row[10]
            stored = row[11]
            if body is None or row[12]:
                stored = _redacted(seq, row)
                redacted += 1
                previous_redacted = True
            else:
                if type(body) is not bytes or type(stored) is not bytes:
                    body, stored = _blob(body), _blob(stored)
                if hash_(prev + seq.to_bytes(8, "big") + body).digest() != stored:
                    failure = Failure(f"entry {seq}", _hash_mismatch(prev, seq, body, stored), seq)
                    if seq == batch_first or not previous_redacted:
                        raise _Stop(failure)
                    # The previous entry is redacted: its hash or this entry may be the changed
                    # one. The batch root tells which; it is checked first at the batch's end.
                    pending = pending or failure
                previous_redacted = False
                try:
                    text = body.decode("utf-8")
                    data, end = scan(text, 0)
                    if end != len(text):
                        raise ValueError("trailing data after the JSON object")
                    position = data.get("position") or {}
                    claimed = (
                        data["id"], data["type"], data["agency"], occurred_key(data["occurred_at"]),
                        data.get("incident"), reach_of_json(data).value,
                        position.get("lon"), position.get("lat"),
                    )  # fmt: skip
                except (ValueError, KeyError, TypeError, AttributeError, StopIteration) as exc:
                    raise _Stop(
                        Failure(f"entry {seq}", f"body is not a readable event: {exc!r}", seq)
                    ) from exc
                if row[2:10] != claimed or claimed[2] != batch_agency:
                    _column_failure(seq, row, claimed, batch_agency)
            batch_leaves.append(hash_(b"\x00" + stored).digest())
            prev = stored
            seq += 1
            if seq == batch_end:
                _check_batch(batches[batch_index], batch_leaves, prev, keys, pending)
                _advance(frontier, batch_leaves, batch_first, by_size, keys)
                batch_leaves = []
                batch_index += 1
                pending = None
    if seq != batch_end:
        raise _Stop(
            Failure(
                f"batch {batches[batch_index][0]}",
                f"signed for {batches[batch_index][1]} entries; the log ends after "
                f"{seq - batches[batch_index][0]} of them (entries removed?)",
                seq,
            )
        )
    if batch_index < len(batches):
        raise _Stop(
            Failure(
                f"batch {batches[batch_index][0]}",
                f"signed batch has no entries: the log ends at {seq} (entries removed?)",
                seq,
            )
        )
    for size, cps in by_size.items():
        if size > seq:
            raise _Stop(
                Failure(
                    f"checkpoint of {cps[0].timestamp}",
                    f"signed for {size} entries but the log has only {seq} (entries removed?)",
                )
            )
    return seq, frontier.root(), redacted


def _redacted(seq: int, row: Any) -> bytes:
    """The stored hash of a redacted entry, after checking the row is one throughout."""
    if row[10] is not None:
        raise _Stop(Failure(f"entry {seq}", "marked redacted but it holds a body", seq))
    if not row[12]:
        raise _Stop(Failure(f"entry {seq}", "has no body and is not marked redacted", seq))
    for name, value in zip(_COLUMNS, row[2:10], strict=True):
        if value is not None:
            raise _Stop(
                Failure(f"entry {seq}", f"redacted, yet its column {name} says {value!r}", seq)
            )
    return _blob(row[11])


def _start_batch(batches: list[Any], index: int, seq: int) -> None:
    if index >= len(batches):
        raise _Stop(Failure(f"entry {seq}", "not covered by any signed batch", seq))
    if batches[index][0] != seq:
        raise _Stop(
            Failure(f"entry {seq}", f"the next signed batch starts at {batches[index][0]}", seq)
        )


def _column_failure(seq: int, row: Any, claimed: tuple[Any, ...], batch_agency: str) -> None:
    for name, column, value in zip(_COLUMNS, row[2:10], claimed, strict=True):
        if column != value:
            raise _Stop(
                Failure(
                    f"entry {seq}",
                    f"column {name} says {column!r} but the signed body says {value!r}",
                    seq,
                )
            )
    raise _Stop(
        Failure(f"entry {seq}", f"agency {claimed[2]!r} in a batch of {batch_agency!r}", seq)
    )


def _advance(
    frontier: merkle.Frontier,
    leaves: list[bytes],
    first: int,
    by_size: dict[int, list[Checkpoint]],
    keys: dict[str, tuple[str, bytes]],
) -> None:
    """Add a verified batch's leaves to the running tree, checking checkpoints on the way."""
    done = 0
    for size in sorted(size for size in by_size if first < size <= first + len(leaves)):
        frontier.extend(leaves[done : size - first])
        done = size - first
        for cp in by_size[size]:
            _check_checkpoint(cp, keys, frontier.root())
    frontier.extend(leaves[done:])


def _blob(value: Any) -> bytes:
    """A stored BLOB; a value turned into text by tampering is hashed as its UTF-8."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _hash_mismatch(prev: bytes, seq: int, body: bytes, stored: bytes) -> str:
    return (
        f"stored hash {stored.hex()[:16]}... is not SHA-256(previous hash, {seq}, body) = "
        f"{sha256(prev + seq.to_bytes(8, 'big') + body).digest().hex()[:16]}...: its body, its "
        "hash or an earlier entry was changed"
    )


def _check_batch(
    row: Any,
    leaves: list[bytes],
    last_hash: bytes,
    keys: dict[str, tuple[str, bytes]],
    pending: Failure | None = None,
) -> None:
    first, count, agency, key_id, stored_root, signed_at, signature = row
    where = f"batch {first} (entries {first}-{first + count - 1})"
    public = _check_key(keys, key_id, agency, where)
    computed = merkle.root(leaves)
    if computed != bytes(stored_root):
        suspect = (
            f" (the hash of redacted entry {pending.seq - 1} or entry {pending.seq} was changed)"
            if pending is not None and pending.seq is not None
            else ""
        )
        raise _Stop(
            Failure(where, f"the Merkle root of its entries is not the stored root{suspect}", first)
        )
    if pending is not None:
        raise _Stop(pending)
    message = batch_message(
        agency=agency,
        key_id=key_id,
        first_seq=first,
        count=count,
        root=computed,
        last_entry_hash=last_hash,
        signed_at=signed_at,
    )
    if not verify_signature(public, bytes(signature), message):
        raise _Stop(
            Failure(
                where,
                f"the Ed25519 signature of {agency!r} (key {key_id}) does not verify: the "
                "entries or the batch record were changed after signing",
                first,
            )
        )


def _check_checkpoint(cp: Checkpoint, keys: dict[str, tuple[str, bytes]], root: bytes) -> None:
    where = f"checkpoint of {cp.timestamp} (tree size {cp.tree_size})"
    public = _check_key(keys, cp.key_id, cp.agency, where)
    message = checkpoint_message(
        agency=cp.agency,
        key_id=cp.key_id,
        tree_size=cp.tree_size,
        root=cp.root,
        timestamp=cp.timestamp,
    )
    if not verify_signature(public, cp.signature, message):
        raise _Stop(Failure(where, "its signature does not verify"))
    if cp.root != root:
        raise _Stop(
            Failure(
                where,
                f"signed root {cp.root.hex()[:16]}... differs from the root of the first "
                f"{cp.tree_size} entries, {root.hex()[:16]}...: the log was rewritten",
            )
        )
