"""``POST /api/v1/users/{user}/revoke``: an admin revokes a user of its own side (the user and
every token; kept, marked revoked), the JSON twin of the Admin page's button. A user of the
other side answers 404, as one that does not exist: admins see their own side's users only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from manche.api.auth import authenticated, user_store
from manche.domain.access import Action, Principal, require
from manche.errors import Conflict, NotFound
from manche.users import UserStore

router = APIRouter(tags=["users"])


def revoke_user(principal: Principal, store: UserStore, user_id: str) -> dict[str, Any]:
    require(principal, Action.MANAGE_USERS)
    try:
        user = store.get(user_id)
    except NotFound:
        user = None
    if user is None or user.side != principal.side:
        raise NotFound(f"no user {user_id!r}", field="user")
    if user.id == principal.user_id:
        raise Conflict("an admin cannot revoke itself", field="user")
    revoked = store.revoke(user_id)
    return {"user": revoked.id, "revoked_at": revoked.revoked_at}


@router.post("/users/{user_id}/revoke")
async def revoke(
    user_id: str,
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> dict[str, Any]:
    return await run_in_threadpool(revoke_user, principal, store, user_id)
