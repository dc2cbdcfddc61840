"""The events a ledger replays: corrections applied, in the order things happened.

The record keeps every event as written; a ``correction`` amends or retracts an earlier one. A
ledger wants the facts as corrected, in the order they occurred (a caseworker may record France's
answer a day after recording the removal date, but the answer came first). :func:`replay` gives
exactly that: corrections applied with the catalogue's own :func:`apply_correction` (an amended
event is re-validated), retracted events dropped, then a stable sort on ``occurred_at`` (ties keep
record order). A correction that cannot be applied is kept aside in ``problems``, never silently
ignored, and the original event stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from manche.domain.events.base import Event
from manche.domain.events.correction import Correction, apply_correction
from manche.errors import InputError


@dataclass(frozen=True)
class CorrectionProblem:
    correction: UUID
    target: UUID
    message: str


@dataclass
class Replay:
    events: list[Event] = field(default_factory=list)
    corrected: int = 0
    retracted: int = 0
    problems: list[CorrectionProblem] = field(default_factory=list)


def replay(events: Iterable[Event], types: tuple[type[Event], ...] | None = None) -> Replay:
    """Events (of ``types`` when given) as corrected, sorted by when they occurred."""
    originals: list[Event] = []
    corrections: dict[UUID, list[Correction]] = {}
    for event in events:
        if isinstance(event, Correction):
            corrections.setdefault(event.target, []).append(event)
        elif types is None or isinstance(event, types):
            originals.append(event)
    result = Replay()
    for event in originals:
        current: Event | None = event
        for fix in corrections.pop(event.id, []):
            if current is None:
                break
            try:
                current = apply_correction(current, fix)
            except InputError as exc:
                result.problems.append(CorrectionProblem(fix.id, fix.target, exc.message))
                continue
            if current is None:
                result.retracted += 1
            else:
                result.corrected += 1
        if current is not None:
            result.events.append(current)
    result.events.sort(key=lambda e: e.occurred_at)
    return result
