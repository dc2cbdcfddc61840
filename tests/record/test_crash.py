"""A writer process killed with SIGKILL in the middle of a batch leaves all of the batch or
none of it, and the log verifies (a real process, on SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from manche.record.log import Log
from manche.record.verify import verify
from manche.storage import Database

SRC = Path(__file__).parents[2] / "src"
BATCH = 40_000

WRITER = f"""
import sys, uuid
from pathlib import Path
from manche.storage import open_database
from manche.record.keys import KeyStore
from manche.record.log import Log, prepare
from manche.domain.events import parse_event
from manche.domain.events.examples import example_event

db = open_database(sys.argv[1])
keys = KeyStore(db, Path(sys.argv[2]))
keys.generate("UK-BF")
signer = keys.signer("UK-BF")
log = Log(db)
base = parse_event(example_event("sighting"))
def events(n):
    return [prepare(base.model_copy(update={{"id": uuid.uuid4()}})) for _ in range(n)]
log.append(events(10), signer)
big = events({BATCH})
print("appending", flush=True)
log.append(big, signer)
print("done", flush=True)
"""


def test_sigkill_mid_batch_leaves_all_or_nothing(database: Database, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, database.url, str(tmp_path / "keys")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "appending", child.stderr.read() if child.stderr else ""
        time.sleep(0.15)  # the batch takes well over a second here: kill it mid-way
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    rest = child.stdout.read()
    assert child.returncode == -signal.SIGKILL
    assert "done" not in rest, "the batch finished before the kill: the test proved nothing"
    log = Log(database)
    assert log.size() in (10, 10 + BATCH)
    assert len(log.batches()) == (1 if log.size() == 10 else 2)
    report = verify(database)
    assert report.ok, report.failure
    assert report.entries == log.size()
