"""Law-enforcement events: what was seized, who was arrested (roles and counts, never names).

Types: ``seizure`` (a boat, engines, other items, with make/model/serial as read) and
``arrest`` (facilitators, pilots; a pseudonymous case number, never a name).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from manche.domain.events.base import Event, FieldError, register, upcaster
from manche.domain.events.sea import CraftFields, grade_as_given_added


@register
class Seizure(CraftFields):
    """Equipment seized: the boat, its engines, other items (fuel, life jackets...)."""

    version = 2

    type: Literal["seizure"] = "seizure"
    place: str | None = Field(default=None, max_length=200, description="where it was seized")
    items: tuple[str, ...] = Field(default=(), description="other items seized, as described")

    @model_validator(mode="after")
    def _something(self) -> Seizure:
        if self.boat is None and not self.engines and not self.items:
            raise FieldError("items", "a seizure needs a boat, an engine or an item")
        return self


upcaster("seizure", 1)(grade_as_given_added)  # v2 added grade_as_given (CraftFields)


@register
class Arrest(Event):
    """People arrested in connection with a crossing, by role."""

    type: Literal["arrest"] = "arrest"
    role: Literal["facilitator", "pilot", "other"] = Field(
        description="facilitator (organiser, smuggler) or pilot (steering the boat)"
    )
    count: int = Field(default=1, ge=1)
    case_ref: str | None = Field(
        default=None, max_length=64, description="pseudonymous case number (never a name)"
    )
