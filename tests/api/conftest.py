"""A small world for the API tests: one user per (side, role), signing keys for the operators'
agencies, and four events of every releasability already in the log, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from manche.api.app import create_app
from manche.config import get_settings
from manche.domain.access import Role
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import Database
from manche.users import UserStore

AGENCY = {"UK": "UK-BF", "FR": "FR-CROSS-GN"}
SIDES = ("UK", "FR")
ROLES = tuple(role.value for role in Role)


def sighting(minutes_ago: float = 30, **fields: Any) -> dict[str, Any]:
    """A valid sighting body in the API's format (agency, author, recorded_at left out)."""
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return {
        "type": "sighting",
        "occurred_at": moment.isoformat(),
        "source": "drone",
        "position": {"lon": 1.62, "lat": 50.95},
        "persons": {"total": 40},
        **fields,
    }


@dataclass
class World:
    client: TestClient
    db: Database
    tokens: dict[str, str] = field(default_factory=dict)  # "UK-analyst" -> token
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # releasability -> {id, seq}

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


@pytest.fixture
def world(database: Database, data_dir: Path) -> Iterator[World]:
    users = UserStore(database)
    keys = KeyStore(database, data_dir / "keys")
    for agency in ("UK-BF", "FR-CROSS-GN", "UK-RNLI"):
        keys.generate(agency)
    tokens = {}
    for side in SIDES:
        for role in ROLES:
            user = f"{side.lower()}-{role}"
            users.add(user, AGENCY[side], [role])
            tokens[f"{side}-{role}"] = users.issue_token(user).token
    users.add("rnli-op", "UK-RNLI", ["operator"])
    tokens["RNLI-operator"] = users.issue_token("rnli-op").token
    with TestClient(create_app(database)) as client:
        w = World(client, database, tokens)
        for who, releasability in (
            ("UK-operator", "shared"),
            ("UK-operator", "uk-only"),
            ("FR-operator", "fr-only"),
        ):
            response = client.post(
                "/api/v1/events",
                json=sighting(releasability=releasability, incident=f"INC-{releasability}"),
                headers=w.auth(who),
            )
            assert response.status_code == 201, response.text
            w.events[releasability] = response.json()["events"][0]
        Log(database).checkpoint(keys.signer("UK-BF"))
        yield w
