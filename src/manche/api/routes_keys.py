"""``/api/v1/keys``: the agencies' signing keys, for admins (as ``manche keys``).

An admin generates a new key for one of its own side's agencies (rotation: the newest local
key signs, older ones still verify), downloads public keys in the ``manche keys export-public``
format, and pins the other side's public keys from that format. Private keys are written to
``MANCHE_DATA_DIR/keys`` and never leave it: no route returns one.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Body, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from manche.api.auth import authenticated, user_store
from manche.domain.access import (
    Action,
    Principal,
    check_key_admin,
    check_key_import,
    require,
)
from manche.errors import InputError, NotFound
from manche.record import keys_dir
from manche.record.keys import KeyStore, PublicKey
from manche.users import UserStore

router = APIRouter(prefix="/keys", tags=["keys"])


def key_store(store: UserStore) -> KeyStore:
    return KeyStore(store.db, keys_dir())


def key_json(key: PublicKey) -> dict[str, Any]:
    return key.to_json() | {
        "origin": key.origin,
        "created_at": key.created_at,
        "private_key_here": key.has_private,
    }


def list_key_rows(principal: Principal, store: UserStore) -> list[dict[str, Any]]:
    require(principal, Action.MANAGE_KEYS)
    return [key_json(k) for k in key_store(store).list()]


@router.get("")
def list_keys(
    principal: Principal = Depends(authenticated), store: UserStore = Depends(user_store)
) -> list[dict[str, Any]]:
    """Every pinned public key (both sides), and whether its private part is on this server."""
    return list_key_rows(principal, store)


def generate_key(principal: Principal, store: UserStore, agency: str) -> dict[str, Any]:
    check_key_admin(principal, agency)
    store.registry.agency(agency)  # 404 naming the agency if it is not in the registry
    return key_json(key_store(store).generate(agency))


@router.post("", status_code=201)
def new_key(
    body: dict[str, Any] = Body(..., examples=[{"agency": "UK-BF"}]),
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> dict[str, Any]:
    """Generate a new signing key for one of the admin's side's agencies; from now on it signs
    that agency's batches (older keys still verify). The answer has the public part only."""
    return generate_key(principal, store, str(body.get("agency", "")))


def export_public(principal: Principal, store: UserStore, agency: str | None) -> list[Any]:
    require(principal, Action.MANAGE_KEYS)
    keys = key_store(store)
    if agency:
        return keys.export_public(agency)
    own = f"{principal.side.value}-"
    found = [k.to_json() for k in keys.list() if k.agency.startswith(own) and k.origin == "local"]
    if not found:
        raise NotFound(f"no key of a {principal.side.value} agency here", field="agency")
    return found


@router.get("/public")
async def download_public(
    agency: str | None = None,
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> JSONResponse:
    """Public keys as ``manche keys export-public`` writes them (one agency, or every local key
    of the admin's side), as a file to give to the other side."""
    data = await run_in_threadpool(export_public, principal, store, agency)
    name = f"manche-public-keys-{agency or principal.side.value}.json"
    return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def import_public(principal: Principal, store: UserStore, document: Any) -> list[dict[str, Any]]:
    require(principal, Action.MANAGE_KEYS)
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise InputError(f"not JSON: {exc}", field="keys") from exc
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("agency"), str):
            raise InputError("each key is an object with an agency", row=index, field="keys")
        check_key_import(principal, item["agency"])
    return [key_json(k) for k in key_store(store).import_public(items)]


@router.post("/import")
def pin_public(
    body: Any = Body(
        ...,
        examples=[
            [
                {
                    "agency": "FR-CROSS-GN",
                    "key_id": "…",
                    "algorithm": "ed25519",
                    "public_key": "<raw 32 bytes, base64>",
                }
            ]
        ],
    ),
    principal: Principal = Depends(authenticated),
    store: UserStore = Depends(user_store),
) -> list[dict[str, Any]]:
    """Pin the other side's public keys (the ``export-public`` JSON). All or nothing; keys of
    the admin's own side are refused (they are generated here). The answer lists the keys newly
    pinned, with their ids to check with the other side out of band."""
    return import_public(principal, store, body)
