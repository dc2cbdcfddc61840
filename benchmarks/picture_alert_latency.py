"""From a distress event arriving at the API to the alert reaching a connected client.

Issue 4's figure: p99 under 100 ms with 50 open incidents and 200 position reports/s.

Set-up: a real server (``manche serve`` code, uvicorn) in a subprocess on a loopback port, on a
fresh SQLite database; one UK analyst connected to ``/api/v1/picture/stream``; 50 open
incidents seeded; then, for ``--seconds``, position reports (sightings) at ``--rate`` per second
sent as batches of 10 every 50 ms (the way a feed gateway would forward them), and every
``--distress-every`` seconds a distress for a fresh incident, posted by a French operator. For
each distress we time from just before the POST is sent to the moment its ``alert`` arrives on
the stream.

Baseline, measured in the same run: the POST round trip of the same distress events (the time
the API takes to accept and sign an event). The ratio says how much the live path adds.

Bounded: loopback only, a fixed number of requests, stops by itself.

    PYTHONPATH=src .venv/bin/python benchmarks/picture_alert_latency.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from manche.record.keys import KeyStore
from manche.storage import open_database
from manche.users import UserStore

SERVER = """
import sys, uvicorn
from manche.api.app import create_app
uvicorn.run(create_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def sighting(ref: str, lon: float, lat: float) -> dict[str, Any]:
    return {
        "type": "sighting",
        "occurred_at": (datetime.now(UTC) - timedelta(seconds=30)).isoformat(),
        "incident": ref,
        "source": "radar",
        "position": {"lon": round(lon, 5), "lat": round(lat, 5)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=int, default=200, help="position reports per second")
    parser.add_argument("--incidents", type=int, default=50)
    parser.add_argument("--distress-every", type=float, default=0.5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="manche-bench-"))
    env = {
        **os.environ,
        "MANCHE_DATA_DIR": str(work / "data"),
        "MANCHE_DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
    }
    db = open_database(env["MANCHE_DATABASE_URL"])
    users = UserStore(db)
    keys = KeyStore(db, work / "data" / "keys")
    for agency in ("UK-HMCG", "FR-CROSS-GN"):
        keys.generate(agency)
    users.add("uk-ops", "UK-HMCG", ["operator"])
    users.add("fr-ops", "FR-CROSS-GN", ["operator"])
    users.add("uk-watch", "UK-HMCG", ["analyst"])
    tokens = {u: users.issue_token(u).token for u in ("uk-ops", "fr-ops", "uk-watch")}
    db.close()

    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base, timeout=10)
    deadline = time.monotonic() + 60
    while True:
        try:
            client.get("/api/v1/health")
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise SystemExit("server did not start") from None
            time.sleep(0.1)
    auth = {name: {"Authorization": f"Bearer {t}"} for name, t in tokens.items()}

    try:
        # 50 open incidents in French waters off Calais
        seed = [sighting(f"OPEN-{i:03d}", 1.70 + 0.006 * i, 51.02) for i in range(args.incidents)]
        client.post("/api/v1/events", json=seed, headers=auth["uk-ops"]).raise_for_status()
        client.get("/api/v1/picture", headers=auth["uk-watch"]).raise_for_status()  # warm

        arrivals: dict[str, float] = {}
        stop = threading.Event()

        def listen() -> None:
            with httpx.stream(
                "GET", base + "/api/v1/picture/stream", headers=auth["uk-watch"], timeout=None
            ) as response:
                kind = None
                for line in response.iter_lines():
                    if stop.is_set():
                        return
                    if line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: ") and kind == "alert":
                        ref = json.loads(line[6:])["incident"]["ref"]
                        arrivals.setdefault(ref, time.monotonic())

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        time.sleep(0.5)

        def feed() -> None:
            batch = max(args.rate // 20, 1)
            k = 0
            next_at = time.monotonic()
            with httpx.Client(base_url=base, timeout=10) as feeder:
                while not stop.is_set():
                    items = []
                    for _ in range(batch):
                        i = k % args.incidents
                        items.append(
                            sighting(
                                f"OPEN-{i:03d}", 1.70 + 0.006 * i + 0.0001 * k, 51.02 + 0.00005 * k
                            )
                        )
                        k += 1
                    feeder.post("/api/v1/events", json=items, headers=auth["uk-ops"])
                    next_at += 0.05
                    time.sleep(max(0.0, next_at - time.monotonic()))

        feeder_thread = threading.Thread(target=feed, daemon=True)
        feeder_thread.start()

        sent: dict[str, float] = {}
        post_rtt: list[float] = []
        end = time.monotonic() + args.seconds
        n = 0
        while time.monotonic() < end:
            ref = f"SOS-{n:04d}"
            body = {
                "type": "distress",
                "occurred_at": (datetime.now(UTC) - timedelta(seconds=5)).isoformat(),
                "incident": ref,
                "kinds": ["people-in-water"],
                "position": {"lon": 1.75, "lat": 51.03},
            }
            start = time.monotonic()
            sent[ref] = start
            client.post("/api/v1/events", json=body, headers=auth["fr-ops"]).raise_for_status()
            post_rtt.append(time.monotonic() - start)
            n += 1
            time.sleep(args.distress_every)
        time.sleep(1.0)
        stop.set()

        latencies = [(arrivals[r] - sent[r]) * 1000 for r in sent if r in arrivals]
        missing = [r for r in sent if r not in arrivals]
        rtt = [v * 1000 for v in post_rtt]
        print(
            f"open incidents: {args.incidents}; position reports: {args.rate}/s "
            f"(batches of {max(args.rate // 20, 1)} every 50 ms); distress events: {len(sent)}"
        )
        print(
            f"alert latency (POST sent -> alert on the stream): median "
            f"{statistics.median(latencies):.1f} ms, p99 {pct(latencies, 99):.1f} ms, "
            f"max {max(latencies):.1f} ms; alerts missing: {len(missing)}"
        )
        print(
            f"baseline, POST round trip of the same events: median "
            f"{statistics.median(rtt):.1f} ms, p99 {pct(rtt, 99):.1f} ms"
        )
        print(f"ratio (alert p99 / POST p99): {pct(latencies, 99) / pct(rtt, 99):.2f}")
        print(f"target p99 < 100 ms: {'met' if pct(latencies, 99) < 100 else 'NOT met'}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
