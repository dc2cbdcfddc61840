"""``/api/v1/registry``: agencies and assets; any user reads them, admins edit them.

An admin edits its own side's rows only. Edits are upserts by code (``PUT``), kept with who and
when in the registry's history; there is no delete (mark ``active: false``). The event log
itself has no edit path at all.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends

from manche.api.auth import authenticated, registry_store
from manche.domain.access import Action, Principal, check_registry_edit, require
from manche.domain.registry import Agency, Asset
from manche.errors import InputError
from manche.registry import RegistryStore

router = APIRouter(prefix="/registry", tags=["registry"])


@router.get("/agencies")
def list_agencies(
    principal: Principal = Depends(authenticated), store: RegistryStore = Depends(registry_store)
) -> list[Agency]:
    require(principal, Action.READ_REGISTRY)
    return store.agencies()


@router.get("/agencies/{code}")
def get_agency(
    code: str,
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> Agency:
    require(principal, Action.READ_REGISTRY)
    return store.agency(code)


@router.get("/assets")
def list_assets(
    agency: str | None = None,
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> list[Asset]:
    require(principal, Action.READ_REGISTRY)
    return store.assets(agency)


@router.get("/assets/{code}")
def get_asset(
    code: str,
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> Asset:
    require(principal, Action.READ_REGISTRY)
    return store.asset(code)


def _same_code(code: str, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("code", code) != code:
        raise InputError(
            f"the body's code {body.get('code')!r} differs from the path's", field="code"
        )
    return {**body, "code": code}


@router.put("/agencies/{code}")
def put_agency(
    code: str,
    body: dict[str, Any] = Body(..., description="the whole agency row (see GET)"),
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> Agency:
    check_registry_edit(principal, code)
    return store.put_agency(_same_code(code, body), by=principal.user_id)


@router.put("/assets/{code}")
def put_asset(
    code: str,
    body: dict[str, Any] = Body(..., description="the whole asset row (see GET)"),
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> Asset:
    check_registry_edit(principal, code, str(body.get("agency", code)))
    return store.put_asset(_same_code(code, body), by=principal.user_id)


@router.get("/changes")
def list_changes(
    code: str | None = None,
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> list[dict[str, Any]]:
    """The edit history of the admin's own side's rows (admins only: it names users)."""
    require(principal, Action.EDIT_REGISTRY)
    own = f"{principal.side.value}-"
    return [change for change in store.changes(code) if change["code"].startswith(own)]
