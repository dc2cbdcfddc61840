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
    "verify the log": ("POST", "/api/v1/record/verify", {"auditor", "admin"}, None),
    "list agencies": ("GET", "/api/v1/registry/agencies", EVERYONE, None),
    "get agency": ("GET", "/api/v1/registry/agencies/UK-HMCG", EVERYONE, None),
    "list assets": ("GET", "/api/v1/registry/assets", EVERYONE, None),
    "get asset": ("GET", "/api/v1/registry/assets/FR-MN-FLAMANT", EVERYONE, None),
    "edit agency": ("PUT", "/api/v1/registry/agencies/{own_agency}", ADMIN, _agency_row),
    "edit asset": ("PUT", "/api/v1/registry/assets/{own_asset}", ADMIN, _asset_row),
    "registry changes": ("GET", "/api/v1/registry/changes", ADMIN, None),
    "me": ("GET", "/api/v1/me", EVERYONE, None),
    "users": ("GET", "/api/v1/users", ADMIN, None),
    "add user": ("POST", "/api/v1/users", ADMIN, lambda w, side: _new_user(side)),
    "list tokens": ("GET", "/api/v1/users/{spare}/tokens", ADMIN, None),
    "issue token": ("POST", "/api/v1/users/{spare}/tokens", ADMIN, lambda w, s: {"label": "t"}),
    "revoke token": ("POST", "/api/v1/users/{spare}/tokens/{spare_token}/revoke", ADMIN, None),
    "get user": ("GET", "/api/v1/users/{spare}", ADMIN, None),
    "change roles": ("PATCH", "/api/v1/users/{spare}", ADMIN, lambda w, s: {"roles": ["auditor"]}),
    "set password": (
        "POST",
        "/api/v1/users/{spare}/password",
        ADMIN,
        lambda w, s: {"password": "twelve chars at least"},
    ),
    "revoke user": ("POST", "/api/v1/users/{spare}/revoke", ADMIN, None),
    "user changes": ("GET", "/api/v1/users/changes", ADMIN, None),
    "add asset": ("POST", "/api/v1/registry/assets", ADMIN, lambda w, side: _new_asset(side)),
    "list keys": ("GET", "/api/v1/keys", ADMIN, None),
    "generate key": ("POST", "/api/v1/keys", ADMIN, lambda w, side: {"agency": AGENCY[side]}),
    "public keys": ("GET", "/api/v1/keys/public", ADMIN, None),
    "pin keys": ("POST", "/api/v1/keys/import", ADMIN, lambda w, side: _other_sides_key(side)),
}
CREATED = {"post event", "add user", "issue token", "add asset", "generate key"}
_counter = iter(range(10**6))


def _new_user(side: str) -> dict[str, Any]:
    return {"user": f"new-{side.lower()}-{next(_counter)}", "agency": AGENCY[side],
            "roles": ["analyst"]}  # fmt: skip


def _new_asset(side: str) -> dict[str, Any]:
    return {"code": f"{AGENCY[side]}-NEW{next(_counter)}", "name": "A new boat", "kind": "other",
            "agency": AGENCY[side], "source": "a test"}  # fmt: skip


def _other_sides_key(side: str) -> list[dict[str, Any]]:
    """A fresh public key of the other side's agency, in the export-public format."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    other = AGENCY["FR" if side == "UK" else "UK"]
    return [{"agency": other, "algorithm": "ed25519", "public_key": base64.b64encode(raw).decode()}]


def _spares(w: World) -> dict[str, tuple[str, int]]:
    """Per side, a user (and one of its tokens) that admins may revoke again and again."""
    from manche.users import UserStore

    store = UserStore(w.db)
    spares = {}
    for side in SIDES:
        user = f"spare-{side.lower()}"
        store.add(user, AGENCY[side], ["analyst"])
        spares[side] = (user, store.issue_token(user).token_id)
    return spares


ROUTE_OF_CASE = {
    "list tokens": "/api/v1/users/{user}/tokens",
    "issue token": "/api/v1/users/{user}/tokens",
    "revoke token": "/api/v1/users/{user}/tokens/{token_id}/revoke",
    "revoke user": "/api/v1/users/{user}/revoke",
    "get user": "/api/v1/users/{user}",
    "change roles": "/api/v1/users/{user}",
    "set password": "/api/v1/users/{user}/password",
    "get event": "/api/v1/events/{event_id}",
    "inclusion proof": "/api/v1/log/proof/inclusion/{seq}",
    "consistency proof": "/api/v1/log/proof/consistency/{first}/{second}",
    "get agency": "/api/v1/registry/agencies/{code}",
    "get asset": "/api/v1/registry/assets/{code}",
    "edit agency": "/api/v1/registry/agencies/{code}",
    "edit asset": "/api/v1/registry/assets/{code}",
}


def _call(
    w: World, case: str, side: str, role: str | None, spares: dict[str, tuple[str, int]]
) -> Any:
    method, template, _, body = CASES[case]
    path = template.format(
        shared_id=w.events["shared"]["id"],
        shared_seq=w.events["shared"]["seq"],
        own_agency=AGENCY[side],
        own_asset=OWN_ASSET[side],
        spare=spares[side][0],
        spare_token=spares[side][1],
    )
    headers = {} if role is None else w.auth(f"{side}-{role}")
    payload = None if body is None else body(w, side)
    return w.client.request(method, path, json=payload, headers=headers)


@pytest.mark.parametrize("side", SIDES)
def test_every_endpoint_for_every_role(world: World, side: str) -> None:
    spares = _spares(world)
    for case, (_, _, allowed, _) in CASES.items():
        for role in ROLES:
            response = _call(world, case, side, role, spares)
            expected = 201 if case in CREATED else 200
            if role in allowed:
                assert response.status_code == expected, (case, side, role, response.text)
            else:
                assert response.status_code == 403, (case, side, role, response.text)
                assert response.json()["error"]["code"] == "forbidden"
        anonymous = _call(world, case, side, None, spares)
        assert anonymous.status_code == 401, case
        assert anonymous.json()["error"]["code"] == "unauthenticated"


def test_every_api_route_is_in_the_matrix(world: World) -> None:
    """Every operation of the record's routers (tags events, log, registry, users, keys) in the
    published OpenAPI has a row above. (The ledgers', picture's and statistics' routes are
    tested by their own suites.)"""
    methods = {(CASES[c][0], ROUTE_OF_CASE.get(c, CASES[c][1])) for c in CASES}
    spec = world.client.get("/api/v1/openapi.json").json()
    operations = [
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if set(op.get("tags", ())) & {"events", "log", "registry", "users", "keys"}
    ]
    assert len(operations) == len(methods)  # nothing listed here that the API does not have
    for operation in operations:
        assert operation in methods, f"{operation} has no row in the access matrix"


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


def test_an_agency_without_a_signing_key_gets_a_clear_server_error(world: World) -> None:
    from manche.users import UserStore

    UserStore(world.db).add("nca-op", "UK-NCA", ["operator"])
    token = UserStore(world.db).issue_token("nca-op").token
    response = world.client.post(
        "/api/v1/events", json=sighting(), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "configuration"
    assert "manche keys generate UK-NCA" in response.json()["error"]["message"]


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


def test_casework_is_recorded_by_caseworkers_of_the_agency(world: World) -> None:
    from manche.config import get_settings
    from manche.record.keys import KeyStore
    from manche.users import UserStore

    keys = KeyStore(world.db, get_settings().data_dir / "keys")
    users = UserStore(world.db)
    tokens = {}
    for user, agency, role in (
        ("cw-ho", "UK-HO", "caseworker"),
        ("an-ho", "UK-HO", "analyst"),
        ("cw-paf", "FR-PAF", "caseworker"),
    ):
        users.add(user, agency, [role])
        tokens[user] = {"Authorization": f"Bearer {users.issue_token(user).token}"}
    keys.generate("UK-HO")
    keys.generate("FR-PAF")
    opened = {"type": "return-case-opened", "occurred_at": "2025-09-02T09:00:00Z",
              "case_number": "RET-2025-000901", "arrived_at": "2025-09-02T04:00:00Z",
              "basis": "apprehended", "age_category": "adult"}  # fmt: skip
    post = world.client.post
    assert post("/api/v1/events", json=opened, headers=tokens["cw-ho"]).status_code == 201
    # an analyst may not; a caseworker may not record operations
    assert post("/api/v1/events", json=opened, headers=tokens["an-ho"]).status_code == 403
    refused = post("/api/v1/events", json=sighting(), headers=tokens["cw-ho"])
    assert refused.status_code == 403 and "operator" in refused.json()["error"]["message"]
    # the French side answers the request, as its own agency (bundled mandate: FR-PAF '*')
    answered = {"type": "return-request-answered", "occurred_at": "2025-09-05T09:00:00Z",
                "case_number": "RET-2025-000901", "accepted": True}  # fmt: skip
    response = post("/api/v1/events", json=answered, headers=tokens["cw-paf"])
    assert response.status_code == 201, response.text


def test_an_admin_manages_only_its_own_sides_users_and_every_change_is_kept(
    world: World,
) -> None:
    uk_admin, fr_admin = world.auth("UK-admin"), world.auth("FR-admin")
    post, get = world.client.post, world.client.get
    # a UK admin cannot add a French user, nor touch one
    refused = post("/api/v1/users", json=_new_user("FR"), headers=uk_admin)
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "agency"
    for path in ("/api/v1/users/fr-analyst/tokens", "/api/v1/users/fr-analyst/revoke"):
        assert post(path, headers=uk_admin).status_code == 403, path
    assert get("/api/v1/users/fr-analyst/tokens", headers=uk_admin).status_code == 403
    assert {u["side"] for u in get("/api/v1/users", headers=uk_admin).json()} == {"UK"}
    # the FR admin adds one, gives it a token (shown once), the token works, then revokes it
    added = post("/api/v1/users", json={"user": "paf-an-01", "agency": "FR-PAF",
                                        "roles": ["analyst"]}, headers=fr_admin)  # fmt: skip
    assert added.status_code == 201 and added.json()["side"] == "FR"
    issued = post("/api/v1/users/paf-an-01/tokens", json={"label": "x"}, headers=fr_admin).json()
    token = {"Authorization": f"Bearer {issued['token']}"}
    assert get("/api/v1/me", headers=token).json()["user"] == "paf-an-01"
    listed = get("/api/v1/users/paf-an-01/tokens", headers=fr_admin).text
    assert issued["token"] not in listed and issued["prefix"] in listed
    revoked = post(f"/api/v1/users/paf-an-01/tokens/{issued['token_id']}/revoke", headers=fr_admin)
    assert revoked.status_code == 200
    assert get("/api/v1/me", headers=token).status_code == 401
    changes = get("/api/v1/users/changes", headers=fr_admin).json()
    mine = [(c["action"], c["changed_by"]) for c in changes if c["user"] == "paf-an-01"]
    assert mine == [("add", "fr-admin"), ("issue-token", "fr-admin"), ("revoke-token", "fr-admin")]
    assert all(c["user"] != "uk-operator" for c in changes)  # the UK side's history is not shown
    # bad input: a user that is a name, an unknown role
    bad = post("/api/v1/users", json={"user": "Jean Dupont", "agency": "FR-PAF",
                                      "roles": ["analyst"]}, headers=fr_admin)  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "user"
    bad = post("/api/v1/users", json={"user": "paf-an-02", "agency": "FR-PAF",
                                      "roles": ["chief"]}, headers=fr_admin)  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "roles"
