"""Events at sea and on the coast: one boat's journey from launch to landing or return.

Types (the ``type`` field): ``launch``, ``prevention``, ``sighting``, ``escort``, ``distress``,
``rescue``, ``interception``, ``handover``, ``handover-acceptance``, ``landing``,
``return-to-france``, ``fatality``. Events of one boat's journey share an ``incident`` reference.

Rules the models enforce (refused with the field named):

- ``distress`` and ``rescue`` are always ``shared``: safety-of-life information must reach
  both rescue coordination centres (MRCC Dover and CROSS Gris-Nez) whoever records it;
- a ``sighting`` has a position; counts never go negative; adults + minors <= total;
  nationality counts add up to no more than ``persons.total``.

A ``handover`` and its ``handover-acceptance`` are separate events (the acceptance points at the
handover by id), so a handover nobody accepted can be found by reading the log.

``sighting`` is at version 2; version 1 (``persons_estimate: int``) is upcast to
``persons: {"total": n}`` by :func:`sighting_v1_to_v2`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import Field, ValidationInfo, field_validator, model_validator

from manche.domain.craft import BoatDescription, EngineDescription
from manche.domain.events.base import (
    AssetCode,
    Event,
    FieldError,
    JsonDict,
    register,
    upcaster,
)
from manche.domain.persons import Nationalities, Persons, check_nationalities
from manche.domain.sharing import reach_of
from manche.domain.values import Releasability

SHARED_RULE = (
    "{type} events are always shared: safety-of-life information must reach both rescue "
    "coordination centres (MRCC Dover and CROSS Gris-Nez), whichever agency records it"
)


def _must_be_shared(type_name: str, value: Releasability) -> Releasability:
    if value is not Releasability.SHARED:
        raise ValueError(SHARED_RULE.format(type=type_name) + f"; got {value.value!r}")
    return value


def _grading_must_not_withhold(event: Event) -> None:
    """A handling code that keeps the event from the other side (docs/intelligence.md, sharing)
    would hide safety-of-life information from the other centre: refused."""
    if event.grading is not None and reach_of(event) is not Releasability.SHARED:
        raise FieldError(
            "grading",
            SHARED_RULE.format(type=event.type)
            + f"; handling {event.grading.handling.value} with conditions "
            f"{event.grading.conditions!r} would keep it from the other side",
        )


class CraftFields(Event):
    """Mixin fields: the boat and engines, as described (optional), and a grade exactly as
    given when it is not a valid 3x5x2 grade (``grade_as_given``: a mistyped code, or another
    scheme): kept, never refused, and read by the intelligence readings, which name its
    problems and withhold the record from exchange when its handling cannot be established.

    ``grade_as_given`` came with version 2 of each type (3 for ``sighting``; ``purchase-
    reported`` always had it); the upcasters below give older records ``None``."""

    boat: BoatDescription | None = Field(default=None, description="the boat, as described")
    engines: tuple[EngineDescription, ...] = Field(default=(), description="its engines")
    grade_as_given: str | None = Field(
        default=None,
        max_length=40,
        description="the grade as supplied when it is not a valid 3x5x2 code (5x5x5, or wrong)",
    )


class LaunchMode(StrEnum):
    BEACH = "beach"
    TAXI_BOAT = "taxi-boat"


@register
class Launch(CraftFields):
    """A boat leaves the French coast: from a beach, or as a "taxi boat" that sets off empty
    and picks people up in shallow water further along the coast."""

    version = 2

    type: Literal["launch"] = "launch"
    mode: LaunchMode = Field(
        description="beach: boarded on the beach; taxi-boat: picked up in the water"
    )
    place: str | None = Field(default=None, max_length=200, description="beach or stretch of coast")
    persons: Persons | None = None


class PreventionSetting(StrEnum):
    BEACH = "beach"
    INLAND = "inland"
    WATER = "water"


@register
class Prevention(CraftFields):
    """A departure stopped before it happened: on the beach, inland (boats, engines or people
    found before reaching the coast) or in the water."""

    version = 2

    type: Literal["prevention"] = "prevention"
    setting: PreventionSetting
    place: str | None = Field(default=None, max_length=200)
    persons: Persons | None = None


class SightingSource(StrEnum):
    RADAR = "radar"
    AIRCRAFT = "aircraft"
    DRONE = "drone"
    CAMERA = "camera"
    VESSEL = "vessel"
    AIS = "ais"
    SHORE = "shore"
    PHONE = "phone"
    OTHER = "other"


@register
class Sighting(CraftFields):
    """A small boat seen, or its position reported, at a given time."""

    version = 3

    type: Literal["sighting"] = "sighting"
    source: SightingSource = Field(description="what saw it")
    course_deg: float | None = Field(
        default=None, ge=0.0, lt=360.0, description="course over ground, degrees"
    )
    speed_kn: float | None = Field(default=None, ge=0.0, le=60.0, description="speed, knots")
    persons: Persons | None = Field(default=None, description="people aboard, as estimated")

    @model_validator(mode="after")
    def _has_position(self) -> Sighting:
        if self.position is None:
            raise FieldError("position", "a sighting needs a position (lon/lat, WGS84)")
        return self


@upcaster("sighting", 1)
def sighting_v1_to_v2(data: JsonDict) -> JsonDict:
    """v1 recorded an estimated head count as ``persons_estimate``; v2 uses ``persons``."""
    data = dict(data)
    estimate = data.pop("persons_estimate", None)
    if estimate is not None:
        data["persons"] = {"total": estimate}
    return data


@register
class Escort(Event):
    """A vessel starts or stops escorting or shadowing a small boat."""

    type: Literal["escort"] = "escort"
    vessel: AssetCode = Field(description="asset code of the escorting vessel")
    mode: Literal["escort", "shadowing"] = "escort"
    action: Literal["start", "end"] = "start"


class DistressKind(StrEnum):
    SIGNALLED = "signalled"
    ENGINE_FAILURE = "engine-failure"
    DEFLATING_TUBES = "deflating-tubes"
    TAKING_WATER = "taking-water"
    PEOPLE_IN_WATER = "people-in-water"
    OVERCROWDED = "overcrowded"
    OTHER = "other"


@register
class Distress(Event):
    """A boat in distress, or signalled as such. Always shared."""

    type: Literal["distress"] = "distress"
    kinds: tuple[DistressKind, ...] = Field(min_length=1, description="what is wrong")
    persons: Persons | None = None
    persons_in_water: int | None = Field(default=None, ge=0)
    reported_by: str | None = Field(
        default=None, max_length=200, description="who raised it (MRCC, CROSS, a vessel, a call)"
    )

    @field_validator("releasability")
    @classmethod
    def _shared(cls, value: Releasability) -> Releasability:
        return _must_be_shared("distress", value)

    @model_validator(mode="after")
    def _handling_shares(self) -> Distress:
        _grading_must_not_withhold(self)
        return self


@register
class Rescue(Event):
    """People taken aboard an asset, where (``position``). Always shared."""

    type: Literal["rescue"] = "rescue"
    taken_aboard: AssetCode = Field(description="asset code of the vessel that took them aboard")
    persons: Persons
    nationalities: Nationalities | None = None

    @field_validator("releasability")
    @classmethod
    def _shared(cls, value: Releasability) -> Releasability:
        return _must_be_shared("rescue", value)

    @model_validator(mode="after")
    def _handling_shares(self) -> Rescue:
        _grading_must_not_withhold(self)
        return self

    @field_validator("nationalities")
    @classmethod
    def _counts(cls, value: Nationalities | None, info: ValidationInfo) -> Nationalities | None:
        return check_nationalities(value, info.data.get("persons"))


@register
class Interception(CraftFields):
    """A boat intercepted and its people taken in charge by an asset."""

    version = 2

    type: Literal["interception"] = "interception"
    by: AssetCode = Field(description="asset code of the intercepting vessel")
    persons: Persons | None = None
    nationalities: Nationalities | None = None

    @field_validator("nationalities")
    @classmethod
    def _counts(cls, value: Nationalities | None, info: ValidationInfo) -> Nationalities | None:
        return check_nationalities(value, info.data.get("persons"))


class HandoverSubject(StrEnum):
    COORDINATION = "coordination"
    MONITORING = "monitoring"
    PERSONS = "persons"
    BOAT = "boat"


@register
class Handover(Event):
    """Responsibility for a boat (its coordination, monitoring, its people or the boat itself)
    offered from one agency or vessel to another. Acceptance is a separate event."""

    type: Literal["handover"] = "handover"
    subject: HandoverSubject
    from_agency: str = Field(min_length=1)
    to_agency: str = Field(min_length=1)
    from_asset: AssetCode | None = None
    to_asset: AssetCode | None = None
    persons: Persons | None = None


@register
class HandoverAcceptance(Event):
    """The receiving side's answer to a handover (by id): accepted, or declined with a reason."""

    type: Literal["handover-acceptance"] = "handover-acceptance"
    handover: UUID = Field(description="id of the handover event answered")
    accepted: bool = True
    reason: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _reason_when_declined(self) -> HandoverAcceptance:
        if not self.accepted and not (self.reason or "").strip():
            raise FieldError("reason", "a declined handover needs a reason")
        return self


@register
class Landing(CraftFields):
    """People brought ashore: controlled (at a port, by an authority) or uncontrolled
    (on a beach)."""

    version = 2

    type: Literal["landing"] = "landing"
    kind: Literal["controlled", "uncontrolled"]
    place: str = Field(min_length=1, max_length=200, description="port or beach")
    persons: Persons
    nationalities: Nationalities | None = None

    @field_validator("nationalities")
    @classmethod
    def _counts(cls, value: Nationalities | None, info: ValidationInfo) -> Nationalities | None:
        return check_nationalities(value, info.data.get("persons"))


@register
class ReturnToFrance(Event):
    """People (or a boat) brought back to France: rescued in French waters, turned back, or
    the boat went back by itself."""

    type: Literal["return-to-france"] = "return-to-france"
    how: Literal["landed-by-french-asset", "boat-turned-back", "handed-to-french-asset", "other"]
    place: str | None = Field(default=None, max_length=200, description="French port or beach")
    persons: Persons | None = None
    nationalities: Nationalities | None = None

    @field_validator("nationalities")
    @classmethod
    def _counts(cls, value: Nationalities | None, info: ValidationInfo) -> Nationalities | None:
        return check_nationalities(value, info.data.get("persons"))


@register
class Fatality(Event):
    """People found dead, or missing, in connection with a crossing."""

    type: Literal["fatality"] = "fatality"
    dead: int = Field(default=0, ge=0)
    missing: int = Field(default=0, ge=0)
    minors: int | None = Field(default=None, ge=0, description="of whom minors, when known")

    @model_validator(mode="after")
    def _someone(self) -> Fatality:
        if self.dead + self.missing == 0:
            raise FieldError("dead", "a fatality event needs dead or missing > 0")
        if self.minors is not None and self.minors > self.dead + self.missing:
            raise FieldError("minors", "minors exceed dead + missing")
        return self


def grade_as_given_added(data: JsonDict) -> JsonDict:
    """The version that added ``grade_as_given`` to a type (CraftFields): older records had
    none, so nothing changes in their data (the field reads as None)."""
    return data


for _type_name, _before in (
    ("launch", 1),
    ("prevention", 1),
    ("sighting", 2),
    ("interception", 1),
    ("landing", 1),
):
    upcaster(_type_name, _before)(grade_as_given_added)
