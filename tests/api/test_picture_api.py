"""The live picture over HTTP: each side sees incidents built from what it may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.conftest import World


def _refs(world: World, who: str, **params: str) -> list[str]:
    response = world.client.get("/api/v1/picture", params=params, headers=world.auth(who))
    assert response.status_code == 200, response.text
    body = response.json()
    assert "proxy" in body["sar_region_note"]
    return [i["ref"] for i in body["incidents"]]


def test_each_side_sees_incidents_of_what_it_may_see(world: World) -> None:
    # the world holds one sighting per releasability, each in its own incident
    assert sorted(_refs(world, "UK-analyst")) == ["INC-shared", "INC-uk-only"]
    assert sorted(_refs(world, "FR-analyst")) == ["INC-fr-only", "INC-shared"]


def test_incident_detail_and_same_404_for_the_other_side(world: World) -> None:
    mine = world.client.get("/api/v1/incidents/INC-uk-only", headers=world.auth("UK-analyst"))
    assert mine.status_code == 200
    body = mine.json()
    assert body["summary"]["state"] == "at-sea"
    assert [e["type"] for e in body["timeline"]] == ["sighting"]
    theirs = world.client.get("/api/v1/incidents/INC-uk-only", headers=world.auth("FR-analyst"))
    none = world.client.get("/api/v1/incidents/INC-nothing", headers=world.auth("FR-analyst"))
    assert theirs.status_code == none.status_code == 404
    assert theirs.json()["error"]["code"] == "not_found"


def test_distress_is_shared_and_raises_detresfa_for_both(world: World) -> None:
    distress = {
        "type": "distress",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
        "incident": "INC-uk-only",
        "kinds": ["people-in-water"],
        "position": {"lon": 1.62, "lat": 50.95},
    }
    posted = world.client.post("/api/v1/events", json=distress, headers=world.auth("FR-operator"))
    assert posted.status_code == 201, posted.text
    for who in ("UK-analyst", "FR-analyst"):
        assert "INC-uk-only" in _refs(world, who, phase="DETRESFA")
    detail = world.client.get("/api/v1/incidents/INC-uk-only", headers=world.auth("FR-analyst"))
    # France sees the distress but not the UK-only sighting before it
    assert [e["type"] for e in detail.json()["timeline"]] == ["distress"]
    assert detail.json()["coordinating_centre"] == "CROSS Gris-Nez"  # first alerted: it recorded it


def test_reading_the_picture_needs_a_reading_role(world: World) -> None:
    response = world.client.get("/api/v1/picture", headers=world.auth("UK-admin"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert world.client.get("/api/v1/picture").status_code == 401
