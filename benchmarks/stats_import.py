"""Importing one time-series spreadsheet: Manche (python-calamine) against pandas+odfpy.

Run: PYTHONPATH=src /work/venv/bin/python benchmarks/stats_import.py [--repeat N] [FILE.ods]

Measured side by side in one run, on the same file:
- baseline: ``pandas.read_excel(path, engine="odf", sheet_name=["SB_01", "SB_02"])`` (read only,
  no validation, nothing stored);
- manche read: ``read_timeseries(path)`` (read and validate every cell);
- manche import: read, validate and store the vintage in a fresh SQLite database, in one
  transaction.
Before timing, asserts that both readers give identical figures for every day and week.
Prints the median of each and the ratio baseline / manche.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from manche.sources.homeoffice_ods import read_timeseries
from manche.storage import open_database, stats_store

DEFAULT = (
    Path(__file__).resolve().parent.parent
    / "src/manche/data/homeoffice/small_boats_time_series_2026-08-21.ods"
)


def baseline(path: Path) -> dict[str, Any]:
    return pd.read_excel(path, engine="odf", sheet_name=["SB_01", "SB_02"])


def _n(value: Any) -> int | None:
    return None if value == "-" else int(value)


def check_identical(path: Path) -> int:
    frames = baseline(path)
    parsed = read_timeseries(path)
    theirs = [
        (r[0].date(), _n(r[1]), _n(r[2]), _n(r[3]), r[4] if isinstance(r[4], str) else "")
        for r in frames["SB_01"].itertuples(index=False)
    ]
    ours = [(d.day, d.migrants, d.boats, d.uncontrolled_landings, d.notes) for d in parsed.daily]
    assert ours == theirs, "daily figures differ from pandas+odf"
    theirs_w = [
        (r[0].date(), *(_n(v) for v in r[1:6]), r[6] if isinstance(r[6], str) else "")
        for r in frames["SB_02"].itertuples(index=False)
    ]
    ours_w = [
        (
            w.week_ending,
            w.migrants,
            w.boats,
            w.uncontrolled_landings,
            w.migrants_prevented,
            w.events_prevented,
            w.notes,
        )
        for w in parsed.weekly
    ]
    assert ours_w == theirs_w, "weekly figures differ from pandas+odf"
    return len(ours) + len(ours_w)


def manche_import(path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{folder}/bench.db")
        try:
            stats_store.store(db, [read_timeseries(path)])
        finally:
            db.close()


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cells = check_identical(args.file)
    print(f"{args.file.name}: {cells} rows, identical figures in pandas+odf and Manche")
    slow = median_seconds(lambda: baseline(args.file), args.repeat)
    read = median_seconds(lambda: read_timeseries(args.file), args.repeat * 4)
    full = median_seconds(lambda: manche_import(args.file), args.repeat * 4)
    print(f"baseline pandas.read_excel(odf)  median {slow * 1000:9.1f} ms")
    print(f"manche read (validated)          median {read * 1000:9.1f} ms  {slow / read:6.1f}x")
    print(f"manche import (read + store)     median {full * 1000:9.1f} ms  {slow / full:6.1f}x")
    ok = slow / full >= 20
    print("target: import at least 20x faster than the baseline:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
