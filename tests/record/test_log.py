"""Contract tests of the log, run on SQLite and PostgreSQL (the `database` fixture)."""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from manche.domain.events import Event, catalogue, parse_event
from manche.domain.events.examples import EXAMPLES, example_event
from manche.domain.values import Side
from manche.errors import AccessDenied, Conflict, InputError
from manche.record import merkle
from manche.record.canonical import event_bytes
from manche.record.keys import KeyStore
from manche.record.log import Log, columns_from_body, prepare
from manche.record.signing import Signer
from manche.record.verify import verify
from manche.storage import Database

MakeEvents = Callable[..., list[Event]]


def test_prepared_columns_are_what_the_body_states() -> None:
    # prepare reads the query columns off the model; verify re-reads them from the body
    catalogue()
    offsets = ["+02:00", "Z", "+05:30"]
    for index, type_name in enumerate(sorted(EXAMPLES)):
        when = f"2026-08-14T03:12:00.{index * 7919:06d}{offsets[index % 3]}"
        event = parse_event(
            example_event(type_name, occurred_at=when, position={"lon": 2.0, "lat": 50.95})
        )
        prepared = prepare(event)
        assert prepared == columns_from_body(prepared.body), type_name
        assert prepared.occurred_at.endswith("Z") and len(prepared.occurred_at) == 27
        assert prepared.event_id == str(event.id)
        assert (prepared.lon, prepared.lat) == (2.0, 50.95)


def test_append_chains_hashes_as_documented(
    log: Log, signer: Signer, make_events: MakeEvents
) -> None:
    events = make_events(5)
    batch = log.append(events, signer)
    assert (batch.first_seq, batch.count) == (0, 5)
    entries = list(log.entries())
    # entry_hash = SHA-256(prev || seq as 8 bytes big-endian || canonical body); prev of 0 = 0^32
    prev = bytes(32)
    for seq, (entry, event) in enumerate(zip(entries, events, strict=True)):
        assert entry.seq == seq
        assert entry.body == event_bytes(event)
        assert (
            entry.entry_hash == hashlib.sha256(prev + seq.to_bytes(8, "big") + entry.body).digest()
        )
        assert entry.event() == event
        prev = entry.entry_hash
    # second batch continues the chain
    more = log.append(make_events(3), signer)
    assert more.first_seq == 5
    assert (
        log.entry(5).entry_hash
        == hashlib.sha256(prev + (5).to_bytes(8, "big") + log.entry(5).body).digest()
    )


def test_batch_signature_covers_every_entry(
    log: Log, signer: Signer, make_events: MakeEvents
) -> None:
    batch = log.append(make_events(7), signer)
    message = (
        "manche-batch-v1\n"
        f"agency=UK-BF\nkey_id={signer.key_id}\nfirst_seq=0\ncount=7\n"
        f"root={batch.root.hex()}\nlast_entry_hash={log.entry(6).entry_hash.hex()}\n"
        f"signed_at={batch.signed_at}\n"
    ).encode()
    Ed25519PublicKey.from_public_bytes(signer.public_key).verify(batch.signature, message)
    for seq in range(7):
        stored_batch, path = log.batch_inclusion_proof(seq)
        assert stored_batch == batch
        leaf = hashlib.sha256(b"\x00" + log.entry(seq).entry_hash).digest()
        assert merkle.verify_inclusion(leaf, seq, 7, path, batch.root)


def test_append_is_all_or_nothing(log: Log, signer: Signer, make_events: MakeEvents) -> None:
    first = make_events(3)
    log.append(first, signer)
    again = [*make_events(4), first[1]]  # the last one is already in the log
    with pytest.raises(Conflict, match=f"event {first[1].id} is already in the log"):
        log.append(again, signer)
    assert log.size() == 3
    assert len(log.batches()) == 1
    duplicate_inside = make_events(2)
    with pytest.raises(Conflict, match="twice"):
        log.append([*duplicate_inside, duplicate_inside[0]], signer)
    assert log.size() == 3


def test_batch_holds_only_the_signers_agency(
    log: Log, signer: Signer, make_events: MakeEvents
) -> None:
    mixed = [*make_events(2), *make_events(1, agency="FR-CROSS-GN")]
    with pytest.raises(AccessDenied, match="FR-CROSS-GN"):
        log.append(mixed, signer)
    assert log.size() == 0


def test_unpinned_key_cannot_append(log: Log, make_events: MakeEvents) -> None:
    stranger = Signer("UK-BF", Ed25519PrivateKey.generate())
    with pytest.raises(AccessDenied, match="not pinned"):
        log.append(make_events(1), stranger)
    with pytest.raises(InputError, match="empty"):
        log.append([], stranger)


def test_roots_and_proofs_against_independent_tree(
    log: Log, signer: Signer, make_events: MakeEvents
) -> None:
    for size in (3, 1, 6, 2):
        log.append(make_events(size), signer)
    hashes = [entry.entry_hash for entry in log.entries()]
    leaves = [hashlib.sha256(b"\x00" + h).digest() for h in hashes]
    assert len(leaves) == 12
    for n in (1, 5, 12):
        assert log.root(n) == merkle.root(leaves[:n])
        for seq in range(n):
            assert merkle.verify_inclusion(
                leaves[seq], seq, n, log.inclusion_proof(seq, n), log.root(n)
            )
    for old in range(1, 13):
        assert merkle.verify_consistency(
            old, 12, log.root(old), log.root(), log.consistency_proof(old)
        )


def test_checkpoints_signed_and_listed(log: Log, signer: Signer, make_events: MakeEvents) -> None:
    empty = log.checkpoint(signer, now=datetime(2026, 8, 1, tzinfo=UTC))
    assert empty.tree_size == 0 and empty.root == hashlib.sha256(b"").digest()
    log.append(make_events(4), signer)
    cp = log.checkpoint(signer, now=datetime(2026, 8, 2, tzinfo=UTC))
    assert cp.tree_size == 4 and cp.timestamp == "2026-08-02T00:00:00.000000Z"
    message = (
        f"manche-checkpoint-v1\nagency=UK-BF\nkey_id={signer.key_id}\ntree_size=4\n"
        f"root={cp.root.hex()}\ntimestamp=2026-08-02T00:00:00.000000Z\n"
    ).encode()
    Ed25519PublicKey.from_public_bytes(signer.public_key).verify(cp.signature, message)
    assert log.checkpoints() == [empty, cp]
    assert log.latest_checkpoint() == cp


def test_no_update_or_delete_in_the_record_code() -> None:
    source = Path(__file__).parents[2] / "src" / "manche" / "record"
    for path in source.glob("*.py"):
        text = path.read_text()
        assert not re.search(r"\bUPDATE\s+log_|\bDELETE\s+FROM\s+log_", text, re.I), path.name
    assert not [name for name in dir(Log) if re.match(r"(update|delete|remove|truncate)", name)]


def test_event_lookup_by_id(log: Log, signer: Signer, make_events: MakeEvents) -> None:
    events = make_events(3)
    log.append(events, signer)
    assert log.entry_by_event(str(events[2].id)).seq == 2
    with pytest.raises(Exception, match="no event"):
        log.entry_by_event(str(uuid.uuid4()))


def test_second_agency_key(
    database: Database, keystore: KeyStore, log: Log, make_events: MakeEvents
) -> None:
    keystore.generate("UK-BF")
    keystore.generate("FR-CROSS-GN")
    log.append(make_events(2), keystore.signer("UK-BF"))
    log.append(make_events(2, agency="FR-CROSS-GN"), keystore.signer("FR-CROSS-GN"))
    assert [b.agency for b in log.batches()] == ["UK-BF", "FR-CROSS-GN"]


def test_concurrent_writers_are_serialised(
    database: Database, log: Log, signer: Signer, make_events: MakeEvents
) -> None:
    batches = [make_events(50) for _ in range(6)]
    errors: list[BaseException] = []

    def write(events: list[Event]) -> None:
        try:
            log.append(events, signer)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert log.size() == 300
    assert sorted(b.first_seq for b in log.batches()) == list(range(0, 300, 50))
    assert verify(database).ok


def test_query_filters_and_cursor(
    database: Database, keystore: KeyStore, log: Log, make_events: MakeEvents
) -> None:
    keystore.generate("UK-BF")
    uk = keystore.signer("UK-BF")
    events = [
        # 0: shared rescue in the Strait at 03:00:00.5
        example_event(
            "rescue", occurred_at="2026-08-14T03:00:00.5Z", position={"lon": 1.45, "lat": 51.05}
        ),
        # 1: uk-only arrest, no position, at 03:00:00 (earlier than 0 by half a second)
        example_event("arrest", occurred_at="2026-08-14T03:00:00Z", releasability="uk-only"),
        # 2: shared sighting off Dunkerque, other incident
        example_event(
            "sighting",
            occurred_at="2026-08-14T03:10:00Z",
            incident="INC-2026-0002",
            position={"lon": 2.3, "lat": 51.1},
        ),
        # 3: fr-only arrest
        example_event("arrest", occurred_at="2026-08-14T03:15:00Z", releasability="fr-only"),
    ]
    log.append([parse_event({**e, "id": str(uuid.uuid4())}) for e in events], uk)

    def seqs(**filters: object) -> list[int]:
        return [entry.seq for entry in log.query(**filters)]  # type: ignore[arg-type]

    assert seqs() == [0, 1, 2, 3]
    assert seqs(visible_to=Side.UK) == [0, 1, 2]
    assert seqs(visible_to=Side.FR) == [0, 2, 3]
    assert seqs(types=["arrest"]) == [1, 3]
    assert seqs(incident="INC-2026-0002") == [2]
    assert seqs(bbox=(1.2, 50.8, 1.9, 51.2)) == [0]  # the Strait box; 2 is east of it
    # text order of the column is time order, fractions of a second included
    assert seqs(occurred_from=datetime(2026, 8, 14, 3, 0, 0, 200000, tzinfo=UTC)) == [0, 2, 3]
    assert seqs(occurred_to=datetime(2026, 8, 14, 3, 0, 0, 200000, tzinfo=UTC)) == [1]
    assert seqs(agency="FR-CROSS-GN") == []
    assert seqs(limit=2) == [0, 1]
    assert seqs(after=1, limit=2) == [2, 3]
    assert seqs(after=3) == []


@pytest.fixture(scope="module")
def many_events() -> list[Event]:
    catalogue()
    types = sorted(EXAMPLES)
    return [
        parse_event(example_event(types[i % len(types)], id=str(uuid.uuid4()))) for i in range(1100)
    ]


def test_batches_of_every_shape_are_stored_row_for_row(
    log: Log, signer: Signer, database: Database, many_events: list[Event]
) -> None:
    # SQLite writes a batch as multi-row INSERTs of 512, 256, ... rows: sizes around those
    # steps, and over 64 rows for PostgreSQL's COPY, each land entry for entry and verify
    stored = 0
    for size in [1, 2, 63, 65, 511, 512, 513, 1025]:
        events = [e.model_copy(update={"id": uuid.uuid4()}) for e in many_events[:size]]
        batch = log.append(events, signer)
        assert (batch.first_seq, batch.count) == (stored, size)
        entries = list(log.entries(since=stored))
        assert [e.seq for e in entries] == list(range(stored, stored + size))
        assert [e.event_id for e in entries] == [str(e.id) for e in events]
        assert [e.body for e in entries] == [event_bytes(e) for e in events]
        assert all(e.batch == stored for e in entries)
        stored += size
    report = verify(database)
    assert report.ok, report
    assert report.entries == stored
