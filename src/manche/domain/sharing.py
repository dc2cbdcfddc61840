"""What a partner may receive: releasability AND handling, decided by one pure function.

A record goes into an exchange package for ``partner`` only if every rule below lets it:

1. **handling** (checked first, whatever else is wrong with the record):
   - a grade that could not be read (outside the 3x5x2 scheme, not 5x5x5, or C without
     conditions) withholds it: its handling cannot be established;
   - handling ``C`` withholds it unless its conditions name the partner with the token
     ``releasable-to:FR`` (or ``:UK``) and carry none of the tokens that forbid onward
     dissemination (``originator-only``, ``no-foreign-dissemination``, ``refer-to-originator``);
     the conditions then travel with the record;
   - handling ``P``, or no grade (operational reports), passes;
2. **releasability**: ``shared`` passes; ``uk-only`` only to the UK, ``fr-only`` only to France;
3. **exercise** data (training) is never exported;
4. a **retracted** record is never exported (an amended one is exported as amended).

The conditions vocabulary is Manche's convention (docs/intelligence.md): free-text conditions
without a ``releasable-to`` token fail closed.

:func:`reach` applies the handling rule to the shared record itself: a ``shared`` event whose
handling does not let it go to the other side (an unreadable grade, handling ``C`` forbidding
dissemination or not releasing it to that side) reaches only the recording agency's side, in
every reading path (the log's query column, the event index, the live picture, the
intelligence readings), exactly like a ``uk-only``/``fr-only`` one. The event's own
``releasability`` field is never changed: :func:`reach` is a reading of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from manche.domain.grading import Grading, Handling
from manche.domain.grading_5x5x5 import read_grade
from manche.domain.values import Releasability, Side

if TYPE_CHECKING:
    from manche.domain.events.base import Event

FORBIDDING = ("originator-only", "no-foreign-dissemination", "refer-to-originator")
_RELEASE = re.compile(r"releasable-to:\s*(UK|FR)\b", re.IGNORECASE)


class Decision(BaseModel):
    """Whether one record may go to the partner, and every reason it may not."""

    model_config = ConfigDict(frozen=True)

    include: bool
    reasons: tuple[str, ...] = ()
    conditions: str | None = None  # handling conditions that travel with an included record


def releasable_to(conditions: str) -> set[Side]:
    """The partners a conditions text releases the record to (``releasable-to:FR``)."""
    return {Side(m.upper()) for m in _RELEASE.findall(conditions)}


def decide(
    partner: Side,
    *,
    releasability: Releasability,
    grading: Grading | None,
    grade_problems: tuple[str, ...] = (),
    exercise: bool = False,
    retracted: bool = False,
) -> Decision:
    """May ``partner`` receive a record with these properties? Pure; every reason is named."""
    reasons: list[str] = []
    conditions: str | None = None
    if grade_problems:
        reasons.append("handling cannot be established: " + "; ".join(grade_problems))
    elif grading is not None and grading.handling is Handling.CONDITIONS:
        text = grading.conditions or ""
        lowered = text.lower()
        forbidding = [token for token in FORBIDDING if token in lowered]
        if forbidding:
            reasons.append(f"handling C forbids dissemination ({', '.join(forbidding)}): {text}")
        elif partner not in releasable_to(text):
            reasons.append(
                f"handling C: conditions do not release it to {partner.value} "
                f"(no 'releasable-to:{partner.value}'): {text}"
            )
        else:
            conditions = text
    if not releasability.visible_to(partner):
        reasons.append(f"releasability {releasability.value}: not for {partner.value}")
    if exercise:
        reasons.append("exercise (training) data")
    if retracted:
        reasons.append("retracted by a correction")
    if reasons:
        return Decision(include=False, reasons=tuple(reasons))
    return Decision(include=True, conditions=conditions)


OWN_SIDE_ONLY = {Side.UK: Releasability.UK_ONLY, Side.FR: Releasability.FR_ONLY}


def agency_side(agency: str) -> Side | None:
    """The side of an agency code (``UK-BF`` -> UK, ``FR-CROSS-GN`` -> FR), None otherwise."""
    prefix = agency.split("-", 1)[0].upper()
    return Side(prefix) if prefix in ("UK", "FR") else None


def reach(
    releasability: Releasability | str,
    agency: str,
    grading: Grading | Mapping[str, Any] | None,
    grade_as_given: str | None = None,
) -> Releasability:
    """Who may see an event: its releasability, narrowed to the recording side when the
    handling of its grade does not let it go to the other side (see :func:`decide`)."""
    given = releasability if type(releasability) is Releasability else Releasability(releasability)
    if given is not Releasability.SHARED or (grading is None and grade_as_given is None):
        return given
    if type(grading) is Grading and grading.handling is Handling.PERMITTED:
        return given  # handling P: lawful sharing permitted (the common case, kept cheap)
    side = agency_side(agency)
    if side is None:
        return given
    problems: tuple[str, ...] = ()
    grade: Grading | None = None
    if isinstance(grading, Grading):
        grade = grading
    elif grading is not None:
        try:
            grade = Grading.model_validate(dict(grading))
        except ValidationError as exc:
            problems = (f"grading unreadable: {exc.errors()[0]['msg']}",)
    elif grade_as_given is not None:
        reading = read_grade(grade_as_given)
        grade, problems = reading.grading, reading.problems
    partner = Side.FR if side is Side.UK else Side.UK
    decision = decide(partner, releasability=given, grading=grade, grade_problems=problems)
    return given if decision.include else OWN_SIDE_ONLY[side]


def reach_of_json(data: Mapping[str, Any]) -> Releasability:
    """:func:`reach` of an event in its stored JSON form."""
    given = data.get("grade_as_given")
    return reach(
        data.get("releasability", "shared"),
        str(data.get("agency", "")),
        data.get("grading"),
        given if isinstance(given, str) else None,
    )


def reach_of(event: Event) -> Releasability:
    """:func:`reach` of an event model."""
    fields = event.__dict__  # its values, without pydantic's attribute hook (appends: per event)
    given = fields.get("grade_as_given")  # a field of some types only
    return reach(
        fields["releasability"],
        fields["agency"],
        fields["grading"],
        given if isinstance(given, str) else None,
    )
