"""Source grading of a report: the 3x5x2 system used by UK law enforcement.

A grade has three parts, written together as a code such as ``"1AP"`` or ``"2BC"``:

- **source evaluation** (1-3): ``1`` reliable, ``2`` untested, ``3`` not reliable;
- **intelligence assessment** (A-E): ``A`` known directly to the source, ``B`` known indirectly
  to the source but corroborated, ``C`` known indirectly to the source, ``D`` not known,
  ``E`` suspected to be false or malicious;
- **handling** (P or C): ``P`` lawful sharing permitted; ``C`` lawful sharing permitted with
  conditions, which must then be stated in ``conditions``.

Public API (stable): :class:`SourceEvaluation`, :class:`IntelligenceAssessment`,
:class:`Handling`, :class:`Grading` (``Grading.parse("1AP")``, ``grading.code``).
The older 5x5x5 system is mapped in a separate module (intelligence area).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class SourceEvaluation(StrEnum):
    """How reliable the source is (3x5x2, first part)."""

    RELIABLE = "1"
    UNTESTED = "2"
    NOT_RELIABLE = "3"


class IntelligenceAssessment(StrEnum):
    """How the source came to know the information (3x5x2, second part)."""

    KNOWN_DIRECTLY = "A"
    KNOWN_INDIRECTLY_CORROBORATED = "B"
    KNOWN_INDIRECTLY = "C"
    NOT_KNOWN = "D"
    SUSPECTED_FALSE = "E"


class Handling(StrEnum):
    """Whether the information may be shared (3x5x2, third part)."""

    PERMITTED = "P"
    CONDITIONS = "C"


class Grading(BaseModel):
    """A 3x5x2 grade. ``conditions`` is required with handling ``C`` and refused with ``P``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: SourceEvaluation = Field(
        description="source evaluation: 1 reliable, 2 untested, 3 not reliable"
    )
    intelligence: IntelligenceAssessment = Field(
        description="A known directly, B indirectly but corroborated, C indirectly, D not known, "
        "E suspected false"
    )
    handling: Handling = Field(
        default=Handling.PERMITTED,
        description="P lawful sharing permitted, C permitted with conditions",
    )
    conditions: str | None = Field(
        default=None, max_length=1000, description="handling conditions (only with handling C)"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_code(cls, data: Any) -> Any:
        if isinstance(data, str):
            return _split_code(data)
        return data

    @model_validator(mode="after")
    def _conditions_match_handling(self) -> Grading:
        if self.handling is Handling.CONDITIONS and not (self.conditions or "").strip():
            raise ValueError("handling code C needs the conditions stated in `conditions`")
        if self.handling is Handling.PERMITTED and self.conditions:
            raise ValueError("`conditions` is only for handling code C, not P")
        return self

    @property
    def code(self) -> str:
        """The compact code, e.g. ``"1AP"``."""
        return f"{self.source.value}{self.intelligence.value}{self.handling.value}"

    @classmethod
    def parse(cls, code: str, conditions: str | None = None) -> Grading:
        """Parse ``"1AP"`` / ``"2BC"`` (case-insensitive); conditions go with ``C``."""
        return cls.model_validate({**_split_code(code), "conditions": conditions})


def _split_code(code: str) -> dict[str, str]:
    text = code.strip().upper()
    if len(text) not in (2, 3):
        raise ValueError(f"grading code {code!r}: expected e.g. '1AP' (source 1-3, A-E, P/C)")
    handling = text[2] if len(text) == 3 else "P"
    return {"source": text[0], "intelligence": text[1], "handling": handling}
