"""``/admin``: an administrator's view of their side: users and roles (no secrets), the
agencies' signing keys (public parts), and the registries, with the rows this admin may edit
marked.

JSON twins: ``/api/v1/users`` (the same function, the same own-side filter),
``/api/v1/registry/agencies``, ``/api/v1/registry/assets``. Changes are made with the API
(``PUT /api/v1/registry/...``) or the command line (``manche users``, ``manche keys``); the
page revokes users of the admin's side (``POST /api/v1/users/{user}/revoke``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.auth import user_store
from manche.api.routes_users import list_users, revoke_user
from manche.config import get_settings
from manche.domain.access import Action, Principal, may, require
from manche.record.keys import KeyStore
from manche.users import UserStore
from manche.web.deps import check_form_token, page_principal
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/admin")
async def admin_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    require(principal, Action.MANAGE_USERS)

    def read() -> dict[str, object]:
        keys = (
            KeyStore(store.db, get_settings().data_dir / "keys").list()
            if may(principal, Action.MANAGE_KEYS)
            else []
        )
        return {
            "users": list_users(principal, store),
            "keys": [
                k.to_json()
                | {"origin": k.origin, "created_at": k.created_at, "local": k.has_private}
                for k in keys
            ],
            "agencies": store.registry.agencies(),
            "assets": store.registry.assets(),
        }

    data = await run_in_threadpool(read)
    own = f"{principal.side.value}-"
    return render(
        request,
        "admin.html",
        {"title": N_("Administration"), "own": own, **data},
        principal=principal,
    )


@router.post("/admin/users/{user_id}/revoke")
async def revoke_page(
    user_id: str,
    request: Request,
    csrf: str = Form(""),
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    check_form_token(request, csrf)
    await run_in_threadpool(revoke_user, user_id, principal, store)
    return RedirectResponse(f"/admin?revoked={user_id}", status_code=303)
