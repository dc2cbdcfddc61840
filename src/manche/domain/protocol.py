"""The rules of the two sides, written as data with their sources.

``ACTION_RULES`` say who acts where; ``REVIEW_RULES`` are the checks that produce *review*
findings: facts for the two sides to look at together, never accusations. Distress overrides
every zone rule: whoever can help responds, whatever the zone, and nothing in Manche blocks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Rule:
    code: str
    text: str
    source: str


PUBLIC_REPORTING = (
    "UK-France arrangements as described in public reporting (shared/DESIGN.md, 'Facts the "
    "system is built on')"
)
SOLAS = "SOLAS Chapter V, Regulation 33 (obligation to render assistance); UNCLOS art. 98"

ACTION_RULES: tuple[Rule, ...] = (
    Rule(
        "FR-ACTS-IN-FR",
        "French authorities act in French waters; people rescued there are landed in France.",
        PUBLIC_REPORTING,
    ),
    Rule("UK-ACTS-IN-UK", "Border Force acts in UK waters.", PUBLIC_REPORTING),
    Rule(
        "DISTRESS-ANYONE",
        "In distress, whoever can help responds, whatever the zone; this is never blocked.",
        SOLAS,
    ),
    Rule(
        "FIRST-ALERTED",
        "The first rescue centre alerted keeps coordination until the other "
        "accepts it; the handover is recorded.",
        "IAMSAR Manual Vol. II (SAR coordination)",
    ),
)

ESCORT_DISTRESS_GRACE = timedelta(minutes=15)
"""How long an escort may continue after distress is signalled before a review finding."""

REVIEW_RULES: tuple[Rule, ...] = (
    Rule(
        "REVIEW-UK-RESCUE-IN-FR-LANDED-UK",
        "A UK asset rescued people inside French territorial waters and they were landed in the "
        "UK (the arrangements say people rescued in French waters are landed in France).",
        PUBLIC_REPORTING,
    ),
    Rule(
        "REVIEW-ESCORT-DURING-DISTRESS",
        f"An escort continued for more than {int(ESCORT_DISTRESS_GRACE.total_seconds() // 60)} "
        "minutes after distress was signalled without a rescue or interception.",
        SOLAS,
    ),
    Rule(
        "REVIEW-HANDOVER-NOT-ACCEPTED",
        "A handover between vessels or sides has no recorded acceptance.",
        "IAMSAR Manual Vol. II (SAR coordination: a handover takes effect when accepted)",
    ),
    Rule(
        "REVIEW-LANDING-UNSIGHTED",
        "A landing with no preceding launch, sighting, escort or interception in the record.",
        PUBLIC_REPORTING,
    ),
    Rule(
        "REVIEW-ACTION-OUTSIDE-WATERS",
        "An interception by one side's asset inside the other side's territorial waters "
        "(no distress recorded).",
        PUBLIC_REPORTING,
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in (*ACTION_RULES, *REVIEW_RULES)}

MAX_SMALL_BOAT_KNOTS = 20.0
"""A laden small boat does roughly 4-8 knots; above this the positions are flagged."""
