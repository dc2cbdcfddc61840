"""Export / import of the log (JSON Lines): a replica on SQLite and PostgreSQL that verifies,
and refusals of forked, tampered or gapped exports, naming where (nothing imported)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from manche.domain.events import Event
from manche.errors import ImportRejected
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.replica import export_lines, import_lines
from manche.record.verify import verify
from manche.storage import Database, open_database

MakeEvents = Callable[..., list[Event]]


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
