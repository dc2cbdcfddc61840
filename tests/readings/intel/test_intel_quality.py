"""Completeness and corroboration per side; expected shares counted by hand from the events."""

from __future__ import annotations

from collections.abc import Callable

from manche.domain.events.base import Event
from manche.readings.intel.quality import quality

MakeEvent = Callable[..., Event]


def test_shares_per_side(make_event: MakeEvent) -> None:
    events = [
        # FR: a launch with a place (incident A), a prevention without place (B)
        make_event(
            "launch",
            agency="FR-PAF",
            incident="A",
            place="Gravelines",
            occurred_at="2026-08-14T01:00:00Z",
            recorded_at="2026-08-14T01:30:00Z",
        ),
        make_event(
            "prevention",
            agency="FR-PAF",
            incident="B",
            place=None,
            occurred_at="2026-08-14T02:00:00Z",
            recorded_at="2026-08-14T04:00:00Z",
        ),
        # UK: landing in A with nationalities and engine serial; sighting in C with a HIN
        make_event(
            "landing",
            incident="A",
            occurred_at="2026-08-14T05:00:00Z",
            recorded_at="2026-08-14T05:10:00Z",
            engines=[{"make": "Yamaha", "serial": "6AHL1012345"}],
        ),
        make_event(
            "sighting",
            incident="C",
            boat={"hin": "FR-ABC12345D505"},
            occurred_at="2026-08-14T06:00:00Z",
            recorded_at="2026-08-14T06:20:00Z",
        ),
    ]
    rows = {row.side: row for row in quality(events, "month")}
    fr, uk = rows["FR"], rows["UK"]
    assert fr.period == "2026-08" and fr.events == 2
    assert (fr.departure_point.count, fr.departure_point.of) == (1, 2)
    assert (fr.corroborated.count, fr.corroborated.of) == (1, 2)  # A is also in UK's record
    assert fr.median_delay_minutes == 75.0  # 30 and 120 minutes
    assert (uk.boat_identifier.count, uk.boat_identifier.of) == (1, 2)
    assert (uk.engine_serial.count, uk.engine_serial.of) == (1, 2)
    assert (uk.nationalities.count, uk.nationalities.of) == (1, 1)  # the sighting cannot carry them
    assert (uk.persons_count.count, uk.persons_count.of) == (2, 2)
    assert (uk.corroborated.count, uk.corroborated.of) == (1, 2)
    assert uk.departure_point.count == 0  # FR's launch place is FR's contribution
    assert uk.median_delay_minutes == 15.0


def test_corroboration_through_a_linked_engine(make_event: MakeEvent) -> None:
    events = [
        make_event(
            "seizure",
            agency="FR-GM",
            incident="X",
            engines=[{"make": "Yamaha", "serial": "6AHL1012345"}],
        ),
        make_event("landing", incident="Y", engines=[{"make": "Yamaha", "serial": "6AHL1O12345"}]),
    ]
    uk = next(r for r in quality(events) if r.side == "UK")
    assert uk.corroborated.count == 1
