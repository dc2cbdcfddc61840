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
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from manche.domain.grading import Grading, Handling
from manche.domain.values import Releasability, Side

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
