"""5x5x5 -> 3x5x2 mapping (table in manche.domain.grading_5x5x5 and docs/intelligence.md;
5x5x5 definitions from HMRC internal manual MLR3C14000) and grades outside the scheme."""

from __future__ import annotations

import pytest

from manche.domain.grading_5x5x5 import from_5x5x5, read_grade


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("A11", "1AP"),  # always reliable, known to be true, no special conditions
        ("B31", "1BP"),
        ("C41", "2CP"),  # sometimes reliable -> untested; cannot be judged -> indirectly
        ("D51", "3EP"),
        ("E21", "2AP"),
        ("B24", "1AC"),
    ],
)
def test_mapping(code: str, expected: str) -> None:
    assert from_5x5x5(code).code == expected


def test_handling_4_and_5_become_conditions_that_forbid_dissemination() -> None:
    for code in ("B24", "B25"):
        grading = from_5x5x5(code)
        assert grading.handling.value == "C"
        assert "originator-only" in (grading.conditions or "")
    assert "no-foreign-dissemination" in (from_5x5x5("A12").conditions or "")


def test_separators_accepted() -> None:
    assert from_5x5x5("b-3-1").code == "1BP"


def test_read_grade_schemes() -> None:
    assert read_grade("B24").scheme == "5x5x5"
    assert read_grade("1AP").scheme == "3x5x2"
    ok = read_grade("2BC", "releasable-to:FR")
    assert ok.grading is not None and ok.grading.conditions == "releasable-to:FR"


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("4XZ", "source evaluation '4' is outside 1-3"),
        ("4XZ", "intelligence assessment 'X' is outside A-E"),
        ("1AQ", "handling code 'Q' is neither P nor C"),
        ("1AC", "no conditions stated"),
        ("1APX", "has 4 characters"),
    ],
)
def test_grade_outside_scheme_is_kept_with_problem_named(given: str, fragment: str) -> None:
    reading = read_grade(given)
    assert reading.grading is None and reading.given == given
    assert any(fragment in p for p in reading.problems)
