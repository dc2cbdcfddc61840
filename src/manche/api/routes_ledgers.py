"""``/api/v1/returns/...`` and ``/api/v1/equipment/...``: the two agreements' ledgers.

Every answer is rebuilt from the signed log for the caller: only events releasable to the
caller's side are read, and the caller needs the caseworker role. Nothing is stored here;
``POST .../check`` answers which rules an event *would* break (422 with the rule and article
when one refuses it), so a client can check before recording through ``POST /api/v1/events``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Response

from manche.api.auth import authenticated
from manche.api.deps import get_db
from manche.domain.access import Principal
from manche.domain.agreements import RULES
from manche.domain.events import Event, parse_event
from manche.errors import InputError, NotFound
from manche.readings.equipment import EquipmentLedger
from manche.readings.equipment_statement import endorsements, handover_statement, statement_digest
from manche.readings.replay import replay
from manche.readings.returns import ReturnsLedger, uk_date
from manche.readings.returns_report import to_csv, to_ods, weekly_report
from manche.service.ledgers import (
    EQUIPMENT_TYPES,
    RETURNS_TYPES,
    case_json,
    flag_json,
    now,
    parameters,
    record_events,
)
from manche.storage import Database

router = APIRouter(tags=["ledgers"])

_WEEK = re.compile(r"^\d{4}-W\d{2}$")
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


EXERCISE = Query(False, description="read only exercise (training) events instead of real ones")


def _returns(db: Database, principal: Principal, exercise: bool = False) -> ReturnsLedger:
    events = record_events(db, principal, RETURNS_TYPES)
    return ReturnsLedger.rebuild(events, parameters(), exercise=exercise)


def _equipment_events(db: Database, principal: Principal) -> list[Event]:
    return record_events(db, principal, EQUIPMENT_TYPES)


def _week(week: str | None) -> str | None:
    if week is not None and not _WEEK.match(week):
        raise InputError(f"week is an ISO week like 2025-W38, not {week!r}", field="week")
    return week


def _candidate(principal: Principal, body: dict[str, Any]) -> Event:
    """An event as it would be recorded by the caller (server fields completed)."""
    data = dict(body)
    data.setdefault("agency", principal.agency)
    data["author"] = principal.user_id
    data.setdefault("recorded_at", now().isoformat())
    return parse_event(data)


# ----------------------------------------------------------------------------- returns


@router.get("/returns/rules")
def returns_rules() -> dict[str, Any]:
    """The rules applied, each with its article of the agreement (public: no data)."""
    return {
        "rules": [
            {
                "id": r.id,
                "article": r.article,
                "verified": r.verified,
                "severity": r.severity.value,
                "summary": r.summary,
                "words": r.words,
                "source": r.source,
            }
            for r in RULES
        ]
    }


@router.get("/returns/cases")
def returns_cases(
    state: str | None = Query(None, description="only cases in this state"),
    kind: str | None = Query(None, pattern="^(return|admission)$"),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    ledger = _returns(db, principal, exercise)
    rows = [case_json(c) for c in [*ledger.returns.values(), *ledger.admissions.values()]]
    rows = [r for r in rows if (state is None or r["state"] == state) and kind in (None, r["kind"])]
    return {"cases": sorted(rows, key=lambda r: r["case_number"])}


@router.get("/returns/cases/{case_number}")
def returns_case(
    case_number: str,
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """One case: its state, deadlines (request 14 days after arrival, answer 14 or exceptionally
    28 days after the request, transfer within three months, visa valid three months), flags
    and refusal/exclusion rules with their articles, what is overdue today (UK date), and its
    events as corrected, in the order they happened."""
    events = record_events(db, principal, RETURNS_TYPES)
    ledger = ReturnsLedger.rebuild(events, parameters(), exercise=exercise)
    found = ledger.returns.get(case_number) or ledger.admissions.get(case_number)
    if found is None:
        raise NotFound(f"no case {case_number!r} in the record", field="case_number")
    body = case_json(found)
    day = uk_date(now())
    body["as_of"] = day.isoformat()
    body["overdue"] = [
        {"rule": o.rule, "article": o.article, "what": o.what, "due": o.due.isoformat(),
         "days_over": o.days_over}
        for o in ledger.overdue(day) if o.subject == case_number
    ]  # fmt: skip
    hidden = {"case_number", "version", "exercise", "position", "assets", "grading", "incident"}
    body["events"] = [
        {k: v for k, v in e.to_json().items() if k not in hidden}
        for e in replay(events, exercise=exercise).events
        if getattr(e, "case_number", None) == case_number
    ]
    return body


@router.get("/returns/overdue")
def returns_overdue(
    as_of: date | None = Query(None, description="judge on this date (default: today, UK)"),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    day = as_of or uk_date(now())
    rows = [
        {"case_number": o.subject, "rule": o.rule, "article": o.article, "what": o.what,
         "due": o.due.isoformat(), "days_over": o.days_over}
        for o in _returns(db, principal, exercise).overdue(day)
    ]  # fmt: skip
    return {"as_of": day.isoformat(), "overdue": rows}


@router.get("/returns/balance")
def returns_balance(
    week: str | None = Query(None, description="one ISO week, e.g. 2025-W38"),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    ledger = _returns(db, principal, exercise)
    report = weekly_report(ledger, now(), _week(week))
    return {
        "tolerance": ledger.parameters.parity_tolerance,
        "committed_returns": ledger.committed_returns,
        "committed_admissions": ledger.committed_admissions,
        "status": ledger.status(),
        "weeks": [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()}
            for r in report.rows
        ],
    }


@router.get("/returns/flags")
def returns_flags(
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    return {"flags": [flag_json(f) for f in _returns(db, principal, exercise).flags]}


@router.get("/returns/report.csv", response_class=Response)
def returns_report_csv(
    week: str | None = Query(None),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> Response:
    report = weekly_report(_returns(db, principal, exercise), now(), _week(week))
    return Response(to_csv(report), media_type="text/csv; charset=utf-8")


@router.get("/returns/report.ods", response_class=Response)
def returns_report_ods(
    week: str | None = Query(None),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> Response:
    report = weekly_report(_returns(db, principal, exercise), now(), _week(week))
    return Response(
        to_ods(report),
        media_type=ODS_TYPE,
        headers={"Content-Disposition": 'attachment; filename="returns-balance.ods"'},
    )


@router.post("/returns/check")
def returns_check(
    body: dict[str, Any] = Body(..., description="one returns-agreement event, API format"),
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """The flags this event would raise; 422 naming the rule and article if one refuses it."""
    if body.get("type") not in RETURNS_TYPES:
        raise InputError("not a returns-agreement event type", field="type")
    candidate = _candidate(principal, body)
    ledger = _returns(db, principal, candidate.exercise)
    flags = ledger.admit(candidate)
    return {"flags": [flag_json(f) for f in flags], "status": ledger.status()}


# --------------------------------------------------------------------------- equipment


@router.get("/equipment/stock")
def equipment_stock(
    agency: str | None = Query(None),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    ledger = EquipmentLedger.rebuild(_equipment_events(db, principal), exercise=exercise)
    return {"stock": ledger.stock_rows(agency), "flags": [flag_json(f) for f in ledger.flags]}


@router.get("/equipment/movements")
def equipment_movements(
    agency: str | None = Query(None),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """Every movement with the running balance of its holder."""
    ledger = EquipmentLedger.rebuild(_equipment_events(db, principal), exercise=exercise)
    return {
        "movements": [
            {"on": m.on.isoformat(), "agency": m.agency, "location": m.location,
             "equipment": m.equipment, "delta": m.delta, "balance": m.balance, "kind": m.kind,
             "reference": m.reference, "vessel": m.vessel, "event": str(m.event_id)}
            for m in ledger.movements
            if agency is None or m.agency == agency
        ]
    }  # fmt: skip


@router.get("/equipment/reconcile")
def equipment_reconcile(
    as_of: date | None = Query(None),
    grace_days: int = Query(7, ge=0, le=365),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    ledger = EquipmentLedger.rebuild(_equipment_events(db, principal), exercise=exercise)
    day = as_of or now().date()
    return {
        "as_of": day.isoformat(),
        "handovers": ledger.reconcile(day, grace_days),
        "flags": [flag_json(f) for f in ledger.flags],
    }


@router.get("/equipment/statement")
def equipment_statement(
    between: str = Query(..., description="one agency"),
    and_: str = Query(..., alias="and", description="the other agency"),
    start: date = Query(..., alias="from"),
    end: date = Query(..., alias="to"),
    exercise: bool = EXERCISE,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """The handover statement (canonical JSON), its SHA-256 and who endorsed it in the record."""
    events = _equipment_events(db, principal)
    doc = handover_statement(events, between, and_, start, end)
    return {
        "statement": doc,
        "sha256": statement_digest(doc),
        "endorsed_by": endorsements(events, doc),
    }


@router.post("/equipment/check")
def equipment_check(
    body: dict[str, Any] = Body(..., description="one equipment event, API format"),
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """The flags this event would raise; 422 naming the rule if it would take stock below zero."""
    if body.get("type") not in EQUIPMENT_TYPES:
        raise InputError("not an equipment event type", field="type")
    candidate = _candidate(principal, body)
    events = _equipment_events(db, principal)
    ledger = EquipmentLedger.rebuild(events, exercise=candidate.exercise)
    flags = ledger.admit(candidate)
    return {"flags": [flag_json(f) for f in flags]}
