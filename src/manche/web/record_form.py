"""``/record/new``: the form to record an event of any type of the catalogue.

``GET /record/new?type=...`` shows a type chooser and that type's inputs, generated from the
pydantic model (:mod:`manche.web.event_form`); any input may be filled in from the query string
(``?type=return-request-sent&case_number=RET-2026-000101``, ``?type=correction&target=<id>``:
"correct this entry"). Operators see the operational types, caseworkers the casework types
(returns, admissions, equipment), as the API's rules allow.

The form is turned into the API's event body and given to the same service as
``POST /api/v1/events`` with the signed-in principal, so the same rules apply (own agency,
mandate with the distress exemption, releasability, distress always shared, the agreements'
ledger prechecks). A refusal is shown as a GOV.UK error summary linking to the input named by
the error, the form keeping what was typed; nothing is stored then. The idempotency key is the
form's own random id, so a double submit records the event once.
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
from manche.domain.access import Principal, may, recording_action
from manche.domain.events import catalogue
from manche.errors import AccessDenied, MancheError
from manche.registry import RegistryStore
from manche.service.events import EventService
from manche.web import event_labels, i18n, labels
from manche.web.deps import check_form_token, page_principal
from manche.web.error_words import error_words
from manche.web.event_form import FormError, FormField, event_body, form_field_for, form_fields
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)

SERVER_SET = frozenset({"id", "agency", "author", "recorded_at", "version", "type"})


def recordable_types(principal: Principal) -> list[str]:
    """The types the principal's roles may record, in the order the labels list them."""
    known = catalogue()
    order = [t for t in labels.EVENT_TYPES if t in known] + sorted(
        t for t in known if t not in labels.EVENT_TYPES
    )
    return [t for t in order if may(principal, recording_action(t))]


def _may_record(principal: Principal) -> list[str]:
    types = recordable_types(principal)
    if not types:
        raise AccessDenied(
            f"recording events needs the role operator, caseworker or analyst; "
            f"{principal.user_id} has "
            f"{', '.join(sorted(r.value for r in principal.roles)) or 'none'}"
        )
    return types


def _registry(service: EventService) -> dict[str, tuple[tuple[str, str], ...]]:
    store: RegistryStore = service.registry
    return {
        "agencies": tuple((a.code, f"{a.code}: {a.name_en}") for a in store.agencies()),
        "assets": tuple((a.code, f"{a.code}: {a.name}") for a in store.assets() if a.active),
    }


def _target(service: EventService, principal: Principal, values: dict[str, Any]) -> Any:
    """The entry a correction names, as the user may see it (None if none is named)."""
    target = str(values.get("target") or "").strip()
    if not target:
        return None
    try:
        seq, body = service.get(principal, target)
    except MancheError:
        return None  # the form says nothing more; the API's answer on submit names the field
    shown = {k: v for k, v in body.items() if k not in SERVER_SET and v not in (None, "", [], {})}
    return {"seq": seq, "type": body.get("type"), "fields": shown}


def _form(
    request: Request,
    principal: Principal,
    service: EventService,
    values: dict[str, Any],
    lists: dict[str, list[str]],
    error: MancheError | None = None,
) -> Response:
    types = _may_record(principal)
    kind = str(values.get("type") or "")
    kind = kind if kind in types else types[0]
    values["type"] = kind
    specs = form_fields(kind, _registry(service))
    if error is None:
        field = None
    elif isinstance(error, FormError):
        field = error.field
    else:
        field = form_field_for(error.field, specs)
    i18n.activate(i18n.negotiate(request))  # the domain's message in the page's language
    return render(
        request,
        "record_form.html",
        {
            "title": N_("Record an event"),
            "types": types,
            "specs": specs,
            "values": values,
            "lists": lists,
            "error": error,
            "error_words": getattr(error, "words", None),
            "error_field": field,
            "error_id": (field or "type").replace(".", "-"),
            "target": _target(service, principal, values) if kind == "correction" else None,
            "values_names": event_labels.VALUES,
            "engine_number": event_labels.engine_number,
            "error_message": error_words(error.message) if error else None,
            "labels": labels,
            "label": labels.label,
        },
        principal=principal,
        status_code=error.http_status if error else 200,
    )


def _defaults(specs: list[FormField]) -> dict[str, str]:
    return {s.name: s.default for s in specs if s.default}


@router.get("/record/new")
def new_event(
    request: Request,
    principal: Principal = Depends(page_principal),
    service: EventService = Depends(event_service),
) -> Response:
    types = _may_record(principal)
    given = dict(request.query_params)
    kind = given.get("type") or ""
    kind = kind if kind in types else ("sighting" if "sighting" in types else types[0])
    specs = form_fields(kind, _registry(service))
    values: dict[str, Any] = {
        **_defaults(specs),
        "occurred_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
        "releasability": "shared",
        **{k: v for k, v in given.items() if k not in ("csrf", "key")},
        "type": kind,
        "key": secrets.token_urlsafe(16),
    }
    lists = {k: request.query_params.getlist(k) for k in given}
    return _form(request, principal, service, values, lists)


@router.post("/record/new")
async def record_event(
    request: Request,
    principal: Principal = Depends(page_principal),
    service: EventService = Depends(event_service),
) -> Response:
    data = await request.form()
    check_form_token(request, str(data.get("csrf", "")))
    types = _may_record(principal)
    form = {k: str(v) for k, v in data.items()}
    lists = {k: [str(v) for v in data.getlist(k)] for k in data}
    kind = form.get("type", "")
    values: dict[str, Any] = dict(form)
    if kind not in types:
        error = FormError(N_("Choose what to record"), "type")
        return _form(request, principal, service, values, lists, error)
    try:
        specs = form_fields(kind, await run_in_threadpool(_registry, service))
        body = event_body(kind, specs, form, lists)
        body.setdefault("releasability", "shared")
        key = form.get("key", "").strip()
        result = await run_in_threadpool(
            service.submit, principal, [body], idempotency_key=f"web-{key}"[:200] if key else None
        )
    except MancheError as exc:
        return await run_in_threadpool(_form, request, principal, service, values, lists, exc)
    recorded = result.events[0].id
    if body.get("incident"):
        target = f"/incidents/{body['incident']}"
    elif body.get("case_number"):
        target = f"/agreements/cases/{body['case_number']}"
    else:
        target = "/record"
    return RedirectResponse(f"{target}?recorded={recorded}", status_code=303)
