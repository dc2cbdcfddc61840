"""Live updates over server-sent events, from a real uvicorn server on loopback: a distress
posted by one side reaches a client of the other side as an ``alert``."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from manche.api.app import create_app
from manche.config import get_settings
from manche.record.keys import KeyStore
from manche.storage import open_database
from manche.users import UserStore
from tests.browser.conftest import _free_port


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, str]]]:
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    db = open_database(f"sqlite:///{tmp_path / 'manche.db'}")
    users = UserStore(db)
    KeyStore(db, tmp_path / "data" / "keys").generate("FR-CROSS-GN")
    users.add("fr-op", "FR-CROSS-GN", ["operator"])
    users.add("uk-duty", "UK-HMCG", ["analyst"])
    tokens = {name: users.issue_token(name).token for name in ("fr-op", "uk-duty")}
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(db),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=1,  # the test's stream is still open at the end
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", tokens
    srv.should_exit = True
    thread.join(timeout=10)
    db.close()
    get_settings.cache_clear()


def _listen(url: str, token: str, out: queue.Queue[tuple[str, Any]], stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.stream("GET", url, headers=headers, timeout=None) as response:
            out.put(("status", response.status_code))
            kind = None
            for line in response.iter_lines():
                if stop.is_set():
                    return
                if line.startswith("event: "):
                    kind = line[len("event: ") :]
                elif line.startswith("data: ") and kind:
                    out.put((kind, json.loads(line[len("data: ") :])))
    except httpx.HTTPError:
        if not stop.is_set():  # the server closing at the end of the test is expected
            raise


def test_distress_reaches_the_other_side_as_an_alert(server: tuple[str, dict[str, str]]) -> None:
    base, tokens = server
    messages: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()
    listener = threading.Thread(
        target=_listen,
        args=(base + "/api/v1/picture/stream", tokens["uk-duty"], messages, stop),
        daemon=True,
    )
    listener.start()
    assert messages.get(timeout=10) == ("status", 200)
    time.sleep(0.2)  # let the subscription register before posting
    distress = {
        "type": "distress",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "incident": "INC-LIVE-1",
        "kinds": ["deflating-tubes"],
        "position": {"lon": 1.62, "lat": 50.95},
    }
    sent = time.monotonic()
    posted = httpx.post(
        base + "/api/v1/events",
        json=distress,
        headers={"Authorization": f"Bearer {tokens['fr-op']}"},
    )
    assert posted.status_code == 201, posted.text
    received: dict[str, Any] = {}
    deadline = time.monotonic() + 10
    while "alert" not in received and time.monotonic() < deadline:
        kind, body = messages.get(timeout=max(deadline - time.monotonic(), 0.01))
        received[kind] = body
    stop.set()
    latency = time.monotonic() - sent
    assert "incident-new" in received
    alert = received["alert"]
    assert alert["side"] == "UK"
    assert alert["incident"]["ref"] == "INC-LIVE-1"
    assert alert["alert"]["phase"] == "DETRESFA"
    assert alert["alert"]["rule"] == "SAR-DEFLATING"
    assert latency < 5  # generous: a functional check; the speed figure is in benchmarks/
