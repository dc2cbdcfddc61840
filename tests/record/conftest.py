"""Fixtures for the log tests: a log with a pinned key for UK-BF, and events to append."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from manche.domain.events import Event, parse_event
from manche.domain.events.examples import example_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.signing import Signer
from manche.storage import Database

TYPES = ["launch", "sighting", "distress", "rescue", "handover", "landing", "seizure", "arrest"]


@pytest.fixture
def keystore(database: Database, tmp_path: Path) -> KeyStore:
    return KeyStore(database, tmp_path / "keys")


@pytest.fixture
def signer(keystore: KeyStore) -> Signer:
    keystore.generate("UK-BF")
    return keystore.signer("UK-BF")


@pytest.fixture
def log(database: Database) -> Log:
    return Log(database)


MakeEvents = Callable[..., list[Event]]


@pytest.fixture
def make_events() -> MakeEvents:
    """``make_events(n, agency="UK-BF")``: n valid events of varied types with fresh ids."""

    def make(n: int, agency: str = "UK-BF", **overrides: Any) -> list[Event]:
        return [
            parse_event(
                example_event(
                    TYPES[i % len(TYPES)], id=str(uuid.uuid4()), agency=agency, **overrides
                )
            )
            for i in range(n)
        ]

    return make
