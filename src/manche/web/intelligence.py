"""``/intelligence``: search boats and engines, one craft's history, and the completeness and
corroboration of each partner's records.

JSON twins: ``/api/v1/intel/crafts``, ``/api/v1/intel/crafts/{id}``, ``/api/v1/intel/quality``.
The same readings over the same events: only those releasable to the user's side.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.deps import get_db
from manche.api.routes_intel import PERIODS, _period, visible_events
from manche.domain.access import Action, Principal, require
from manche.errors import NotFound
from manche.readings.intel.quality import quality
from manche.readings.intel.registry import Registry, build_registry, craft_detail
from manche.record import decoded
from manche.storage import Database
from manche.web.deps import page_principal
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)


def _matches(craft: dict[str, Any], q: str) -> bool:
    needle = q.strip().upper().replace(" ", "")
    if not needle:
        return True
    haystack = [craft["id"], craft.get("make") or "", craft.get("identifier") or ""]
    haystack += list(craft.get("identifiers", {}))
    return any(needle in str(text).upper().replace(" ", "") for text in haystack)


@router.get("/intelligence")
async def intelligence_page(
    request: Request,
    q: str = "",
    kind: str = "",
    period: str = "month",
    principal: Principal = Depends(page_principal),
    db: Database = Depends(get_db),
) -> Response:
    require(principal, Action.READ_EVENTS)
    chosen = _period(period)

    def read() -> tuple[Registry, list[dict[str, Any]]]:
        # both kept until the log grows (manche.record.decoded): a year of records is 11,352
        # events, too many to group and measure again on every request
        side = principal.side
        events = visible_events(db, principal)
        registry = decoded.derived(db, ("registry", side), lambda _: build_registry(events))
        rows = decoded.derived(
            db, ("quality", side, chosen), lambda _: [r.to_json() for r in quality(events, chosen)]
        )
        return registry, rows

    registry, rows = await run_in_threadpool(read)
    crafts = [craft_detail(c) for c in registry.crafts if kind in ("", c.kind)]
    found = [c for c in crafts if _matches(c, q)]
    return render(
        request,
        "intelligence.html",
        {
            "title": N_("Intelligence"),
            "q": q,
            "kind": kind,
            "period": chosen,
            "periods": PERIODS,
            "crafts": found,
            "total": len(crafts),
            "quality": rows,
        },
        principal=principal,
    )


@router.get("/intelligence/crafts/{craft_id}")
async def craft_page(
    craft_id: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    db: Database = Depends(get_db),
) -> Response:
    require(principal, Action.READ_EVENTS)
    events = await run_in_threadpool(visible_events, db, principal)
    craft = (await run_in_threadpool(build_registry, events)).craft(craft_id)
    if craft is None:
        raise NotFound(f"no boat or engine {craft_id!r}")
    return render(
        request,
        "craft.html",
        {"title": craft_id, "craft": craft_detail(craft)},
        principal=principal,
    )
