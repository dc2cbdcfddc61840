"""The sharing decision: handling first, then releasability, exercise, retraction."""

from __future__ import annotations

import itertools

from manche.domain.grading import Grading
from manche.domain.sharing import decide
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
