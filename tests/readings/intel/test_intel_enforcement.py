"""Seizures and arrests by week and place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from manche.domain.events.base import Event
from manche.readings.intel.enforcement import NOT_RECORDED, enforcement

MakeEvent = Callable[..., Event]


def test_by_week_and_place(make_event: MakeEvent) -> None:
    # 2026-08-14 is a Friday of ISO week 33; 2026-08-17 a Monday of week 34
    events = [
        make_event("seizure", incident="S1", place="Gravelines"),  # boat, 1 engine, 1 item
        make_event(
            "seizure",
            incident="S2",
            place="Gravelines",
            boat=None,
            engines=[{"make": "Yamaha"}, {"make": "Yamaha"}],
            items=[],
        ),
        make_event("arrest", incident="S1", role="pilot"),
        make_event(
            "arrest",
            incident="Z",
            role="facilitator",
            count=3,
            occurred_at="2026-08-17T10:00:00Z",
            recorded_at="2026-08-17T11:00:00Z",
        ),
    ]
    rows = {(r.period, r.place): r for r in enforcement(events, "week")}
    g = rows[("2026-W33", "Gravelines")]
    assert (g.seizures, g.boats_seized, g.engines_seized, g.other_items) == (2, 1, 3, 1)
    assert g.arrests == {"pilot": 1}
    assert rows[("2026-W34", NOT_RECORDED)].arrests == {"facilitator": 3}


def test_preventions_against_sb02(make_event: MakeEvent) -> None:
    from manche.readings.intel.enforcement import compare_preventions
    from manche.sources.sb02_preventions import load

    official = load()
    # SB_02 of the 2026-08-21 vintage, row "week ending 16 August 2026": 270 migrants and 16
    # events prevented; weeks of 2018 hold '-' (not recorded)
    week = official[date(2026, 8, 16)]
    assert (week.migrants_prevented, week.events_prevented) == (270, 16)
    assert official[date(2018, 1, 7)].migrants_prevented is None
    events = [
        make_event(
            "prevention",
            occurred_at="2026-08-14T02:00:00Z",
            recorded_at="2026-08-14T03:00:00Z",
            persons={"total": 40},
        ),
        make_event(
            "prevention",
            occurred_at="2026-08-16T22:00:00Z",
            recorded_at="2026-08-16T23:00:00Z",
            persons={"total": 12},
        ),
        make_event(
            "prevention",
            occurred_at="2026-08-17T01:00:00Z",
            recorded_at="2026-08-17T02:00:00Z",
            persons=None,
        ),
    ]
    # a landing in the week ending 9 August: a week of the record with no prevention recorded
    events.append(
        make_event(
            "landing", occurred_at="2026-08-05T06:00:00Z", recorded_at="2026-08-05T07:00:00Z"
        )
    )
    rows = compare_preventions(events, official)
    assert [(r.week_ending, r.recorded_events, r.recorded_persons) for r in rows] == [
        ("2026-08-09", 0, 0),
        ("2026-08-16", 2, 52),
        ("2026-08-23", 1, 0),
    ]
    earlier = official[date(2026, 8, 9)]
    assert (rows[0].official_events, rows[0].official_persons) == (
        earlier.events_prevented,
        earlier.migrants_prevented,
    )
    assert earlier.events_prevented  # the record missed what SB_02 counts that week
    rows = rows[1:]
    assert (rows[0].official_events, rows[0].official_persons) == (16, 270)
    assert rows[1].official_events is None  # after the vintage's last week
