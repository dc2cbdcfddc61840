"""The record as it currently reads: corrections applied, retractions noted (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from manche.domain.events.base import Event
from manche.domain.events.correction import Correction, apply_correction
from manche.errors import InputError


@dataclass(slots=True)
class CurrentRecord:
    """Events in log order with corrections applied; retracted ones kept apart."""

    events: list[Event]
    retracted: dict[UUID, Event] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # corrections that could not apply


def current(events: Iterable[Event]) -> CurrentRecord:
    """Apply every correction to its target (later corrections after earlier ones)."""
    order: list[UUID] = []
    by_id: dict[UUID, Event] = {}
    originals: dict[UUID, Event] = {}
    retracted: dict[UUID, Event] = {}
    corrections: list[Correction] = []
    problems: list[str] = []
    for event in events:
        if isinstance(event, Correction):
            corrections.append(event)
            target = by_id.get(event.target)
            if target is None:
                problems.append(f"correction {event.id} targets unknown event {event.target}")
                continue
            try:
                amended = apply_correction(target, event)
            except InputError as exc:
                problems.append(f"correction {event.id}: {exc.message}")
                continue
            if amended is None:
                retracted[target.id] = originals[target.id]
                del by_id[target.id]
            else:
                by_id[target.id] = amended
            continue
        order.append(event.id)
        by_id[event.id] = event
        originals[event.id] = event
    return CurrentRecord(
        events=[by_id[i] for i in order if i in by_id],
        retracted=retracted,
        corrections=corrections,
        problems=problems,
    )
