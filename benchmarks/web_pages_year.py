"""Server time of the web pages with a YEAR of records, against the same pages on the exercise
day alone (the baseline, measured in the same run).

    PYTHONPATH=src .venv/bin/python benchmarks/web_pages_year.py [--repeat 30] [--rebuild]

The year: every day from 2024-04-30 to 2025-04-29 on which the official figures give crossings,
each written by the exercise generator (``manche.sources.exercise``) with as many boats and
people as the official daily figures, loaded through the real append path
(:func:`manche.service.exercise.load_exercise_day`: signed batches, hash chain). Loading takes a
few minutes, so the database is cached in ``/tmp/manche-bench-year/`` (``--rebuild`` starts it
again). The baseline database holds the official statistics and the exercise day 2025-04-29
only, as ``benchmarks/web_pages.py`` does; both end on the same day, so the same URLs answer.

Prints, for each page, the median and 95th percentile server time over ``repeat`` requests
through Starlette's TestClient (in process, signed in as a UK operator), with a year and with
one day, and the ratio year/day. The target is under 100 ms per page with a year.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

CACHE = Path("/tmp/manche-bench-year")
DEMO = Path(__file__).resolve().parents[1] / "tests" / "data" / "ledgers" / "demo.jsonl"
FIRST, LAST = date(2024, 4, 30), date(2025, 4, 29)
PAGES = [  # (page, who signs in to read it); {craft} and {case} are found through the API
    ("/", "bench-op"),
    ("/statistics", "bench-op"),
    ("/statistics?vintage=ods-2025-11-28", "bench-op"),
    ("/picture", "bench-op"),
    ("/incidents/EX-2025-04-29-001", "bench-op"),
    ("/record", "bench-op"),
    ("/record/new?type=sighting", "bench-op"),
    ("/intelligence", "bench-op"),
    ("/intelligence/crafts/{craft}", "bench-op"),
    ("/agreements", "bench-cw"),
    ("/agreements/cases/{case}", "bench-cw"),
    ("/admin", "bench-admin"),
    ("/admin/users/bench-op", "bench-admin"),
]
PASSWORD = "a long enough benchmark passphrase"
USERS = [("bench-op", "operator"), ("bench-cw", "caseworker"), ("bench-admin", "admin")]


def _setup(folder: Path, days: list[date]) -> Any:
    from manche.service.exercise import load_exercise_day
    from manche.storage import open_database, stats_store
    from manche.users import UserStore
    from manche.users.passwords import PasswordStore

    db = open_database(f"sqlite:///{folder / 'manche.db'}")
    stats_store.import_bundled(db, lambda _: None)
    data = stats_store.ensure_loaded(db, None)
    series = data.series()
    from manche.readings import stats as readings

    events = 0
    started = time.perf_counter()
    for day in days:
        figure = readings.day(series, day)
        if not figure["migrants"] or not figure["boats"]:
            continue
        # one seed per day: the generator's event ids depend on the seed only
        seed = 1 if day == LAST else day.toordinal()
        events += load_exercise_day(db, day, keys_dir=folder / "keys", seed=seed).events
    events += _load_ledger_demo(db, folder / "keys")
    for user, role in USERS:
        UserStore(db).add(user, "UK-BF", [role])
        PasswordStore(db).set(user, PASSWORD)
    took = time.perf_counter() - started
    print(f"loaded {len(days)} days, {events:,} events in {took:.1f} s into {folder}")
    return db


def _load_ledger_demo(db: Any, keys_dir: Path) -> int:
    """The returns and equipment cases of tests/data/ledgers/demo.jsonl (45 events), each
    agency's events signed with its own key, so the agreements pages have cases to show."""
    import json
    from collections import defaultdict

    from manche.domain.events import parse_event
    from manche.errors import NotFound
    from manche.record.keys import KeyStore
    from manche.record.log import Log

    keys = KeyStore(db, keys_dir)
    by_agency: dict[str, list[Any]] = defaultdict(list)
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        event = parse_event(json.loads(line))
        by_agency[event.agency].append(event)
    for agency, events in by_agency.items():
        try:
            signer = keys.signer(agency)
        except NotFound:
            keys.generate(agency)
            signer = keys.signer(agency)
        Log(db).append(events, signer)
    return sum(len(e) for e in by_agency.values())


def _database(folder: Path, days: list[date], rebuild: bool) -> Any:
    from manche.storage import open_database

    done = folder / "complete"
    if done.exists() and not rebuild:
        return open_database(f"sqlite:///{folder / 'manche.db'}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = _setup(folder, days)
    done.touch()
    return db


def _measure(db: Any, folder: Path, repeat: int) -> dict[str, list[float]]:
    from fastapi.testclient import TestClient

    from manche.api.app import create_app

    os.environ["MANCHE_DATA_DIR"] = str(folder)
    results: dict[str, list[float]] = {}
    with TestClient(create_app(db)) as client:
        signed_in = None
        for page, user in PAGES:
            if user != signed_in:
                if signed_in is not None:
                    client.post("/logout", data={"csrf": _csrf(client)})
                form = client.get("/login").text
                token = re.search(r'name="csrf" value="([^"]+)"', form)
                assert token is not None
                client.post("/login", data={"user": user, "password": PASSWORD,
                                            "csrf": token.group(1)})  # fmt: skip
                signed_in = user
            url = page.format(craft=_first(client, "/api/v1/intel/crafts", "crafts", "id")
                              if "{craft}" in page else "",
                              case=_first(client, "/api/v1/returns/cases", "cases",
                                          "case_number") if "{case}" in page else "")  # fmt: skip
            for _ in range(2):  # warm up (first reading of the record, caches)
                client.get(url, headers={"accept": "text/html"})
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url, headers={"accept": "text/html"})
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            results[page] = times
    return results


def _first(client: Any, route: str, key: str, field: str) -> str:
    """The first row's ``field`` of a JSON route (the page's subject, e.g. a craft id)."""
    rows = client.get(route).json()[key]
    assert rows, route
    return str(rows[0][field])


def _csrf(client: Any) -> str:
    page = client.get("/").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    year_days = [FIRST + timedelta(days=k) for k in range((LAST - FIRST).days + 1)]
    year_db = _database(CACHE, year_days, args.rebuild)
    day_folder = Path(tempfile.mkdtemp(prefix="manche-bench-day-"))
    day_db = _setup(day_folder, [LAST])
    from manche.record.log import Log

    print(f"year: {Log(year_db).size():,} log entries; day: {Log(day_db).size():,}")
    year = _measure(year_db, CACHE, args.repeat)
    day = _measure(day_db, day_folder, args.repeat)
    print(f"median and p95 of {args.repeat} requests, ms (TestClient, in process)")
    print(f"{'page':38s} {'year med':>8s} {'p95':>6s} {'day med':>8s} {'p95':>6s} {'ratio':>6s}")
    for url, _ in PAGES:
        y, d = statistics.median(year[url]), statistics.median(day[url])
        print(
            f"{url:38s} {y:8.1f} {_p95(year[url]):6.1f} {d:8.1f} {_p95(day[url]):6.1f} {y / d:6.2f}"
        )
    year_db.close()
    day_db.close()
    shutil.rmtree(day_folder, ignore_errors=True)


if __name__ == "__main__":
    main()
