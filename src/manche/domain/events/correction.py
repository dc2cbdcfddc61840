"""Corrections: the log is never rewritten, so a mistake is fixed by a new event.

A ``correction`` points at an earlier event by id (``target``) and either amends it (``changes``
maps top-level field names to their new values) or retracts it (``retract: true``, no changes).
Readings apply corrections with :func:`apply_correction`, which re-validates the amended event
so a correction cannot produce an event the catalogue would refuse.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import Field, ValidationError, model_validator

from manche.domain.events.base import Event, FieldError, register
from manche.errors import InputError


@register
class Correction(Event):
    """Amends or retracts an earlier event, named by id."""

    type: Literal["correction"] = "correction"
    target: UUID = Field(description="id of the event corrected or retracted")
    retract: bool = Field(default=False, description="true: the target is withdrawn")
    changes: dict[str, Any] = Field(
        default_factory=dict, description="field -> new value (amendment)"
    )
    reason: str = Field(min_length=1, max_length=2000, description="why")

    @model_validator(mode="after")
    def _amend_or_retract(self) -> Correction:
        if self.retract and self.changes:
            raise FieldError("changes", "a retraction carries no changes")
        if not self.retract and not self.changes:
            raise FieldError("changes", "a correction needs changes, or retract: true")
        frozen = {"id", "type", "agency", "version", "recorded_at"} & self.changes.keys()
        if frozen:
            raise FieldError("changes", f"a correction cannot change {sorted(frozen)}")
        return self


def apply_correction(original: Event, correction: Correction) -> Event | None:
    """The event as corrected (``None`` when retracted). Raises InputError naming the field
    when the amended event would be invalid, or when the correction targets another event."""
    if correction.target != original.id:
        raise InputError(
            f"correction targets {correction.target}, not {original.id}", field="target"
        )
    if correction.retract:
        return None
    data = original.model_dump()
    unknown = set(correction.changes) - set(type(original).model_fields)
    if unknown:
        name = sorted(unknown)[0]
        raise InputError(f"{original.type} has no field {name!r}", field=f"changes.{name}")
    data.update(correction.changes)
    try:
        return type(original).model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(first["msg"], field=f"changes.{loc}" if loc else "changes") from exc
