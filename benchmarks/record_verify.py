"""Verify speed of the record: ``verify`` over a log of N entries, on one core.

Builds a log of ``--entries`` signed, chained entries (batches of 1,000, checkpoints every
10,000) on SQLite (and PostgreSQL unless ``--no-postgres``), then times ``verify`` (chain,
query columns against bodies, batch Merkle roots and Ed25519 signatures, checkpoints).
Baseline: reading the same rows with the same chunked SELECT and doing nothing with them.
Medians of ``--repeats`` runs.

    PYTHONPATH=src /work/venv/bin/python benchmarks/record_verify.py [--entries 50000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from manche.record.keys import KeyStore
from manche.record.log import CHUNK, Log, prepare
from manche.record.verify import verify
from manche.storage import Database
from record_append import Opener, make_events, postgres_db, sqlite_db


def read_only(db: Database) -> int:
    seq = 0
    while True:
        with db.transaction() as tx:
            rows = tx.all(
                "SELECT seq, batch, event_id, type, agency, occurred_at, incident, releasability, "
                "lon, lat, body, entry_hash FROM log_entries WHERE seq >= ? ORDER BY seq LIMIT ?",
                (seq, CHUNK),
            )
        if not rows:
            return seq
        seq += len(rows)


def measure(name: str, opener: Opener, entries: int, repeats: int) -> None:
    prepared = [prepare(e) for e in make_events(entries)]
    with tempfile.TemporaryDirectory() as keys, opener() as db:
        store = KeyStore(db, Path(keys))
        store.generate("UK-BF")
        signer = store.signer("UK-BF")
        log = Log(db)
        for start in range(0, entries, 1000):
            log.append(prepared[start : start + 1000], signer)
            if (start + 1000) % 10_000 == 0:
                log.checkpoint(signer)
        verify_rates, read_rates = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            assert read_only(db) == entries
            read_rates.append(entries / (time.perf_counter() - started))
            started = time.perf_counter()
            report = verify(db)
            verify_rates.append(entries / (time.perf_counter() - started))
            assert report.ok and report.entries == entries, report.failure
        plain = statistics.median(read_rates)
        rate = statistics.median(verify_rates)
        print(
            f"{name}: {entries} entries, {report.batches} batches, {report.checkpoints} checkpoints"
        )
        print(f"  read rows only (baseline) {plain:>10,.0f} entries/s")
        print(
            f"  verify                    {rate:>10,.0f} entries/s   "
            f"ratio to read only {rate / plain:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql://127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    measure("SQLite (WAL)", sqlite_db, args.entries, args.repeats)
    if not args.no_postgres:
        measure("PostgreSQL", postgres_db(args.postgres), args.entries, args.repeats)


if __name__ == "__main__":
    main()
