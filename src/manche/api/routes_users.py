"""``/api/v1/me`` (who the token stands for) and ``/api/v1/users`` (admins: the agency's users).

Users are added, revoked and given tokens with ``manche users`` on the server; the API only
reads them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from manche.api.auth import authenticated, user_store
from manche.domain.access import Action, Principal, may, require
from manche.users import UserStore

router = APIRouter(tags=["users"])


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
    return [
        {
            "user": u.id,
            "agency": u.agency,
            "side": u.side.value,
            "roles": [r.value for r in u.roles],
            "created_at": u.created_at,
            "revoked_at": u.revoked_at,
            "active_tokens": u.active_tokens,
        }
        for u in store.all()
        if u.side == principal.side
    ]
