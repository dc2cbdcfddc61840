"""Events of the equipment ledger: life jackets, thermal blankets, pumps and any other kit that
the two sides issue at sea, recover on landing and hand back to each other.

Every quantity belongs to a *holder*: an agency at a location (a port, a base, or a vessel when
``vessel`` is given). The recording agency is the holder for issue, recovery and stock counts;
a handover is recorded twice, once by the sender (``equipment_handed_over``) and once by the
receiver (``equipment_received``), matched by the ``handover_ref`` both sides quote, so the ledger
can reconcile the two accounts instead of trusting one.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from manche.domain.events.base import AssetCode, Event, FieldError, register
from manche.domain.events.examples import add_examples
from manche.domain.privacy import screen_note

_CODE = re.compile(r"^[a-z][a-z0-9_\-]{1,39}$")

KNOWN_EQUIPMENT: dict[str, str] = {
    "life_jacket": "life jacket (adult)",
    "life_jacket_child": "life jacket (child)",
    "thermal_blanket": "thermal (foil) blanket",
    "pump": "pump (hand or electric)",
    "buoyancy_aid": "buoyancy aid / lifebuoy",
    "liferaft": "life raft",
}


def _code(value: str) -> str:
    if not _CODE.match(value):
        raise ValueError(f"{value!r} is not a lower-case code (letters, digits, _ or -)")
    return value


Code = Annotated[str, AfterValidator(_code)]
"""An equipment type, location or handover code: lower case, 2-40 characters."""

Name = Annotated[str, Field(min_length=1, max_length=80)]
"""An agency code (as in the registry), e.g. UK-BF, FR-CROSS-GN."""


class _EquipmentEvent(Event):
    equipment: Code = Field(description="equipment type code, e.g. life_jacket, thermal_blanket")
    quantity: int = Field(gt=0, le=100_000, description="number of items")
    location: Code = Field(description="where the holder keeps the items, e.g. dover, calais")
    vessel: AssetCode | None = Field(None, description="asset code of the vessel involved")

    @model_validator(mode="after")
    def _screen(self) -> _EquipmentEvent:
        screen_note(self.note)
        return self


@register
class EquipmentIssued(_EquipmentEvent):
    """Items given out (e.g. life jackets distributed at sea) by the recording agency."""

    type: Literal["equipment-issued"] = "equipment-issued"


@register
class EquipmentRecovered(_EquipmentEvent):
    """Items recovered (e.g. on landing, from people arriving wearing them)."""

    type: Literal["equipment-recovered"] = "equipment-recovered"


@register
class EquipmentHandedOver(_EquipmentEvent):
    """The sender's account of a handover: from the recording agency to ``to_agency``."""

    type: Literal["equipment-handed-over"] = "equipment-handed-over"
    handover_ref: Code = Field(description="reference both sides quote, e.g. ho-2025-09-12-dover")
    to_agency: Name
    to_location: Code
    to_vessel: AssetCode | None = None


@register
class EquipmentReceived(_EquipmentEvent):
    """The receiver's account of a handover from ``from_agency`` (``location``: where it went)."""

    type: Literal["equipment-received"] = "equipment-received"
    handover_ref: Code
    from_agency: Name
    from_vessel: AssetCode | None = None


@register
class EquipmentStockCount(_EquipmentEvent):
    """A physical count at a location; the ledger flags any difference with its own figure."""

    type: Literal["equipment-stock-count"] = "equipment-stock-count"
    quantity: int = Field(ge=0, le=1_000_000, description="items counted (may be zero)")


@register
class EquipmentStatementEndorsed(Event):
    """An agency endorses a periodic handover statement, identified by its SHA-256.

    Recorded by each side, the endorsement is covered by that side's signature in the log, so the
    statement ends up signed by both without a separate signing channel.
    """

    type: Literal["equipment-statement-endorsed"] = "equipment-statement-endorsed"
    period_start: date
    period_end: date
    counterpart: Name = Field(description="the other agency of the statement")
    statement_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _period(self) -> EquipmentStatementEndorsed:
        if self.period_end < self.period_start:
            raise FieldError("period_end", "period_end is before period_start")
        screen_note(self.note)
        return self


EQUIPMENT_EVENTS: tuple[type[Event], ...] = (
    EquipmentIssued,
    EquipmentRecovered,
    EquipmentHandedOver,
    EquipmentReceived,
    EquipmentStockCount,
    EquipmentStatementEndorsed,
)


add_examples(
    {
        "equipment-issued": {
            "equipment": "life_jacket",
            "quantity": 40,
            "location": "boulogne",
            "vessel": "FR-FLAMANT",
        },
        "equipment-recovered": {"equipment": "life_jacket", "quantity": 38, "location": "dover"},
        "equipment-handed-over": {
            "equipment": "life_jacket",
            "quantity": 200,
            "location": "dover",
            "vessel": "UK-BF-VALIANT",
            "handover_ref": "ho-2026-08-20-dover",
            "to_agency": "FR-PREMAR",
            "to_location": "calais",
            "to_vessel": "FR-CORMORAN",
        },
        "equipment-received": {
            "equipment": "life_jacket",
            "quantity": 200,
            "location": "calais",
            "handover_ref": "ho-2026-08-20-dover",
            "from_agency": "UK-BF",
            "from_vessel": "UK-BF-VALIANT",
        },
        "equipment-stock-count": {"equipment": "life_jacket", "quantity": 120, "location": "dover"},
        "equipment-statement-endorsed": {
            "period_start": "2026-08-01",
            "period_end": "2026-08-31",
            "counterpart": "FR-PREMAR",
            "statement_sha256": "0" * 64,
        },
    }
)
