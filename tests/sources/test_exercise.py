"""The exercise day: figures reproduced exactly, plausible journeys on the real chart,
deterministic for a seed, every event labelled as exercise."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import shapely

from manche.errors import InputError
from manche.geo.classify import classifier, classify
from manche.geo.data import read_places
from manche.geo.projection import METRES_PER_NM, to_metric
from manche.readings.arrivals import daily_arrivals
from manche.readings.chart import geo_chart
from manche.readings.incidents import State, build_incidents
from manche.sources.exercise import EXERCISE_NOTE, DayFigures, Spot, exercise_day

FIGURES = DayFigures(date(2025, 4, 29), migrants=480, boats=9, uncontrolled_boats=1)


def _spots(role: str) -> list[Spot]:
    return [Spot(p.name, p.lon, p.lat) for p in read_places() if role in p.role]


def _day(figures: DayFigures = FIGURES, seed: int = 7) -> list:  # type: ignore[type-arg]
    return exercise_day(
        figures,
        launch_areas=_spots("launch area"),
        landing_port=Spot("Dover", 1.322528, 51.114389),  # places.csv: Dover harbour tide gauge
        beaches=[s for s in _spots("landing area")],
        seed=seed,
    )


def test_reproduces_the_official_figures_for_the_day() -> None:
    days = daily_arrivals(_day(), include_exercise=True)
    assert [(d.day, d.migrants, d.boats, d.uncontrolled_landings) for d in days] == [
        (date(2025, 4, 29), 480, 9, 1)
    ]


def test_is_left_out_of_real_figures_unless_asked() -> None:
    assert daily_arrivals(_day()) == []


def test_every_event_is_labelled_exercise() -> None:
    events = _day()
    assert all(e.exercise and e.note == EXERCISE_NOTE for e in events)


def test_same_seed_same_events_other_seed_other_events() -> None:
    first = [e.to_json() for e in _day(seed=3)]
    assert first == [e.to_json() for e in _day(seed=3)]
    assert first != [e.to_json() for e in _day(seed=4)]


def test_journeys_are_plausible_on_the_real_chart() -> None:
    events = _day()
    now = datetime(2025, 4, 30, tzinfo=UTC)
    incidents = build_incidents(events, geo_chart(), now=now)
    assert len(incidents) == 9
    assert {i.outcome for i in incidents} == {State.LANDED_UK}
    # no impossible speed, no sea event on land, no review finding: a clean exercise
    assert [f for i in incidents for f in i.flags] == []
    assert [f for i in incidents for f in i.findings] == []
    # at least one distress with a rescue
    assert any(any(p.phase == "DETRESFA" for p in i.phases) for i in incidents)
    assert any(i.persons_rescued > 0 for i in incidents)
    # every launch from a real launch area, every controlled landing at Dover
    launch_names = {s.name for s in _spots("launch area")}
    assert {e.place for e in events if e.type == "launch"} <= launch_names  # type: ignore[attr-defined]
    controlled = [e for e in events if e.type == "landing" and e.kind == "controlled"]  # type: ignore[attr-defined]
    assert {e.place for e in controlled} == {"Dover"}  # type: ignore[attr-defined]


def test_french_escorts_end_at_the_line() -> None:
    line = to_metric(classifier().layers.median_line)
    ends = [e for e in _day() if e.type == "escort" and e.action == "end"]  # type: ignore[attr-defined]
    assert len(ends) == 9
    for end in ends:
        assert end.agency.startswith("FR-")
        assert end.position is not None
        point = to_metric(shapely.Point(end.position.lon, end.position.lat))
        assert point.distance(line) / METRES_PER_NM < 0.05  # on the line, to rounding
    starts = [e for e in _day() if e.type == "escort" and e.action == "start"]  # type: ignore[attr-defined]
    zones = classify([e.position.lon for e in starts], [e.position.lat for e in starts]).sovereignty  # type: ignore[union-attr]
    assert set(zones) == {"FR-TS"}  # escorts start in French waters


def test_refuses_a_day_without_boats_with_a_message() -> None:
    with pytest.raises(InputError, match="0 boats"):
        _day(DayFigures(date(2025, 1, 1), migrants=0, boats=0))


def test_each_boat_is_described_at_landing_and_some_engines_at_launch() -> None:
    events = _day()
    landings = [e for e in events if e.type == "landing"]
    assert len(landings) == FIGURES.boats
    assert all(e.boat is not None and len(e.engines) == 1 for e in landings)
    assert all(e.engines[0].serial for e in landings)
    launches = {e.incident: e for e in events if e.type == "launch"}
    noted = [e for e in landings if launches[e.incident].engines]
    # what the French border police note at launch is the engine Border Force finds at landing
    assert all(launches[e.incident].engines == e.engines for e in noted)


def test_the_register_groups_both_sides_and_a_weekly_engine_recurs() -> None:
    """A week of exercise days (a fixed share of engines drawn from the week's pool): the
    register, read over the events alone, finds boats and engines seen by both sides and at
    least one engine used on several crossings."""
    from manche.readings.intel.registry import build_registry

    week = [
        event
        for offset in range(7)
        for event in _day(
            DayFigures(date(2025, 4, 21 + offset), migrants=300, boats=6, uncontrolled_boats=0),
            seed=offset + 1,
        )
    ]
    registry = build_registry(week)
    engines = [c for c in registry.crafts if c.kind == "engine"]
    assert sum(1 for c in engines if c.sides == ["FR", "UK"]) >= 5
    assert any(c.crossings > 1 for c in engines)
    assert any(c.kind == "boat" for c in registry.crafts)
