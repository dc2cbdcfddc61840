"""Export / import of the log (JSON Lines): a replica on SQLite and PostgreSQL that verifies,
and refusals of forked, tampered or gapped exports, naming where (nothing imported)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from manche.domain.access import Principal, Role
from manche.domain.events import Event
from manche.domain.values import Side
from manche.errors import ImportRejected, NotFound
from manche.readings.event_index import EventFilter
from manche.record import decoded
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.replica import ExportTally, export_lines, import_lines
from manche.record.verify import verify
from manche.service.events import EventService
from manche.service.ledgers import record_events
from manche.service.picture import Picture
from manche.service.picture import summary as picture_summary
from manche.storage import Database, open_database
from tests.record.replicas import NOTE, WITHHELD, Mixed, mixed_log, pin

MakeEvents = Callable[..., list[Event]]
TYPES = ["launch", "sighting", "distress", "rescue", "landing"]


@pytest.fixture
def source(tmp_path: Path, make_events: MakeEvents) -> Iterator[tuple[Log, KeyStore]]:
    """The originating log (SQLite): batches 0-4 and 5-7 by UK-BF, then a checkpoint."""
    db = open_database(f"sqlite:///{tmp_path / 'source.db'}")
    keys = KeyStore(db, tmp_path / "source-keys")
    keys.generate("UK-BF")
    log = Log(db)
    log.append(make_events(5), keys.signer("UK-BF"))
    log.append(make_events(3), keys.signer("UK-BF"))
    log.checkpoint(keys.signer("UK-BF"))
    yield log, keys
    db.close()


@pytest.fixture
def replica(database: Database, tmp_path: Path, source: tuple[Log, KeyStore]) -> Log:
    """An empty log that has pinned the source's public key."""
    KeyStore(database, tmp_path / "replica-keys").import_public(source[1].export_public("UK-BF"))
    return Log(database)


def test_full_replica_verifies_and_matches(source: tuple[Log, KeyStore], replica: Log) -> None:
    log, _ = source
    summary = import_lines(replica, export_lines(log))
    assert (summary.entries_added, summary.batches_added, summary.checkpoints_added) == (8, 2, 1)
    assert replica.root() == log.root()
    assert [e.body for e in replica.entries()] == [e.body for e in log.entries()]
    assert replica.checkpoints() == log.checkpoints()
    report = verify(replica.db)
    assert report.ok, report.failure
    # importing the same export again adds nothing and changes nothing
    again = import_lines(replica, export_lines(log))
    assert (again.entries_added, again.entries_already_held) == (0, 8)


def test_incremental_since(
    source: tuple[Log, KeyStore], replica: Log, make_events: MakeEvents
) -> None:
    log, keys = source
    import_lines(replica, export_lines(log))
    log.append(make_events(4), keys.signer("UK-BF"))
    lines = list(export_lines(log, since=8))
    assert json.loads(lines[0]) | {"kind": "batch"} == json.loads(lines[0])
    assert json.loads(lines[0])["first_seq"] == 8
    # since=6 falls inside batch 5-7: the export starts at that batch's first entry
    assert json.loads(next(export_lines(log, since=6)))["first_seq"] == 5
    summary = import_lines(replica, lines)
    assert summary.entries_added == 4 and replica.size() == 12
    assert verify(replica.db).ok


def test_gap_refused(source: tuple[Log, KeyStore], replica: Log) -> None:
    log, _ = source
    with pytest.raises(ImportRejected, match=r"starts at entry 5 but this log ends at 0"):
        import_lines(replica, export_lines(log, since=5))
    assert replica.size() == 0


def test_forked_log_refused_naming_divergence(
    source: tuple[Log, KeyStore], replica: Log, tmp_path: Path, make_events: MakeEvents
) -> None:
    log, keys = source
    import_lines(replica, export_lines(log))
    # A fork: same first batch, then a different second batch signed with the same key.
    fork_db = open_database(f"sqlite:///{tmp_path / 'fork.db'}")
    try:
        fork = Log(fork_db)
        import_lines(fork, [])  # schema only
        KeyStore(fork_db, keys.keys_dir).import_public(keys.export_public("UK-BF"))
        first_batch = [
            line for line in export_lines(log) if json.loads(line)["kind"] != "checkpoint"
        ]
        import_lines(fork, first_batch[:6])  # batch 0-4 only
        with fork_db.transaction() as tx:  # let the fork sign with the source's key
            tx.execute("UPDATE log_keys SET origin = 'local'")
        fork.append(make_events(3), keys.signer("UK-BF"))
        with pytest.raises(
            ImportRejected, match=r"diverge at entry 5: this log has hash [0-9a-f]{64}"
        ):
            import_lines(replica, export_lines(fork))
    finally:
        fork_db.close()
    assert replica.size() == 8 and verify(replica.db).ok


def test_tampered_export_refused(source: tuple[Log, KeyStore], replica: Log) -> None:
    log, _ = source
    lines = list(export_lines(log))
    entry = json.loads(lines[3])
    assert entry["kind"] == "entry" and entry["seq"] == 2
    entry["body"] = entry["body"].replace('"note":""', '"note":"edited"')
    lines[3] = json.dumps(entry)
    with pytest.raises(ImportRejected, match=r"row 4.*entry 2: hash does not follow"):
        import_lines(replica, lines)
    assert replica.size() == 0  # nothing imported


def test_forged_signature_refused(source: tuple[Log, KeyStore], replica: Log) -> None:
    log, _ = source
    lines = list(export_lines(log))
    batch = json.loads(lines[6])
    assert batch["kind"] == "batch" and batch["first_seq"] == 5
    batch["signed_at"] = "2020-01-01T00:00:00.000000Z"
    lines[6] = json.dumps(batch)
    with pytest.raises(ImportRejected, match="signature of 'UK-BF' does not verify"):
        import_lines(replica, lines)
    assert replica.size() == 0  # all or nothing: batch 0 was not kept either


def test_unpinned_key_refused(source: tuple[Log, KeyStore], database: Database) -> None:
    log, _ = source
    with pytest.raises(ImportRejected, match="not pinned here: `manche keys import-public`"):
        import_lines(Log(database), export_lines(log))


def test_bad_lines_name_the_line(source: tuple[Log, KeyStore], replica: Log) -> None:
    log, _ = source
    lines = list(export_lines(log))
    with pytest.raises(ImportRejected, match="row 2: not JSON"):
        import_lines(replica, [lines[0], "{nope"])
    with pytest.raises(ImportRejected, match=r"row 1.*field 'root'"):
        import_lines(replica, [json.dumps({**json.loads(lines[0]), "root": "zz"})])
    with pytest.raises(ImportRejected, match="announces 5 entries, the file has 1"):
        import_lines(replica, lines[:2])


# --- redacted replicas -----------------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> Iterator[Mixed]:
    """A log both sides write to (SQLite): the batches of PLAN, then a checkpoint."""
    built = mixed_log(tmp_path)
    yield built
    built.log.db.close()


@pytest.fixture
def empty(database: Database, tmp_path: Path, mixed: Mixed) -> Log:
    """An empty replica (both stores) that has pinned both agencies' public keys."""
    return pin(mixed, database, tmp_path / "replica-keys")


def readings(db: Database, side: Side) -> dict[str, Any]:
    """What a reader of ``side`` gets from the log in ``db``: the events list (API and CLI),
    the log query, the live picture, and the ledgers' events."""
    principal = Principal("reader-1", "UK-BF" if side is Side.UK else "FR-CROSS-GN", side,
                          frozenset({Role.ANALYST, Role.CASEWORKER}))  # fmt: skip
    page, _ = EventService(db, clock_skew=timedelta(0)).query(principal, EventFilter(), limit=100)
    picture = Picture(db, clock=lambda: datetime(2026, 8, 14, 6, 0, tzinfo=UTC))
    picture.refresh()
    return {
        "events": page,
        "log_query": [e.seq for e in Log(db).query(visible_to=side, limit=100)],
        "picture": [picture_summary(i) for i in picture.incidents(side)],
        "ledgers": [e.to_json() for e in record_events(db, principal, TYPES)],
    }


@pytest.mark.parametrize("side", [Side.FR, Side.UK])
def test_export_for_a_side_carries_nothing_it_may_not_see(mixed: Mixed, side: Side) -> None:
    tally = ExportTally()
    lines = list(export_lines(mixed.log, for_side=side, tally=tally))
    text = "\n".join(lines)
    withheld = WITHHELD[side]
    assert (tally.lines, tally.entries, tally.redacted) == (10, 6, len(withheld))
    hidden = "uk-only" if side is Side.FR else "fr-only"
    assert hidden not in text
    for seq, event in enumerate(mixed.events):
        assert (str(event.id) in text, NOTE.format(seq) in text) == (
            (False, False) if seq in withheld else (True, True)
        )
    redacted = [json.loads(line) for line in lines if '"redacted"' in line]
    assert redacted == [
        {"kind": "entry", "seq": seq, "entry_hash": mixed.log.entry(seq).entry_hash.hex(),
         "redacted": True}
        for seq in withheld
    ]  # fmt: skip


@pytest.mark.parametrize("side", [Side.FR, Side.UK])
def test_redacted_replica_verifies_and_reads_what_the_side_may_see(
    mixed: Mixed, empty: Log, side: Side
) -> None:
    summary = import_lines(empty, export_lines(mixed.log, for_side=side))
    withheld = len(WITHHELD[side])
    assert (summary.entries_added, summary.entries_redacted, summary.batches_added) == (
        6, withheld, 3
    )  # fmt: skip
    assert summary.checkpoints_added == 1
    report = verify(empty.db)
    assert report.ok, report.failure
    assert (report.entries, report.redacted, report.batches) == (6, withheld, 3)
    assert empty.root() == mixed.log.root()
    assert empty.redacted_count() == withheld
    # what the replica reads is what the full log reads for that side
    mine = readings(empty.db, side)
    assert mine == readings(mixed.log.db, side)
    visible = [s for s in range(6) if s not in WITHHELD[side]]
    assert [seq for seq, _ in mine["events"]] == visible == mine["log_query"]
    assert [e.seq for e in empty.entries()] == visible
    for _ in range(2):  # the decoded cache reads on from the last seq, not from its length
        assert [d.seq for d in decoded.entries(empty.db)] == visible
    assert len(mine["picture"]) == 1 and mine["ledgers"]
    # the replica's other side reads nothing withheld either: it is not there
    other = Side.UK if side is Side.FR else Side.FR
    assert [seq for seq, _ in readings(empty.db, other)["events"]] == [
        s for s in visible if s not in WITHHELD[other]
    ]
    for seq in WITHHELD[side]:
        with pytest.raises(NotFound, match=f"entry {seq} is redacted"):
            empty.entry(seq)
        assert empty.entry_hash(seq) == mixed.log.entry(seq).entry_hash


def test_reexport_from_a_replica_keeps_redacted_entries_redacted(
    mixed: Mixed, empty: Log, tmp_path: Path
) -> None:
    original = list(export_lines(mixed.log, for_side=Side.FR))
    import_lines(empty, original)
    assert list(export_lines(empty)) == original  # nothing to see, nothing to add
    # for the UK, the FR replica withholds fr-only entry 3 as well: redacted 1, 3, 5
    for_uk = [json.loads(line) for line in export_lines(empty, for_side=Side.UK)]
    assert [e["seq"] for e in for_uk if e.get("redacted")] == [1, 3, 5]
    onward_db = open_database(f"sqlite:///{tmp_path / 'onward.db'}")
    try:
        onward = pin(mixed, onward_db, tmp_path / "onward-keys")
        summary = import_lines(onward, export_lines(empty))
        assert (summary.entries_added, summary.entries_redacted) == (6, 2)
        report = verify(onward_db)
        assert report.ok and report.redacted == 2 and report.root == mixed.log.root().hex()
    finally:
        onward_db.close()


def test_overlaps_between_redacted_and_full_entries(mixed: Mixed, empty: Log) -> None:
    import_lines(empty, export_lines(mixed.log, for_side=Side.FR))
    # the full log arrives later: hashes agree, the two redacted entries stay redacted
    again = import_lines(empty, export_lines(mixed.log))
    assert (again.entries_added, again.entries_already_held, again.bodies_not_filled) == (0, 6, 2)
    assert empty.redacted_count() == 2 and verify(empty.db).ok


def test_redacted_lines_over_a_full_replica(mixed: Mixed, empty: Log) -> None:
    import_lines(empty, export_lines(mixed.log))
    again = import_lines(empty, export_lines(mixed.log, for_side=Side.FR))
    assert (again.entries_already_held, again.bodies_not_filled) == (6, 0)
    assert empty.redacted_count() == 0  # nothing held is ever taken away
    lines = list(export_lines(mixed.log, for_side=Side.FR))
    entry = json.loads(lines[2])
    assert entry == {"kind": "entry", "seq": 1, "entry_hash": entry["entry_hash"], "redacted": True}
    lines[2] = json.dumps({**entry, "entry_hash": "00" * 32})
    with pytest.raises(ImportRejected, match=r"row 3: the logs diverge at entry 1"):
        import_lines(empty, lines)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"body": "{}"}, "body"),
        ({"event_id": "x"}, "event_id"),
        ({"releasability": "uk-only"}, "releasability"),
    ],
)
def test_redacted_line_carrying_anything_else_is_refused(
    mixed: Mixed, empty: Log, extra: dict[str, str], field: str
) -> None:
    lines = list(export_lines(mixed.log, for_side=Side.FR))
    lines[2] = json.dumps({**json.loads(lines[2]), **extra})
    with pytest.raises(
        ImportRejected, match=f"row 3, field '{field}': a redacted entry carries only"
    ):
        import_lines(empty, lines)
    assert empty.size() == 0
    lines[2] = json.dumps({**json.loads(lines[2]), "redacted": False})
    with pytest.raises(ImportRejected, match="row 3"):
        import_lines(empty, lines)


def test_tampered_redacted_hash_fails_the_batch_root(mixed: Mixed, empty: Log) -> None:
    lines = list(export_lines(mixed.log, for_side=Side.FR))
    # entry 5 is alone in its batch: nothing after it in the batch, only the root catches it
    entry = json.loads(lines[8])
    assert (entry["seq"], entry.get("redacted")) == (5, True)
    lines[8] = json.dumps({**entry, "entry_hash": hashlib.sha256(b"forged").hexdigest()})
    with pytest.raises(ImportRejected, match=r"row 8: batch 5: its entries do not match"):
        import_lines(empty, lines)
    assert empty.size() == 0
    # entry 1, mid-batch: the next entry's hash, recomputed from it, no longer follows
    lines = list(export_lines(mixed.log, for_side=Side.FR))
    lines[2] = json.dumps({**json.loads(lines[2]), "entry_hash": "11" * 32})
    with pytest.raises(ImportRejected, match=r"row 4.*entry 2: hash does not follow"):
        import_lines(empty, lines)
    assert empty.size() == 0


def test_an_edited_releasability_column_never_lets_a_body_out(mixed: Mixed) -> None:
    """The export decides by the signed body too: entry 1 (uk-only) with its column edited to
    'shared' is still redacted for FR."""
    with mixed.log.db.transaction() as tx:
        tx.execute("UPDATE log_entries SET releasability = 'shared' WHERE seq = 1")
    text = "\n".join(export_lines(mixed.log, for_side=Side.FR))
    assert str(mixed.events[1].id) not in text and NOTE.format(1) not in text
    assert str(mixed.events[0].id) in text


def test_a_shared_event_whose_handling_forbids_is_redacted_even_with_its_column_edited(
    tmp_path: Path,
) -> None:
    """A 'shared' sighting graded 5x5x5 B24 (handling 4: originating side only; the mapping in
    docs/intelligence.md) is withheld from FR; with its releasability column edited back to
    'shared', the export still reads the signed body's grade and redacts it."""
    import uuid

    from manche.domain.events import parse_event
    from manche.domain.events.examples import example_event

    db = open_database(f"sqlite:///{tmp_path / 'graded.db'}")
    keys = KeyStore(db, tmp_path / "keys")
    keys.generate("UK-BF")
    log = Log(db)
    open_one, graded = (
        parse_event(
            example_event(
                "sighting", id=str(uuid.uuid4()), agency="UK-BF", releasability="shared",
                note=note, **extra,
            )
        )
        for note, extra in (
            ("open-report", {}),
            ("graded-report", {"grading": {"scheme": "5x5x5", "code": "B24"}}),
        )
    )  # fmt: skip
    log.append([open_one, graded], keys.signer("UK-BF"))
    try:
        with db.transaction() as tx:
            tx.execute("UPDATE log_entries SET releasability = 'shared' WHERE seq = 1")
        text = "\n".join(export_lines(log, for_side=Side.FR))
        assert "open-report" in text and str(open_one.id) in text
        assert "graded-report" not in text and str(graded.id) not in text
        assert sum(json.loads(line).get("redacted", False) for line in text.splitlines()) == 1
    finally:
        db.close()
