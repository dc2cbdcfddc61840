"""Completeness and corroboration of each side's contribution, per period (pure).

For each side (the side of the recording agency) and period, over that side's *crossing
events* (launch, prevention, sighting, interception, rescue, landing, return to France):

- the share with a **boat identifier** (a HIN), an **engine serial**, a **departure point**,
  **nationalities**, a **persons count**: each over the events whose type can carry that field
  (the denominator is reported with it), since a rescue has no boat description and a
  sighting no nationalities;
- the share **corroborated by the other side**: an event of the other side in the same
  incident, or a boat/engine of the event linked to an observation by the other side;
- the **median delay** between the event and its record (``recorded_at - occurred_at``).

A departure point is known for an event when the event is a launch or prevention with a place
or position, or when an event of the same side in the same incident is.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from manche.domain.events.base import Event
from manche.readings.intel.current import current
from manche.readings.intel.observations import side_of
from manche.readings.intel.periods import Period, period_of
from manche.readings.intel.registry import build_registry

QUALITY_TYPES = frozenset(
    {"launch", "prevention", "sighting", "interception", "rescue", "landing", "return-to-france"}
)
_CRAFT = frozenset({"launch", "prevention", "sighting", "interception", "landing"})
_NATIONALITIES = frozenset({"rescue", "interception", "landing", "return-to-france"})
_PERSONS = frozenset(QUALITY_TYPES)
_DEPARTURE = frozenset({"launch", "prevention"})


@dataclass(frozen=True, slots=True)
class Share:
    count: int
    of: int

    @property
    def share(self) -> float | None:
        return round(self.count / self.of, 4) if self.of else None

    def to_json(self) -> dict[str, object]:
        return {"count": self.count, "of": self.of, "share": self.share}


@dataclass(frozen=True, slots=True)
class QualityRow:
    side: str
    period: str
    events: int
    boat_identifier: Share
    engine_serial: Share
    departure_point: Share
    nationalities: Share
    persons_count: Share
    corroborated: Share
    median_delay_minutes: float | None

    def to_json(self) -> dict[str, object]:
        return {
            "side": self.side,
            "period": self.period,
            "events": self.events,
            "boat_identifier": self.boat_identifier.to_json(),
            "engine_serial": self.engine_serial.to_json(),
            "departure_point": self.departure_point.to_json(),
            "nationalities": self.nationalities.to_json(),
            "persons_count": self.persons_count.to_json(),
            "corroborated": self.corroborated.to_json(),
            "median_delay_minutes": self.median_delay_minutes,
        }


def quality(events: Iterable[Event], period: Period = "month") -> list[QualityRow]:
    """One row per side and period, sorted by period then side."""
    evs = current(list(events)).events
    registry = build_registry(evs)
    crossing = [e for e in evs if e.type in QUALITY_TYPES and side_of(e.agency) is not None]
    sides_in_incident: dict[str, set[str]] = defaultdict(set)
    departure_by: set[tuple[str, str]] = set()  # (incident, side)
    for e in crossing:
        side = side_of(e.agency)
        assert side is not None
        if e.incident:
            sides_in_incident[e.incident].add(side.value)
            if e.type in _DEPARTURE and (getattr(e, "place", None) or e.position is not None):
                departure_by.add((e.incident, side.value))
    craft_sides: dict[str, set[str]] = defaultdict(set)
    for craft in registry.crafts:
        craft_sides[craft.id].update(craft.sides)
    event_crafts: dict[str, set[str]] = defaultdict(set)
    for key, craft_id in registry.by_observation.items():
        event_crafts[key.split("/")[0]].add(craft_id)

    cells: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in crossing:
        side = side_of(e.agency)
        assert side is not None
        cells[(period_of(e.occurred_at, period), side.value)].append(e)
    rows: list[QualityRow] = []
    for (label, side_name), group in sorted(cells.items()):
        other = "FR" if side_name == "UK" else "UK"
        counts: dict[str, list[int]] = {
            k: [0, 0] for k in ("boat", "engine", "departure", "nat", "persons", "corr")
        }
        delays: list[float] = []
        for e in group:
            boat = getattr(e, "boat", None)
            engines = getattr(e, "engines", ())
            if e.type in _CRAFT:
                counts["boat"][1] += 1
                counts["boat"][0] += bool(boat is not None and boat.hin)
                counts["engine"][1] += 1
                counts["engine"][0] += any(en.serial for en in engines)
            counts["departure"][1] += 1
            counts["departure"][0] += bool(
                (e.type in _DEPARTURE and (getattr(e, "place", None) or e.position is not None))
                or (e.incident and (e.incident, side_name) in departure_by)
            )
            if e.type in _NATIONALITIES:
                counts["nat"][1] += 1
                counts["nat"][0] += bool(getattr(e, "nationalities", None))
            if e.type in _PERSONS:
                counts["persons"][1] += 1
                counts["persons"][0] += getattr(e, "persons", None) is not None
            counts["corr"][1] += 1
            by_incident = bool(e.incident and other in sides_in_incident.get(e.incident, set()))
            by_craft = any(other in craft_sides[c] for c in event_crafts.get(str(e.id), ()))
            counts["corr"][0] += by_incident or by_craft
            delays.append((e.recorded_at - e.occurred_at).total_seconds() / 60.0)
        rows.append(
            QualityRow(
                side=side_name,
                period=label,
                events=len(group),
                boat_identifier=Share(*counts["boat"]),
                engine_serial=Share(*counts["engine"]),
                departure_point=Share(*counts["departure"]),
                nationalities=Share(*counts["nat"]),
                persons_count=Share(*counts["persons"]),
                corroborated=Share(*counts["corr"]),
                median_delay_minutes=round(statistics.median(delays), 1) if delays else None,
            )
        )
    return rows
