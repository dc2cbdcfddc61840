"""The ledgers (returns agreement, equipment) read off the record for a principal.

Everything here is rebuilt from the record on each call: the events of the ledger's types (and
the corrections) that the principal's side may see are read through the event service (so
releasability is applied in the query), parsed with the catalogue, and replayed into the pure
ledgers of :mod:`manche.readings`. Nothing is cached, so nothing can drift from the record.

The agreed numbers (tolerance of the balance, priority categories) come from the environment:

- ``MANCHE_PARITY_TOLERANCE``: an integer >= 1 (default 5);
- ``MANCHE_PRIORITY_CATEGORIES``: comma-separated codes (default
  ``family_ties_uk,accompanying_minor,vulnerable``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from manche.domain.access import Action, Principal, require
from manche.domain.agreements import Parameters
from manche.domain.events import Event, parse_event
from manche.domain.events.equipment import EQUIPMENT_EVENTS
from manche.domain.events.returns import ADMISSION_EVENTS, RETURN_EVENTS
from manche.errors import ConfigurationError, InputError, MancheError
from manche.readings.equipment import EquipmentLedger
from manche.readings.event_index import MAX_PAGE, EventFilter
from manche.readings.flags import Flag
from manche.readings.returns import ReturnsLedger
from manche.service.events import EventService


def _names(types: Sequence[type[Event]]) -> tuple[str, ...]:
    return tuple(str(cls.model_fields["type"].default) for cls in types)


RETURNS_TYPES = (*_names(RETURN_EVENTS), *_names(ADMISSION_EVENTS), "correction")
EQUIPMENT_TYPES = (*_names(EQUIPMENT_EVENTS), "correction")


def parameters(env: Mapping[str, str] | None = None) -> Parameters:
    """The committee's parameters from the environment (defaults: :class:`Parameters`)."""
    env = os.environ if env is None else env
    kwargs: dict[str, Any] = {}
    if tolerance := env.get("MANCHE_PARITY_TOLERANCE"):
        try:
            kwargs["parity_tolerance"] = int(tolerance)
        except ValueError:
            raise ConfigurationError(
                f"MANCHE_PARITY_TOLERANCE must be an integer, not {tolerance!r}"
            ) from None
    if categories := env.get("MANCHE_PRIORITY_CATEGORIES"):
        kwargs["priority_categories"] = tuple(c.strip() for c in categories.split(",") if c.strip())
    try:
        return Parameters(**kwargs)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc


def record_events(service: EventService, principal: Principal, types: Sequence[str]) -> list[Event]:
    """Every event of ``types`` in the record that ``principal`` may see, in log order."""
    require(principal, Action.USE_LEDGERS)
    events: list[Event] = []
    cursor: str | None = None
    flt = EventFilter(types=tuple(types))
    while True:
        page, cursor = service.query(principal, flt, cursor=cursor, limit=MAX_PAGE)
        events.extend(parse_event(body) for _, body in page)
        if cursor is None:
            return events


def file_events(path: Path, types: Sequence[str]) -> list[Event]:
    """Events of ``types`` from a file: JSON (an event or an array) or JSON Lines, in the API's
    format; a line may also be a log entry ``{"seq": ..., "event": {...}}`` (a replica export).
    A bad line is named with its number; nothing is read from a file with a bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", file=str(path)) from exc
    stripped = text.strip()
    items: list[tuple[int, Any]] = []
    if stripped.startswith("["):
        try:
            items = list(enumerate(json.loads(stripped), start=1))
        except ValueError as exc:
            raise InputError(f"not valid JSON: {exc}", file=str(path)) from exc
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    items.append((number, json.loads(line)))
                except ValueError as exc:
                    raise InputError(f"not valid JSON: {exc}", file=str(path), row=number) from exc
    events: list[Event] = []
    for number, item in items:
        body = item.get("event", item) if isinstance(item, dict) else item
        if isinstance(body, dict) and body.get("type") not in types:
            continue
        try:
            events.append(parse_event(body))
        except MancheError as exc:
            raise InputError(exc.message, file=str(path), row=number, field=exc.field) from exc
    return events


def returns_ledger(events: Sequence[Event], params: Parameters | None = None) -> ReturnsLedger:
    return ReturnsLedger.rebuild(events, params or parameters())


def equipment_ledger(events: Sequence[Event]) -> EquipmentLedger:
    return EquipmentLedger.rebuild(events)


def now() -> datetime:
    return datetime.now(UTC)


def flag_json(flag: Flag) -> dict[str, Any]:
    return {
        "rule": flag.rule,
        "article": flag.article,
        "severity": flag.severity.value,
        "message": flag.message,
        "subject": flag.subject,
        "event": None if flag.event_id is None else str(flag.event_id),
        "on": None if flag.on is None else flag.on.isoformat(),
    }


def case_json(case: Any) -> dict[str, Any]:
    """A return or admission case as JSON, with its deadlines and flags."""
    from manche.readings.returns import AdmissionCase, ReturnCase

    if isinstance(case, ReturnCase):
        data: dict[str, Any] = {
            "case_number": case.case_number,
            "kind": "return",
            "state": case.state.value,
            "arrived_on": case.arrived_on,
            "basis": case.basis,
            "age_category": case.age_category,
            "eligible": case.eligible,
            "request_due": case.request_due,
            "request_sent_on": case.request_sent_on,
            "answer_due": case.answer_due(),
            "answer_due_exceptional": case.answer_due(exceptional=True),
            "answered_on": case.answered_on,
            "accepted": case.accepted,
            "refusal_reason": case.refusal_reason,
            "exceptional": case.exceptional,
            "removal_on": case.removal_on,
            "removed_on": case.removed_on,
            "procedure_target": case.procedure_target,
            "exclusions": list(case.exclusions),
        }
    elif isinstance(case, AdmissionCase):
        data = {
            "case_number": case.case_number,
            "kind": "admission",
            "state": case.state.value,
            "received_on": case.received_on,
            "eligible": case.eligible,
            "persons": case.persons,
            "priority": list(case.priority),
            "checks_on": case.checks_on,
            "check_failure": case.check_failure,
            "visa_issued_on": case.visa_issued_on,
            "visa_expires": case.visa_expires,
            "arrived_on": case.arrived_on,
            "persons_arrived": case.persons_arrived,
        }
    else:  # pragma: no cover - a programming error
        raise TypeError(type(case).__name__)
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["flags"] = [flag_json(f) for f in case.flags]
    return data
