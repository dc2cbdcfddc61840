"""``/api/v1/events``: record events (one or a batch, all or nothing) and read them back.

The log has no update or delete route: a correction is a new event (type ``correction``).
Reading is filtered by releasability for the caller in the query itself; an event the caller
may not see answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response

from manche.api.auth import authenticated
from manche.api.deps import get_db
from manche.domain.access import Action, Principal, require
from manche.errors import InputError, MancheError
from manche.readings.event_index import MAX_PAGE, EventFilter, parse_bbox
from manche.service.events import EventService
from manche.storage import Database

router = APIRouter(tags=["events"])


def event_service(request: Request, db: Database = Depends(get_db)) -> EventService:
    """One EventService per application (schemas are ensured once)."""
    service: EventService | None = getattr(request.app.state, "manche_events", None)
    if service is None or service.db is not db:
        service = EventService(db)
        request.app.state.manche_events = service
    return service


def _locate(exc: MancheError, batch: bool) -> MancheError:
    index: int | None = getattr(exc, "item_index", None)
    if index is None or not batch:
        return exc
    exc.field = f"events[{index}].{exc.field}" if exc.field else f"events[{index}]"
    exc.message = f"event {index}: {exc.message}"
    return exc


@router.post("/events", status_code=201)
def post_events(
    response: Response,
    body: dict[str, Any] | list[Any] = Body(
        ...,
        description="one event (a JSON object) or a batch (a JSON array, at most 5,000); "
        "agency defaults to the token's, author and recorded_at are set by the server",
    ),
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="any unique string per logical request; a retry with the same key and body "
        "gets the first answer back (200, Idempotent-Replayed: true) and stores nothing",
    ),
    principal: Principal = Depends(authenticated),
    service: EventService = Depends(event_service),
) -> dict[str, Any]:
    batch = isinstance(body, list)
    items = body if isinstance(body, list) else [body]
    try:
        result = service.submit(principal, items, idempotency_key=idempotency_key)
    except MancheError as exc:
        raise _locate(exc, batch) from exc
    if result.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return result.to_json()


@router.get("/events")
def list_events(
    type: list[str] = Query([], description="event types (repeat for several)"),
    agency: list[str] = Query([], description="agency codes (repeat for several)"),
    since: datetime | None = Query(None, description="occurred_at >= since (timezone required)"),
    until: datetime | None = Query(None, description="occurred_at < until (timezone required)"),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat (WGS84)"),
    incident: str | None = Query(None, description="incident reference, e.g. INC-2026-0001"),
    boat: str | None = Query(None, description="boat reference (hull identification number)"),
    exercise: bool | None = Query(None, description="only exercise (true) or real (false) events"),
    cursor: str | None = Query(None, description="next_cursor of the previous page"),
    limit: int = Query(100, ge=1, le=MAX_PAGE),
    principal: Principal = Depends(authenticated),
    service: EventService = Depends(event_service),
) -> dict[str, Any]:
    require(principal, Action.READ_EVENTS)
    for name, moment in (("since", since), ("until", until)):
        if moment is not None and moment.tzinfo is None:
            raise InputError(f"{name} needs a timezone (e.g. 2026-08-14T03:20:00Z)", field=name)
    flt = EventFilter(
        types=tuple(type),
        agencies=tuple(agency),
        since=since,
        until=until,
        bbox=None if bbox is None else parse_bbox(bbox),
        incident=incident,
        boat=boat,
        exercise=exercise,
    )
    page, next_cursor = service.query(principal, flt, cursor=cursor, limit=limit)
    return {
        "events": [{"seq": seq, "event": event} for seq, event in page],
        "next_cursor": next_cursor,
    }


@router.get("/events/{event_id}")
def get_event(
    event_id: str,
    principal: Principal = Depends(authenticated),
    service: EventService = Depends(event_service),
) -> dict[str, Any]:
    require(principal, Action.READ_EVENTS)
    seq, event = service.get(principal, event_id)
    return {"seq": seq, "event": event}
