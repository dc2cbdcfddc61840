"""precheck: a batch about to be recorded is checked against the ledgers built from the real
log (SQLite and PostgreSQL), as the recording user's side sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from manche.domain.access import Principal, Role
from manche.domain.events import parse_event
from manche.domain.values import Side
from manche.errors import RuleViolation
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.service.ledgers import precheck
from manche.storage import Database

UK = Principal("op-bf-0001", "UK-BF", Side.UK, frozenset({Role.OPERATOR}))


def test_batch_refused_at_the_event_that_breaks_a_rule(database: Database, tmp_path: Path) -> None:
    keys = KeyStore(database, tmp_path / "keys")
    keys.generate("UK-BF")
    recovered = parse_event({
        "type": "equipment-recovered", "agency": "UK-BF", "author": "op-bf-0001",
        "occurred_at": "2025-09-02T06:00:00Z", "recorded_at": "2025-09-02T07:00:00Z",
        "equipment": "life_jacket", "quantity": 30, "location": "dover",
    })  # fmt: skip
    Log(database).append([recovered], keys.signer("UK-BF"))

    def handover(ref: str, quantity: int) -> object:
        return parse_event({
            "type": "equipment-handed-over", "agency": "UK-BF", "author": "op-bf-0001",
            "occurred_at": "2025-09-10T10:00:00Z", "recorded_at": "2025-09-10T10:00:00Z",
            "equipment": "life_jacket", "quantity": quantity, "location": "dover",
            "handover_ref": ref, "to_agency": "FR-MN", "to_location": "calais",
        })  # fmt: skip

    landing = parse_event({
        "type": "landing", "agency": "UK-BF", "author": "op-bf-0001", "kind": "controlled",
        "place": "Dover", "occurred_at": "2025-09-10T09:00:00Z",
        "recorded_at": "2025-09-10T09:00:00Z", "persons": {"total": 40},
    })  # fmt: skip
    assert precheck(database, UK, [landing, handover("ho-1", 20)]) == []  # type: ignore[list-item]
    with pytest.raises(RuleViolation) as info:
        precheck(database, UK, [landing, handover("ho-1", 20), handover("ho-2", 20)])  # type: ignore[list-item]
    assert info.value.item_index == 2  # type: ignore[attr-defined]
    assert "equipment.stock_negative" in info.value.rule
    assert Log(database).size() == 1
