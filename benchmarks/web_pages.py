"""Server time of the web pages against their JSON twins (the baseline), on a fresh SQLite
database holding what ``manche setup`` loads (official statistics, exercise day 2025-04-29).

    PYTHONPATH=src /work/venv/bin/python benchmarks/web_pages.py [--repeat 15]

Prints, for each page, the median server time over ``repeat`` requests through Starlette's
TestClient (in process: no network), the median of its JSON twin, and the ratio page/twin.
Not measured here: a year of records (only one exercise day), the browser's rendering.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

PAIRS = [
    ("/picture", "/api/v1/picture"),
    ("/incidents/EX-2025-04-29-001", "/api/v1/incidents/EX-2025-04-29-001"),
    ("/record", "/api/v1/events?limit=30"),
    ("/intelligence", "/api/v1/intel/quality"),
    ("/statistics", "/api/v1/stats/summary"),
]
PASSWORD = "a long enough benchmark passphrase"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="manche-bench-web-"))
    os.environ["MANCHE_DATA_DIR"] = str(folder)
    from fastapi.testclient import TestClient

    from manche.api.app import create_app
    from manche.service.exercise import load_exercise_day
    from manche.storage import open_database, stats_store
    from manche.users import UserStore
    from manche.users.passwords import PasswordStore

    db = open_database(f"sqlite:///{folder / 'manche.db'}")
    stats_store.import_bundled(db, lambda _: None)
    load_exercise_day(db, date(2025, 4, 29), keys_dir=folder / "keys")
    UserStore(db).add("bench-op", "UK-BF", ["operator"])
    PasswordStore(db).set("bench-op", PASSWORD)
    with TestClient(create_app(db)) as client:
        form = client.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token is not None
        client.post("/login", data={"user": "bench-op", "password": PASSWORD,
                                    "csrf": token.group(1)})  # fmt: skip

        def median_ms(url: str) -> float:
            client.get(url, headers={"accept": "text/html"})
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url, headers={"accept": "text/html"})
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            return statistics.median(times)

        print(f"{'page':34s} {'page ms':>8s} {'twin ms':>8s} {'ratio':>6s}")
        for page, twin in PAIRS:
            p, t = median_ms(page), median_ms(twin)
            print(f"{page:34s} {p:8.1f} {t:8.1f} {p / t:6.2f}")
    db.close()


if __name__ == "__main__":
    main()
