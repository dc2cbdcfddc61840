"""``/api/v1/me`` (who the token stands for) and ``/api/v1/users`` (admins manage the users of
their own side: add, change roles, set a password, revoke, issue and revoke tokens, read the
history of these changes). An admin cannot revoke itself or take its own admin role away.

``manche users`` does the same on the server console. A token is in the answer that issues it
and nowhere else, ever.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends

from manche.api.auth import authenticated, password_store, user_store
from manche.domain.access import (
    Action,
    Principal,
    check_not_self_lockout,
    check_user_admin,
    may,
    require,
)
from manche.errors import InputError, NotFound
from manche.users import User, UserStore
from manche.users.passwords import PasswordStore
from manche.users.store import parse_roles

router = APIRouter(tags=["users"])


def _user_json(u: User) -> dict[str, Any]:
    return {
        "user": u.id,
        "agency": u.agency,
        "side": u.side.value,
        "roles": [r.value for r in u.roles],
        "created_at": u.created_at,
        "revoked_at": u.revoked_at,
        "active_tokens": u.active_tokens,
    }


@router.get("/me")
def me(principal: Principal = Depends(authenticated)) -> dict[str, Any]:
    """The caller: user, agency, side, roles, and what those roles allow."""
    return {
        "user": principal.user_id,
        "agency": principal.agency,
        "side": principal.side.value,
        "roles": sorted(role.value for role in principal.roles),
        "may": [action.value for action in Action if may(principal, action)],
    }


@router.get("/users")
def list_users(
    principal: Principal = Depends(authenticated), store: UserStore = Depends(user_store)
) -> list[dict[str, Any]]:
    """Users of the admin's own side (admins only). No secrets: tokens are counted, not shown."""
    require(principal, Action.MANAGE_USERS)
    return [_user_json(u) for u in store.all() if u.side == principal.side]


@router.post("/users", status_code=201)
def add_user(
    body: dict[str, Any] = Body(
        ...,
        openapi_examples={
            "operator": {
                "summary": "a Border Force operator",
                "value": {"user": "bf-op-0143", "agency": "UK-BF", "roles": ["operator"]},
            }
        },
    ),
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> dict[str, Any]:
    """Add a user (pseudonymous id, agency of the admin's side, roles)."""
    agency = str(body.get("agency", ""))
    check_user_admin(principal, agency)
    roles = body.get("roles", [])
    roles = [roles] if isinstance(roles, str) else [str(r) for r in roles or []]
    return _user_json(store.add(str(body.get("user", "")), agency, roles, by=principal.user_id))


def _own_user(principal: Principal, store: UserStore, user: str) -> User:
    found = store.get(user)
    check_user_admin(principal, found.agency)
    return found


@router.post("/users/{user}/revoke")
def revoke_user(
    user: str, principal: Principal = Depends(authenticated), store: UserStore = Depends(user_store)
) -> dict[str, Any]:
    """Disable a user and every token it holds (kept, marked revoked). Not oneself."""
    _own_user(principal, store, user)
    check_not_self_lockout(principal, user)
    return _user_json(store.revoke(user, by=principal.user_id))


@router.get("/users/{user}/tokens")
def list_tokens(
    user: str, principal: Principal = Depends(authenticated), store: UserStore = Depends(user_store)
) -> list[dict[str, object]]:
    """The user's tokens: id, prefix, label, dates (never the token)."""
    _own_user(principal, store, user)
    return store.tokens(user)


@router.post("/users/{user}/tokens", status_code=201)
def issue_token(
    user: str,
    body: dict[str, Any] | None = Body(None, examples=[{"label": "ops laptop"}]),
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> dict[str, Any]:
    """Issue a token for the user; this answer is the only place the token ever appears."""
    _own_user(principal, store, user)
    issued = store.issue_token(user, str((body or {}).get("label", "")), by=principal.user_id)
    return {
        "user": issued.user_id,
        "token_id": issued.token_id,
        "prefix": issued.prefix,
        "label": issued.label,
        "token": issued.token,
    }


@router.post("/users/{user}/tokens/{token_id}/revoke")
def revoke_token(
    user: str,
    token_id: int,
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> dict[str, Any]:
    """Revoke one of the user's tokens."""
    _own_user(principal, store, user)
    if token_id not in {int(str(t["id"])) for t in store.tokens(user)}:
        raise NotFound(f"user {user!r} has no token {token_id}", field="token_id")
    store.revoke_token(token_id, by=principal.user_id)
    return {"user": user, "token_id": token_id, "revoked": True}


@router.get("/users/changes")
def user_changes(
    principal: Principal = Depends(authenticated), store: UserStore = Depends(user_store)
) -> list[dict[str, object]]:
    """Who added, revoked or gave tokens to the admin's side's users, and when."""
    require(principal, Action.MANAGE_USERS)
    own = {u.id for u in store.all() if u.side == principal.side}
    return [c for c in store.changes() if c["user"] in own]


def _roles_of(body: dict[str, Any]) -> list[str]:
    roles = body.get("roles", [])
    return [roles] if isinstance(roles, str) else [str(r) for r in roles or []]


@router.patch("/users/{user}")
def change_roles(
    user: str,
    body: dict[str, Any] = Body(..., examples=[{"roles": ["operator", "analyst"]}]),
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> dict[str, Any]:
    """Replace the user's roles (``{"roles": [...]}``, at least one). An admin cannot take the
    admin role off itself."""
    _own_user(principal, store, user)
    roles = _roles_of(body)
    check_not_self_lockout(principal, user, frozenset(parse_roles(roles)))
    return _user_json(store.set_roles(user, roles, by=principal.user_id))


@router.post("/users/{user}/password")
def set_password(
    user: str,
    body: dict[str, Any] = Body(..., examples=[{"password": "a passphrase of several words"}]),
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
    passwords: PasswordStore = Depends(password_store),
) -> dict[str, Any]:
    """Set the user's password for the web sign-in (at least 12 characters; ``confirm``, if
    given, must be the same). Ends the sessions opened with the old one. Never echoed back."""
    _own_user(principal, store, user)
    password = body.get("password")
    if not isinstance(password, str) or not password:
        raise InputError("enter a password", field="password")
    if "confirm" in body and body["confirm"] != password:
        raise InputError("the two passwords are not the same", field="confirm")
    passwords.set(user, password, by=principal.user_id)
    return {"user": user, "password_set": True}


@router.get("/users/{user}")
def get_user(
    user: str, principal: Principal = Depends(authenticated), store: UserStore = Depends(user_store)
) -> dict[str, Any]:
    """One user of the admin's side, with its tokens (never the tokens themselves) and its
    history of changes."""
    found = _own_user(principal, store, user)
    return _user_json(found) | {"tokens": store.tokens(user), "changes": store.changes(user)}
