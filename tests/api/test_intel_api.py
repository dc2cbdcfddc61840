"""/api/v1/intel/...: access by role and side, and nothing a side may not see leaks into the
intelligence readings (figures, groups, links)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from manche.domain.events import parse_event
from manche.domain.events.examples import example_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from tests.api.conftest import ROLES, SIDES, World

READERS = {"operator", "analyst", "caseworker", "auditor"}
PATHS = (
    "/api/v1/intel/quality",
    "/api/v1/intel/crafts",
    "/api/v1/intel/enforcement",
    "/api/v1/intel/nationalities",
    "/api/v1/intel/nationalities/compare",
    "/api/v1/intel/preventions",
)
UK_SECRET = "UK-ONLY-marker-31c9"
FR_SECRET = "FR-ONLY-marker-77ad"


def _ev(type_name: str, **overrides: Any) -> Any:
    return parse_event(example_event(type_name, **overrides))


@pytest.fixture
def intel_world(world: World, data_dir: Path) -> tuple[World, dict[str, str]]:
    keys = KeyStore(world.db, data_dir / "keys")
    engine = [{"make": "Yamaha", "power_hp": 40, "serial": "6AHL1012345"}]
    uk_secret = _ev(
        "seizure",
        releasability="uk-only",
        note=UK_SECRET,
        incident="INC-S",
        place="Folkestone " + UK_SECRET,
        engines=engine,
        boat={"hin": "GB-UKS12345D505"},
    )
    uk_shared = _ev("landing", incident="INC-S", engines=[{**engine[0], "serial": "6AHL1O12345"}])
    fr_secret = _ev(
        "launch",
        agency="FR-CROSS-GN",
        releasability="fr-only",
        note=FR_SECRET,
        incident="INC-F",
        place="Wimereux " + FR_SECRET,
        engines=engine,
    )
    Log(world.db).append([uk_secret, uk_shared], keys.signer("UK-BF"))
    Log(world.db).append([fr_secret], keys.signer("FR-CROSS-GN"))
    return world, {"uk": str(uk_secret.id), "fr": str(fr_secret.id)}


@pytest.mark.parametrize("side", SIDES)
def test_intel_routes_for_every_role(intel_world: tuple[World, dict[str, str]], side: str) -> None:
    world, _ = intel_world
    for path in PATHS:
        for role in ROLES:
            response = world.client.get(path, headers=world.auth(f"{side}-{role}"))
            if role in READERS:
                assert response.status_code == 200, (path, role, response.text)
            else:
                assert response.status_code == 403, (path, role)
                assert response.json()["error"]["code"] == "forbidden"
        assert world.client.get(path).status_code == 401


def test_nothing_the_caller_may_not_see_leaks(intel_world: tuple[World, dict[str, str]]) -> None:
    world, ids = intel_world
    for reader, hidden_id, hidden_mark in (
        ("FR-analyst", ids["uk"], UK_SECRET),
        ("UK-analyst", ids["fr"], FR_SECRET),
    ):
        texts = []
        for path in PATHS:
            texts.append(world.client.get(path, headers=world.auth(reader)).text)
        crafts = world.client.get("/api/v1/intel/crafts", headers=world.auth(reader)).json()
        for craft in crafts["crafts"]:
            detail = world.client.get(
                f"/api/v1/intel/crafts/{craft['id']}", headers=world.auth(reader)
            )
            assert detail.status_code == 200
            texts.append(detail.text)
        everything = "\n".join(texts)
        assert hidden_id not in everything and hidden_mark not in everything
        assert "GB-UKS12345D505" not in everything or reader == "UK-analyst"


def test_quality_counts_only_visible_events(intel_world: tuple[World, dict[str, str]]) -> None:
    world, _ = intel_world
    fr_view = world.client.get("/api/v1/intel/quality", headers=world.auth("FR-analyst")).json()
    uk_view = world.client.get("/api/v1/intel/quality", headers=world.auth("UK-analyst")).json()

    # the world holds sightings (shared, uk-only by UK; fr-only by FR), a shared landing (UK)
    # and an fr-only launch: UK sees 3 UK events, FR sees 2 UK and 2 FR events
    def events(view: list[dict[str, Any]], side: str) -> int:
        return sum(row["events"] for row in view if row["side"] == side)

    assert (events(uk_view, "UK"), events(uk_view, "FR")) == (3, 0)
    assert (events(fr_view, "UK"), events(fr_view, "FR")) == (2, 2)


def test_engine_linked_across_events_and_bad_period(
    intel_world: tuple[World, dict[str, str]],
) -> None:
    world, _ = intel_world
    crafts = world.client.get(
        "/api/v1/intel/crafts?kind=engine", headers=world.auth("UK-analyst")
    ).json()["crafts"]
    assert len(crafts) == 1 and crafts[0]["observations"] == 2  # secret seizure + landing
    bad = world.client.get(
        "/api/v1/intel/quality?period=fortnight", headers=world.auth("UK-analyst")
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "period"
    canoe = world.client.get("/api/v1/intel/crafts?kind=canoe", headers=world.auth("UK-analyst"))
    assert canoe.status_code == 422 and canoe.json()["error"]["field"] == "kind"
    missing = world.client.get("/api/v1/intel/crafts/nope", headers=world.auth("UK-analyst"))
    assert missing.status_code == 404 and json.loads(missing.text)["error"]["code"] == "not_found"


def test_event_made_one_sided_by_a_correction_disappears(
    intel_world: tuple[World, dict[str, str]], data_dir: Path
) -> None:
    world, _ = intel_world
    keys = KeyStore(world.db, data_dir / "keys")
    landing = _ev(
        "landing",
        incident="INC-C",
        note="CORRECTED-marker-5b1e",
        engines=[{"make": "Honda", "serial": "BAAJ-7654321"}],
    )
    fix = _ev(
        "correction",
        target=str(landing.id),
        changes={"releasability": "uk-only"},
        reason="sensitive operation",
    )
    Log(world.db).append([landing, fix], keys.signer("UK-BF"))
    fr = world.client.get("/api/v1/intel/crafts", headers=world.auth("FR-analyst")).text
    uk = world.client.get("/api/v1/intel/crafts", headers=world.auth("UK-analyst")).text
    assert "BAAJ7654321" not in fr and str(landing.id) not in fr
    assert "BAAJ7654321" in uk
