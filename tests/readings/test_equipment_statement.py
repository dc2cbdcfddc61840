"""The periodic handover statement: same document from the same record, whatever the order;
canonical (RFC 8785) bytes; endorsed by both parties through the record."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from manche.domain.events.base import Event
from manche.domain.events.equipment import (
    EquipmentHandedOver,
    EquipmentIssued,
    EquipmentReceived,
    EquipmentRecovered,
    EquipmentStatementEndorsed,
)
from manche.errors import InputError
from manche.readings.equipment_statement import (
    canonical_bytes,
    endorsements,
    handover_statement,
    statement_digest,
)

DAY = datetime(2025, 9, 1, 9, tzinfo=UTC)


def ev(cls: type[Event], agency: str, days: int, **fields: Any) -> Any:
    when = DAY + timedelta(days=days)
    return cls(agency=agency, author="op-1", occurred_at=when, recorded_at=when, **fields)


def record() -> list[Event]:
    return [
        ev(EquipmentRecovered, "UK-BF", 0, equipment="life_jacket", quantity=300, location="dover"),
        ev(EquipmentHandedOver, "UK-BF", 3, equipment="life_jacket", quantity=200, location="dover",
           handover_ref="ho-a", to_agency="FR-MN", to_location="calais"),
        ev(EquipmentReceived, "FR-MN", 3, equipment="life_jacket", quantity=200, location="calais",
           handover_ref="ho-a", from_agency="UK-BF"),
        ev(EquipmentHandedOver, "UK-BF", 12, equipment="life_jacket", quantity=50, location="dover",
           handover_ref="ho-b", to_agency="FR-MN", to_location="calais"),
        ev(EquipmentReceived, "FR-MN", 13, equipment="life_jacket", quantity=45, location="calais",
           handover_ref="ho-b", from_agency="UK-BF"),
        ev(EquipmentIssued, "FR-MN", 20, equipment="life_jacket", quantity=60, location="calais"),
        # outside the period (October): not in the September statement
        ev(EquipmentHandedOver, "UK-BF", 35, equipment="life_jacket", quantity=10, location="dover",
           handover_ref="ho-c", to_agency="FR-MN", to_location="calais"),
    ]  # fmt: skip


SEPT = (date(2025, 9, 1), date(2025, 9, 30))


def test_statement_figures() -> None:
    """September: 250 sent UK-BF -> FR-MN, 245 received (ho-b short by 5); FR-MN issued 60;
    closing stock UK-BF 300-250 = 50, FR-MN 245-60 = 185."""
    s = handover_statement(record(), "UK-BF", "FR-MN", *SEPT)
    assert s["parties"] == ["FR-MN", "UK-BF"]
    assert [h["reference"] for h in s["handovers"]] == ["ho-a", "ho-b"]
    assert s["totals"] == {"UK-BF->FR-MN": {"life_jacket": {"sent": 250, "received": 245}}}
    assert s["activity"]["FR-MN"] == {"life_jacket": {"issued": 60, "recovered": 0}}
    assert {(r["agency"], r["quantity"]) for r in s["closing_stock"]} == {
        ("UK-BF", 50),
        ("FR-MN", 185),
    }
    assert s["open_differences"] == ["ho-b"]
    assert [f["rule"] for f in s["flags"]] == ["equipment.handover_mismatch"]


def test_same_statement_from_either_side_and_any_order() -> None:
    events = record()
    a = handover_statement(events, "UK-BF", "FR-MN", *SEPT)
    b = handover_statement(list(reversed(events)), "FR-MN", "UK-BF", *SEPT)
    assert canonical_bytes(a) == canonical_bytes(b)
    assert statement_digest(a) == hashlib.sha256(canonical_bytes(a)).hexdigest()


def test_canonical_bytes_are_rfc8785() -> None:
    """RFC 8785: keys sorted, no insignificant whitespace — the same bytes json.dumps gives with
    sort_keys and compact separators for this (ASCII, integer-only) document."""
    s = handover_statement(record(), "UK-BF", "FR-MN", *SEPT)
    expected = json.dumps(s, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_bytes(s) == expected.encode()


def test_endorsed_by_both_parties() -> None:
    events = record()
    s = handover_statement(events, "UK-BF", "FR-MN", *SEPT)
    digest = statement_digest(s)
    period = {"period_start": SEPT[0], "period_end": SEPT[1]}
    uk = ev(
        EquipmentStatementEndorsed,
        "UK-BF",
        31,
        counterpart="FR-MN",
        statement_sha256=digest,
        **period,
    )
    fr = ev(
        EquipmentStatementEndorsed,
        "FR-MN",
        31,
        counterpart="UK-BF",
        statement_sha256=digest,
        **period,
    )
    wrong = ev(
        EquipmentStatementEndorsed,
        "FR-MN",
        31,
        counterpart="UK-BF",
        statement_sha256="0" * 64,
        **period,
    )
    assert endorsements([*events, uk, wrong], s) == {"UK-BF": str(uk.id)}
    both = endorsements([*events, uk, fr], s)
    assert set(both) == {"UK-BF", "FR-MN"}
    # the endorsements are in the record but do not change the statement itself
    assert (
        statement_digest(handover_statement([*events, uk, fr], "UK-BF", "FR-MN", *SEPT)) == digest
    )


def test_bad_period_or_parties() -> None:
    with pytest.raises(InputError):
        handover_statement(record(), "UK-BF", "FR-MN", SEPT[1], SEPT[0])
    with pytest.raises(InputError):
        handover_statement(record(), "UK-BF", "UK-BF", *SEPT)
