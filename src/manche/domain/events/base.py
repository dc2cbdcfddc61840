"""The base every event shares, and the registry of event types.

An event type is declared once:

    @register
    class Launch(Event):
        type: Literal["launch"] = "launch"
        ...

``catalogue()`` lists every registered type (for parsing, documentation and tests);
``upcaster(type, from_version)`` registers a function that turns an old version's JSON into the
next version's, so events written years ago still parse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from manche.domain.values import LonLat, Releasability, UtcDatetime

JsonDict = dict[str, Any]
E = TypeVar("E", bound="Event")

_REGISTRY: dict[str, type[Event]] = {}
_UPCASTERS: dict[tuple[str, int], Callable[[JsonDict], JsonDict]] = {}


class Event(BaseModel):
    """Fields every event carries. Subclasses add a ``type`` literal and their own fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: ClassVar[int] = 1

    type: str
    id: UUID = Field(default_factory=uuid4)
    agency: str = Field(min_length=1, description="code of the agency that records the event")
    author: str = Field(min_length=1, description="user (pseudonymous id) who recorded it")
    occurred_at: UtcDatetime = Field(description="when it happened (UTC; timezone required)")
    recorded_at: UtcDatetime = Field(description="when it was recorded (UTC)")
    position: LonLat | None = None
    releasability: Releasability = Releasability.SHARED
    note: str = Field(default="", max_length=4000)
    exercise: bool = Field(default=False, description="training data, not a real event")


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


def catalogue() -> dict[str, type[Event]]:
    """Every registered event type by name."""
    return dict(_REGISTRY)


def upcast(type_name: str, version: int, data: JsonDict) -> JsonDict:
    """Bring stored JSON of an older version up to the current version of its type."""
    cls = _REGISTRY[type_name]
    while version < cls.version:
        step = _UPCASTERS.get((type_name, version))
        if step is None:
            raise LookupError(f"no upcaster for {type_name} v{version}")
        data = step(data)
        version += 1
    return data
