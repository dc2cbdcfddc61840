"""Agencies and assets: who records events, and the vessels they name. Pure models, no I/O.

The registries are data (seeded from ``manche/data/registry/*.csv``, then edited by an admin);
these models say what a valid row is. Codes are stable identifiers used inside events
(``agency``, assets involved), so a code is never renamed: an asset or agency that leaves
service is marked ``active=False`` and kept, so old events still resolve.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from manche.domain.values import LonLat, Side

CODE_PATTERN = r"^(UK|FR)-[A-Z0-9]+(-[A-Z0-9]+)*$"
_CODE = re.compile(CODE_PATTERN)


class AgencyKind(StrEnum):
    MINISTRY = "ministry"
    BORDER = "border"
    POLICE = "police"
    NAVY = "navy"
    SAR_COORDINATION = "sar_coordination"
    SAR_UNIT = "sar_unit"
    STATE_ACTION_AT_SEA = "state_action_at_sea"


class AssetKind(StrEnum):
    CUTTER = "cutter"
    COASTAL_PATROL_VESSEL = "coastal_patrol_vessel"
    PATROL_VESSEL = "patrol_vessel"
    PATROL_BOAT = "patrol_boat"
    LIFEBOAT = "lifeboat"
    AIRCRAFT = "aircraft"
    OTHER = "other"


class Agency(BaseModel):
    """An agency that records events. Its side decides what its users may see."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=CODE_PATTERN, description="e.g. UK-BF, FR-CROSS-GN")
    side: Side
    name_en: str = Field(min_length=1, max_length=200)
    name_fr: str = Field(min_length=1, max_length=200)
    kind: AgencyKind
    parent: str | None = Field(default=None, pattern=CODE_PATTERN)
    position: LonLat | None = Field(default=None, description="for rescue coordination centres")
    position_note: str = ""
    mandate: tuple[str, ...] = Field(
        default=("*",),
        description="event types its operators record ('*' = all); distress and rescue are "
        "always allowed whatever this says",
    )
    active: bool = True
    source: str = Field(min_length=1, description="where the facts in this row come from")

    @model_validator(mode="after")
    def _code_matches_side(self) -> Agency:
        if not self.code.startswith(f"{self.side.value}-"):
            raise ValueError(f"agency code {self.code!r} must start with {self.side.value}-")
        return self

    def records(self, event_type: str) -> bool:
        """Whether the agency's mandate covers ``event_type`` (before the distress exemption)."""
        return "*" in self.mandate or event_type in self.mandate


class Asset(BaseModel):
    """A vessel (or aircraft) an agency deploys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    kind: AssetKind
    agency: str = Field(pattern=CODE_PATTERN, description="code of the owning agency")
    speed_kn: float | None = Field(default=None, gt=0, le=60, description="knots")
    speed_basis: str = Field(default="", description="what the speed figure is, and its source")
    speed_approx: bool = Field(default=True, description="true unless published for this vessel")
    home_base: str = ""
    home: LonLat | None = None
    active: bool = True
    source: str = Field(min_length=1)


def is_code(value: str) -> bool:
    return bool(_CODE.match(value))
