"""Search-and-rescue phases (IAMSAR) and the rules that raise them, as data.

IAMSAR Manual, Vol. II, ch. 3 ("Emergency phases"): *uncertainty* (INCERFA) when there is doubt
about the safety of a craft and the persons on board; *alert* (ALERFA) when apprehension exists
as to their safety; *distress* (DETRESFA) when there is reasonable certainty that they are
threatened by grave and imminent danger and require immediate assistance.

Manche raises a phase from what the record says; it never lowers one on its own (a centre
concludes SAR action by recording the outcome: a rescue, an interception, a landing or a return).
Each rule below is data: what triggers it, which phase it sets, and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum

from manche.domain.events.sea import DistressKind


class SarPhase(IntEnum):
    """Ordered: a higher phase is more serious."""

    NONE = 0
    INCERFA = 1
    ALERFA = 2
    DETRESFA = 3

    @property
    def label(self) -> str:
        return "-" if self is SarPhase.NONE else self.name


@dataclass(frozen=True)
class PhaseRule:
    code: str
    phase: SarPhase
    trigger: str
    reason: str


SOURCE = "IAMSAR Manual Vol. II, ch. 3 (emergency phases)"

DISTRESS_KIND_PHASE: dict[DistressKind, PhaseRule] = {
    DistressKind.SIGNALLED: PhaseRule(
        "SAR-DISTRESS-SIGNAL",
        SarPhase.DETRESFA,
        "distress signalled",
        "a distress call or signal is reasonable certainty of grave and imminent danger",
    ),
    DistressKind.PEOPLE_IN_WATER: PhaseRule(
        "SAR-PIW",
        SarPhase.DETRESFA,
        "people in the water",
        "people in the water are in grave and imminent danger",
    ),
    DistressKind.DEFLATING_TUBES: PhaseRule(
        "SAR-DEFLATING",
        SarPhase.DETRESFA,
        "deflating tubes",
        "a deflating inflatable will not stay afloat: grave and imminent danger",
    ),
    DistressKind.TAKING_WATER: PhaseRule(
        "SAR-TAKING-WATER",
        SarPhase.DETRESFA,
        "taking water",
        "a small boat taking water may founder: grave and imminent danger",
    ),
    DistressKind.ENGINE_FAILURE: PhaseRule(
        "SAR-ENGINE",
        SarPhase.ALERFA,
        "engine failure",
        "a boat adrift in a traffic separation scheme gives apprehension for its safety",
    ),
    DistressKind.OVERCROWDED: PhaseRule(
        "SAR-OVERCROWDED",
        SarPhase.ALERFA,
        "overcrowded",
        "an overloaded boat gives apprehension for the safety of those aboard",
    ),
    DistressKind.OTHER: PhaseRule(
        "SAR-OTHER",
        SarPhase.ALERFA,
        "other difficulty reported",
        "a reported difficulty gives apprehension until assessed",
    ),
}

UNSIGHTED_AFTER_LAUNCH = timedelta(minutes=60)
UNSIGHTED_RULE = PhaseRule(
    "SAR-UNSIGHTED",
    SarPhase.INCERFA,
    f"launched and no position report for {int(UNSIGHTED_AFTER_LAUNCH.total_seconds() // 60)} min",
    "doubt about the safety of a boat known to be at sea whose position is unknown",
)
