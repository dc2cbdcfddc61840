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
