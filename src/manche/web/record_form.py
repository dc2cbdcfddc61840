"""``/record/new``: the operators' form to record a sighting or a distress.

The form is turned into the API's event body and given to the same service as
``POST /api/v1/events`` with the signed-in principal, so the same rules apply (own agency,
mandate with the distress exemption, releasability, distress always shared). A refusal is shown
as a GOV.UK error summary linking to the field named by the error; nothing is stored then. The
idempotency key is the form's own random id, so a double submit records the event once.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.routes_events import event_service
from manche.domain.access import Action, Principal, require
from manche.errors import InputError, MancheError
from manche.service.events import EventService
from manche.web import i18n, labels
from manche.web.deps import check_form_token, page_principal
from manche.web.error_words import error_words
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)

TYPES = ("sighting", "distress")
SOURCES = ("radar", "aircraft", "drone", "camera", "vessel", "ais", "shore", "phone", "other")
KINDS = {
    "signalled": N_("Distress signalled"),
    "people-in-water": N_("People in the water"),
    "deflating-tubes": N_("Deflating tubes"),
    "taking-water": N_("Taking water"),
    "engine-failure": N_("Engine failure"),
    "overcrowded": N_("Overcrowded"),
    "other": N_("Other difficulty"),
}
FIELDS = {  # the API's field -> the form's field id
    "position": "lon",
    "position.lon": "lon",
    "position.lat": "lat",
    "lon": "lon",
    "lat": "lat",
    "persons": "persons",
    "persons.total": "persons",
    "occurred_at": "occurred_at",
    "incident": "incident",
    "releasability": "releasability",
    "source": "source",
    "kinds": "kinds",
    "note": "note",
    "type": "type",
}


class FormError(InputError):
    """A problem with the form itself, in words meant for the officer (translated)."""

    def __init__(self, words: str, field: str) -> None:
        super().__init__(words, field=field)
        self.words = words


def _number(form: dict[str, str], name: str, kind: type[float] | type[int]) -> float | int | None:
    text = form.get(name, "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise FormError(N_("Enter a number, for example 50.95"), name) from None


def event_body(form: dict[str, str], kinds: list[str]) -> dict[str, Any]:
    """The API body the form stands for; :class:`InputError` naming the form field if not."""
    kind = form.get("type", "")
    if kind not in TYPES:
        raise FormError(N_("Choose what to record"), "type")
    when = form.get("occurred_at", "").strip()
    if not when:
        raise FormError(N_("Enter when it happened (UTC)"), "occurred_at")
    try:
        moment = datetime.fromisoformat(when).replace(tzinfo=UTC)
    except ValueError:
        raise FormError(N_("Enter a date and time"), "occurred_at") from None
    body: dict[str, Any] = {
        "type": kind,
        "occurred_at": moment.isoformat(),
        "releasability": form.get("releasability") or "shared",
    }
    lon, lat = _number(form, "lon", float), _number(form, "lat", float)
    if (lon is None) != (lat is None):
        raise FormError(N_("Enter both latitude and longitude, or neither"), "lat")
    if lon is not None:
        body["position"] = {"lon": lon, "lat": lat}
    persons = _number(form, "persons", int)
    if persons is not None:
        body["persons"] = {"total": persons}
    for name in ("incident", "note"):
        if form.get(name, "").strip():
            body[name] = form[name].strip()
    if kind == "sighting":
        body["source"] = form.get("source") or ""
    else:
        body["kinds"] = kinds
    return body


def _form(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    error: MancheError | None = None,
) -> Response:
    field = FIELDS.get(str(error.field).split("[")[0], "type") if error and error.field else None
    i18n.activate(i18n.negotiate(request))  # the domain's message in the page's language
    return render(
        request,
        "record_form.html",
        {
            "title": N_("Record an event"),
            "values": values,
            "error": error,
            "error_words": getattr(error, "words", None),
            "error_message": error_words(error.message) if error else None,
            "error_field": field or ("type" if error else None),
            "sources": SOURCES,
            "kinds": KINDS,
            "labels": labels,
            "label": labels.label,
        },
        principal=principal,
        status_code=error.http_status if error else 200,
    )


@router.get("/record/new")
def new_event(
    request: Request, type: str = "sighting", principal: Principal = Depends(page_principal)
) -> Response:
    require(principal, Action.RECORD_EVENTS)
    values = {
        "type": type if type in TYPES else "sighting",
        "occurred_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
        "releasability": "shared",
        "kinds": [],
        "key": secrets.token_urlsafe(16),
    }
    return _form(request, principal, values)


@router.post("/record/new")
async def record_event(
    request: Request,
    principal: Principal = Depends(page_principal),
    service: EventService = Depends(event_service),
) -> Response:
    data = await request.form()
    check_form_token(request, str(data.get("csrf", "")))
    require(principal, Action.RECORD_EVENTS)
    form = {k: str(v) for k, v in data.items() if k != "kinds"}
    kinds = [str(v) for v in data.getlist("kinds")]
    values = {**form, "kinds": kinds}
    try:
        body = event_body(form, kinds)
        key = form.get("key", "").strip()
        result = await run_in_threadpool(
            service.submit, principal, [body], idempotency_key=f"web-{key}"[:200] if key else None
        )
    except MancheError as exc:
        return _form(request, principal, values, exc)
    target = f"/incidents/{body['incident']}" if body.get("incident") else "/record"
    response = RedirectResponse(f"{target}?recorded={result.events[0].id}", status_code=303)
    return response
