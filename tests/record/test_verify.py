"""`verify` on an intact log, and on logs tampered with directly in SQL (both stores):
it must name the first failing entry, batch or checkpoint, and why."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from manche.domain.events import Event
from manche.domain.values import Side
from manche.record.log import Checkpoint, Log
from manche.record.replica import export_lines, import_lines
from manche.record.signing import Signer
from manche.record.verify import Report, verify
from manche.storage import Database
from tests.record.replicas import mixed_log, pin

MakeEvents = Callable[..., list[Event]]


@pytest.fixture
def filled(log: Log, signer: Signer, make_events: MakeEvents) -> Log:
    """Three batches: entries 0-3, 4-9, 10-11, and checkpoints at sizes 4 and 12."""
    log.append(make_events(4), signer)
    log.checkpoint(signer)
    log.append(make_events(6), signer)
    log.append(make_events(2), signer)
    log.checkpoint(signer)
    return log


def sql(db: Database, statement: str, params: tuple[object, ...] = ()) -> None:
    with db.transaction() as tx:
        tx.execute(statement, params)


def failed(db: Database) -> Report:
    report = verify(db)
    assert not report.ok, report
    assert report.failure is not None
    return report


def test_intact_log_verifies(filled: Log, database: Database) -> None:
    report = verify(database)
    assert report.ok, report.failure
    assert (report.entries, report.batches, report.checkpoints) == (12, 3, 2)
    assert report.root == filled.root().hex()


def test_empty_log_verifies(database: Database) -> None:
    report = verify(database)
    assert report.ok and report.entries == 0
    assert report.summary().startswith("OK: 0 entries in 0 signed batches, 0 checkpoints")


def test_the_summary_counts_in_the_right_number(
    log: Log, signer: Signer, make_events: MakeEvents, database: Database
) -> None:
    log.append(make_events(1), signer)
    log.checkpoint(signer)
    assert (
        verify(database)
        .summary()
        .startswith("OK: 1 entry in 1 signed batch, 1 checkpoint verified")
    )


def test_changed_body_names_the_entry(filled: Log, database: Database) -> None:
    body = filled.entry(6).body.replace(b'"note":""', b'"note":"x"')
    sql(database, "UPDATE log_entries SET body = ? WHERE seq = 6", (body,))
    report = failed(database)
    assert report.failure.where == "entry 6"  # type: ignore[union-attr]
    assert report.failure.seq == 6  # type: ignore[union-attr]
    assert "was changed" in report.failure.reason  # type: ignore[union-attr]


def test_changed_body_and_hash_breaks_the_next_link(filled: Log, database: Database) -> None:
    previous = filled.entry(5).entry_hash
    body = filled.entry(6).body.replace(b'"note":""', b'"note":"x"')
    forged = hashlib.sha256(previous + (6).to_bytes(8, "big") + body).digest()
    sql(database, "UPDATE log_entries SET body = ?, entry_hash = ? WHERE seq = 6", (body, forged))
    report = failed(database)
    assert report.failure.where == "entry 7"  # type: ignore[union-attr]


def test_rewritten_tail_fails_the_batch_signature(filled: Log, database: Database) -> None:
    prev = filled.entry(5).entry_hash
    for seq in range(6, 12):
        body = filled.entry(seq).body
        if seq == 6:
            body = body.replace(b'"note":""', b'"note":"rewritten"')
        prev = hashlib.sha256(prev + seq.to_bytes(8, "big") + body).digest()
        sql(
            database,
            "UPDATE log_entries SET body = ?, entry_hash = ? WHERE seq = ?",
            (body, prev, seq),
        )
    report = failed(database)
    assert report.failure.where.startswith("batch 4 (entries 4-9)")  # type: ignore[union-attr]
    assert "Merkle root" in report.failure.reason  # type: ignore[union-attr]


def test_changed_query_column_is_caught(filled: Log, database: Database) -> None:
    sql(database, "UPDATE log_entries SET releasability = 'uk-only' WHERE seq = 3")
    report = failed(database)
    assert report.failure.where == "entry 3"  # type: ignore[union-attr]
    assert "column releasability" in report.failure.reason  # type: ignore[union-attr]


def test_deleted_entry_is_named(filled: Log, database: Database) -> None:
    sql(database, "DELETE FROM log_entries WHERE seq = 5")
    report = failed(database)
    assert report.failure.where == "entry 5"  # type: ignore[union-attr]
    assert "missing" in report.failure.reason  # type: ignore[union-attr]


def test_truncated_log_is_named(filled: Log, database: Database) -> None:
    sql(database, "DELETE FROM log_entries WHERE seq >= 11")
    report = failed(database)
    assert report.failure.where == "batch 10"  # type: ignore[union-attr]
    assert "removed" in report.failure.reason  # type: ignore[union-attr]


def test_forged_signature_is_named(filled: Log, database: Database) -> None:
    sql(
        database,
        "UPDATE log_batches SET signed_at = '2020-01-01T00:00:00.000000Z' WHERE first_seq = 10",
    )
    report = failed(database)
    assert report.failure.where.startswith("batch 10")  # type: ignore[union-attr]
    assert "signature" in report.failure.reason  # type: ignore[union-attr]


def test_unpinned_key_is_named(filled: Log, database: Database, signer: Signer) -> None:
    sql(database, "DELETE FROM log_keys")
    report = failed(database)
    assert report.failure.where.startswith("batch 0")  # type: ignore[union-attr]
    assert f"key {signer.key_id}" in report.failure.reason  # type: ignore[union-attr]


def test_checkpoint_root_mismatch_is_named(filled: Log, database: Database) -> None:
    sql(database, "UPDATE log_checkpoints SET root = ? WHERE tree_size = 12", (bytes(32),))
    report = failed(database)
    assert "(tree size 12)" in report.failure.where  # type: ignore[union-attr]
    assert "signature" in report.failure.reason  # type: ignore[union-attr]


def test_checkpoint_beyond_the_log_is_named(filled: Log, database: Database) -> None:
    sql(database, "DELETE FROM log_entries WHERE seq >= 10")
    sql(database, "DELETE FROM log_batches WHERE first_seq = 10")
    report = failed(database)
    assert "tree size 12" in report.failure.where or "12 entries" in report.failure.reason  # type: ignore[union-attr]


def test_entry_without_batch_is_named(filled: Log, database: Database) -> None:
    last = filled.entry(11)
    sql(
        database,
        "INSERT INTO log_entries (seq, batch, event_id, type, agency, occurred_at, incident, "
        "releasability, lon, lat, body, entry_hash) VALUES (12, 12, 'x', 'arrest', 'UK-BF', "
        "'2026-01-01T00:00:00Z', NULL, 'shared', NULL, NULL, ?, ?)",
        (last.body, hashlib.sha256(last.entry_hash + (12).to_bytes(8, "big") + last.body).digest()),
    )
    report = failed(database)
    assert report.failure.where == "entry 12"  # type: ignore[union-attr]
    assert "not covered by any signed batch" in report.failure.reason  # type: ignore[union-attr]


def test_shrinking_checkpoint_is_named(filled: Log, database: Database, signer: Signer) -> None:
    later = Checkpoint(
        4, filled.root(4), "2999-01-01T00:00:00.000000Z", "UK-BF", signer.key_id, b""
    )
    later = Checkpoint(**{**later.__dict__, "signature": signer.sign(later.message())})
    with database.transaction() as tx:
        Log.store_checkpoint(tx, later)
    report = failed(database)
    assert report.failure.where == "checkpoint of 2999-01-01T00:00:00.000000Z"  # type: ignore[union-attr]
    assert "the log shrank" in report.failure.reason  # type: ignore[union-attr]


# --- a redacted replica (the FR replica of a log with uk-only entries 1 and 5) ----------------


@pytest.fixture
def redacted(database: Database, tmp_path: Path) -> Iterator[Log]:
    """Entries 0-2 (1 redacted), 3-4, 5 (redacted, alone in its batch), and a checkpoint."""
    mixed = mixed_log(tmp_path)
    try:
        replica = pin(mixed, database, tmp_path / "replica-keys")
        import_lines(replica, export_lines(mixed.log, for_side=Side.FR))
    finally:
        mixed.log.db.close()
    yield replica


def test_redacted_replica_verifies_and_counts_them(redacted: Log, database: Database) -> None:
    report = verify(database)
    assert report.ok, report.failure
    assert (report.entries, report.redacted, report.batches, report.checkpoints) == (6, 2, 3, 1)
    assert "OK: 6 entries (2 of them redacted) in 3 signed batches" in report.summary()


def test_edited_redacted_hash_fails_the_batch_root(redacted: Log, database: Database) -> None:
    sql(database, "UPDATE log_entries SET entry_hash = ? WHERE seq = 5", (bytes(32),))
    report = failed(database)
    assert report.failure.where == "batch 5 (entries 5-5)"  # type: ignore[union-attr]
    assert "Merkle root of its entries is not the stored root" in report.failure.reason  # type: ignore[union-attr]


def test_edited_redacted_hash_mid_batch_names_it(redacted: Log, database: Database) -> None:
    sql(database, "UPDATE log_entries SET entry_hash = ? WHERE seq = 1", (bytes(32),))
    report = failed(database)
    assert report.failure.where == "batch 0 (entries 0-2)"  # type: ignore[union-attr]
    assert "the hash of redacted entry 1 or entry 2 was changed" in report.failure.reason  # type: ignore[union-attr]


def test_edited_body_after_a_redacted_entry_names_that_entry(
    redacted: Log, database: Database
) -> None:
    body = redacted.entry(2).body.replace(b"withheld-marker-2", b"withheld-marker-X")
    sql(database, "UPDATE log_entries SET body = ? WHERE seq = 2", (body,))
    report = failed(database)
    assert report.failure.where == "entry 2"  # type: ignore[union-attr]  # the root still holds


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("UPDATE log_entries SET body = ? WHERE seq = 1", "marked redacted but it holds a body"),
        ("UPDATE log_entries SET releasability = 'shared' WHERE seq = 1",
         "redacted, yet its column releasability says 'shared'"),
        ("UPDATE log_entries SET body = NULL WHERE seq = 0",
         "has no body and is not marked redacted"),
    ],
)  # fmt: skip
def test_half_redacted_rows_are_named(
    redacted: Log, database: Database, statement: str, reason: str
) -> None:
    params: tuple[object, ...] = (b"{}",) if "?" in statement else ()
    sql(database, statement, params)
    report = failed(database)
    seq = 1 if "seq = 1" in statement else 0
    assert report.failure.where == f"entry {seq}"  # type: ignore[union-attr]
    assert reason in report.failure.reason  # type: ignore[union-attr]


def test_a_body_removed_consistently_shows_in_the_count(redacted: Log, database: Database) -> None:
    """Removing a body (and its columns) keeps every signature valid: the report's count of
    redacted entries is what shows it (3, not the 2 the export redacted)."""
    sql(
        database,
        "UPDATE log_entries SET body = NULL, event_id = NULL, type = NULL, agency = NULL, "
        "occurred_at = NULL, incident = NULL, releasability = NULL, lon = NULL, lat = NULL, "
        "redacted = 1 WHERE seq = 0",
    )
    report = verify(database)
    assert report.ok and report.redacted == 3
