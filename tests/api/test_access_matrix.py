"""Every endpoint, for every role on both sides, and releasability through every path.

The expected outcomes are written out here from the access rules of issue 3 and docs/access.md
(not computed from manche.domain.access), so a change in the policy has to change this table.
A route added under /api/v1 without a row here fails ``test_every_api_route_is_in_the_matrix``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import AGENCY, ROLES, SIDES, World, sighting

READERS = {"operator", "analyst", "caseworker", "auditor"}
EVERYONE = set(ROLES)
ADMIN = {"admin"}
OPERATOR = {"operator"}


def _agency_row(w: World, side: str) -> dict[str, Any]:
    row = w.client.get(f"/api/v1/registry/agencies/{AGENCY[side]}", headers=w.auth("UK-admin"))
    return {**row.json(), "position_note": "edited in a test"}


OWN_ASSET = {"UK": "UK-BF-SEEKER", "FR": "FR-MN-FLAMANT"}


def _asset_row(w: World, side: str) -> dict[str, Any]:
    row = w.client.get(f"/api/v1/registry/assets/{OWN_ASSET[side]}", headers=w.auth("UK-admin"))
    return {**row.json(), "home_base": "edited in a test"}


# (method, path template, who may call it, body factory or None)
CASES: dict[str, tuple[str, str, set[str], Callable[[World, str], Any] | None]] = {
    "list events": ("GET", "/api/v1/events", READERS, None),
    "get event": ("GET", "/api/v1/events/{shared_id}", READERS, None),
    "post event": ("POST", "/api/v1/events", OPERATOR, lambda w, side: sighting()),
    "checkpoint": ("GET", "/api/v1/log/checkpoint", READERS, None),
    "inclusion proof": ("GET", "/api/v1/log/proof/inclusion/{shared_seq}", READERS, None),
    "consistency proof": ("GET", "/api/v1/log/proof/consistency/1/3", READERS, None),
    "list agencies": ("GET", "/api/v1/registry/agencies", EVERYONE, None),
    "get agency": ("GET", "/api/v1/registry/agencies/UK-HMCG", EVERYONE, None),
    "list assets": ("GET", "/api/v1/registry/assets", EVERYONE, None),
    "get asset": ("GET", "/api/v1/registry/assets/FR-MN-FLAMANT", EVERYONE, None),
    "edit agency": ("PUT", "/api/v1/registry/agencies/{own_agency}", ADMIN, _agency_row),
    "edit asset": ("PUT", "/api/v1/registry/assets/{own_asset}", ADMIN, _asset_row),
    "registry changes": ("GET", "/api/v1/registry/changes", ADMIN, None),
    "me": ("GET", "/api/v1/me", EVERYONE, None),
    "users": ("GET", "/api/v1/users", ADMIN, None),
}
ROUTE_OF_CASE = {
    "get event": "/api/v1/events/{event_id}",
    "inclusion proof": "/api/v1/log/proof/inclusion/{seq}",
    "consistency proof": "/api/v1/log/proof/consistency/{first}/{second}",
    "get agency": "/api/v1/registry/agencies/{code}",
    "get asset": "/api/v1/registry/assets/{code}",
    "edit agency": "/api/v1/registry/agencies/{code}",
    "edit asset": "/api/v1/registry/assets/{code}",
}
PUBLIC = {"/api/v1/health", "/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/oauth2-redirect"}


def _call(w: World, case: str, side: str, role: str | None) -> Any:
    method, template, _, body = CASES[case]
    path = template.format(
        shared_id=w.events["shared"]["id"],
        shared_seq=w.events["shared"]["seq"],
        own_agency=AGENCY[side],
        own_asset=OWN_ASSET[side],
    )
    headers = {} if role is None else w.auth(f"{side}-{role}")
    payload = None if body is None else body(w, side)
    return w.client.request(method, path, json=payload, headers=headers)


@pytest.mark.parametrize("side", SIDES)
def test_every_endpoint_for_every_role(world: World, side: str) -> None:
    for case, (_, _, allowed, _) in CASES.items():
        for role in ROLES:
            response = _call(world, case, side, role)
            expected = 201 if case == "post event" else 200
            if role in allowed:
                assert response.status_code == expected, (case, side, role, response.text)
            else:
                assert response.status_code == 403, (case, side, role, response.text)
                assert response.json()["error"]["code"] == "forbidden"
        anonymous = _call(world, case, side, None)
        assert anonymous.status_code == 401, case
        assert anonymous.json()["error"]["code"] == "unauthenticated"


def test_every_api_route_is_in_the_matrix(world: World) -> None:
    covered = {ROUTE_OF_CASE.get(case, template) for case, (_, template, _, _) in CASES.items()}
    methods = {(CASES[c][0], ROUTE_OF_CASE.get(c, CASES[c][1])) for c in CASES}
    for route in world.client.app.routes:  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        if not path.startswith("/api/v1") or path in PUBLIC:
            continue
        assert path in covered, f"{path} has no row in the access matrix"
        for method in getattr(route, "methods", set()) - {"HEAD"}:
            assert (method, path) in methods, f"{method} {path} has no row in the access matrix"


def test_an_admin_edits_only_its_own_sides_registry_rows(world: World) -> None:
    for side, other in (("UK", "FR"), ("FR", "UK")):
        headers = world.auth(f"{side}-admin")
        row = _asset_row(world, other)
        response = world.client.put(
            f"/api/v1/registry/assets/{OWN_ASSET[other]}", json=row, headers=headers
        )
        assert response.status_code == 403 and response.json()["error"]["field"] == "code"
        agency = _agency_row(world, other)
        response = world.client.put(
            f"/api/v1/registry/agencies/{AGENCY[other]}", json=agency, headers=headers
        )
        assert response.status_code == 403
        # nor move one of its own assets to the other side's agency
        mine = {**_asset_row(world, side), "agency": AGENCY[other]}
        response = world.client.put(
            f"/api/v1/registry/assets/{OWN_ASSET[side]}", json=mine, headers=headers
        )
        assert response.status_code == 403
    unchanged = world.client.get("/api/v1/registry/changes", headers=world.auth("UK-admin"))
    assert unchanged.json() == []


OTHER = {"UK": "fr-only", "FR": "uk-only"}
OWN = {"UK": "uk-only", "FR": "fr-only"}


def test_releasability_on_every_reading_path(world: World) -> None:
    for side in SIDES:
        for role in sorted(READERS):
            _check_releasability(world, side, role)


def _check_releasability(w: World, side: str, role: str) -> None:
    headers = w.auth(f"{side}-{role}")
    hidden, own = w.events[OTHER[side]], w.events[OWN[side]]
    # list: all pages, any filter that would match the hidden event
    listed = w.client.get("/api/v1/events", headers=headers, params={"limit": 1000}).json()
    ids = {item["event"]["id"] for item in listed["events"]}
    assert ids == {w.events["shared"]["id"], own["id"]}, (side, role)
    for params in (
        {"incident": f"INC-{OTHER[side]}"},
        {"agency": AGENCY["FR" if side == "UK" else "UK"]},
        {"bbox": "1.0,50.0,2.0,51.5", "type": "sighting"},
    ):
        found = w.client.get("/api/v1/events", headers=headers, params=params).json()["events"]
        assert hidden["id"] not in {item["event"]["id"] for item in found}, (side, role, params)
    # get by id and inclusion proof: 404, exactly like an id or seq that does not exist
    for path in (f"/api/v1/events/{hidden['id']}", f"/api/v1/log/proof/inclusion/{hidden['seq']}"):
        response = w.client.get(path, headers=headers)
        assert response.status_code == 404, (side, role, path)
        assert response.json()["error"]["code"] == "not_found"
    assert w.client.get(f"/api/v1/events/{own['id']}", headers=headers).status_code == 200
    proof = w.client.get(f"/api/v1/log/proof/inclusion/{own['seq']}", headers=headers)
    assert proof.status_code == 200 and proof.json()["seq"] == own["seq"]
    # neither the checkpoint nor a consistency proof carries an event's content
    for path in ("/api/v1/log/checkpoint", "/api/v1/log/proof/consistency/1/3"):
        text = w.client.get(path, headers=headers).text
        assert hidden["id"] not in text and f"INC-{OTHER[side]}" not in text


@pytest.mark.parametrize("side", SIDES)
def test_an_operator_writes_only_as_its_own_agency(world: World, side: str) -> None:
    other_agency = AGENCY["FR" if side == "UK" else "UK"]
    headers = world.auth(f"{side}-operator")
    before = world.client.get("/api/v1/log/checkpoint", headers=headers).json()["log_size"]
    response = world.client.post(
        "/api/v1/events", json=sighting(agency=other_agency), headers=headers
    )
    assert response.status_code == 403
    assert response.json()["error"]["field"] == "agency"
    after = world.client.get("/api/v1/log/checkpoint", headers=headers).json()["log_size"]
    assert after == before


def test_distress_is_never_blocked_by_a_mandate(world: World) -> None:
    rnli = world.auth("RNLI-operator")
    arrest = {
        "type": "arrest",
        "occurred_at": sighting()["occurred_at"],
        "role": "pilot",
        "count": 1,
    }
    refused = world.client.post("/api/v1/events", json=arrest, headers=rnli)
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "type"
    distress = {
        "type": "distress",
        "occurred_at": sighting()["occurred_at"],
        "kinds": ["engine-failure"],
        "persons": {"total": 30},
    }
    accepted = world.client.post("/api/v1/events", json=distress, headers=rnli)
    assert accepted.status_code == 201, accepted.text
    # and every side sees it (distress is always shared)
    for who in ("UK-analyst", "FR-analyst"):
        seen = world.client.get(
            f"/api/v1/events/{accepted.json()['events'][0]['id']}", headers=world.auth(who)
        )
        assert seen.status_code == 200
