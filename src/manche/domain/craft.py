"""Descriptions of boats and engines, recorded exactly as given.

Officers copy what they read off a hull or an engine cowling: a make, a model, a serial
plate, sometimes wrong, often partial. These models keep every field as given and never
refuse a value (a length of ``"7,5 m"`` stays a string); the intelligence readings flag
malformed or implausible values later, so nothing recorded is silently changed or lost.

Public API (stable): :class:`BoatDescription`, :class:`EngineDescription`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# A number when given as one, otherwise the text as written ("7,5 m", "approx 40").
Measure = float | str


class BoatDescription(BaseModel):
    """A small boat as described by whoever saw or seized it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    make: str | None = Field(default=None, description="manufacturer as read")
    model: str | None = Field(default=None, description="model as read")
    length_m: Measure | None = Field(default=None, description="length in metres, as given")
    colour: str | None = Field(default=None, description="hull/tube colour")
    hin: str | None = Field(default=None, description="hull identification number, as read")


class EngineDescription(BaseModel):
    """An outboard engine as described by whoever saw or seized it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    make: str | None = Field(default=None, description="manufacturer as read")
    model: str | None = Field(default=None, description="model as read")
    power_hp: Measure | None = Field(default=None, description="power in horsepower, as given")
    serial: str | None = Field(default=None, description="serial number, as read")
