"""Arrivals from the record by the Home Office's definitions (PROVENANCE.md of
data/homeoffice: days are 00:00-23:59 UK time; boats in uncontrolled landings are a subset of
boats arrived; SB_02 weeks end on Sunday, e.g. the first row 'Week ending 07/01/2018')."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

from manche.domain.events.parse import parse_event
from manche.readings.arrivals import (
    Official,
    compare_with_official,
    daily_arrivals,
    weekly_preventions,
)


def ev(type_: str, at: datetime, **fields: Any) -> Any:
    return parse_event(
        {
            "type": type_,
            "id": str(uuid4()),
            "agency": fields.pop("agency", "UK-BF"),
            "author": "u-1",
            "occurred_at": at.isoformat(),
            "recorded_at": (at + timedelta(minutes=5)).isoformat(),
            **fields,
        }
    )


def landing(at: datetime, persons: int, kind: str = "controlled", **fields: Any) -> Any:
    return ev("landing", at, kind=kind, place="Dover", persons={"total": persons}, **fields)


def test_days_follow_uk_time_not_utc() -> None:
    # 23:30 UTC on 29 April is 00:30 BST on 30 April
    days = daily_arrivals([landing(datetime(2025, 4, 29, 23, 30, tzinfo=UTC), 40, incident="A")])
    assert [(d.day, d.migrants) for d in days] == [(date(2025, 4, 30), 40)]
    # in winter, UK time is UTC
    days = daily_arrivals([landing(datetime(2025, 1, 10, 23, 30, tzinfo=UTC), 40, incident="A")])
    assert [d.day for d in days] == [date(2025, 1, 10)]


def test_boats_are_distinct_incidents_and_uncontrolled_is_a_subset() -> None:
    t = datetime(2025, 4, 29, 9, 0, tzinfo=UTC)
    days = daily_arrivals(
        [
            landing(t, 30, incident="A"),
            landing(t + timedelta(minutes=40), 12, incident="A"),  # same boat, second group ashore
            landing(t, 55, kind="uncontrolled", incident="B"),
            landing(t, 7),  # no incident reference: a boat of its own
        ]
    )
    assert [(d.migrants, d.boats, d.uncontrolled_landings) for d in days] == [(104, 3, 1)]


def test_corrections_and_exercise_are_applied() -> None:
    t = datetime(2025, 4, 29, 9, 0, tzinfo=UTC)
    real = landing(t, 30, incident="A")
    wrong = landing(t, 20, incident="B")
    drill = landing(t, 50, incident="EX-1", exercise=True)
    fixes = [
        ev(
            "correction",
            t + timedelta(hours=1),
            target=str(real.id),
            changes={"persons": {"total": 33}},
            reason="recount at Western Jet Foil",
        ),
        ev(
            "correction",
            t + timedelta(hours=1),
            target=str(wrong.id),
            retract=True,
            reason="duplicate of A",
        ),
    ]
    assert [(d.migrants, d.boats) for d in daily_arrivals([real, wrong, drill, *fixes])] == [
        (33, 1)
    ]
    with_drill = daily_arrivals([real, wrong, drill, *fixes], include_exercise=True)
    assert [(d.migrants, d.boats) for d in with_drill] == [(83, 2)]


def test_preventions_by_week_ending_sunday() -> None:
    monday = datetime(2025, 4, 28, 3, 0, tzinfo=UTC)
    sunday = datetime(2025, 5, 4, 20, 0, tzinfo=UTC)
    next_monday = datetime(2025, 5, 5, 3, 0, tzinfo=UTC)
    weeks = weekly_preventions(
        [
            ev("prevention", monday, agency="FR-PAF", setting="beach", persons={"total": 45}),
            ev("prevention", sunday, agency="FR-PAF", setting="inland"),
            ev("prevention", next_monday, agency="FR-PAF", setting="water", persons={"total": 12}),
        ]
    )
    assert [(w.week_ending, w.migrants_prevented, w.events_prevented) for w in weeks] == [
        (date(2025, 5, 4), 45, 2),
        (date(2025, 5, 11), 12, 1),
    ]


def test_comparison_names_each_difference_and_ignores_not_recorded() -> None:
    t = datetime(2025, 4, 29, 9, 0, tzinfo=UTC)
    days = daily_arrivals([landing(t, 420, incident=f"B{i}") for i in range(1)])
    # SB_01, 29/04/2025 (2026-08-21 vintage): 422 migrants, 8 boats, 0 uncontrolled
    official = {date(2025, 4, 29): Official(422, 8, None)}
    (row,) = compare_with_official(days, official)
    assert row.matches is False
    assert row.differences == {"migrants": -2, "boats": -7}
    (missing,) = compare_with_official(days, {})
    assert missing.official is None and missing.matches is False
