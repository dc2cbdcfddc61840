"""Append speed of the record: signed, chained events in batches of 1,000.

Measured, per store (SQLite file in WAL mode; PostgreSQL in a throwaway schema):

- ``append (prepared)``: ``Log.append`` of events whose canonical bytes were computed
  beforehand (``prepare``, as the API does when it validates a request): chain hashing,
  Merkle root, one Ed25519 signature per batch, INSERT/COPY and commit;
- ``append (from Event)``: the same, including ``prepare`` (pydantic dump + RFC 8785);
- baseline ``plain insert``: the same rows into a twin table (same columns and indexes) by
  the same method (executemany / COPY), one transaction per 1,000, no hashing or signing.

Each figure is the median of ``--repeats`` runs, each on a fresh database. With ``--prefill N``
each database first receives N other events (not timed; the twin table N rows): the rate of a
log that has grown, where every commit touches pages all over the unique index of random event
ids. For SQLite (which
runs in this process) the same rates per CPU second of this process are printed too: what one
core does when the machine's other work does not take turns with it (waits for the disk are
not counted there, so the wall-clock figures are the ones the targets are about).

    PYTHONPATH=src /work/venv/bin/python benchmarks/record_append.py [--events 20000]
        [--repeats 3] [--prefill 0] [--postgres postgresql://127.0.0.1:5432/test | --no-postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from urllib.parse import quote

from manche.domain.events import Event, parse_event
from manche.domain.events.examples import EXAMPLES, example_event
from manche.record.keys import KeyStore
from manche.record.log import Log, Prepared, entry_fields, insert_entries, prepare
from manche.record.schema import DDL
from manche.storage import Database, open_database

BATCH = 1000
Opener = Callable[[], AbstractContextManager[Database]]


def make_events(n: int) -> list[Event]:
    types = sorted(EXAMPLES)
    templates = [parse_event(example_event(t)) for t in types]
    return [templates[i % len(templates)].model_copy(update={"id": uuid.uuid4()}) for i in range(n)]


@contextmanager
def sqlite_db() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            yield db
        finally:
            db.close()


def postgres_db(base: str) -> Opener:
    import psycopg

    @contextmanager
    def open_one() -> Iterator[Database]:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
        separator = "&" if "?" in base else "?"
        db = open_database(f"{base}{separator}options={quote(f'-csearch_path={schema}')}")
        try:
            yield db
        finally:
            db.close()
            with psycopg.connect(base, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")

    return open_one


Rates = tuple[float, float]
"""(per wall-clock second, per CPU second of this process)"""


def run_append(
    db: Database, items: list[Event] | list[Prepared], keys: Path, before: list[Prepared]
) -> Rates:
    store = KeyStore(db, keys)
    store.generate("UK-BF")
    signer = store.signer("UK-BF")
    log = Log(db)
    for start in range(0, len(before), BATCH):
        log.append(before[start : start + BATCH], signer)
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(items), BATCH):
        log.append(items[start : start + BATCH], signer)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert log.size() == len(before) + len(items)
    return len(items) / elapsed, len(items) / cpu


def run_plain(db: Database, prepared: list[Prepared], before: list[Prepared]) -> Rates:
    # the same table as log_entries, with its index (event_id is unique)
    twin = [s.replace("log_entries", "plain_entries") for s in DDL if "log_entries" in s]
    if db.dialect == "sqlite":
        twin = [s.replace("seq BIGINT PRIMARY KEY", "seq INTEGER PRIMARY KEY") for s in twin]
    db.ensure_schema("bench_plain", 1, twin)
    earlier = [(i, 0, *entry_fields(p), bytes(32)) for i, p in enumerate(before)]
    for start in range(0, len(earlier), BATCH):
        with db.transaction() as tx:
            insert_entries(tx, earlier[start : start + BATCH], table="plain_entries")
    rows = [(len(before) + i, 0, *entry_fields(p), bytes(32)) for i, p in enumerate(prepared)]
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(rows), BATCH):
        with db.transaction() as tx:
            insert_entries(tx, rows[start : start + BATCH], table="plain_entries")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(rows) / elapsed, len(rows) / cpu


def measure(
    name: str, opener: Opener, events: list[Event], repeats: int, before: list[Prepared]
) -> None:
    prepared = [prepare(e) for e in events]
    figures: dict[str, list[Rates]] = {"plain": [], "prepared": [], "full": []}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as keys:
            with opener() as db:
                figures["plain"].append(run_plain(db, prepared, before))
            with opener() as db:
                figures["prepared"].append(run_append(db, prepared, Path(keys) / "a", before))
            with opener() as db:
                figures["full"].append(run_append(db, events, Path(keys) / "b", before))
    grown = f", after {len(before):,} others" if before else ""
    print(f"{name}: {len(events)} events{grown}, batches of {BATCH}, median of {repeats} runs")
    for which, unit in ((0, "s"), (1, "CPU s")):
        if which == 1 and not name.startswith("SQLite"):
            break  # PostgreSQL's own work is another process: not counted here
        if which == 1:
            print("  per CPU second of this process:")
        plain = statistics.median(f[which] for f in figures["plain"])
        print(f"  plain insert (baseline)   {plain:>10,.0f} rows/{unit}")
        for key, label in (("prepared", "append (prepared)"), ("full", "append (from Event)")):
            value = statistics.median(f[which] for f in figures[key])
            print(
                f"  {label:<25} {value:>10,.0f} events/{unit}   "
                f"ratio to plain insert {value / plain:.2f}"
            )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql://127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--prefill", type=int, default=0, help="events in the log beforehand")
    args = parser.parse_args()
    events = make_events(args.events)
    before = [prepare(e) for e in make_events(args.prefill)]
    measure("SQLite (WAL)", sqlite_db, events, args.repeats, before)
    if not args.no_postgres:
        measure("PostgreSQL", postgres_db(args.postgres), events, args.repeats, before)


if __name__ == "__main__":
    main()
