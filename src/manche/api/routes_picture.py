"""The live picture: ``/api/v1/picture`` (incidents, most urgent first), ``/api/v1/incidents/
{ref}`` (one incident in full, with its timeline) and ``/api/v1/picture/stream`` (server-sent
events: ``incident-new``, ``state-change``, ``alert``, ``update``).

Each user sees the incidents built from the events releasable to their side. The SAR-region
line is the median line, a proxy: every answer says so.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from manche.api.auth import authenticated
from manche.api.deps import get_db
from manche.api.routes_intel import incident_crafts
from manche.domain.access import Action, Principal, require
from manche.service.picture import PROXY_NOTE, PictureHub, summary
from manche.storage import Database

router = APIRouter(tags=["picture"])

KEEPALIVE_SECONDS = 15.0


def picture_hub(request: Request, db: Database = Depends(get_db)) -> PictureHub:
    hub: PictureHub | None = getattr(request.app.state, "manche_picture", None)
    if hub is None or hub.picture.log.db is not db:
        hub = PictureHub(db)
        request.app.state.manche_picture = hub
    return hub


@router.get("/picture")
async def picture(
    principal: Principal = Depends(authenticated),
    hub: PictureHub = Depends(picture_hub),
    state: str | None = Query(None, description="launched, at-sea, escorted, in-distress, ..."),
    phase: str | None = Query(None, description="INCERFA, ALERFA, DETRESFA or -"),
    zone: str | None = Query(None, description="sovereignty zone, e.g. FR-TS"),
    exercise: bool | None = Query(None, description="true: exercise only; false: real only"),
    active: bool | None = Query(None, description="true: open incidents only"),
) -> dict[str, Any]:
    """Incidents visible to the caller's side, most urgent first."""
    require(principal, Action.READ_EVENTS)
    current = await hub.current()
    incidents = current.incidents(
        principal.side, state=state, phase=phase, zone=zone, exercise=exercise, active=active
    )
    return {
        "side": principal.side.value,
        "as_of": datetime.now(UTC).isoformat(),
        "log_seq": current.seq,
        "sar_region_note": PROXY_NOTE,
        "count": len(incidents),
        "incidents": [summary(i) for i in incidents],
    }


@router.get("/incidents/{ref}")
async def incident(
    ref: str,
    principal: Principal = Depends(authenticated),
    hub: PictureHub = Depends(picture_hub),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """One incident: state and SAR history, coordination, findings, flags, timeline, and the
    assets that could reach it soonest; its boats and engines with their grouped craft in the
    intelligence register (``crafts[].craft``)."""
    require(principal, Action.READ_EVENTS)
    current = await hub.current()
    body = await asyncio.to_thread(current.detail, principal.side, ref)
    body["crafts"] = await asyncio.to_thread(incident_crafts, db, principal, body["timeline"])
    return body


@router.get("/picture/stream")
async def stream(
    request: Request,
    principal: Principal = Depends(authenticated),
    hub: PictureHub = Depends(picture_hub),
) -> StreamingResponse:
    """Server-sent events for the caller's side: one ``event:`` line per message kind."""
    require(principal, Action.READ_EVENTS)
    await hub.start()
    queue = hub.subscribe(principal.side)

    async def messages() -> AsyncIterator[str]:
        try:
            yield ": connected\n\n"
            while not await request.is_disconnected():
                try:
                    message = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                data = json.dumps(message, ensure_ascii=False)
                yield f"event: {message['kind']}\ndata: {data}\n\n"
        finally:
            hub.unsubscribe(principal.side, queue)

    return StreamingResponse(
        messages(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
