"""Single-event POST /api/v1/events over HTTP on loopback, at a bounded, steady rate.

Starts ``manche serve`` (uvicorn, as deployed: one process, access log on, output to a file) in
a subprocess on a free port of 127.0.0.1 with a fresh SQLite database (or --postgres URL), makes
an operator with a token and a signing key for its agency, then sends requests open-loop at
--rate per second for --seconds (latency is measured from each request's *scheduled* time, so a
slow response also delays the ones queued behind it instead of hiding them), and stops the
server. Each POST carries one sighting and an Idempotency-Key, as a careful client would.

Baseline, measured the same way in the same run: GET /api/v1/health (authentication-free, one
``SELECT 1``). Target (issue 3): POST p99 under 25 ms at 100 requests/s.

    PYTHONPATH=src /work/venv/bin/python benchmarks/api_post_load.py [--rate 100] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from manche.record.keys import KeyStore
from manche.storage import open_database
from manche.users import UserStore


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def run_load(
    client: httpx.Client, rate: float, seconds: float, make_request: object
) -> tuple[list[float], int]:
    """Open-loop: request i is due at start + i/rate. Returns latencies (ms) and error count."""
    send = make_request  # callable(client) -> httpx.Response
    count = int(rate * seconds)
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter() + 0.05
    for i in range(count):
        due = start + i / rate
        now = time.perf_counter()
        if now < due:
            time.sleep(due - now)
        response = send(client)  # type: ignore[operator]
        done = time.perf_counter()
        if response.status_code >= 400:
            errors += 1
        latencies.append((done - due) * 1000)
    return latencies, errors


def summary(name: str, latencies: list[float], errors: int) -> str:
    return (
        f"{name:<28} n={len(latencies):5d} errors={errors:3d} "
        f"p50={statistics.median(latencies):7.2f} ms  p90={percentile(latencies, 90):7.2f} ms  "
        f"p99={percentile(latencies, 99):7.2f} ms  max={max(latencies):7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each phase")
    parser.add_argument("--postgres", help="a postgresql:// URL instead of a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="manche-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        url = args.postgres or f"sqlite:///{data_dir / 'manche.db'}"
        db = open_database(url)
        users = UserStore(db)
        user = f"bench-op-{uuid.uuid4().hex[:6]}"
        users.add(user, "UK-BF", ["operator"])
        token = users.issue_token(user).token
        keys = KeyStore(db, data_dir / "keys")
        if not any(k.agency == "UK-BF" and k.origin == "local" for k in keys.list()):
            keys.generate("UK-BF")
        db.close()

        port = free_port()
        env = {**os.environ, "MANCHE_DATABASE_URL": url, "MANCHE_DATA_DIR": str(data_dir)}
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent / "src")
        log_path = Path(tmp) / "serve.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "manche", "serve", "--host", "127.0.0.1", "--port",
                 str(port)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 30
                with httpx.Client(base_url=base, timeout=10) as client:
                    while True:
                        try:
                            if client.get("/api/v1/health").status_code == 200:
                                break
                        except httpx.TransportError:
                            pass
                        if time.monotonic() > deadline or server.poll() is not None:
                            sys.exit(f"server did not start; see {log_path}")
                        time.sleep(0.1)
                    auth = {"Authorization": f"Bearer {token}"}

                    def health(c: httpx.Client) -> httpx.Response:
                        return c.get("/api/v1/health")

                    def post(c: httpx.Client) -> httpx.Response:
                        moment = datetime.now(UTC) - timedelta(minutes=1)
                        body = {
                            "type": "sighting",
                            "occurred_at": moment.isoformat(),
                            "source": "radar",
                            "position": {"lon": 1.45, "lat": 51.02},
                            "persons": {"total": 50},
                            "incident": "INC-BENCH",
                        }
                        headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
                        return c.post("/api/v1/events", json=body, headers=headers)

                    # warm-up (imports, first connections, caches), not measured
                    run_load(client, args.rate, 1.0, health)
                    run_load(client, args.rate, 1.0, post)
                    print(
                        f"manche serve on {base}, {url.split(':')[0]}, "
                        f"{args.rate:g} requests/s for {args.seconds:g} s per phase"
                    )
                    base_lat, base_err = run_load(client, args.rate, args.seconds, health)
                    print(summary("baseline GET /api/v1/health", base_lat, base_err))
                    post_lat, post_err = run_load(client, args.rate, args.seconds, post)
                    print(summary("POST /api/v1/events (1)", post_lat, post_err))
                    p99_post, p99_base = percentile(post_lat, 99), percentile(base_lat, 99)
                    p50_post, p50_base = statistics.median(post_lat), statistics.median(base_lat)
                    print(
                        f"p99 ratio POST/health: {p99_post / p99_base:.2f}; "
                        f"median ratio: {p50_post / p50_base:.2f}; "
                        f"target p99 < 25 ms: {'met' if p99_post < 25 else 'NOT met'}"
                    )
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


if __name__ == "__main__":
    main()
