"""The equipment ledger: stock per agency, location and equipment type; handovers reconciled.

Movements, from the events of :mod:`manche.domain.events.equipment`:

    equipment-issued       holder (agency, location)  - quantity
    equipment-recovered    holder                     + quantity
    equipment-handed-over  sender (agency, location)  - quantity   (sender's account)
    equipment-received     receiver (agency, location)+ quantity   (receiver's account)
    equipment-stock-count  holder                     set to the count (difference flagged; the
                                                      first count of a holder is its opening
                                                      balance, not a difference)

Stock may go below zero, because the record says what was done and the ledger does not rewrite
it; but it never does so without a ``equipment.stock_negative`` flag on the event that took it
there. :meth:`EquipmentLedger.admit` refuses such an event before it is recorded.

A handover is reconciled by its reference: the sender's account and the receiver's must agree on
equipment, quantity and the two agencies; a difference is flagged (``equipment.handover_mismatch``)
and an account with no counterpart after ``grace_days`` is listed as unconfirmed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from manche.domain.events.base import Event
from manche.domain.events.equipment import (
    EquipmentHandedOver,
    EquipmentIssued,
    EquipmentReceived,
    EquipmentRecovered,
    EquipmentStockCount,
)
from manche.readings.flags import Flag
from manche.readings.replay import replay

StockKey = tuple[str, str, str]  # agency, location, equipment


@dataclass(frozen=True)
class Movement:
    on: date
    agency: str
    location: str
    equipment: str
    delta: int
    balance: int
    kind: str
    reference: str | None
    vessel: str | None
    event_id: UUID


@dataclass
class Handover:
    reference: str
    sent: EquipmentHandedOver | None = None
    received: EquipmentReceived | None = None

    @property
    def status(self) -> str:
        if self.sent is None:
            return "receipt_without_handover"
        if self.received is None:
            return "awaiting_receipt"
        return "matched" if not self.differences else "mismatch"

    @property
    def differences(self) -> list[str]:
        s, r = self.sent, self.received
        if s is None or r is None:
            return []
        found = []
        if s.equipment != r.equipment:
            found.append(f"equipment: sent {s.equipment}, received {r.equipment}")
        if s.quantity != r.quantity:
            found.append(f"quantity: sent {s.quantity}, received {r.quantity}")
        if s.to_agency != r.agency:
            found.append(f"receiver: sent to {s.to_agency}, received by {r.agency}")
        if r.from_agency != s.agency:
            found.append(f"sender: sent by {s.agency}, receipt names {r.from_agency}")
        return found

    def summary(self) -> dict[str, Any]:
        s, r = self.sent, self.received
        base = s or r
        assert base is not None
        return {
            "reference": self.reference,
            "status": self.status,
            "equipment": base.equipment,
            "from_agency": s.agency if s else r.from_agency if r else None,
            "to_agency": s.to_agency if s else r.agency if r else None,
            "from_vessel": s.vessel if s else r.from_vessel if r else None,
            "to_vessel": s.to_vessel if s else r.vessel if r else None,
            "sent_quantity": s.quantity if s else None,
            "received_quantity": r.quantity if r else None,
            "difference": (r.quantity - s.quantity) if s and r else None,
            "sent_at": s.occurred_at.isoformat() if s else None,
            "received_at": r.occurred_at.isoformat() if r else None,
            "differences": self.differences,
        }


@dataclass
class EquipmentLedger:
    stock: dict[StockKey, int] = field(default_factory=dict)
    movements: list[Movement] = field(default_factory=list)
    handovers: dict[str, Handover] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    events_applied: int = 0

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> EquipmentLedger:
        """Apply ``events`` in the order given."""
        ledger = cls()
        for event in events:
            ledger.apply(event)
        return ledger

    @classmethod
    def rebuild(cls, events: Iterable[Event]) -> EquipmentLedger:
        """From the record: corrections applied, in the order things happened."""
        return cls.from_events(replay(events).events)

    # ------------------------------------------------------------------ applying

    def apply(self, event: Event) -> list[Flag]:
        handler = _HANDLERS.get(type(event))
        if handler is None:
            return []
        raised: list[Flag] = []
        handler(self, event, raised)
        self.events_applied += 1
        self.flags.extend(raised)
        return raised

    def check(self, event: Event) -> list[Flag]:
        """The flags ``event`` would raise if recorded now (the ledger is unchanged)."""
        trial = copy.copy(self)
        trial.stock = dict(self.stock)
        trial.movements = list(self.movements)
        trial.flags = list(self.flags)
        trial.handovers = dict(self.handovers)
        ref = getattr(event, "handover_ref", None)
        if ref in trial.handovers:
            trial.handovers[ref] = copy.copy(trial.handovers[ref])
        return trial.apply(event)

    def admit(self, event: Event) -> list[Flag]:
        """Apply ``event`` unless it breaks a refusing rule: then raise RuleViolation."""
        for flag in self.check(event):
            if flag.refuses:
                raise flag.to_violation()
        return self.apply(event)

    def _move(self, event: Event, agency: str, location: str, equipment: str, delta: int, kind: str,
              reference: str | None, vessel: str | None, raised: list[Flag]) -> None:  # fmt: skip
        key = (agency, location, equipment)
        before = self.stock.get(key, 0)
        after = before + delta
        self.stock[key] = after
        on = event.occurred_at.date()
        self.movements.append(
            Movement(
                on, agency, location, equipment, delta, after, kind, reference, vessel, event.id
            )
        )
        if after < 0 and delta < 0:
            raised.append(
                Flag.of(
                    "equipment.stock_negative",
                    f"{kind} of {-delta} {equipment} by {agency} at {location}, "
                    f"which held {before}",
                    event_id=event.id,
                    subject=f"{agency}/{location}/{equipment}",
                    on=on,
                )
            )

    # ------------------------------------------------------------------ readings

    def stock_rows(self, agency: str | None = None) -> list[dict[str, Any]]:
        rows = [
            {"agency": a, "location": loc, "equipment": eq, "quantity": q, "negative": q < 0}
            for (a, loc, eq), q in sorted(self.stock.items())
            if agency is None or a == agency
        ]
        return rows

    def reconcile(self, as_of: date | None = None, grace_days: int = 7) -> list[dict[str, Any]]:
        """Every handover by reference, with its status; unconfirmed ones older than
        ``grace_days`` on ``as_of`` are marked ``overdue``."""
        rows = []
        for ref in sorted(self.handovers):
            h = self.handovers[ref]
            row = h.summary()
            account = h.sent or h.received
            overdue = False
            if (
                as_of is not None
                and account is not None
                and h.status
                in (
                    "awaiting_receipt",
                    "receipt_without_handover",
                )
            ):
                overdue = as_of > account.occurred_at.date() + timedelta(days=grace_days)
            row["overdue"] = overdue
            rows.append(row)
        return rows


def _issued(ledger: EquipmentLedger, e: EquipmentIssued, raised: list[Flag]) -> None:
    ledger._move(
        e, e.agency, e.location, e.equipment, -e.quantity, "issued", None, e.vessel, raised
    )


def _recovered(ledger: EquipmentLedger, e: EquipmentRecovered, raised: list[Flag]) -> None:
    ledger._move(
        e, e.agency, e.location, e.equipment, e.quantity, "recovered", None, e.vessel, raised
    )


def _compare(h: Handover, e: Event, raised: list[Flag]) -> None:
    if h.differences:
        raised.append(
            Flag.of(
                "equipment.handover_mismatch",
                "; ".join(h.differences),
                event_id=e.id,
                subject=h.reference,
                on=e.occurred_at.date(),
            )
        )


def _handed_over(ledger: EquipmentLedger, e: EquipmentHandedOver, raised: list[Flag]) -> None:
    h = ledger.handovers.setdefault(e.handover_ref, Handover(e.handover_ref))
    if h.sent is not None:
        raised.append(
            Flag.of(
                "equipment.duplicate_reference",
                f"handover {e.handover_ref} already recorded by {h.sent.agency}",
                event_id=e.id,
                subject=e.handover_ref,
                on=e.occurred_at.date(),
            )
        )
    else:
        h.sent = e
    ledger._move(e, e.agency, e.location, e.equipment, -e.quantity, "handed over",
                 e.handover_ref, e.vessel, raised)  # fmt: skip
    if h.sent is e and h.received is not None:
        _compare(h, e, raised)


def _received(ledger: EquipmentLedger, e: EquipmentReceived, raised: list[Flag]) -> None:
    h = ledger.handovers.setdefault(e.handover_ref, Handover(e.handover_ref))
    if h.received is not None:
        raised.append(
            Flag.of(
                "equipment.duplicate_reference",
                f"receipt for {e.handover_ref} already recorded by {h.received.agency}",
                event_id=e.id,
                subject=e.handover_ref,
                on=e.occurred_at.date(),
            )
        )
    else:
        h.received = e
    ledger._move(e, e.agency, e.location, e.equipment, e.quantity, "received",
                 e.handover_ref, e.vessel, raised)  # fmt: skip
    if h.received is e and h.sent is not None:
        _compare(h, e, raised)


def _count(ledger: EquipmentLedger, e: EquipmentStockCount, raised: list[Flag]) -> None:
    key = (e.agency, e.location, e.equipment)
    held = ledger.stock.get(key, 0)
    opening = key not in ledger.stock  # the first count of a holder is its opening balance
    if held != e.quantity and not opening:
        raised.append(
            Flag.of(
                "equipment.count_difference",
                f"counted {e.quantity} {e.equipment}, ledger says {held} ({e.quantity - held:+d})",
                event_id=e.id,
                subject=f"{e.agency}/{e.location}/{e.equipment}",
                on=e.occurred_at.date(),
            )
        )
    kind = "opening count" if opening else "count adjustment"
    ledger._move(e, e.agency, e.location, e.equipment, e.quantity - held, kind,
                 None, e.vessel, raised)  # fmt: skip


_Handler = Callable[[EquipmentLedger, Any, list[Flag]], None]

_HANDLERS: dict[type[Event], _Handler] = {
    EquipmentIssued: _issued,
    EquipmentRecovered: _recovered,
    EquipmentHandedOver: _handed_over,
    EquipmentReceived: _received,
    EquipmentStockCount: _count,
}
