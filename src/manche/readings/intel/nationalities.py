"""Nationalities as counts per incident, reports by period, and comparison with the official
final quarterly table (pure; the table is passed in: :mod:`manche.sources.nationality_quarterly`).

Several events of one incident may count the same people (a rescue, then the landing). Per
incident, the nationality counts of one event are used: a landing if there is one (people
arrived), otherwise the event with the largest nationality total; events without an incident
are their own incident. Only *arrivals* (landing events, and rescues or interceptions by UK
assets whose incident has no landing) are compared with the Home Office table, which counts
small-boat arrivals in the UK.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from manche.domain.events.base import Event
from manche.readings.intel.current import current
from manche.readings.intel.observations import side_of
from manche.readings.intel.periods import Period, period_of

_WITH_NATIONALITIES = ("landing", "rescue", "interception", "return-to-france")


@dataclass(frozen=True, slots=True)
class IncidentNationalities:
    incident: str
    event_id: str
    event_type: str
    occurred_at: str
    persons: int | None
    counts: dict[str, int]
    arrival: bool

    @property
    def unknown(self) -> int | None:
        return None if self.persons is None else max(0, self.persons - sum(self.counts.values()))


def per_incident(events: Iterable[Event]) -> list[IncidentNationalities]:
    by_incident: dict[str, list[Event]] = defaultdict(list)
    for e in current(list(events)).events:
        if e.type in _WITH_NATIONALITIES:
            by_incident[e.incident or f"event:{e.id}"].append(e)
    out: list[IncidentNationalities] = []
    for incident, group in sorted(by_incident.items()):
        landings = [e for e in group if e.type == "landing"]
        pool = landings or group
        best = max(pool, key=lambda e: sum((getattr(e, "nationalities", None) or {}).values()))
        counts = dict(getattr(best, "nationalities", None) or {})
        persons = getattr(best, "persons", None)
        side = side_of(best.agency)
        arrival = best.type == "landing" or (
            best.type in ("rescue", "interception") and side is not None and side.value == "UK"
        )
        out.append(
            IncidentNationalities(
                incident=incident,
                event_id=str(best.id),
                event_type=best.type,
                occurred_at=best.occurred_at.isoformat(),
                persons=persons.total if persons is not None else None,
                counts=counts,
                arrival=arrival,
            )
        )
    return out


def by_period(
    incidents: list[IncidentNationalities],
    period: Period = "quarter",
    *,
    arrivals_only: bool = True,
) -> dict[str, dict[str, int]]:
    """``{period: {nationality: people}}``; people without a recorded nationality are counted
    under ``"(not recorded)"``."""
    from datetime import datetime

    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in incidents:
        if arrivals_only and not item.arrival:
            continue
        label = period_of(datetime.fromisoformat(item.occurred_at), period)
        for nationality, count in item.counts.items():
            out[label][nationality] += count
        if item.unknown:
            out[label]["(not recorded)"] += item.unknown
    return {k: dict(v) for k, v in sorted(out.items())}


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    period: str
    nationality: str
    recorded: int
    official: int

    @property
    def difference(self) -> int:
        return self.recorded - self.official


def compare_with_official(
    recorded: dict[str, dict[str, int]], official: dict[tuple[int, int, str], int]
) -> list[ComparisonRow]:
    """Quarter by nationality: people in the record's arrivals against the official table.
    Only quarters present in both are compared (the table covers 2018 Q1 - 2023 Q4)."""
    official_by: dict[str, dict[str, int]] = defaultdict(dict)
    for (year, quarter, nationality), count in official.items():
        official_by[f"{year}-Q{quarter}"][nationality] = count
    rows: list[ComparisonRow] = []
    for label in sorted(set(recorded) & set(official_by)):
        names = set(recorded[label]) | set(official_by[label])
        for name in sorted(names):
            rows.append(
                ComparisonRow(
                    label, name, recorded[label].get(name, 0), official_by[label].get(name, 0)
                )
            )
    return rows
