"""Observations of boats and engines, read off the events that describe them (pure).

Every boat or engine described in an event (launch, prevention, sighting, interception,
landing, seizure, purchase reported...) is one :class:`Observation`, keyed
``"<event id>/boat"`` or ``"<event id>/engine/<n>"``; its identifier is read with the
ISO 10087 / make-specific rules and every problem found is kept with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from manche.domain.craft import BoatDescription, EngineDescription
from manche.domain.events.base import Event
from manche.domain.grading_5x5x5 import read_grade
from manche.domain.identifiers import (
    EngineSerialReading,
    Finding,
    HinReading,
    Severity,
    read_engine_serial,
    read_hin,
    resolve_make,
)
from manche.domain.values import LonLat, Releasability, Side

_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def side_of(agency: str) -> Side | None:
    """The side of an agency code (``UK-BF`` -> UK, ``FR-CROSS-GN`` -> FR)."""
    prefix = agency.split("-", 1)[0].upper()
    return Side(prefix) if prefix in ("UK", "FR") else None


def measure(value: float | str | None, unit: str) -> tuple[float | None, Finding | None]:
    """A number from a measure as written (``"7,5 m"`` -> 7.5), or a finding saying why not."""
    if value is None:
        return None, None
    if isinstance(value, int | float):
        return float(value), None
    found = _NUMBER.search(value)
    if found is None:
        return None, Finding(
            code="measure", severity=Severity.WARNING, message=f"no number in {unit} {value!r}"
        )
    return float(found.group().replace(",", ".")), None


@dataclass(frozen=True, slots=True)
class Observation:
    key: str
    event_id: str
    event_type: str
    agency: str
    side: Side | None
    occurred_at: datetime
    recorded_at: datetime
    incident: str | None
    place: str | None
    position: LonLat | None
    releasability: Releasability
    kind: Literal["boat", "engine"]
    make_written: str | None
    make: str | None
    model: str | None
    identifier: str | None
    reading: HinReading | EngineSerialReading | None
    attribute: float | None  # engine power (hp) or boat length (m)
    findings: tuple[Finding, ...]
    colour: str | None = None

    @property
    def block(self) -> str:
        if self.kind == "boat":
            return "boat"
        return f"engine|{self.make or (self.make_written or '?').strip().upper()}"


def _common(event: Event) -> dict[str, object]:
    return {
        "event_id": str(event.id),
        "event_type": event.type,
        "agency": event.agency,
        "side": side_of(event.agency),
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "incident": event.incident,
        "place": getattr(event, "place", None),
        "position": event.position,
        "releasability": event.releasability,
    }


def _boat(event: Event, boat: BoatDescription) -> Observation:
    length, problem = measure(boat.length_m, "length")
    reading = read_hin(boat.hin, reference_year=event.occurred_at.year) if boat.hin else None
    findings = (*(reading.findings if reading else ()), *((problem,) if problem else ()))
    return Observation(
        key=f"{event.id}/boat",
        kind="boat",
        make_written=boat.make,
        make=boat.make.strip() if boat.make else None,
        model=boat.model,
        identifier=boat.hin,
        reading=reading,
        attribute=length,
        findings=findings,
        colour=boat.colour,
        **_common(event),  # type: ignore[arg-type]
    )


def _engine(event: Event, index: int, engine: EngineDescription) -> Observation:
    power, problem = measure(engine.power_hp, "power")
    reading: EngineSerialReading | None = None
    if engine.serial:
        reading = read_engine_serial(engine.make, engine.serial)
        make, findings = reading.make, reading.findings
    else:
        make, findings = resolve_make(engine.make)
    return Observation(
        key=f"{event.id}/engine/{index}",
        kind="engine",
        make_written=engine.make,
        make=make,
        model=engine.model,
        identifier=engine.serial,
        reading=reading,
        attribute=power,
        findings=(*findings, *((problem,) if problem else ())),
        **_common(event),  # type: ignore[arg-type]
    )


def grade_findings(event: Event) -> tuple[Finding, ...]:
    """What the event's ``grade_as_given`` says (a grade kept as supplied, not a valid 3x5x2
    one): its problems, which keep the record out of any exchange, or how it was read."""
    given = getattr(event, "grade_as_given", None)
    if not given:
        return ()
    reading = read_grade(given)
    if reading.problems:
        message = f"grade {given!r} as given: {'; '.join(reading.problems)} (never exchanged)"
        return (Finding(code="grade_unreadable", severity=Severity.WARNING, message=message),)
    if reading.grading is not None and reading.scheme != "3x5x2":
        message = f"grade {given!r} given in {reading.scheme}, read as {reading.grading.code}"
        return (Finding(code="grade_mapped", severity=Severity.REPAIRED, message=message),)
    return ()


def observations(events: Iterable[Event]) -> list[Observation]:
    """Every boat and engine described in ``events``, in order; each carries the findings of
    its identifier and of its event's grade as given."""
    out: list[Observation] = []
    for event in events:
        boat = getattr(event, "boat", None)
        engines = getattr(event, "engines", ())
        if boat is None and not engines:
            continue
        graded = grade_findings(event)
        if isinstance(boat, BoatDescription):
            found = _boat(event, boat)
            out.append(replace(found, findings=(*found.findings, *graded)) if graded else found)
        for index, engine in enumerate(engines):
            if isinstance(engine, EngineDescription):
                found = _engine(event, index, engine)
                out.append(replace(found, findings=(*found.findings, *graded)) if graded else found)
    return out
