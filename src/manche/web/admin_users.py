"""``/admin/users/{user}``: one user of the admin's side: change its roles, set its password,
issue an API token (shown once), revoke it; its tokens and the history of changes to it.

JSON twins (the same functions, so the same rules): ``GET /api/v1/users/{user}``,
``PATCH /api/v1/users/{user}``, ``POST /api/v1/users/{user}/password``,
``POST /api/v1/users/{user}/tokens``, ``POST /api/v1/users/{user}/revoke``. A user of the other
side is a 403, on the page as in the API. An admin cannot revoke itself nor take its own admin
role off (:func:`manche.domain.access.check_not_self_lockout`).

The password is never put back in the page, even after a refusal. A new token is shown in the
answer to the POST itself (no redirect: the token must not travel in a URL or be stored to be
shown later), sent with ``Cache-Control: no-store``; it is never shown again.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.auth import password_store, user_store
from manche.api.routes_users import change_roles, get_user, issue_token, set_password
from manche.domain.access import Action, Principal, require
from manche.errors import MancheError
from manche.users import UserStore
from manche.users.passwords import MIN_LENGTH, PasswordStore
from manche.web import labels_admin
from manche.web.deps import check_form_token, page_principal
from manche.web.forms import FormError, field_of, words_of
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)

FORMS = {
    "roles": (("roles",), "roles"),
    "password": (("password", "confirm"), "password"),
    "token": (("label",), "label"),
}


async def _page(
    request: Request,
    principal: Principal,
    store: UserStore,
    user_id: str,
    *,
    form: str | None = None,
    values: dict[str, Any] | None = None,
    error: MancheError | None = None,
    issued: dict[str, Any] | None = None,
) -> Response:
    require(principal, Action.MANAGE_USERS)
    user = await run_in_threadpool(get_user, user_id, principal, store)
    fields, default = FORMS[form] if form else ((), "")
    response = render(
        request,
        "admin_user.html",
        {
            "title": N_("User"),
            "user": user,
            "form": form,
            "values": values or {},
            "error": error,
            "error_words": words_of(error),
            "error_field": field_of(error, fields, default) if error else None,
            "issued": issued,
            "role_labels": labels_admin.ROLES,
        },
        principal=principal,
        status_code=error.http_status if error else (201 if issued else 200),
    )
    if issued:
        response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/admin/users/{user_id}")
async def user_page(
    user_id: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    return await _page(request, principal, store, user_id)


@router.post("/admin/users/{user_id}/roles")
async def roles_page(
    user_id: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    data = await request.form()
    check_form_token(request, str(data.get("csrf", "")))
    await run_in_threadpool(get_user, user_id, principal, store)  # 403/404 as the API
    roles = [str(r) for r in data.getlist("roles")]
    try:
        if not roles:
            raise FormError(N_("Choose at least one role"), "roles")
        await run_in_threadpool(change_roles, user_id, {"roles": roles}, principal, store)
    except MancheError as exc:
        values = {"roles": roles}
        return await _page(
            request, principal, store, user_id, form="roles", values=values, error=exc
        )
    return RedirectResponse(f"/admin/users/{user_id}?roles=1", status_code=303)


@router.post("/admin/users/{user_id}/password")
async def password_page(
    user_id: str,
    request: Request,
    csrf: str = Form(""),
    password: str = Form(""),
    confirm: str = Form(""),
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
    passwords: PasswordStore = Depends(password_store),
) -> Response:
    check_form_token(request, csrf)
    await run_in_threadpool(get_user, user_id, principal, store)
    try:
        if not password:
            raise FormError(N_("Enter a password"), "password")
        if len(password) < MIN_LENGTH:
            raise FormError(N_("The password must have at least 12 characters"), "password")
        if password != confirm:
            raise FormError(N_("The two passwords are not the same"), "confirm")
        body = {"password": password, "confirm": confirm}
        await run_in_threadpool(set_password, user_id, body, principal, store, passwords)
    except MancheError as exc:
        return await _page(request, principal, store, user_id, form="password", error=exc)
    return RedirectResponse(f"/admin/users/{user_id}?password=1", status_code=303)


@router.post("/admin/users/{user_id}/tokens")
async def token_page(
    user_id: str,
    request: Request,
    csrf: str = Form(""),
    label: str = Form(""),
    principal: Principal = Depends(page_principal),
    store: UserStore = Depends(user_store),
) -> Response:
    check_form_token(request, csrf)
    await run_in_threadpool(get_user, user_id, principal, store)
    try:
        issued = await run_in_threadpool(
            issue_token, user_id, {"label": label.strip()}, principal, store
        )
    except MancheError as exc:
        values = {"label": label}
        return await _page(
            request, principal, store, user_id, form="token", values=values, error=exc
        )
    return await _page(request, principal, store, user_id, issued=issued)
