"""Value types shared by every part of the domain."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)


class OmitsAbsent(BaseModel):
    """A model whose fields named in ``omitted_when_absent`` are left out of its stored form
    when they are None (so adding such a field keeps the bytes, and the hashes, of records made
    before it). The record's canonical encoder knows this rule (``record/canonical.py``)."""

    omitted_when_absent: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in self.omitted_when_absent:
                if data.get(name, 0) is None:
                    del data[name]
        return data


class Side(StrEnum):
    """The two partners of the record."""

    UK = "UK"
    FR = "FR"


class Releasability(StrEnum):
    """Who may see a record: both sides, or only one."""

    SHARED = "shared"
    UK_ONLY = "uk-only"
    FR_ONLY = "fr-only"

    def visible_to(self, side: Side) -> bool:
        if self is Releasability.SHARED:
            return True
        return (self is Releasability.UK_ONLY) == (side is Side.UK)


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A timestamp that must carry a timezone; stored and compared in UTC."""


class LonLat(BaseModel):
    """A WGS84 position."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lon: float = Field(ge=-180.0, le=180.0, description="longitude, decimal degrees (WGS84)")
    lat: float = Field(ge=-90.0, le=90.0, description="latitude, decimal degrees (WGS84)")
