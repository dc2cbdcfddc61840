"""How fast the returns ledger is rebuilt from the record's events (the work behind every
``manche returns ...`` command and ``/api/v1/returns/...`` request).

Baseline (the limit): one pass over the same parsed events that only dispatches on the event
type and keeps the last type seen per case, i.e. a projection with no rules, deadlines or
balance. Events are generated in memory (synthetic return and admission cases, 6 and 4 events
each); parsing from the log is not timed (the record's own benchmarks cover reading).

Run: PYTHONPATH=src /work/venv/bin/python benchmarks/ledgers_rebuild.py [--cases N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from manche.domain.agreements import Parameters
from manche.domain.events.base import Event
from manche.domain.events.returns import (
    AdmissionApplicationReceived,
    AdmissionArrived,
    AdmissionChecksCompleted,
    AdmissionVisaIssued,
    ReturnCaseOpened,
    ReturnRemovalScheduled,
    ReturnRemoved,
    ReturnRequestAnswered,
    ReturnRequestSent,
)
from manche.readings.returns import ReturnsLedger

START = datetime(2025, 9, 1, 8, tzinfo=UTC)


def events(cases: int) -> list[Event]:
    out: list[Event] = []
    for n in range(cases):
        t = START + timedelta(hours=n)

        def at(days: float, t: datetime = t) -> dict[str, Any]:
            when = t + timedelta(days=days)
            return {"agency": "UK-HO", "author": "cw", "occurred_at": when, "recorded_at": when}

        ret, adm = f"RET-2025-{n:06d}", f"ADM-2025-{n:06d}"
        out += [
            ReturnCaseOpened(**at(0), case_number=ret, arrived_at=t, basis="apprehended",
                             age_category="adult"),
            ReturnRequestSent(**at(3), case_number=ret),
            ReturnRequestAnswered(**at(8), case_number=ret, accepted=True),
            ReturnRemovalScheduled(**at(9), case_number=ret, removal_on=t + timedelta(days=14)),
            ReturnRemoved(**at(14), case_number=ret),
            AdmissionApplicationReceived(**at(0), case_number=adm, in_france=True,
                                         identity_document=True, proof_of_presence=True),
            AdmissionChecksCompleted(**at(5), case_number=adm, passed=True),
            AdmissionVisaIssued(**at(7), case_number=adm),
            AdmissionArrived(**at(12), case_number=adm),
        ]  # fmt: skip
    out.sort(key=lambda e: e.occurred_at)
    return out


def baseline(evs: list[Event]) -> dict[str, str]:
    last: dict[str, str] = {}
    for e in evs:
        last[getattr(e, "case_number", "")] = e.type
    return last


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    evs = events(args.cases)
    params = Parameters(parity_tolerance=args.cases)
    timings: dict[str, list[float]] = {"baseline": [], "ledger": []}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        baseline(evs)
        t1 = time.perf_counter()
        ledger = ReturnsLedger.from_events(evs, params)
        ledger.balance()
        ledger.overdue(START.date() + timedelta(days=400))
        t2 = time.perf_counter()
        timings["baseline"].append(t1 - t0)
        timings["ledger"].append(t2 - t1)
    assert not ledger.flags, ledger.flags[:3]
    n = len(evs)
    base, led = statistics.median(timings["baseline"]), statistics.median(timings["ledger"])
    print(
        f"{n} events ({args.cases} return + {args.cases} admission cases), median of {args.repeat}"
    )
    print(f"baseline (dispatch only): {base * 1e3:8.1f} ms  {n / base:12,.0f} events/s")
    print(f"returns ledger + balance + overdue: {led * 1e3:8.1f} ms  {n / led:12,.0f} events/s")
    print(f"ratio ledger/baseline: {led / base:.1f}x")


if __name__ == "__main__":
    main()
