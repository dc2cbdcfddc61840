"""``/agreements``: the two agreements' ledgers for caseworkers: the returns balance (weeks,
committed figures, parity status) and overdue cases; equipment stock and the reconciliation of
handovers between agencies.

``/agreements/cases/{case}``: one case, its state, dates and deadlines with the rule and
article behind each, what is overdue, flags, its events, and links to the forms of its next
steps (the event form, :mod:`manche.web.record_form`, filled in with the case number).

JSON twins: ``/api/v1/returns/cases/{case}``, ``/api/v1/returns/balance``,
``/api/v1/returns/overdue``, ``/api/v1/equipment/stock``, ``/api/v1/equipment/reconcile``.
The pages call those very route functions with the signed-in principal, so the figures and the
rules (caseworker role, releasability) are the API's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api import routes_ledgers as ledgers
from manche.api.deps import get_db
from manche.domain.access import Action, Principal, require
from manche.readings.flags import Flag
from manche.storage import Database
from manche.web import event_labels, labels
from manche.web.deps import page_principal
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/agreements")
async def agreements_page(
    request: Request,
    exercise: bool = False,
    principal: Principal = Depends(page_principal),
    db: Database = Depends(get_db),
) -> Response:
    require(principal, Action.USE_LEDGERS)

    def read() -> dict[str, object]:
        return {
            "balance": ledgers.returns_balance(None, exercise, principal, db),
            "overdue": ledgers.returns_overdue(None, exercise, principal, db),
            "stock": ledgers.equipment_stock(None, exercise, principal, db),
            "reconcile": ledgers.equipment_reconcile(None, 7, exercise, principal, db),
        }

    data = await run_in_threadpool(read)
    return render(
        request,
        "agreements.html",
        {
            "title": N_("Agreements"),
            "exercise": exercise,
            "label": labels.label,
            "labels": labels,
            **data,
        },
        principal=principal,
    )


RETURN_STATES = {
    "opened": N_("Opened: no request sent yet"),
    "requested": N_("Requested: waiting for France's answer"),
    "accepted": N_("Accepted by France"),
    "refused": N_("Refused by France"),
    "scheduled": N_("Removal scheduled"),
    "removed": N_("Removed to France"),
    "excluded": N_("Excluded"),
}
ADMISSION_STATES = {
    "received": N_("Application received"),
    "checks_passed": N_("Checks passed"),
    "checks_failed": N_("Checks failed"),
    "visa_issued": N_("Visa issued"),
    "arrived": N_("Arrived in the UK"),
    "withdrawn": N_("Withdrawn"),
}
NEXT_STEPS = {
    "return": (
        "return-request-sent",
        "return-request-answered",
        "return-removal-scheduled",
        "return-removed",
        "return-case-excluded",
    ),
    "admission": (
        "admission-checks-completed",
        "admission-visa-issued",
        "admission-arrived",
        "admission-withdrawn",
    ),
}


def _article(rule_id: str) -> str:
    return Flag.of(rule_id, "").article


def deadlines(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's dates and deadlines, each deadline with the rule and article that sets it."""
    if case["kind"] == "return":
        rows = [
            (N_("Arrived in the UK"), case["arrived_on"], None),
            (N_("Request due (14 days after arrival)"), case["request_due"],
             "return.request_within_14_days"),
            (N_("Request sent"), case["request_sent_on"], None),
            (N_("Answer due (14 days after the request)"), case["answer_due"],
             "return.answer_within_14_days"),
            (N_("Answer due, exceptional limit (28 days)"), case["answer_due_exceptional"],
             "return.answer_within_28_days"),
            (N_("Answered"), case["answered_on"], None),
            (N_("Removal planned"), case["removal_on"], None),
            (N_("Removed"), case["removed_on"], None),
            (N_("Transfer due (three months after arrival)"), case["procedure_target"],
             "return.three_month_procedure"),
        ]  # fmt: skip
    else:
        rows = [
            (N_("Application received"), case["received_on"], None),
            (N_("Checks completed"), case["checks_on"], None),
            (N_("Visa issued"), case["visa_issued_on"], None),
            (N_("Visa expires (three months)"), case["visa_expires"],
             "admission.visa_valid_3_months"),
            (N_("Arrived in the UK"), case["arrived_on"], None),
        ]  # fmt: skip
    return [
        {"what": what, "on": on, "rule": rule, "article": _article(rule) if rule else None}
        for what, on, rule in rows
    ]


@router.get("/agreements/cases/{case_number}")
async def case_page(
    case_number: str,
    request: Request,
    exercise: bool = False,
    principal: Principal = Depends(page_principal),
    db: Database = Depends(get_db),
) -> Response:
    """One return or admission case; JSON twin ``/api/v1/returns/cases/{case_number}``."""
    require(principal, Action.USE_LEDGERS)
    case = await run_in_threadpool(ledgers.returns_case, case_number, exercise, principal, db)
    return render(
        request,
        "agreement_case.html",
        {
            "title": case_number,
            "case": case,
            "exercise": exercise,
            "states": RETURN_STATES if case["kind"] == "return" else ADMISSION_STATES,
            "deadlines": deadlines(case),
            "next_steps": NEXT_STEPS[case["kind"]],
            "values_names": event_labels.VALUES,
            "field_label": event_labels.field_label,
            "label": labels.label,
            "labels": labels,
        },
        principal=principal,
    )


@router.get("/agreements/case")
def find_case(case: str = "", principal: Principal = Depends(page_principal)) -> Response:
    """The "open a case" box: to the case's page (whose 404 says when there is none)."""
    require(principal, Action.USE_LEDGERS)
    number = case.strip() or "-"
    return RedirectResponse(f"/agreements/cases/{quote(number, safe='')}", status_code=303)
