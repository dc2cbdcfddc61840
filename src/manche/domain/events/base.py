"""The base every event shares, and the registry of event types.

An event type is declared once:

    @register
    class Launch(Event):
        type: Literal["launch"] = "launch"
        ...

``catalogue()`` lists every registered type (for parsing, documentation and tests); it imports
every module of :mod:`manche.domain.events` first, so a new module only has to exist to be
registered. ``upcaster(type, from_version)`` registers a function that turns an old version's
JSON into the next version's, so events written years ago still parse.

Every event carries the fields below; subclasses add their own. ``event.to_json()`` gives the
JSON object that is stored and hashed: the model's fields plus ``"version"``.
:func:`manche.domain.events.parse.parse_event` reads it back (upcasting old versions).

Public API (stable): :class:`Event`, :func:`register`, :func:`upcaster`, :func:`catalogue`,
:func:`upcast`, :data:`CLOCK_SKEW`, :class:`FieldError`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, ClassVar, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from manche.domain.grading import Grading
from manche.domain.values import LonLat, Releasability, UtcDatetime


class FieldError(ValueError):
    """Raised by a model-level check to name the field at fault (parse_event reports it)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


CLOCK_SKEW = timedelta(minutes=5)
"""How far ``occurred_at`` may lie after ``recorded_at`` (clocks differ a little)."""

AssetCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
IncidentRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]

JsonDict = dict[str, Any]
E = TypeVar("E", bound="Event")

_REGISTRY: dict[str, type[Event]] = {}
_UPCASTERS: dict[tuple[str, int], Callable[[JsonDict], JsonDict]] = {}


class Event(BaseModel):
    """Fields every event carries. Subclasses add a ``type`` literal and their own fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: ClassVar[int] = 1

    type: str
    id: UUID = Field(default_factory=uuid4, description="unique id of the event")
    agency: str = Field(min_length=1, description="code of the agency that records the event")
    author: str = Field(min_length=1, description="user (pseudonymous id) who recorded it")
    occurred_at: UtcDatetime = Field(description="when it happened (UTC; timezone required)")
    recorded_at: UtcDatetime = Field(description="when it was recorded (UTC)")
    position: LonLat | None = Field(default=None, description="where (WGS84 lon/lat)")
    releasability: Releasability = Field(
        default=Releasability.SHARED, description="who may see it: both sides or one"
    )
    note: str = Field(default="", max_length=4000, description="free text")
    exercise: bool = Field(default=False, description="training data, not a real event")
    incident: IncidentRef | None = Field(
        default=None,
        description="reference grouping one boat's journey, e.g. INC-2026-0001",
    )
    assets: tuple[AssetCode, ...] = Field(
        default=(), description="codes of the assets (vessels, aircraft, stations) involved"
    )
    grading: Grading | None = Field(
        default=None, description="3x5x2 source grading (a 5x5x5 grade is mapped, kept as given)"
    )

    @model_validator(mode="after")
    def _not_in_the_future(self) -> Event:
        if self.occurred_at > self.recorded_at + CLOCK_SKEW:
            raise FieldError(
                "occurred_at",
                f"occurred_at {self.occurred_at.isoformat()} is after recorded_at "
                f"{self.recorded_at.isoformat()} by more than the allowed clock skew "
                f"({int(CLOCK_SKEW.total_seconds())} s)",
            )
        return self

    def to_json(self) -> JsonDict:
        """The stored form: every field in JSON types, plus ``version``."""
        data = self.model_dump(mode="json")
        data["version"] = self.version
        return data


def register(cls: type[E]) -> type[E]:
    """Class decorator: add an event type to the catalogue."""
    name = cls.model_fields["type"].default
    if not isinstance(name, str) or not name:
        raise TypeError(f"{cls.__name__} needs a `type` literal with a default")
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise TypeError(f"event type {name!r} registered twice")
    _REGISTRY[name] = cls
    return cls


def upcaster(
    type_name: str, from_version: int
) -> Callable[[Callable[[JsonDict], JsonDict]], Callable[[JsonDict], JsonDict]]:
    """Register a function turning version ``from_version`` JSON into ``from_version + 1``."""

    def decorate(function: Callable[[JsonDict], JsonDict]) -> Callable[[JsonDict], JsonDict]:
        _UPCASTERS[(type_name, from_version)] = function
        return function

    return decorate


_discovered = False


def _discover() -> None:
    """Import every module of this package so their ``@register`` decorators run."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    package = importlib.import_module("manche.domain.events")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"manche.domain.events.{module.name}")


def catalogue() -> dict[str, type[Event]]:
    """Every registered event type by name (every module of the package is loaded first)."""
    _discover()
    return dict(_REGISTRY)


def upcast(type_name: str, version: int, data: JsonDict) -> JsonDict:
    """Bring stored JSON of an older version up to the current version of its type."""
    cls = catalogue()[type_name]
    while version < cls.version:
        step = _UPCASTERS.get((type_name, version))
        if step is None:
            raise LookupError(f"no upcaster for {type_name} v{version}")
        data = step(data)
        version += 1
    return data
