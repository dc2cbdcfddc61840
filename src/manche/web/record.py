"""``/record``: the shared record's state: its size, the latest signed checkpoint from each side,
a verification of the whole log on demand (auditors), and the latest entries the user may see.

JSON twins: ``/api/v1/log/checkpoint``, ``/api/v1/events`` and, for auditors and admins,
``POST /api/v1/record/verify`` (:mod:`manche.api.routes_record`). Entries are read through the
same index query as the API, filtered by releasability for the user's side.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.routes_events import event_service
from manche.domain.access import Action, Principal, may, require
from manche.readings.event_index import EventFilter
from manche.record.verify import verify
from manche.service.events import EventService
from manche.web import labels
from manche.web.deps import check_form_token, page_principal
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)

WINDOW = 400
"""How many of the log's last entries are read for the "latest entries" table."""
SHOWN = 30


def _latest_by_side(service: EventService) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for cp in service.log.log.checkpoints():
        side = cp.agency.split("-", 1)[0]
        latest[side] = {**cp.to_json(), "side": side}
    return latest


def _recent(service: EventService, principal: Principal) -> list[tuple[int, dict[str, Any]]]:
    size = service.log.log.size()
    page, _ = service.query(principal, EventFilter(), cursor=str(max(size - WINDOW, 0) - 1),
                            limit=WINDOW)  # fmt: skip
    return list(reversed(page))[:SHOWN]


def _require_record(principal: Principal) -> None:
    if not (may(principal, Action.READ_LOG) or may(principal, Action.VERIFY_LOG)):
        require(principal, Action.READ_LOG)


@router.get("/record")
def record_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    service: EventService = Depends(event_service),
) -> Response:
    _require_record(principal)
    recent = _recent(service, principal) if may(principal, Action.READ_EVENTS) else []
    return render(
        request,
        "record.html",
        {
            "title": N_("The shared record"),
            "size": service.log.log.size(),
            "checkpoints": _latest_by_side(service),
            "recent": recent,
            "report": None,
            "labels": labels,
            "label": labels.label,
        },
        principal=principal,
    )


@router.post("/record/verify")
async def verify_page(
    request: Request,
    csrf: str = Form(""),
    principal: Principal = Depends(page_principal),
    service: EventService = Depends(event_service),
) -> Response:
    check_form_token(request, csrf)
    require(principal, Action.VERIFY_LOG)
    report = await run_in_threadpool(verify, service.db)
    recent = (
        await run_in_threadpool(_recent, service, principal)
        if may(principal, Action.READ_EVENTS)
        else []
    )
    return render(
        request,
        "record.html",
        {
            "title": N_("The shared record"),
            "size": service.log.log.size(),
            "checkpoints": _latest_by_side(service),
            "recent": recent,
            "report": report,
            "labels": labels,
            "label": labels.label,
        },
        principal=principal,
    )
