"""The sharing decision: handling first, then releasability, exercise, retraction."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from manche.domain.grading import Grading
from manche.domain.sharing import decide, reach, reach_of_json
from manche.domain.values import Releasability, Side


def test_shared_permitted_goes_to_both() -> None:
    for partner in Side:
        d = decide(partner, releasability=Releasability.SHARED, grading=Grading.parse("1AP"))
        assert d.include and d.reasons == ()


def test_releasability_one_side_only() -> None:
    assert not decide(Side.FR, releasability=Releasability.UK_ONLY, grading=None).include
    assert decide(Side.UK, releasability=Releasability.UK_ONLY, grading=None).include
    assert not decide(Side.UK, releasability=Releasability.FR_ONLY, grading=None).include


def test_conditions_must_release_to_the_partner() -> None:
    released = Grading.parse("2BC", "releasable-to:FR; no onward sharing without consent")
    d = decide(Side.FR, releasability=Releasability.SHARED, grading=released)
    assert d.include and d.conditions and "releasable-to:FR" in d.conditions
    assert not decide(Side.UK, releasability=Releasability.SHARED, grading=released).include
    vague = Grading.parse("2BC", "handle with care")
    assert not decide(Side.FR, releasability=Releasability.SHARED, grading=vague).include


def test_forbidding_token_wins_over_release() -> None:
    grading = Grading.parse("1AC", "releasable-to:FR originator-only")
    d = decide(Side.FR, releasability=Releasability.SHARED, grading=grading)
    assert not d.include and "originator-only" in d.reasons[0]


def test_forbidden_handling_never_exported_whatever_else_is_wrong() -> None:
    forbidding = Grading.parse("1AC", "originator-only")
    for partner, rel, exercise, retracted in itertools.product(
        Side, Releasability, (False, True), (False, True)
    ):
        d = decide(
            partner, releasability=rel, grading=forbidding, exercise=exercise, retracted=retracted
        )
        assert not d.include
        assert d.reasons[0].startswith("handling C forbids")


def test_unreadable_grade_withholds() -> None:
    d = decide(
        Side.FR,
        releasability=Releasability.SHARED,
        grading=None,
        grade_problems=("handling code 'Z' is neither P nor C",),
    )
    assert not d.include and "handling cannot be established" in d.reasons[0]


def test_every_reason_is_listed() -> None:
    d = decide(
        Side.FR, releasability=Releasability.UK_ONLY, grading=None, exercise=True, retracted=True
    )
    assert len(d.reasons) == 3


# reach: the handling rule applied to who may see an event in the shared record
@pytest.mark.parametrize(
    ("releasability", "agency", "grading", "given", "expected"),
    [
        ("shared", "UK-BF", None, None, "shared"),  # operational report, no grade
        ("shared", "UK-BF", {"code": "1AP"}, None, "shared"),
        ("shared", "UK-BF", {"code": "2BC", "conditions": "releasable-to:FR"}, None, "shared"),
        ("shared", "UK-BF", {"code": "2BC", "conditions": "handle with care"}, None, "uk-only"),
        ("shared", "FR-CROSS-GN", {"code": "1AC", "conditions": "originator-only"}, None,
         "fr-only"),
        ("shared", "UK-BF", {"scheme": "5x5x5", "code": "B24"}, None, "uk-only"),  # h4
        ("shared", "UK-BF", {"scheme": "5x5x5", "code": "B21"}, None, "shared"),  # h1 -> P
        ("shared", "UK-BF", None, "4XZ", "uk-only"),  # unreadable grade: fail closed
        ("shared", "FR-CROSS-GN", None, "B25", "fr-only"),  # 5x5x5 h5 as free text
        ("shared", "FR-CROSS-GN", None, "1AP", "shared"),
        ("uk-only", "UK-BF", {"code": "1AP"}, None, "uk-only"),  # never widened
        ("shared", "UK-BF", {"code": "1XP"}, None, "uk-only"),  # a stored grade that won't read
    ],
)  # fmt: skip
def test_reach_narrows_a_shared_event_to_its_side_when_handling_forbids(
    releasability: str, agency: str, grading: Any, given: str | None, expected: str
) -> None:
    assert reach(releasability, agency, grading, given) is Releasability(expected)
    body = {"releasability": releasability, "agency": agency, "grading": grading,
            "grade_as_given": given}  # fmt: skip
    assert reach_of_json(body) is Releasability(expected)


def test_a_distress_whose_handling_would_withhold_it_is_refused() -> None:
    from manche.domain.events import parse_event
    from manche.domain.events.examples import example_event
    from manche.errors import InputError

    with pytest.raises(InputError, match="always shared") as refused:
        parse_event(example_event("distress", grading={"scheme": "5x5x5", "code": "A14"}))
    assert refused.value.field == "grading"
    released = {"code": "1AC", "conditions": "releasable-to:FR"}
    assert parse_event(example_event("rescue", grading=released)).grading is not None
