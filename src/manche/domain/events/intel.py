"""Intelligence events: analysts' decisions about links, and purchases reported by investigators.

Types:

- ``link-confirmed``: an analyst confirms that two observations (a boat or an engine named by
  event id and item) are the same boat or engine. The intelligence reading adds the link.
- ``link-split``: an analyst states that two observations are *not* the same; the reading
  never puts them in one group again, whatever the automatic rules say.
- ``purchase-reported``: investigators report that boats or engines were bought (where, which
  case), with the boat/engine descriptions as read.

Links are never edited: a later decision is a new event, and the latest decision about a pair
wins. ``grade_as_given`` keeps a grade exactly as supplied when it is not a valid 3x5x2 code
(e.g. a 5x5x5 code ``"B24"`` or a mistyped one): the reading maps or flags it, never drops it.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from manche.domain.events.base import Event, register
from manche.domain.events.examples import add_examples
from manche.domain.events.sea import CraftFields

ItemRef = Annotated[str, StringConstraints(pattern=r"^(boat|engine/[0-9]{1,2})$")]


class ObservationRef(BaseModel):
    """One boat or engine in one event: ``{"event": id, "item": "boat" | "engine/N"}``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event: UUID
    item: ItemRef = Field(description="'boat', or 'engine/N' for the N-th engine (from 0)")

    @property
    def key(self) -> str:
        return f"{self.event}/{self.item}"


class _LinkDecision(Event):
    a: ObservationRef = Field(description="one observation: {event: id, item: boat | engine/N}")
    b: ObservationRef = Field(description="the other observation")
    reason: str = Field(min_length=1, max_length=2000, description="why (no names)")


@register
class LinkConfirmed(_LinkDecision):
    """Two observations are the same boat or engine (an analyst's decision)."""

    type: Literal["link-confirmed"] = "link-confirmed"


@register
class LinkSplit(_LinkDecision):
    """Two observations are not the same boat or engine (an analyst's decision)."""

    type: Literal["link-split"] = "link-split"


@register
class PurchaseReported(CraftFields):
    """Boats or engines bought for crossings, as reported by investigators."""

    type: Literal["purchase-reported"] = "purchase-reported"
    place: str | None = Field(default=None, max_length=200, description="where they were bought")
    case_ref: str | None = Field(default=None, max_length=64, description="pseudonymous case")
    price_eur: float | None = Field(default=None, ge=0, description="price paid, euros")


add_examples(
    {
        "link-confirmed": {
            "a": {"event": "0b9a3c1e-2f43-4e5a-9d8c-1a2b3c4d5e6f", "item": "engine/0"},
            "b": {"event": "5d0c1a9e-7b1f-4c2d-8e3a-2b4c6d8e0f12", "item": "engine/0"},
            "reason": "plate photographed on both seizures: same serial, second read misread",
        },
        "link-split": {
            "a": {"event": "0b9a3c1e-2f43-4e5a-9d8c-1a2b3c4d5e6f", "item": "boat"},
            "b": {"event": "5d0c1a9e-7b1f-4c2d-8e3a-2b4c6d8e0f12", "item": "boat"},
            "reason": "different hull colours and lengths: cloned HIN",
        },
        "purchase-reported": {
            "place": "Dunkerque",
            "case_ref": "CASE-7731",
            "engines": [{"make": "Parsun", "power_hp": 40, "serial": "PS40-2231187"}],
            "grade_as_given": "B24",
        },
    }
)
