"""Single-event POST /api/v1/events over HTTP on loopback, at a bounded, steady rate.

Starts ``manche serve`` (uvicorn, as deployed: one process, access log on, output to a file) in
a subprocess on a free port of 127.0.0.1 with a fresh SQLite database (or --postgres URL), makes
an operator with a token and a signing key for its agency, then sends requests open-loop at
--rate per second for --seconds (each request leaves at its scheduled time from a pool of client
threads, whether or not earlier ones were answered, and its latency is measured from that
time, so queueing in the server is counted, not hidden), and stops the server. Each POST
carries one sighting and an Idempotency-Key, as a careful client would.

Baseline, measured the same way in the same run: GET /api/v1/health (authentication-free, one
``SELECT 1``). Target (issue 3): POST p99 under 25 ms at 100 requests/s. Last, the same work
without HTTP (authenticate + submit in-process, back to back) shows what the service itself
costs.

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
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from manche.record.keys import KeyStore
from manche.storage import open_database
from manche.users import UserStore

CLIENT_THREADS = 4
"""Requests in flight at most (a burst beyond that waits for a free client thread)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), for CPU cost per request."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class LoadClient:
    """A few client threads, each with its own keep-alive connection, reused across phases."""

    def __init__(self, base_url: str, threads: int = CLIENT_THREADS) -> None:
        self.base_url = base_url
        self.pool = ThreadPoolExecutor(max_workers=threads)
        self.local = threading.local()
        self.clients: list[httpx.Client] = []
        self.lock = threading.Lock()

    def client(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self.local, "client", None)
        if client is None:
            client = self.local.client = httpx.Client(base_url=self.base_url, timeout=30)
            with self.lock:
                self.clients.append(client)
        return client

    def close(self) -> None:
        self.pool.shutdown()
        for client in self.clients:
            client.close()

    def run(
        self, rate: float, seconds: float, send: Callable[[httpx.Client], httpx.Response]
    ) -> tuple[list[float], int]:
        """Open-loop: request i is *sent* at start + i/rate whether or not earlier ones were
        answered, so a slow answer delays nothing but itself and the server's own queueing
        shows. Latency is measured from the scheduled time. Returns latencies (ms) and the
        number of 4xx/5xx answers."""

        def one(due: float) -> tuple[float, bool]:
            response = send(self.client())
            return (time.perf_counter() - due) * 1000, response.status_code >= 400

        count = int(rate * seconds)
        start = time.perf_counter() + 0.05
        futures = []
        for i in range(count):
            due = start + i / rate
            now = time.perf_counter()
            if now < due:
                time.sleep(due - now)
            futures.append(self.pool.submit(one, due))
        results = [f.result() for f in futures]
        return [latency for latency, _ in results], sum(1 for _, failed in results if failed)


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
    parser.add_argument(
        "--postgres",
        help="a postgresql:// URL: the run uses a fresh schema there (dropped afterwards) "
        "instead of a fresh SQLite file",
    )
    args = parser.parse_args()

    schema = None
    with tempfile.TemporaryDirectory(prefix="manche-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        url = f"sqlite:///{data_dir / 'manche.db'}"
        if args.postgres:
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f"CREATE SCHEMA {schema}")
            separator = "&" if "?" in args.postgres else "?"
            url = f"{args.postgres}{separator}options={quote(f'-csearch_path={schema}')}"
        try:
            run(args, url, data_dir, Path(tmp))
        finally:
            if schema is not None:
                import psycopg

                with psycopg.connect(args.postgres, autocommit=True) as admin:
                    admin.execute(f"DROP SCHEMA {schema} CASCADE")


def run(args: argparse.Namespace, url: str, data_dir: Path, tmp: Path) -> None:
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
                load = LoadClient(base)
                load.run(args.rate, 2.0, health)
                load.run(args.rate, 1.0, post)
                print(
                    f"manche serve on {base}, {url.split(':')[0]}, "
                    f"{args.rate:g} requests/s for {args.seconds:g} s per phase"
                )
                cpu0 = server_cpu_seconds(server.pid)
                base_lat, base_err = load.run(args.rate, args.seconds, health)
                cpu1 = server_cpu_seconds(server.pid)
                print(summary("baseline GET /api/v1/health", base_lat, base_err))
                post_lat, post_err = load.run(args.rate, args.seconds, post)
                cpu2 = server_cpu_seconds(server.pid)
                print(summary("POST /api/v1/events (1)", post_lat, post_err))
                print(
                    f"server CPU per request: health {(cpu1 - cpu0) / len(base_lat) * 1000:.2f}"
                    f" ms, POST {(cpu2 - cpu1) / len(post_lat) * 1000:.2f} ms; load average "
                    f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other processes "
                    "share them: latency tails track the load)"
                )
                p99_post, p99_base = percentile(post_lat, 99), percentile(base_lat, 99)
                p50_post, p50_base = statistics.median(post_lat), statistics.median(base_lat)
                print(
                    f"p99 ratio POST/health: {p99_post / p99_base:.2f}; "
                    f"median ratio: {p50_post / p50_base:.2f}; "
                    f"target p99 < 25 ms: {'met' if p99_post < 25 else 'NOT met'}"
                )
                load.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    in_process(url, data_dir, token, int(args.rate * args.seconds))


def in_process(url: str, data_dir: Path, token: str, count: int) -> None:
    """The same work without HTTP (authenticate + EventService.submit, back to back), after
    the server has stopped: what the tail over HTTP adds to the service itself."""
    from manche.service.events import EventService
    from manche.service.log import LogGateway

    db = open_database(url)
    try:
        users = UserStore(db)
        service = EventService(db)
        service.log = LogGateway(db, data_dir / "keys")
        latencies = []
        for _ in range(count):
            moment = datetime.now(UTC) - timedelta(minutes=1)
            body = {"type": "sighting", "occurred_at": moment.isoformat(), "source": "radar",
                    "position": {"lon": 1.45, "lat": 51.02}, "persons": {"total": 50}}  # fmt: skip
            start = time.perf_counter()
            principal = users.authenticate(token)
            service.submit(principal, [body], idempotency_key=uuid.uuid4().hex)
            latencies.append((time.perf_counter() - start) * 1000)
        print(summary("same, in-process (no HTTP)", latencies, 0))
    finally:
        db.close()


if __name__ == "__main__":
    main()
