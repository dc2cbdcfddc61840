"""``/api/v1/log``: the signed checkpoint and Merkle proofs (RFC 6962/9162 style).

A checkpoint (signed tree head) covers every entry, whatever its releasability: its tree size
tells a caller how many entries exist, not what they say. An inclusion proof is given only for
an entry the caller may see (otherwise 404, as for an entry that does not exist); its audit
path holds hashes of other entries, which reveal nothing of their content (each entry's hash
covers its random event id). A consistency proof holds only such hashes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from manche.api.auth import authenticated
from manche.api.routes_events import event_service
from manche.domain.access import Action, Principal, require
from manche.errors import NotFound
from manche.service.events import EventService

router = APIRouter(prefix="/log", tags=["log"])


@router.get("/checkpoint")
def checkpoint(
    principal: Principal = Depends(authenticated),
    service: EventService = Depends(event_service),
) -> dict[str, Any]:
    """The latest signed checkpoint: tree size, Merkle root, time, signer."""
    require(principal, Action.READ_LOG)
    return service.log.checkpoint()


@router.get("/proof/inclusion/{seq}")
def inclusion_proof(
    seq: int,
    tree_size: int | None = Query(None, ge=1, description="default: the current tree size"),
    principal: Principal = Depends(authenticated),
    service: EventService = Depends(event_service),
) -> dict[str, Any]:
    """Proof that entry ``seq`` is in the tree of ``tree_size`` entries."""
    require(principal, Action.READ_LOG)
    service.catch_up()
    if seq < 0 or not service.index.visible_seq(principal, seq):
        raise NotFound(f"no entry {seq}", field="seq")
    return service.log.inclusion_proof(seq, tree_size)


@router.get("/proof/consistency/{first}/{second}")
def consistency_proof(
    first: int,
    second: int,
    principal: Principal = Depends(authenticated),
    service: EventService = Depends(event_service),
) -> dict[str, Any]:
    """Proof that the tree of ``first`` entries is a prefix of the tree of ``second``."""
    require(principal, Action.READ_LOG)
    return service.log.consistency_proof(first, second)
