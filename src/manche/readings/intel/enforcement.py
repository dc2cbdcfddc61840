"""Seizures and arrests: statistics by week and place (pure).

Weekly prevention events are compared with the Home Office SB_02 series
(:func:`compare_preventions`; the table is passed in, see
:mod:`manche.sources.sb02_preventions`).

Seizures count events, boats and engines (and other items) by ISO week and place as recorded.
Arrest events carry no place field: their place is the place of a seizure, launch or
prevention in the same incident when there is one, otherwise ``"(not recorded)"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from manche.domain.events.base import Event
from manche.readings.intel.current import current
from manche.readings.intel.periods import Period, period_of
from manche.readings.intel.registry import CROSSING_TYPES
from manche.sources.sb02_preventions import PreventionWeek

NOT_RECORDED = "(not recorded)"


@dataclass(slots=True)
class EnforcementRow:
    period: str
    place: str
    seizures: int = 0
    boats_seized: int = 0
    engines_seized: int = 0
    other_items: int = 0
    arrests: dict[str, int] = field(default_factory=dict)  # role -> people

    def to_json(self) -> dict[str, object]:
        return {
            "period": self.period,
            "place": self.place,
            "seizures": self.seizures,
            "boats_seized": self.boats_seized,
            "engines_seized": self.engines_seized,
            "other_items": self.other_items,
            "arrests": dict(self.arrests),
        }


def enforcement(events: Iterable[Event], period: Period = "week") -> list[EnforcementRow]:
    evs = current(list(events)).events
    place_of_incident: dict[str, str] = {}
    for e in evs:
        place = getattr(e, "place", None)
        if e.incident and place and e.type in ("seizure", "launch", "prevention"):
            place_of_incident.setdefault(e.incident, place)
    rows: dict[tuple[str, str], EnforcementRow] = {}

    def row(label: str, place: str) -> EnforcementRow:
        return rows.setdefault((label, place), EnforcementRow(label, place))

    for e in evs:
        label = period_of(e.occurred_at, period)
        if e.type == "seizure":
            r = row(label, getattr(e, "place", None) or NOT_RECORDED)
            r.seizures += 1
            r.boats_seized += getattr(e, "boat", None) is not None
            r.engines_seized += len(getattr(e, "engines", ()))
            r.other_items += len(getattr(e, "items", ()))
        elif e.type == "arrest":
            place = place_of_incident.get(e.incident or "", NOT_RECORDED)
            r = row(label, place)
            role = str(getattr(e, "role", "other"))
            r.arrests[role] = r.arrests.get(role, 0) + int(getattr(e, "count", 1))
    return [rows[k] for k in sorted(rows)]


@dataclass(frozen=True, slots=True)
class PreventionComparison:
    week_ending: str  # the Sunday ending the ISO week
    recorded_events: int
    recorded_persons: int
    official_events: int | None
    official_persons: int | None


def compare_preventions(
    events: Iterable[Event], official: dict[date, PreventionWeek]
) -> list[PreventionComparison]:
    """Prevention events in the record per ISO week against SB_02's weekly preventions, for the
    weeks of the record: every week holding a prevention or a crossing event, so that a week
    whose preventions nobody recorded shows 0 against the official figure (an official '-'
    stays None: not recorded, not zero)."""
    counts: dict[date, list[int]] = {}
    for e in current(list(events)).events:
        if e.type != "prevention" and e.type not in CROSSING_TYPES:
            continue
        day = e.occurred_at.date()
        sunday = day + timedelta(days=6 - day.weekday())
        cell = counts.setdefault(sunday, [0, 0])
        if e.type != "prevention":
            continue
        cell[0] += 1
        persons = getattr(e, "persons", None)
        cell[1] += persons.total if persons is not None else 0
    rows = []
    for sunday, (n_events, n_persons) in sorted(counts.items()):
        week = official.get(sunday)
        rows.append(
            PreventionComparison(
                sunday.isoformat(),
                n_events,
                n_persons,
                week.events_prevented if week else None,
                week.migrants_prevented if week else None,
            )
        )
    return rows
