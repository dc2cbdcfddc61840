"""Seizures and arrests by week and place."""

from __future__ import annotations

from collections.abc import Callable

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
