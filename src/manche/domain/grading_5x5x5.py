"""The older 5x5x5 grading, and how it maps onto the 3x5x2 grading the record carries.

5x5x5 (National Intelligence Model; as listed in HMRC's internal manual MLR3C14000):

- source evaluation A-E: A always reliable, B mostly reliable, C sometimes reliable,
  D unreliable, E untested source;
- intelligence evaluation 1-5: 1 known to be true without reservation, 2 known personally to
  the source but not to the officer, 3 not personally known to the source but corroborated,
  4 cannot be judged, 5 suspected to be false or malicious;
- handling code 1-5: 1 may be disseminated to other law enforcement and prosecuting agencies,
  including in the EEA (no special conditions); 2 to UK non-prosecuting parties (authorisation
  and records needed); 3 to non-EEA law enforcement agencies (special conditions apply);
  4 within the originating agency only; 5 no further dissemination: refer to the originator.

3x5x2 (College of Policing, Authorised Professional Practice, intelligence management):
source 1 reliable / 2 untested / 3 not reliable; intelligence A known directly to the source,
B known indirectly but corroborated, C known indirectly, D not known, E suspected false;
handling P lawful sharing permitted / C permitted with conditions.

The mapping (rationale in docs/intelligence.md; a judgement, not a published table):

=========  =====  ==========================================================================
5x5x5      3x5x2  why
=========  =====  ==========================================================================
A, B       1      a source with a record of reliability is "reliable"
C          2      "sometimes reliable" is not an established record: treated as untested
D          3      unreliable
E          2      untested
1, 2       A      known directly (to the officer, or personally to the source)
3          B      not personally known to the source but corroborated
4          C      cannot be judged: at best known indirectly, uncorroborated
5          E      suspected false or malicious
h1         P      dissemination to law enforcement incl. abroad without special conditions
h2-h5      C      conditions, stated from the 5x5x5 code; h4 and h5 forbid any dissemination
                  beyond the originator, so the sharing rules never export them
=========  =====  ==========================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from manche.domain.grading import Grading, Handling, IntelligenceAssessment, SourceEvaluation

SOURCE_MAP = {
    "A": SourceEvaluation.RELIABLE,
    "B": SourceEvaluation.RELIABLE,
    "C": SourceEvaluation.UNTESTED,
    "D": SourceEvaluation.NOT_RELIABLE,
    "E": SourceEvaluation.UNTESTED,
}
INTELLIGENCE_MAP = {
    "1": IntelligenceAssessment.KNOWN_DIRECTLY,
    "2": IntelligenceAssessment.KNOWN_DIRECTLY,
    "3": IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED,
    "4": IntelligenceAssessment.KNOWN_INDIRECTLY,
    "5": IntelligenceAssessment.SUSPECTED_FALSE,
}
HANDLING_CONDITIONS = {
    "2": "5x5x5 handling 2: UK non-prosecuting parties only, with authorisation and records; "
    "no-foreign-dissemination",
    "3": "5x5x5 handling 3: may go to non-EEA law enforcement, special conditions apply; "
    "refer-to-originator",
    "4": "5x5x5 handling 4: within the originating agency only; originator-only",
    "5": "5x5x5 handling 5: no further dissemination, refer to the originator; originator-only",
}

_CODE = re.compile(r"^\s*([A-Ea-e])\s*[-/ ]?\s*([1-5])\s*[-/ ]?\s*([1-5])\s*$")


@dataclass(frozen=True, slots=True)
class GradeReading:
    """A grade as given, read as 3x5x2: the grading, the scheme it came in, and problems."""

    given: str
    scheme: str | None  # "3x5x2", "5x5x5" or None when unreadable
    grading: Grading | None
    problems: tuple[str, ...] = ()


def from_5x5x5(code: str) -> Grading:
    """Map a 5x5x5 code such as ``"B24"`` (or ``"B-2-4"``) to a 3x5x2 :class:`Grading`."""
    match = _CODE.match(code)
    if match is None:
        raise ValueError(
            f"{code!r} is not a 5x5x5 code (source A-E, intelligence 1-5, handling 1-5)"
        )
    source, intel, handling = match.group(1).upper(), match.group(2), match.group(3)
    if handling == "1":
        return Grading(source=SOURCE_MAP[source], intelligence=INTELLIGENCE_MAP[intel])
    return Grading(
        source=SOURCE_MAP[source],
        intelligence=INTELLIGENCE_MAP[intel],
        handling=Handling.CONDITIONS,
        conditions=HANDLING_CONDITIONS[handling],
    )


def read_grade(given: str, conditions: str | None = None) -> GradeReading:
    """Read a grade as supplied: a 3x5x2 code (``"1AP"``, ``"2BC"`` with conditions), or a
    5x5x5 code (mapped). Anything else is kept with each problem named, never dropped."""
    text = given.strip().upper()
    if _CODE.match(text):
        return GradeReading(given, "5x5x5", from_5x5x5(text))
    problems: list[str] = []
    if len(text) not in (2, 3):
        problems.append(
            f"grade {given!r} has {len(text)} characters; a 3x5x2 code has 3 (e.g. 1AP, 2BC) "
            "and a 5x5x5 code 3 (e.g. B24)"
        )
    else:
        source, intel = text[0], text[1]
        handling = text[2] if len(text) == 3 else "P"
        if source not in "123":
            problems.append(f"source evaluation {source!r} is outside 1-3")
        if intel not in "ABCDE":
            problems.append(f"intelligence assessment {intel!r} is outside A-E")
        if handling not in "PC":
            problems.append(f"handling code {handling!r} is neither P nor C")
        elif handling == "C" and not (conditions or "").strip():
            problems.append(
                "handling C (sharing permitted with conditions) but no conditions stated"
            )
        elif handling == "P" and conditions:
            problems.append("conditions given with handling P")
    if problems:
        return GradeReading(given, None, None, tuple(problems))
    return GradeReading(given, "3x5x2", Grading.parse(text, conditions))
