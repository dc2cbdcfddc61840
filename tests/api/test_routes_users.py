"""Managing users over the API: roles, passwords, one user's page, and the self-lock-out rule."""

from __future__ import annotations

from manche.users.passwords import PasswordStore
from tests.api.conftest import World


def test_an_admin_changes_roles_and_the_token_gets_the_new_rights_at_once(world: World) -> None:
    admin = world.auth("UK-admin")
    analyst = world.auth("UK-analyst")
    assert world.client.post("/api/v1/record/verify", headers=analyst).status_code == 403
    changed = world.client.patch(
        "/api/v1/users/uk-analyst", json={"roles": ["analyst", "auditor"]}, headers=admin
    )
    assert changed.status_code == 200 and changed.json()["roles"] == ["analyst", "auditor"]
    assert world.client.post("/api/v1/record/verify", headers=analyst).status_code == 200
    history = world.client.get("/api/v1/users/uk-analyst", headers=admin).json()["changes"]
    assert history[-1]["action"] == "roles" and history[-1]["changed_by"] == "uk-admin"
    assert history[-1]["detail"] == "analyst -> analyst,auditor"
    # no role, an unknown role: refused naming the field, nothing changed
    for roles in ([], ["chief"]):
        bad = world.client.patch("/api/v1/users/uk-analyst", json={"roles": roles}, headers=admin)
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "roles"
    assert world.client.get("/api/v1/users/uk-analyst", headers=admin).json()["roles"] == [
        "analyst",
        "auditor",
    ]
    # the other side's user: 403 as every other user route
    other = world.client.patch("/api/v1/users/fr-analyst", json={"roles": ["admin"]}, headers=admin)
    assert other.status_code == 403


def test_an_admin_cannot_lock_itself_out(world: World) -> None:
    admin = world.auth("UK-admin")
    demoted = world.client.patch(
        "/api/v1/users/uk-admin", json={"roles": ["analyst"]}, headers=admin
    )
    assert demoted.status_code == 403 and demoted.json()["error"]["field"] == "roles"
    revoked = world.client.post("/api/v1/users/uk-admin/revoke", headers=admin)
    assert revoked.status_code == 403 and revoked.json()["error"]["field"] == "user"
    assert world.client.get("/api/v1/me", headers=admin).json()["roles"] == ["admin"]
    # adding a role to oneself while keeping admin is allowed
    more = world.client.patch(
        "/api/v1/users/uk-admin", json={"roles": ["admin", "auditor"]}, headers=admin
    )
    assert more.status_code == 200
    # another admin of the side may demote it
    world.client.post("/api/v1/users", json={"user": "uk-admin-2", "agency": "UK-BF",
                                             "roles": ["admin"]}, headers=admin)  # fmt: skip
    from manche.users import UserStore

    second = {"Authorization": f"Bearer {UserStore(world.db).issue_token('uk-admin-2').token}"}
    done = world.client.patch("/api/v1/users/uk-admin", json={"roles": ["auditor"]}, headers=second)
    assert done.status_code == 200
    assert world.client.get("/api/v1/users", headers=admin).status_code == 403


def test_an_admin_sets_a_password_never_echoed_and_it_signs_in(world: World) -> None:
    admin = world.auth("UK-admin")
    secret = "correct horse battery staple"
    short = world.client.post(
        "/api/v1/users/uk-operator/password", json={"password": "too short"}, headers=admin
    )
    assert short.status_code == 422 and short.json()["error"]["field"] == "password"
    differ = world.client.post(
        "/api/v1/users/uk-operator/password",
        json={"password": secret, "confirm": secret + "!"},
        headers=admin,
    )
    assert differ.status_code == 422 and differ.json()["error"]["field"] == "confirm"
    assert not PasswordStore(world.db).has_password("uk-operator")  # nothing stored
    done = world.client.post(
        "/api/v1/users/uk-operator/password", json={"password": secret}, headers=admin
    )
    assert done.status_code == 200 and secret not in done.text
    assert PasswordStore(world.db).check("uk-operator", secret).principal.user_id == "uk-operator"
    one = world.client.get("/api/v1/users/uk-operator", headers=admin)
    assert secret not in one.text
    assert one.json()["changes"][-1]["action"] == "set-password"
    refused = world.client.post(
        "/api/v1/users/fr-operator/password", json={"password": secret}, headers=admin
    )
    assert refused.status_code == 403
    assert not PasswordStore(world.db).has_password("fr-operator")
