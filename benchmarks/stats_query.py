"""Summary and period queries on the full loaded series: median time per query.

Run: PYTHONPATH=src /work/venv/bin/python benchmarks/stats_query.py [--n N]

Loads the bundled files into a fresh SQLite database, then times (once the series is loaded,
as the CLI and API keep it in memory):
- ``summary`` as of random dates (year to date + every earlier year since 2018);
- ``period`` over random spans;
against the baseline of summing the same period from the stored rows with SQL
(``SELECT SUM(migrants), SUM(boats) FROM stats_daily WHERE vintage_id = ? AND day BETWEEN ...``).
Target: median under 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta

from manche.readings import stats as readings
from manche.readings.stats import EPOCH
from manche.storage import open_database, stats_store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{folder}/bench.db")
        start = time.perf_counter()
        data = stats_store.ensure_loaded(db)
        series = data.series()
        print(f"import + load of the bundled files: {(time.perf_counter() - start) * 1000:.0f} ms")
        last = series.last_day
        span = (last - EPOCH).days
        as_ofs = [EPOCH + timedelta(days=rng.randint(1, span + 1)) for _ in range(args.n)]
        periods = []
        for _ in range(args.n):
            a, b = sorted(rng.randint(0, span) for _ in range(2))
            periods.append((EPOCH + timedelta(days=a), EPOCH + timedelta(days=b)))

        summary_times, period_times, sql_times = [], [], []
        for as_of in as_ofs:
            t = time.perf_counter()
            readings.summary(series, as_of=as_of)
            summary_times.append(time.perf_counter() - t)
        for a, b in periods:
            t = time.perf_counter()
            readings.period(series, a, b)
            period_times.append(time.perf_counter() - t)
        latest = next(v for v in reversed(data.vintages) if v.kind == "timeseries")
        with db.transaction() as tx:
            for a, b in periods[: args.n // 4]:
                t = time.perf_counter()
                tx.one(
                    "SELECT SUM(migrants), SUM(boats) FROM stats_daily "
                    "WHERE vintage_id = ? AND day BETWEEN ? AND ?",
                    (latest.id, a.isoformat(), b.isoformat()),
                )
                sql_times.append(time.perf_counter() - t)
        db.close()
    s, p, q = (statistics.median(x) * 1000 for x in (summary_times, period_times, sql_times))
    print(f"summary (ytd + {last.year - 2018} earlier years)     median {s:8.3f} ms  (n={args.n})")
    print(f"period                              median {p:8.3f} ms  (n={args.n})")
    print(f"baseline: SQL SUM over stored rows  median {q:8.3f} ms  ratio {q / p:6.1f}x")
    ok = max(s, p) < 5
    print("target: summary and period median under 5 ms:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
