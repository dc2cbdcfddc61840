"""Counts of people: how many, how many adults and minors, and by nationality.

Manche stores counts and categories, never names. ``Persons.total`` is required; ``adults``
and ``minors`` are optional (often unknown at sea) but cannot add up to more than the total.
``Nationalities`` maps a nationality as recorded (e.g. ``"Afghanistan"``, ``"Eritrea"``, the
Home Office's wording) to a count.

Public API (stable): :class:`Persons`, :data:`Nationalities`, :func:`check_nationalities`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NationalityName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)
]
Nationalities = dict[NationalityName, Annotated[int, Field(ge=0)]]
"""Nationality -> number of people (counts only)."""


class Persons(BaseModel):
    """How many people, with adults and minors when known."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    total: int = Field(ge=0, description="number of people")
    adults: int | None = Field(default=None, ge=0, description="adults, when known")
    minors: int | None = Field(default=None, ge=0, description="minors, when known")

    @model_validator(mode="after")
    def _parts_within_total(self) -> Persons:
        known = (self.adults or 0) + (self.minors or 0)
        if known > self.total:
            raise ValueError(
                f"adults ({self.adults}) + minors ({self.minors}) exceed total ({self.total})"
            )
        return self


def check_nationalities(
    nationalities: Nationalities | None, persons: Persons | None
) -> Nationalities | None:
    """Refuse nationality counts that add up to more people than were counted."""
    if nationalities and persons is not None:
        counted = sum(nationalities.values())
        if counted > persons.total:
            raise ValueError(
                f"nationality counts add up to {counted}, more than persons.total {persons.total}"
            )
    return nationalities
