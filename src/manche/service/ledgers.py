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

import base64
import json
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from manche.domain.access import Action, Principal, may_see, require
from manche.domain.agreements import Parameters
from manche.domain.events import Event, parse_event
from manche.domain.events.equipment import EQUIPMENT_EVENTS
from manche.domain.events.returns import ADMISSION_EVENTS, RETURN_EVENTS
from manche.errors import ConfigurationError, InputError, MancheError
from manche.readings.equipment import EquipmentLedger
from manche.readings.flags import Flag
from manche.readings.returns import ReturnsLedger
from manche.record import decoded
from manche.record.keys import PublicKey
from manche.record.log import Log
from manche.record.signing import Signer, verify_signature
from manche.storage import Database


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


def record_events(db: Database, principal: Principal, types: Sequence[str]) -> list[Event]:
    """Every event of ``types`` in the signed log that ``principal``'s side may see, in log
    order (the caller must hold a role that uses the ledgers)."""
    require(principal, Action.USE_LEDGERS)
    wanted = set(types)
    return [
        entry.event
        for entry in decoded.entries(db)
        if entry.type in wanted and may_see(principal, entry.releasability)
    ]


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


def _cited(found: tuple[str, str] | None) -> dict[str, str] | None:
    return None if found is None else {"rule": found[0], "article": found[1]}


def case_json(case: Any) -> dict[str, Any]:
    """A return or admission case as JSON, with its deadlines and flags."""
    from manche.readings.returns import AdmissionCase, ReturnCase, rule_cited

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
            "refusal_rule": _cited(rule_cited("refusal", case.refusal_reason)),
            "exclusion_rules": [_cited(rule_cited("exclusion", x)) for x in case.exclusions],
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


# ------------------------------------------------------------------ statement signatures

STATEMENT_CONTEXT = b"manche equipment handover statement v1\x00"
"""Prefixed to the canonical bytes before signing, so a statement signature can never be
mistaken for a log batch or checkpoint signature made with the same agency key."""


def statement_message(statement: dict[str, Any]) -> bytes:
    from manche.readings.equipment_statement import canonical_bytes

    return STATEMENT_CONTEXT + canonical_bytes(statement)


def sign_statement(statement: dict[str, Any], signer: Signer) -> dict[str, str]:
    """A detached Ed25519 signature over the statement by ``signer``'s agency key (the key the
    agency signs its log batches with)."""
    from manche.readings.equipment_statement import statement_digest

    if signer.agency not in statement["parties"]:
        raise InputError(
            f"{signer.agency} is not a party to this statement ({', '.join(statement['parties'])})",
            field="agency",
        )
    return {
        "agency": signer.agency,
        "key_id": signer.key_id,
        "statement_sha256": statement_digest(statement),
        "signature": base64.b64encode(signer.sign(statement_message(statement))).decode(),
    }


def verify_statement(
    statement: dict[str, Any], signature: dict[str, str], pinned: Mapping[str, PublicKey]
) -> bool:
    """Whether ``signature`` is a valid signature over ``statement`` by a key pinned for the
    agency it names."""
    key = pinned.get(signature.get("key_id", ""))
    if key is None or key.agency != signature.get("agency"):
        return False
    try:
        raw = base64.b64decode(signature["signature"], validate=True)
    except (KeyError, ValueError):
        return False
    return verify_signature(key.public_key, raw, statement_message(statement))


def precheck(db: Database, principal: Principal, events: Sequence[Event]) -> list[Flag]:
    """Check a batch about to be recorded against both ledgers, as ``principal`` sees the record:
    raise :class:`~manche.errors.RuleViolation` (rule and article named, ``item_index`` set) for
    the first event a refusing rule stops; otherwise return the warnings. Events of other types
    pass untouched. Meant to be called by the recording path before appending; nothing is
    stored here. Reads the log with the principal's releasability, without the caseworker role
    check (an operator recording a handover need not be a caseworker)."""
    ours = [e for e in events if e.type in RETURNS_TYPES[:-1] or e.type in EQUIPMENT_TYPES[:-1]]
    if not ours:
        return []
    wanted = set(RETURNS_TYPES) | set(EQUIPMENT_TYPES)
    history = [
        entry.event()
        for entry in Log(db).entries()
        if entry.type in wanted and may_see(principal, entry.releasability)
    ]
    returns = ReturnsLedger.rebuild(history, parameters())
    equipment = EquipmentLedger.rebuild(history)
    warnings: list[Flag] = []
    for index, event in enumerate(events):
        ledger: ReturnsLedger | EquipmentLedger | None = (
            returns
            if event.type in RETURNS_TYPES
            else equipment
            if event.type in EQUIPMENT_TYPES
            else None
        )
        if ledger is None or event.type == "correction":
            continue
        try:
            warnings += ledger.admit(event)
        except MancheError as exc:
            exc.item_index = index  # type: ignore[attr-defined]
            raise
    return warnings
