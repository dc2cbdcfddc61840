"""The returns and equipment event types: registered, examples parse, bad input names the field."""

from __future__ import annotations

from typing import Any

import pytest

from manche.domain.events import catalogue, parse_event
from manche.domain.events.equipment import EQUIPMENT_EVENTS
from manche.domain.events.examples import EXAMPLES, example_event
from manche.domain.events.returns import ADMISSION_EVENTS, RETURN_EVENTS
from manche.errors import InputError, RuleViolation

MINE = [
    cls.model_fields["type"].default
    for cls in (*RETURN_EVENTS, *ADMISSION_EVENTS, *EQUIPMENT_EVENTS)
]


def test_registered_with_examples() -> None:
    types = catalogue()
    for name in MINE:
        assert name in types
        assert name in EXAMPLES


@pytest.mark.parametrize("type_name", MINE)
def test_examples_round_trip(type_name: str) -> None:
    event = parse_event(example_event(type_name))
    assert parse_event(event.to_json()) == event


@pytest.mark.parametrize(
    ("type_name", "changes", "field"),
    [
        ("return-case-opened", {"case_number": "Mohammed A."}, "case_number"),
        ("return-case-opened", {"case_number": "ADM-2026-000001"}, "case_number"),
        ("return-case-opened", {"age_category": "child"}, "age_category"),
        ("return-case-opened", {"arrived_at": "2026-08-14T04:50:00"}, "arrived_at"),
        ("return-request-answered", {"accepted": False}, "reason"),
        ("return-request-answered", {"accepted": True, "reason": "other"}, "reason"),
        ("admission-checks-completed", {"passed": False}, "failure"),
        ("admission-application-received", {"priority": ["Family Ties"]}, "priority"),
        ("admission-application-received", {"passport_number": "12AB34567"}, "passport_number"),
        ("admission-arrived", {"persons": 0}, "persons"),
        ("equipment-handed-over", {"quantity": -3}, "quantity"),
        ("equipment-statement-endorsed", {"period_end": "2026-07-01"}, "period_end"),
        ("equipment-statement-endorsed", {"statement_sha256": "abc"}, "statement_sha256"),
    ],
)
def test_bad_input_names_the_field(type_name: str, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        parse_event(example_event(type_name, **changes))
    assert info.value.field == field


def test_no_field_can_hold_a_name() -> None:
    """Only closed-list codes, dates, counts, booleans and pseudonymous references: no str field
    of a case event is free text except the screened note."""
    for cls in (*RETURN_EVENTS, *ADMISSION_EVENTS):
        own = set(cls.model_fields) - {"type", "agency", "author", "note", "incident", "assets",
                                       "case_number", "landing_event", "id", "grading"}  # fmt: skip
        for name in own:
            annotation = str(cls.model_fields[name].annotation)
            assert "str" not in annotation or "tuple[str" in annotation, (cls.__name__, name)


def test_note_with_a_document_number_is_refused_with_the_article() -> None:
    with pytest.raises(RuleViolation) as info:
        parse_event(example_event("return-request-sent", note="passport 12AB34567"))
    assert "Art. 16" in info.value.rule
