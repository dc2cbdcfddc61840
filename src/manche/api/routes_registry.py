"""``/api/v1/registry``: agencies and assets; any user reads them, admins edit them.

An admin edits its own side's rows only. Edits are upserts by code (``PUT``), kept with who and
when in the registry's history; there is no delete (mark ``active: false``). ``POST /assets``
adds an asset and refuses a code that exists (409), so an addition never overwrites a row. An
agency's mandate names event types of the catalogue (or ``*``); a misspelt type is refused.
The event log itself has no edit path at all.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends

from manche.api.auth import authenticated, registry_store
from manche.domain.access import Action, Principal, check_registry_edit, require
from manche.domain.events.base import catalogue
from manche.domain.registry import Agency, Asset, is_code
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


def check_mandate(body: dict[str, Any]) -> None:
    """Each mandate entry is ``*`` or an event type of the catalogue (a typo would silently
    stop an agency's operators from recording that type)."""
    mandate = body.get("mandate")
    if not isinstance(mandate, list | tuple):
        return  # absent: the default; another shape: the model refuses it
    known = set(catalogue())
    for entry in mandate:
        if entry != "*" and entry not in known:
            raise InputError(
                f"{entry!r} is not an event type (known: *, {', '.join(sorted(known))})",
                field="mandate",
            )


@router.put("/agencies/{code}")
def put_agency(
    code: str,
    body: dict[str, Any] = Body(..., description="the whole agency row (see GET)"),
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> Agency:
    check_registry_edit(principal, code)
    check_mandate(body)
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


@router.post("/assets", status_code=201)
def add_asset(
    body: dict[str, Any] = Body(..., description="the new asset's whole row (see GET)"),
    principal: Principal = Depends(authenticated),
    store: RegistryStore = Depends(registry_store),
) -> Asset:
    """Add an asset of one of the admin's side's agencies; a code that exists is a 409."""
    code = str(body.get("code", ""))
    if not is_code(code):  # a malformed code is bad input, not another side's row
        raise InputError(
            f"an asset code is the side, the agency and a name in capitals joined by hyphens "
            f"(e.g. UK-BF-VIGILANT), not {code!r}",
            field="code",
        )
    check_registry_edit(principal, code, str(body.get("agency", code)))
    return store.put_asset(body, by=principal.user_id, create=True)


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
