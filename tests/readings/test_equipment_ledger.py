"""The equipment ledger: stock per agency and location, handovers reconciled, counts checked.

Figures are worked by hand: 200 jackets recovered at Dover, 150 handed to the French Navy at
Calais, 148 received: the ledger must show 50 at Dover, 148 at Calais and a 2-jacket difference.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manche.domain.events import parse_event
from manche.domain.events.base import Event
from manche.domain.events.correction import Correction
from manche.domain.events.equipment import (
    EquipmentHandedOver,
    EquipmentIssued,
    EquipmentReceived,
    EquipmentRecovered,
    EquipmentStockCount,
)
from manche.domain.events.examples import example_event
from manche.errors import InputError, RuleViolation
from manche.readings.equipment import EquipmentLedger

DAY = datetime(2025, 9, 10, 9, tzinfo=UTC)


def ev(cls: type[Event], agency: str, hours: int = 0, **fields: Any) -> Any:
    when = DAY + timedelta(hours=hours)
    return cls(agency=agency, author="op-1", occurred_at=when, recorded_at=when, **fields)


def jackets(**kw: Any) -> dict[str, Any]:
    return {"equipment": "life_jacket", **kw}


def test_stock_moves_with_each_account() -> None:
    ledger = EquipmentLedger.from_events(
        [
            ev(EquipmentRecovered, "UK-BF", 0, **jackets(quantity=200, location="dover")),
            ev(EquipmentHandedOver, "UK-BF", 2, **jackets(quantity=150, location="dover",
               handover_ref="ho-1", to_agency="FR-MN", to_location="calais", vessel="UK-BF-VALIANT",
               to_vessel="FR-CORMORAN")),
            ev(EquipmentReceived, "FR-MN", 3, **jackets(quantity=148, location="calais",
               handover_ref="ho-1", from_agency="UK-BF")),
            ev(EquipmentIssued, "FR-MN", 30,
               **jackets(quantity=40, location="calais", vessel="FR-FLAMANT")),
        ]
    )  # fmt: skip
    assert ledger.stock_rows() == [
        {
            "agency": "FR-MN",
            "location": "calais",
            "equipment": "life_jacket",
            "quantity": 108,
            "negative": False,
        },
        {
            "agency": "UK-BF",
            "location": "dover",
            "equipment": "life_jacket",
            "quantity": 50,
            "negative": False,
        },
    ]
    [row] = ledger.reconcile()
    assert (row["status"], row["sent_quantity"], row["received_quantity"], row["difference"]) == (
        "mismatch", 150, 148, -2,
    )  # fmt: skip
    assert (row["from_vessel"], row["to_vessel"]) == ("UK-BF-VALIANT", "FR-CORMORAN")
    assert [f.rule for f in ledger.flags] == ["equipment.handover_mismatch"]
    assert "quantity: sent 150, received 148" in ledger.flags[0].message


def test_handover_of_more_than_held_is_refused_or_flagged() -> None:
    """A handover of more jackets than the sender holds: refused when checked before recording;
    if recorded anyway, the stock goes negative with a flag on that event."""
    ledger = EquipmentLedger()
    ledger.apply(ev(EquipmentRecovered, "UK-BF", 0, **jackets(quantity=10, location="dover")))
    too_many = ev(EquipmentHandedOver, "UK-BF", 1, **jackets(quantity=12, location="dover",
                  handover_ref="ho-2", to_agency="FR-MN", to_location="calais"))  # fmt: skip
    with pytest.raises(RuleViolation) as info:
        ledger.admit(too_many)
    assert info.value.rule.startswith("equipment.stock_negative")
    assert "which held 10" in info.value.message
    assert ledger.stock[("UK-BF", "dover", "life_jacket")] == 10
    flags = ledger.apply(too_many)
    assert [f.rule for f in flags] == ["equipment.stock_negative"]
    assert flags[0].event_id == too_many.id
    assert ledger.stock_rows()[0]["quantity"] == -2 and ledger.stock_rows()[0]["negative"]


def test_unconfirmed_handovers_and_orphan_receipts() -> None:
    ledger = EquipmentLedger.from_events(
        [
            ev(EquipmentRecovered, "UK-BF", 0, **jackets(quantity=50, location="dover")),
            ev(EquipmentHandedOver, "UK-BF", 1, **jackets(quantity=50, location="dover",
               handover_ref="ho-3", to_agency="FR-MN", to_location="calais")),
            ev(EquipmentReceived, "FR-MN", 1, equipment="thermal_blanket", quantity=20,
               location="calais", handover_ref="ho-4", from_agency="UK-BF"),
        ]
    )  # fmt: skip
    rows = {r["reference"]: r for r in ledger.reconcile(as_of=date(2025, 9, 18))}
    assert rows["ho-3"]["status"] == "awaiting_receipt"
    assert rows["ho-4"]["status"] == "receipt_without_handover"
    assert rows["ho-3"]["overdue"] and rows["ho-4"]["overdue"]  # 8 days > 7 days' grace
    assert not any(r["overdue"] for r in ledger.reconcile(as_of=date(2025, 9, 17)))


def test_stock_count_difference_is_flagged_and_adopted() -> None:
    ledger = EquipmentLedger.from_events(
        [
            ev(EquipmentRecovered, "UK-BF", 0, equipment="pump", quantity=6, location="dover"),
            ev(EquipmentStockCount, "UK-BF", 5, equipment="pump", quantity=4, location="dover"),
        ]
    )
    assert [f.rule for f in ledger.flags] == ["equipment.count_difference"]
    assert "counted 4 pump, ledger says 6 (-2)" in ledger.flags[0].message
    assert ledger.stock[("UK-BF", "dover", "pump")] == 4


def test_duplicate_reference_is_flagged() -> None:
    send = jackets(
        quantity=5, location="dover", handover_ref="ho-5", to_agency="FR-MN", to_location="calais"
    )
    ledger = EquipmentLedger.from_events(
        [
            ev(EquipmentRecovered, "UK-BF", 0, **jackets(quantity=20, location="dover")),
            ev(EquipmentHandedOver, "UK-BF", 1, **send),
            ev(EquipmentHandedOver, "UK-BF", 2, **send),
        ]
    )
    assert [f.rule for f in ledger.flags] == ["equipment.duplicate_reference"]
    assert ledger.stock[("UK-BF", "dover", "life_jacket")] == 10  # both movements recorded


def test_a_retracted_receipt_reopens_the_handover() -> None:
    received = ev(EquipmentReceived, "FR-MN", 3, **jackets(quantity=5, location="calais",
                  handover_ref="ho-6", from_agency="UK-BF"))  # fmt: skip
    retract = ev(Correction, "FR-MN", 4, target=received.id, retract=True, reason="wrong reference")
    events = [
        ev(EquipmentRecovered, "UK-BF", 0, **jackets(quantity=5, location="dover")),
        ev(EquipmentHandedOver, "UK-BF", 1, **jackets(quantity=5, location="dover",
           handover_ref="ho-6", to_agency="FR-MN", to_location="calais")),
        received,
        retract,
    ]  # fmt: skip
    ledger = EquipmentLedger.rebuild(events)
    assert ledger.reconcile()[0]["status"] == "awaiting_receipt"
    assert ("FR-MN", "calais", "life_jacket") not in ledger.stock


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"equipment": "Life Jackets"}, "equipment"),
        ({"quantity": 0}, "quantity"),
        ({"location": ""}, "location"),
        ({"note": "handed to Mr X, passport 12AB34567"}, "note"),
    ],
)
def test_bad_equipment_events_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises((InputError, RuleViolation)) as info:
        parse_event(example_event("equipment-recovered", **changes))
    assert info.value.field == field


# --------------------------------------------------------------------------- property tests

holders = st.sampled_from([("UK-BF", "dover"), ("FR-MN", "calais"), ("UK-RNLI", "walmer")])
kinds = st.sampled_from(["issue", "recover", "handover", "count"])
ops = st.lists(st.tuples(kinds, holders, holders, st.integers(1, 60)), min_size=1, max_size=50)


def build(steps: list[Any]) -> list[Event]:
    events: list[Event] = []
    for i, (kind, (agency, location), (other, other_location), quantity) in enumerate(steps):
        common = jackets(quantity=quantity, location=location)
        if kind == "issue":
            events.append(ev(EquipmentIssued, agency, i, **common))
        elif kind == "recover":
            events.append(ev(EquipmentRecovered, agency, i, **common))
        elif kind == "count":
            events.append(ev(EquipmentStockCount, agency, i, **common))
        else:
            ref = f"ho-{i}"
            events.append(ev(EquipmentHandedOver, agency, i, **common, handover_ref=ref,
                             to_agency=other, to_location=other_location))  # fmt: skip
            received = jackets(quantity=quantity, location=other_location)
            events.append(ev(EquipmentReceived, other, i, **received, handover_ref=ref,
                             from_agency=agency))  # fmt: skip
    return events


@settings(max_examples=150, deadline=None)
@given(ops)
def test_stock_never_negative_without_a_flag(steps: list[Any]) -> None:
    """Recorded as is: every movement that leaves a holder below zero carries a stock_negative
    flag on its event, and each holder's stock is the sum of its movements."""
    ledger = EquipmentLedger.from_events(build(steps))
    flagged = {f.event_id for f in ledger.flags if f.rule == "equipment.stock_negative"}
    totals: dict[tuple[str, str, str], int] = {}
    for m in ledger.movements:
        key = (m.agency, m.location, m.equipment)
        totals[key] = totals.get(key, 0) + m.delta
        assert m.balance == totals[key]
        if m.balance < 0 and m.delta < 0:
            assert m.event_id in flagged
    assert totals == ledger.stock


@settings(max_examples=150, deadline=None)
@given(ops)
def test_strict_ledger_never_goes_negative(steps: list[Any]) -> None:
    """Checked before recording (``admit``): no holder's stock ever goes below zero, and a
    refused event changes nothing."""
    ledger = EquipmentLedger()
    for event in build(steps):
        before = dict(ledger.stock)
        seen = (
            len(ledger.movements),
            len(ledger.flags),
            {k: h.summary() for k, h in ledger.handovers.items()},
        )
        try:
            ledger.admit(event)
        except RuleViolation:
            assert ledger.stock == before
            assert seen == (
                len(ledger.movements),
                len(ledger.flags),
                {k: h.summary() for k, h in ledger.handovers.items()},
            )
        assert all(q >= 0 for q in ledger.stock.values())


@settings(max_examples=60, deadline=None)
@given(ops, st.randoms(use_true_random=False))
def test_equipment_rebuild_independent_of_record_order(
    steps: list[Any], rnd: random.Random
) -> None:
    events = build(steps)
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert EquipmentLedger.rebuild(events).stock == EquipmentLedger.rebuild(shuffled).stock


def test_first_count_is_an_opening_balance() -> None:
    ledger = EquipmentLedger.from_events(
        [ev(EquipmentStockCount, "FR-MN", 0, **jackets(quantity=100, location="calais"))]
    )
    assert ledger.flags == []
    assert ledger.movements[0].kind == "opening count"
    assert ledger.stock[("FR-MN", "calais", "life_jacket")] == 100
