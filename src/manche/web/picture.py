"""``/picture``: the live picture (map of the Strait and incidents, most urgent first) and
``/incidents/{ref}``: one incident in full.

JSON twins: ``/api/v1/picture``, ``/api/v1/picture/tracks``, ``/api/v1/geo/layers``,
``/api/v1/picture/stream`` (live) and ``/api/v1/incidents/{ref}``. The pages read the same
picture with the same principal and the same rules as those routes: an incident the user's side
may not see is a 404 here as there.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from manche.api.deps import get_db
from manche.api.routes_intel import incident_crafts
from manche.api.routes_picture import picture_hub
from manche.domain.access import Action, Principal, require
from manche.service.picture import PROXY_NOTE, PictureHub, summary
from manche.storage import Database
from manche.web import labels
from manche.web.deps import page_principal
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)

LIST_LIMIT = 100
"""The list beside the map shows the most urgent incidents only (a year of records holds some
700, nearly all closed; the map draws them all). The filters narrow it; the JSON twin has all."""


def _filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    exercise = {"exercise": True, "real": False}.get(q.get("exercise", ""))
    return {
        "state": q.get("state") or None,
        "phase": q.get("phase") or None,
        "zone": q.get("zone") or None,
        "exercise": exercise,
    }


@router.get("/picture")
async def picture_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    hub: PictureHub = Depends(picture_hub),
) -> Response:
    require(principal, Action.READ_EVENTS)
    current = await hub.current()
    filters = _filters(request)
    found = current.incidents(principal.side, **filters)  # most urgent first
    incidents = [summary(i) for i in found[:LIST_LIMIT]]
    return render(
        request,
        "picture.html",
        {
            "title": N_("Live picture"),
            "incidents": incidents,
            "total": len(found),
            "list_limit": LIST_LIMIT,
            "filters": {k: request.query_params.get(k, "") for k in filters},
            "state_colours": labels.STATE_COLOURS,
            "label": labels.label,
            "labels": labels,
        },
        principal=principal,
    )


@router.get("/incidents/{ref}")
async def incident_page(
    ref: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    hub: PictureHub = Depends(picture_hub),
    db: Database = Depends(get_db),
) -> Response:
    require(principal, Action.READ_EVENTS)
    current = await hub.current()
    found = current.incident(principal.side, ref)  # NotFound (404) if not visible to the side
    timeline = current.timeline(principal.side, ref)
    nearest = await asyncio.to_thread(current.nearest_assets, principal.side, ref)
    events = [e.to_json() for e in timeline]
    crafts = await asyncio.to_thread(incident_crafts, db, principal, events)
    flags_by_event: dict[str, list[str]] = {}
    for flag in found.flags:
        flags_by_event.setdefault(str(flag.event_id), []).append(flag.code)
    return render(
        request,
        "incident.html",
        {
            "title": ref,
            "incident": found,
            "summary": summary(found),
            "timeline": events,
            "crafts": crafts,
            "flags_by_event": flags_by_event,
            "nearest": nearest,
            "proxy_note": PROXY_NOTE,
            "label": labels.label,
            "labels": labels,
            "state_colours": labels.STATE_COLOURS,
            "track": [[p.lon, p.lat, p.at.isoformat()] for p in found.track],
        },
        principal=principal,
    )
