"""``/admin``: an administrator's page for their side: users (add one here; roles, password,
tokens and revocation on the user's own page, :mod:`manche.web.admin_users`), the agencies'
signing keys (generate one for an agency of the side, download public keys, pin the other
side's), and the registries (rows of the side editable, :mod:`manche.web.admin_registry`).

Every form calls the same function as its JSON twin, with the signed-in principal, so the rules
are the API's: ``POST /api/v1/users``, ``POST /api/v1/keys``, ``GET /api/v1/keys/public``,
``POST /api/v1/keys/import``, ``POST /api/v1/users/{user}/revoke``. A form is POST, then a
redirect to a GET with a success banner; a refusal re-renders the form with a GOV.UK error
summary linking to the field (nothing stored). Another side's users or rows: 403, as the API.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.auth import user_store
from manche.api.routes_keys import generate_key, import_public, list_key_rows
from manche.api.routes_users import add_user, list_users, revoke_user
from manche.domain.access import Action, Principal, may, require
from manche.errors import MancheError
from manche.users import UserStore
from manche.web import labels_admin
from manche.web.deps import check_form_token, page_principal
from manche.web.forms import FormError, field_of, words_of
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)

USER_FIELDS = ("user", "agency", "roles")


def _overview(principal: Principal, store: UserStore) -> dict[str, Any]:
    own = f"{principal.side.value}-"
    agencies = store.registry.agencies()
    return {
        "users": list_users(principal, store),
        "keys": list_key_rows(principal, store) if may(principal, Action.MANAGE_KEYS) else [],
        "agencies": agencies,
        "own_agencies": [a for a in agencies if a.code.startswith(own) and a.active],
        "assets": store.registry.assets(),
        "own": own,
        "role_labels": labels_admin.ROLES,
    }


async def _page(
    request: Request,
    principal: Principal,
    store: UserStore,
    *,
    form: str | None = None,
    values: dict[str, Any] | None = None,
    error: MancheError | None = None,
) -> Response:
    require(principal, Action.MANAGE_USERS)
    data = await run_in_threadpool(_overview, principal, store)
    fields = {"user": USER_FIELDS, "key": ("key_agency",), "import": ("keys",)}
    default = {"user": "user", "key": "key_agency", "import": "keys"}
    return render(
        request,
        "admin.html",
        {
            "title": N_("Administration"),
            "form": form,
            "values": values or {"roles": []},
            "error": error,
            "error_words": words_of(error),
            "error_field": (
                field_of(error, fields[form], default[form]) if form and error else None
            ),
            **data,
        },
        principal=principal,
        status_code=error.http_status if error else 200,
    )


@router.get("/admin")
async def admin_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    return await _page(request, principal, store)


@router.post("/admin/users")
async def add_user_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    data = await request.form()
    check_form_token(request, str(data.get("csrf", "")))
    require(principal, Action.MANAGE_USERS)
    values = {
        "user": str(data.get("user", "")).strip(),
        "agency": str(data.get("agency", "")),
        "roles": [str(r) for r in data.getlist("roles")],
    }
    try:
        if not values["user"]:
            raise FormError(N_("Enter a user id"), "user")
        if not values["roles"]:
            raise FormError(N_("Choose at least one role"), "roles")
        body = {"user": values["user"], "agency": values["agency"], "roles": values["roles"]}
        await run_in_threadpool(add_user, body, principal, store)
    except MancheError as exc:
        if exc.http_status in (401, 403) and exc.field == "agency":
            raise  # another side's agency: refused as the API refuses it
        return await _page(request, principal, store, form="user", values=values, error=exc)
    query = urlencode({"added": values["user"]})
    return RedirectResponse(f"/admin/users/{values['user']}?{query}", status_code=303)


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
    return RedirectResponse(f"/admin?{urlencode({'revoked': user_id})}", status_code=303)


@router.post("/admin/keys")
async def generate_key_page(
    request: Request,
    csrf: str = Form(""),
    key_agency: str = Form(""),
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    check_form_token(request, csrf)
    require(principal, Action.MANAGE_KEYS)
    try:
        if not key_agency:
            raise FormError(N_("Choose an agency"), "key_agency")
        key = await run_in_threadpool(generate_key, principal, store, key_agency)
    except MancheError as exc:
        if exc.http_status in (401, 403):
            raise
        values = {"key_agency": key_agency, "roles": []}
        return await _page(request, principal, store, form="key", values=values, error=exc)
    query = urlencode({"key": key["key_id"], "agency": key["agency"]})
    return RedirectResponse(f"/admin?{query}#keys-title", status_code=303)


@router.post("/admin/keys/import")
async def import_keys_page(
    request: Request,
    csrf: str = Form(""),
    keys: str = Form(""),
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    check_form_token(request, csrf)
    require(principal, Action.MANAGE_KEYS)
    try:
        if not keys.strip():
            raise FormError(N_("Paste the public keys file the other side gave you"), "keys")
        added = await run_in_threadpool(import_public, principal, store, keys)
    except MancheError as exc:
        values = {"keys": keys, "roles": []}
        return await _page(request, principal, store, form="import", values=values, error=exc)
    query = urlencode({"pinned": ",".join(k["key_id"] for k in added) or "-"})
    return RedirectResponse(f"/admin?{query}#keys-title", status_code=303)
