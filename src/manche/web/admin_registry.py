"""``/admin/agencies/{code}``, ``/admin/assets/{code}``, ``/admin/assets/new``: an admin edits
its own side's registry rows (names, kind, mandate, active...) and adds assets.

JSON twins (the same functions): ``PUT /api/v1/registry/agencies/{code}``,
``PUT /api/v1/registry/assets/{code}``, ``POST /api/v1/registry/assets``. Another side's row is
a 403 on the page as in the API (the form is not even shown). Every edit is kept in the
registry's history with the row before and after and who changed it
(``GET /api/v1/registry/changes``); an invalid value is refused naming the field, nothing
stored. Fields the forms do not show (a rescue centre's position, an asset's home position)
are kept as they are.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from manche.api.auth import registry_store
from manche.api.routes_registry import add_asset, put_agency, put_asset
from manche.domain.access import Principal, check_registry_edit
from manche.errors import MancheError
from manche.registry import RegistryStore
from manche.web import labels_admin
from manche.web.deps import check_form_token, page_principal
from manche.web.forms import FormError, field_of, words_of
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)

AGENCY_FIELDS = ("name_en", "name_fr", "kind", "mandate", "position_note", "source", "active")
ASSET_FIELDS = (
    "code", "name", "kind", "agency", "speed_kn", "speed_basis", "home_base", "source", "active",
)  # fmt: skip


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "")).strip()


def _page(
    request: Request,
    principal: Principal,
    store: RegistryStore,
    template: str,
    values: dict[str, Any],
    *,
    new: bool = False,
    error: MancheError | None = None,
) -> Response:
    fields = AGENCY_FIELDS if template == "admin_agency.html" else ASSET_FIELDS
    own = f"{principal.side.value}-"
    return render(
        request,
        template,
        {
            "title": N_("Edit an agency")
            if template == "admin_agency.html"
            else (N_("Add an asset") if new else N_("Edit an asset")),
            "values": values,
            "new": new,
            "error": error,
            "error_words": words_of(error),
            "error_field": field_of(error, fields, fields[0]) if error else None,
            "agency_kinds": labels_admin.AGENCY_KINDS,
            "asset_kinds": labels_admin.ASSET_KINDS,
            "own_agencies": [a for a in store.agencies() if a.code.startswith(own)],
        },
        principal=principal,
        status_code=error.http_status if error else 200,
    )


# agencies


@router.get("/admin/agencies/{code}")
async def agency_form(
    code: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    store: RegistryStore = Depends(registry_store),
) -> Response:
    check_registry_edit(principal, code)
    agency = await run_in_threadpool(store.agency, code)
    values = agency.model_dump(mode="json")
    values["mandate"] = " ".join(agency.mandate)
    return _page(request, principal, store, "admin_agency.html", values)


@router.post("/admin/agencies/{code}")
async def agency_save(
    code: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    store: RegistryStore = Depends(registry_store),
) -> Response:
    form = await request.form()
    check_form_token(request, str(form.get("csrf", "")))
    check_registry_edit(principal, code)
    current = (await run_in_threadpool(store.agency, code)).model_dump(mode="json")
    body = {
        **current,
        **{name: _text(form, name) for name in ("name_en", "name_fr", "kind", "source")},
        "position_note": _text(form, "position_note"),
        "mandate": _text(form, "mandate").split(),
        "active": form.get("active") == "yes",
    }
    try:
        if not body["mandate"]:
            raise FormError(N_("Enter the event types, or * for all"), "mandate")
        await run_in_threadpool(put_agency, code, body, principal, store)
    except MancheError as exc:
        values = {**body, "mandate": _text(form, "mandate")}
        return _page(request, principal, store, "admin_agency.html", values, error=exc)
    return RedirectResponse(f"/admin?{urlencode({'saved': code})}#agencies-title", 303)


# assets


def _asset_body(form: FormData, current: dict[str, Any]) -> dict[str, Any]:
    speed = _text(form, "speed_kn").replace(",", ".")
    body: dict[str, Any] = {
        **current,
        **{n: _text(form, n) for n in ("name", "kind", "agency", "speed_basis", "home_base")},
        "source": _text(form, "source"),
        "active": form.get("active") == "yes",
        "speed_approx": form.get("speed_approx") == "yes",
    }
    if not speed:
        body["speed_kn"] = None
    else:
        try:
            body["speed_kn"] = float(speed)
        except ValueError:
            words = N_("Enter the speed in knots as a number, for example 26")
            raise FormError(words, "speed_kn") from None
    return body


@router.get("/admin/assets/new")
async def new_asset_form(
    request: Request,
    principal: Principal = Depends(page_principal),
    store: RegistryStore = Depends(registry_store),
) -> Response:
    check_registry_edit(principal, principal.agency)
    values = {"agency": principal.agency, "active": True, "speed_approx": True, "kind": "other"}
    return _page(request, principal, store, "admin_asset.html", values, new=True)


@router.post("/admin/assets/new")
async def new_asset_save(
    request: Request,
    principal: Principal = Depends(page_principal),
    store: RegistryStore = Depends(registry_store),
) -> Response:
    form = await request.form()
    check_form_token(request, str(form.get("csrf", "")))
    check_registry_edit(principal, _text(form, "agency") or principal.agency)
    values: dict[str, Any] = {n: _text(form, n) for n in ASSET_FIELDS}
    values |= {
        "active": form.get("active") == "yes",
        "speed_approx": form.get("speed_approx") == "yes",
    }
    try:
        code = _text(form, "code")
        if not code:
            raise FormError(N_("Enter the asset's code, for example UK-BF-VIGILANT"), "code")
        body = _asset_body(form, {"code": code, "home": None})
        await run_in_threadpool(add_asset, body, principal, store)
    except MancheError as exc:
        if exc.http_status == 403:
            raise
        return _page(request, principal, store, "admin_asset.html", values, new=True, error=exc)
    return RedirectResponse(f"/admin?{urlencode({'saved': code})}#assets-title", 303)


@router.get("/admin/assets/{code}")
async def asset_form(
    code: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    store: RegistryStore = Depends(registry_store),
) -> Response:
    check_registry_edit(principal, code)
    asset = await run_in_threadpool(store.asset, code)
    return _page(request, principal, store, "admin_asset.html", asset.model_dump(mode="json"))


@router.post("/admin/assets/{code}")
async def asset_save(
    code: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    store: RegistryStore = Depends(registry_store),
) -> Response:
    form = await request.form()
    check_form_token(request, str(form.get("csrf", "")))
    check_registry_edit(principal, code)
    current = (await run_in_threadpool(store.asset, code)).model_dump(mode="json")
    values: dict[str, Any] = {**current, **{n: _text(form, n) for n in ASSET_FIELDS if n != "code"}}
    values |= {
        "active": form.get("active") == "yes",
        "speed_approx": form.get("speed_approx") == "yes",
    }
    try:
        body = _asset_body(form, current)
        await run_in_threadpool(put_asset, code, body, principal, store)
    except MancheError as exc:
        if exc.http_status == 403:
            raise
        return _page(request, principal, store, "admin_asset.html", values, error=exc)
    return RedirectResponse(f"/admin?{urlencode({'saved': code})}#assets-title", 303)
