"""A log both sides write to, with shared and one-sided entries, for the redacted-replica
tests (export, import, verify)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from manche.domain.events import Event, parse_event
from manche.domain.events.examples import example_event
from manche.domain.values import Side
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import Database, open_database

NOTE = "withheld-marker-{}"
"""Each event's note names its seq, so a leak of any withheld body can be searched for."""

# (agency, type, releasability) of entries 0-5, in three batches: 0-2 UK-BF, 3-4 FR, 5 UK-BF
PLAN = [
    [("UK-BF", "launch", "shared"), ("UK-BF", "sighting", "uk-only"),
     ("UK-BF", "distress", "shared")],
    [("FR-CROSS-GN", "sighting", "fr-only"), ("FR-CROSS-GN", "rescue", "shared")],
    [("UK-BF", "landing", "uk-only")],
]  # fmt: skip
WITHHELD = {Side.FR: [1, 5], Side.UK: [3]}  # the entries of PLAN the side may not see


@dataclass
class Mixed:
    log: Log
    keys: KeyStore
    events: list[Event]  # in log order: events[seq]


def mixed_log(folder: Path) -> Mixed:
    """The batches of PLAN in a new SQLite log in ``folder``, then a checkpoint (close
    ``.log.db`` after use)."""
    db = open_database(f"sqlite:///{folder / 'mixed.db'}")
    keys = KeyStore(db, folder / "mixed-keys")
    keys.generate("UK-BF")
    keys.generate("FR-CROSS-GN")
    log = Log(db)
    events: list[Event] = []
    for batch in PLAN:
        made = [
            parse_event(
                example_event(
                    kind, id=str(uuid.uuid4()), agency=agency, releasability=releasability,
                    note=NOTE.format(len(events) + i),
                )
            )
            for i, (agency, kind, releasability) in enumerate(batch)
        ]  # fmt: skip
        log.append(made, keys.signer(batch[0][0]))
        events += made
    log.checkpoint(keys.signer("UK-BF"))
    return Mixed(log, keys, events)


def pin(mixed: Mixed, db: Database, folder: Path) -> Log:
    """The log in ``db``, with both agencies' public keys of ``mixed`` pinned."""
    store = KeyStore(db, folder)
    for agency in ("UK-BF", "FR-CROSS-GN"):
        store.import_public(mixed.keys.export_public(agency))
    return Log(db)
