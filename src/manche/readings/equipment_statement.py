"""The periodic handover statement: one canonical JSON document two agencies can both sign.

For a pair of agencies and a period (UTC dates, both ends included) the statement lists every
handover between them in the period with both sides' accounts, the totals each way per
equipment type, what each party issued and recovered, each party's closing stock, and the
differences still open. It is built from the record alone, so either side computes the same
document from its replica; its canonical bytes are RFC 8785 (JSON Canonicalization Scheme) and
its identity is the SHA-256 of those bytes.

Signing: each side records an ``equipment-statement-endorsed`` event quoting that SHA-256; the
record signs every entry with the recording agency's Ed25519 key, so two endorsements with the
same digest are the two signatures over the statement. :func:`statement_digest` is what both
sides compare.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

import rfc8785

from manche.domain.events.base import Event
from manche.domain.events.equipment import (
    EquipmentIssued,
    EquipmentRecovered,
    EquipmentStatementEndorsed,
)
from manche.errors import InputError
from manche.readings.equipment import EquipmentLedger
from manche.readings.replay import replay

STATEMENT_KIND = "manche.equipment.handover-statement"
STATEMENT_VERSION = 1


def handover_statement(
    events: Iterable[Event], party_a: str, party_b: str, start: date, end: date
) -> dict[str, Any]:
    """The statement between ``party_a`` and ``party_b`` for ``start``..``end`` (inclusive)."""
    if end < start:
        raise InputError("the period ends before it starts", field="end")
    if party_a == party_b:
        raise InputError("a statement is between two different agencies", field="between")
    parties = sorted((party_a, party_b))
    upto = [e for e in replay(events).events if e.occurred_at.date() <= end]
    ledger = EquipmentLedger.from_events(upto)

    def in_period(moment: str | None) -> bool:
        return moment is not None and start <= date.fromisoformat(moment[:10]) <= end

    handovers = []
    totals: dict[str, dict[str, dict[str, int]]] = {}
    for row in ledger.reconcile():
        if {row["from_agency"], row["to_agency"]} != set(parties):
            continue
        if not (in_period(row["sent_at"]) or in_period(row["received_at"])):
            continue
        row = {k: v for k, v in row.items() if k != "overdue"}
        handovers.append(row)
        way = totals.setdefault(f"{row['from_agency']}->{row['to_agency']}", {})
        per = way.setdefault(row["equipment"], {"sent": 0, "received": 0})
        per["sent"] += row["sent_quantity"] or 0
        per["received"] += row["received_quantity"] or 0

    activity: dict[str, dict[str, dict[str, int]]] = {p: {} for p in parties}
    for e in upto:
        if isinstance(e, EquipmentIssued | EquipmentRecovered) and e.agency in activity:
            if not start <= e.occurred_at.date() <= end:
                continue
            per = activity[e.agency].setdefault(e.equipment, {"issued": 0, "recovered": 0})
            per["issued" if isinstance(e, EquipmentIssued) else "recovered"] += e.quantity

    closing = [row for row in ledger.stock_rows() if row["agency"] in parties]
    open_differences = [h["reference"] for h in handovers if h["status"] != "matched"]
    flags = [
        {"rule": f.rule, "subject": f.subject, "message": f.message, "event": str(f.event_id)}
        for f in ledger.flags
        if f.on is not None
        and start <= f.on <= end
        and (f.subject in {h["reference"] for h in handovers} or _holder_of(f.subject) in parties)
    ]
    return {
        "kind": STATEMENT_KIND,
        "version": STATEMENT_VERSION,
        "parties": parties,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "handovers": handovers,
        "totals": totals,
        "activity": activity,
        "closing_stock": closing,
        "open_differences": open_differences,
        "flags": flags,
        "events_considered": len(upto),
    }


def _holder_of(subject: str | None) -> str | None:
    return subject.split("/", 1)[0] if subject and "/" in subject else None


def canonical_bytes(statement: dict[str, Any]) -> bytes:
    """RFC 8785 canonical JSON of the statement (what is hashed and signed)."""
    data: bytes = rfc8785.dumps(statement)
    return data


def statement_digest(statement: dict[str, Any]) -> str:
    """Hex SHA-256 of the canonical bytes: the statement's identity in an endorsement."""
    return hashlib.sha256(canonical_bytes(statement)).hexdigest()


def endorsements(events: Iterable[Event], statement: dict[str, Any]) -> dict[str, str]:
    """Which parties endorsed this very statement: agency -> id of its endorsement event.

    An endorsement counts when its digest is this statement's, its period is the statement's and
    its agency and counterpart are the two parties."""
    digest = statement_digest(statement)
    parties = set(statement["parties"])
    period = statement["period"]
    found: dict[str, str] = {}
    for e in replay(events).events:
        if (
            isinstance(e, EquipmentStatementEndorsed)
            and e.statement_sha256 == digest
            and {e.agency, e.counterpart} == parties
            and e.period_start.isoformat() == period["start"]
            and e.period_end.isoformat() == period["end"]
        ):
            found.setdefault(e.agency, str(e.id))
    return found
