"""Arrivals computed from the record, by the Home Office's definitions.

The Home Office's daily series (SB_01) counts, for each day 00:00-23:59 (UK time):

- *migrants arrived*: people detected on arrival in the UK and people detected in the Channel by
  UK authorities and brought to the UK. In the record both end with a ``landing`` event
  (controlled at a port, or uncontrolled on a beach), so the figure is the sum of
  ``persons.total`` over the day's landings;
- *boats arrived*: boats whose people landed that day: distinct incidents with a landing (a
  landing recorded without an incident reference counts as one boat);
- *boats involved in uncontrolled landings*: the subset of those whose landing was uncontrolled.

The weekly series (SB_02) adds French *preventions*: people and events prevented, from
``prevention`` events. A rescue with no landing yet is not an arrival until the landing is
recorded. Exercise events are left out unless asked for, and corrections are applied first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from manche.domain.events import Event
from manche.domain.events.sea import Landing, Prevention
from manche.readings.incidents import effective_events

UK_TIME = ZoneInfo("Europe/London")


@dataclass
class DayArrivals:
    day: date
    migrants: int = 0
    boats: int = 0
    uncontrolled_landings: int = 0
    incidents: set[str] = field(default_factory=set, repr=False)


@dataclass
class WeekPreventions:
    week_ending: date
    migrants_prevented: int = 0
    events_prevented: int = 0


def uk_day(event: Event) -> date:
    return event.occurred_at.astimezone(UK_TIME).date()


def daily_arrivals(events: Iterable[Event], *, include_exercise: bool = False) -> list[DayArrivals]:
    """Per UK day, the migrants, boats and uncontrolled landings the record gives."""
    days: dict[date, DayArrivals] = {}
    for event in effective_events(events):
        if not isinstance(event, Landing) or (event.exercise and not include_exercise):
            continue
        day = days.setdefault(uk_day(event), DayArrivals(uk_day(event)))
        day.migrants += event.persons.total
        boat = event.incident or f"landing:{event.id}"
        if boat not in day.incidents:
            day.incidents.add(boat)
            day.boats += 1
            if event.kind == "uncontrolled":
                day.uncontrolled_landings += 1
    return [days[d] for d in sorted(days)]


def weekly_preventions(
    events: Iterable[Event], *, week_ends_on: int = 6, include_exercise: bool = False
) -> list[WeekPreventions]:
    """Per week (ending on ``week_ends_on``, Monday=0 ... Sunday=6), people and events
    prevented, from ``prevention`` events."""
    weeks: dict[date, WeekPreventions] = defaultdict(lambda: WeekPreventions(date.min))
    for event in effective_events(events):
        if not isinstance(event, Prevention) or (event.exercise and not include_exercise):
            continue
        day = uk_day(event)
        end = day + timedelta(days=(week_ends_on - day.weekday()) % 7)
        week = weeks[end]
        week.week_ending = end
        week.events_prevented += 1
        week.migrants_prevented += event.persons.total if event.persons else 0
    return [weeks[d] for d in sorted(weeks)]


@dataclass(frozen=True)
class Official:
    migrants: int | None
    boats: int | None
    uncontrolled_landings: int | None


@dataclass(frozen=True)
class DayComparison:
    day: date
    record: DayArrivals
    official: Official | None
    matches: bool
    differences: dict[str, int]


def compare_with_official(
    record: Iterable[DayArrivals], official: dict[date, Official]
) -> list[DayComparison]:
    """For every day the record has, its figures against the official ones (None when the
    official series has no such day); a missing official value ('-') is not a difference."""
    result = []
    for day in record:
        theirs = official.get(day.day)
        differences: dict[str, int] = {}
        if theirs is not None:
            for name in ("migrants", "boats", "uncontrolled_landings"):
                value = getattr(theirs, name)
                if value is not None and value != getattr(day, name):
                    differences[name] = getattr(day, name) - value
        result.append(
            DayComparison(day.day, day, theirs, theirs is not None and not differences, differences)
        )
    return result
