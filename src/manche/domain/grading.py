"""Source grading of a report: the 3x5x2 system used by UK law enforcement.

A grade has three parts, written together as a code such as ``"1AP"`` or ``"2BC"``:

- **source evaluation** (1-3): ``1`` reliable, ``2`` untested, ``3`` not reliable;
- **intelligence assessment** (A-E): ``A`` known directly to the source, ``B`` known indirectly
  to the source but corroborated, ``C`` known indirectly to the source, ``D`` not known,
  ``E`` suspected to be false or malicious;
- **handling** (P or C): ``P`` lawful sharing permitted; ``C`` lawful sharing permitted with
  conditions, which must then be stated in ``conditions``.

As input a grade may be an object, a code string (``"1AP"``) or ``{"code": "2BC",
"conditions": "..."}``; it is always stored as the object.

A grade in the older **5x5x5** system is accepted as ``{"scheme": "5x5x5", "code": "B24"}``
(or as the bare code ``"B24"``: a letter A-E then two digits 1-5 cannot be a 3x5x2 code). It is
mapped to 3x5x2 by :func:`manche.domain.grading_5x5x5.from_5x5x5` (the documented mapping)
and the grade exactly as given is kept in ``as_given``, so nothing recorded is changed
silently; a stored grade whose 3x5x2 fields do not match the mapping of its ``as_given`` code
is refused. ``as_given`` is left out of the stored form when absent (3x5x2 input), so the
stored bytes of such grades are what they always were.

Public API (stable): :class:`SourceEvaluation`, :class:`IntelligenceAssessment`,
:class:`Handling`, :class:`GradeAsGiven`, :class:`Grading` (``Grading.parse("1AP")``,
``grading.code``, ``grading.scheme_as_given``).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from manche.domain.values import OmitsAbsent

SCHEMES = ("3x5x2", "5x5x5")
_LOOKS_5X5X5 = re.compile(r"^\s*[A-Ea-e]\s*[-/ ]?\s*[0-9]")


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


class GradeAsGiven(BaseModel):
    """A grade exactly as it was given in another scheme (5x5x5), before it was mapped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scheme: Literal["5x5x5"] = Field(description="the scheme the grade was given in")
    code: str = Field(min_length=1, max_length=40, description="the code as given, e.g. B24")


class Grading(OmitsAbsent):
    """A 3x5x2 grade. ``conditions`` is required with handling ``C`` and refused with ``P``.

    Input may also be a 5x5x5 grade, ``{"scheme": "5x5x5", "code": "B24"}``: it is mapped
    (docs/intelligence.md) and kept as given in ``as_given``."""

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
    omitted_when_absent = frozenset({"as_given"})

    as_given: GradeAsGiven | None = Field(
        default=None,
        description="the grade as given when it came in the 5x5x5 scheme (the fields above are "
        "its mapping); absent for 3x5x2 input",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_code(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {"code": data}
        if isinstance(data, dict) and ("code" in data or "scheme" in data):
            return _from_input(data)
        return data

    @model_validator(mode="after")
    def _conditions_match_handling(self) -> Grading:
        if self.handling is Handling.CONDITIONS and not (self.conditions or "").strip():
            raise ValueError("handling code C needs the conditions stated in `conditions`")
        if self.handling is Handling.PERMITTED and self.conditions:
            raise ValueError("`conditions` is only for handling code C, not P")
        if self.as_given is not None:
            mapped = _mapped_5x5x5(self.as_given.code)
            if mapped != self.model_dump(mode="json", exclude={"as_given"}):
                raise ValueError(
                    f"the 3x5x2 fields do not match the mapping of the 5x5x5 code as given "
                    f"({self.as_given.code!r} maps to {mapped})"
                )
        return self

    @property
    def scheme_as_given(self) -> str:
        """``"5x5x5"`` when the grade was given in that scheme and mapped, else ``"3x5x2"``."""
        return self.as_given.scheme if self.as_given is not None else "3x5x2"

    @property
    def code(self) -> str:
        """The compact code, e.g. ``"1AP"``."""
        return f"{self.source.value}{self.intelligence.value}{self.handling.value}"

    @classmethod
    def parse(cls, code: str, conditions: str | None = None) -> Grading:
        """Parse ``"1AP"`` / ``"2BC"`` (case-insensitive); conditions go with ``C``."""
        return cls.model_validate({"code": code, "conditions": conditions})


def _from_input(data: dict[str, Any]) -> dict[str, Any]:
    """``{"code": ..., "scheme": ..., "conditions": ...}`` as the model's fields; a 5x5x5 code
    (scheme given, or a code that can only be 5x5x5) is mapped and kept as given."""
    code = data.get("code")
    if not isinstance(code, str):
        raise ValueError(
            f"grading `code` must be a string such as '1AP' (3x5x2) or 'B24' (5x5x5), not {code!r}"
        )
    scheme = data.get("scheme")
    if scheme is None:
        scheme = "5x5x5" if _LOOKS_5X5X5.match(code) else "3x5x2"
    if scheme not in SCHEMES:
        raise ValueError(f"grading scheme {scheme!r}: expected one of {', '.join(SCHEMES)}")
    rest = {key: value for key, value in data.items() if key not in ("code", "scheme")}
    if scheme == "3x5x2":
        return {**_split_code(code), **rest}
    if rest:
        raise ValueError(
            f"a 5x5x5 grade is given as `scheme` and `code` only (its handling code states the "
            f"conditions); remove {', '.join(sorted(rest))}"
        )
    return {**_mapped_5x5x5(code), "as_given": {"scheme": "5x5x5", "code": code}}


def _mapped_5x5x5(code: str) -> dict[str, Any]:
    # imported here: the 5x5x5 module builds on this one
    from manche.domain.grading_5x5x5 import from_5x5x5

    return from_5x5x5(code).model_dump(mode="json", exclude={"as_given"})


def _split_code(code: str) -> dict[str, str]:
    text = code.strip().upper()
    if len(text) not in (2, 3):
        raise ValueError(f"grading code {code!r}: expected e.g. '1AP' (source 1-3, A-E, P/C)")
    handling = text[2] if len(text) == 3 else "P"
    return {"source": text[0], "intelligence": text[1], "handling": handling}
