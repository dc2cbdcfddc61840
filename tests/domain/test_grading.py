"""3x5x2 grading (source 1-3, intelligence A-E, handling P/C with conditions)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from manche.domain.grading import Grading, Handling, IntelligenceAssessment, SourceEvaluation


def test_parse_codes() -> None:
    grade = Grading.parse("1ap")
    assert (grade.source, grade.intelligence, grade.handling) == (
        SourceEvaluation.RELIABLE,
        IntelligenceAssessment.KNOWN_DIRECTLY,
        Handling.PERMITTED,
    )
    assert Grading.parse("3E").code == "3EP"  # handling defaults to P
    conditional = Grading.parse("2BC", conditions="UK law enforcement only")
    assert conditional.code == "2BC" and conditional.conditions == "UK law enforcement only"


@pytest.mark.parametrize("code", ["4AP", "1FP", "1AX", "1", "1APX", ""])
def test_bad_codes(code: str) -> None:
    with pytest.raises(ValidationError):
        Grading.parse(code)


def test_conditions_go_with_handling_c_only() -> None:
    with pytest.raises(ValidationError, match="needs the conditions"):
        Grading.parse("2BC")
    with pytest.raises(ValidationError, match="only for handling code C"):
        Grading.parse("2BP", conditions="x")


# 5x5x5 on input. Expected 3x5x2 fields from the table in docs/intelligence.md (section 3):
# source A/B -> 1, C/E -> 2, D -> 3; intelligence 1/2 -> A, 3 -> B, 4 -> C, 5 -> E;
# handling 1 -> P, 2-5 -> C with the conditions naming the 5x5x5 handling code.
@pytest.mark.parametrize(
    ("given", "source", "intelligence", "handling", "condition_token"),
    [
        ({"scheme": "5x5x5", "code": "E31"}, "2", "B", "P", None),
        ({"scheme": "5x5x5", "code": "b24"}, "1", "A", "C", "originator-only"),
        ({"scheme": "5x5x5", "code": "D-5-2"}, "3", "E", "C", "no-foreign-dissemination"),
        ({"scheme": "5x5x5", "code": "C43"}, "2", "C", "C", "refer-to-originator"),
        ("A11", "1", "A", "P", None),  # a bare code that can only be 5x5x5
        ({"code": "B35"}, "1", "B", "C", "originator-only"),
    ],
)
def test_5x5x5_input_is_mapped_and_kept_as_given(
    given: object, source: str, intelligence: str, handling: str, condition_token: str | None
) -> None:
    grade = Grading.model_validate(given)
    assert (grade.source.value, grade.intelligence.value, grade.handling.value) == (
        source,
        intelligence,
        handling,
    )
    if condition_token is None:
        assert grade.conditions is None
    else:
        assert grade.conditions is not None and condition_token in grade.conditions
    code = given if isinstance(given, str) else given["code"]  # type: ignore[index]
    assert grade.as_given is not None and grade.as_given.code == code
    assert grade.scheme_as_given == "5x5x5"
    stored = grade.model_dump(mode="json")
    assert stored["as_given"] == {"scheme": "5x5x5", "code": code}
    assert Grading.model_validate(stored) == grade  # the stored form reads back the same


def test_a_3x5x2_grade_is_stored_as_before_without_as_given() -> None:
    grade = Grading.model_validate({"scheme": "3x5x2", "code": "2BC", "conditions": "x"})
    assert grade.model_dump(mode="json") == {
        "source": "2",
        "intelligence": "B",
        "handling": "C",
        "conditions": "x",
    }
    assert grade.scheme_as_given == "3x5x2" and Grading.parse("1AP").as_given is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"scheme": "5x5x5", "code": "B26"}, "not a 5x5x5 code"),
        ({"scheme": "5x5x5", "code": "F11"}, "not a 5x5x5 code"),
        ({"scheme": "5x5x5", "code": "1AP"}, "not a 5x5x5 code"),
        ("B60", "not a 5x5x5 code"),
        ({"scheme": "5x5x5", "code": "B24", "conditions": "x"}, "remove conditions"),
        ({"scheme": "4x4", "code": "1AP"}, "expected one of 3x5x2, 5x5x5"),
        ({"scheme": "5x5x5", "code": 24}, "must be a string"),
        ({"scheme": "3x5x2", "code": "B24"}, "Input should be '1', '2' or '3'"),
    ],
)
def test_bad_5x5x5_input_is_refused_with_the_reason(given: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Grading.model_validate(given)


def test_a_stored_grade_must_match_the_mapping_of_its_code_as_given() -> None:
    forged = {"source": "1", "intelligence": "A", "handling": "P",
              "as_given": {"scheme": "5x5x5", "code": "B24"}}  # fmt: skip
    with pytest.raises(ValidationError, match="do not match the mapping"):
        Grading.model_validate(forged)
