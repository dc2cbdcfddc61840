"""Where authority assets are: position reports of vessels and aircraft (from AIS or entered
by an operator). They carry no incident; the live picture keeps each asset's latest position
to recommend the nearest assets to a boat in trouble, and the log keeps who was where.

Type: ``asset-position``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from manche.domain.events.base import AssetCode, Event, FieldError, register


@register
class AssetPosition(Event):
    """An authority asset's position at a time (``position`` required)."""

    type: Literal["asset-position"] = "asset-position"
    asset: AssetCode = Field(description="asset code from the registry, e.g. UK-BF-VALIANT")
    source: Literal["ais", "radar", "manual"] = "ais"
    mmsi: int | None = Field(default=None, ge=0, le=999_999_999, description="AIS identity")
    speed_kn: float | None = Field(default=None, ge=0.0, le=102.2, description="over ground")
    course_deg: float | None = Field(default=None, ge=0.0, lt=360.0)
    heading_deg: int | None = Field(default=None, ge=0, lt=360)

    @model_validator(mode="after")
    def _has_position(self) -> AssetPosition:
        if self.position is None:
            raise FieldError("position", "an asset position needs a position (lon/lat, WGS84)")
        return self
