"""Crossing incidents folded from events: state machine, SAR phases, coordination, review
findings and data-quality flags. Expected outcomes follow from the rules' own words
(manche.domain.sar, manche.domain.protocol), not from running the code.

Geography comes in through a small table chart: each test names the zone of each position it
uses, so a failure points at the incident logic, not at the map (the real map is tested in
tests/geo and wired in tests/readings/test_incidents_geo.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from manche.domain.events.parse import parse_event
from manche.domain.values import Side
from manche.readings.incidents import State, build_incidents, effective_events

T0 = datetime(2025, 4, 29, 4, 0, tzinfo=UTC)

# positions used by the scenarios and the zone the table chart gives them
BEACH = (2.1283, 50.9858)  # Gravelines beach
FR_WATERS = (2.05, 51.05)  # about 4.5 nm off Gravelines
MID = (1.55, 51.05)
UK_WATERS = (1.45, 51.08)
DOVER = (1.33, 51.11)
LILLE = (3.06, 50.63)
ZONES = {
    BEACH: ("FR-LAND", Side.FR),
    FR_WATERS: ("FR-TS", Side.FR),
    MID: ("FR-EEZ", Side.FR),
    UK_WATERS: ("UK-TS", Side.UK),
    DOVER: ("UK-TS", Side.UK),
    LILLE: ("FR-LAND", Side.FR),
}


class TableChart:
    def sovereignty(self, lon: float, lat: float) -> str:
        return ZONES[(lon, lat)][0]

    def rescue_region(self, lon: float, lat: float) -> Side:
        return ZONES[(lon, lat)][1]


def ev(type_: str, minutes: float, at: tuple[float, float] | None = None, **fields: Any) -> Any:
    occurred = T0 + timedelta(minutes=minutes)
    data: dict[str, Any] = {
        "type": type_,
        "id": str(uuid4()),
        "agency": fields.pop("agency", "UK-HMCG"),
        "author": "u-1",
        "occurred_at": occurred.isoformat(),
        "recorded_at": (occurred + timedelta(minutes=1)).isoformat(),
        "incident": fields.pop("incident", "INC-1"),
        **fields,
    }
    if at is not None:
        data["position"] = {"lon": at[0], "lat": at[1]}
    return parse_event(data)


def build(*events: Any, now_minutes: float = 600) -> Any:
    incidents = build_incidents(events, TableChart(), now=T0 + timedelta(minutes=now_minutes))
    assert len(incidents) == 1
    return incidents[0]


def test_journey_from_launch_to_landing_goes_through_each_state() -> None:
    incident = build(
        ev("launch", 0, BEACH, agency="FR-PAF", mode="beach", persons={"total": 60}),
        ev("sighting", 30, FR_WATERS, agency="FR-CROSS-GN", source="aircraft"),
        ev("escort", 35, FR_WATERS, agency="FR-MN", vessel="FR-MN-FLAMANT"),
        ev("escort", 120, MID, agency="FR-MN", vessel="FR-MN-FLAMANT", action="end"),
        ev(
            "interception",
            150,
            UK_WATERS,
            agency="UK-BF",
            by="UK-BF-TYPHOON",
            persons={"total": 61},
        ),
        ev(
            "landing",
            210,
            DOVER,
            agency="UK-BF",
            kind="controlled",
            place="Dover",
            persons={"total": 61},
        ),
    )
    assert [s.state for s in incident.states] == [
        State.LAUNCHED,
        State.AT_SEA,
        State.ESCORTED,
        State.AT_SEA,
        State.INTERCEPTED,
        State.LANDED_UK,
    ]
    assert incident.outcome is State.LANDED_UK
    assert incident.persons_landed == 61
    assert [p.event_type for p in incident.track] == [
        "launch",
        "sighting",
        "escort",
        "escort",
        "interception",
        "landing",
    ]
    assert incident.zone == "UK-TS"
    assert incident.responsible_centre == "MRCC Dover"
    assert "proxy" in incident.responsible_centre_basis
    assert incident.findings == [] and incident.flags == []
    assert incident.assets_on_scene == []  # closed incidents have nobody on scene
    assert set(incident.assets_involved) == {"FR-MN-FLAMANT", "UK-BF-TYPHOON"}


def test_distress_kinds_set_phases_and_rescue_concludes() -> None:
    incident = build(
        ev("launch", 0, BEACH, agency="FR-PAF", mode="taxi-boat"),
        ev("distress", 40, FR_WATERS, agency="FR-CROSS-GN", kinds=["engine-failure"]),
        ev("distress", 55, FR_WATERS, agency="FR-CROSS-GN", kinds=["people-in-water"]),
        ev(
            "rescue",
            70,
            FR_WATERS,
            agency="FR-MN",
            taken_aboard="FR-MN-FLAMANT",
            persons={"total": 48},
        ),
        ev(
            "return-to-france",
            130,
            agency="FR-MN",
            how="landed-by-french-asset",
            place="Boulogne-sur-Mer",
            persons={"total": 48},
        ),
    )
    # engine failure: apprehension (ALERFA); people in the water: grave and imminent (DETRESFA)
    assert [(p.phase, p.rule) for p in incident.phases] == [
        ("ALERFA", "SAR-ENGINE"),
        ("DETRESFA", "SAR-PIW"),
        ("-", "SAR-CONCLUDED"),
    ]
    # CROSS Gris-Nez recorded the first alert: it coordinates (first-alerted rule)
    assert incident.coordinating_centre == "CROSS Gris-Nez"
    assert incident.coordination[0].how.startswith("first alerted")
    assert incident.outcome is State.RETURNED_FR
    assert incident.findings == []


def test_coordination_moves_only_when_the_other_centre_accepts() -> None:
    handover = ev(
        "handover",
        60,
        agency="FR-CROSS-GN",
        subject="coordination",
        from_agency="FR-CROSS-GN",
        to_agency="UK-HMCG",
    )
    before = [
        ev("distress", 50, FR_WATERS, agency="FR-CROSS-GN", kinds=["signalled"]),
        handover,
    ]
    unanswered = build(*before, now_minutes=80)  # 20 min on: past the 15 allowed
    assert unanswered.coordinating_centre == "CROSS Gris-Nez"
    assert [f.rule for f in unanswered.findings] == ["REVIEW-HANDOVER-NOT-ACCEPTED"]

    accepted = build(
        *before,
        ev("handover-acceptance", 64, agency="UK-HMCG", handover=str(handover.id)),
        now_minutes=70,
    )
    assert accepted.coordinating_centre == "MRCC Dover"
    assert accepted.coordination[-1].how == "handover from FR-CROSS-GN accepted by UK-HMCG"
    assert accepted.findings == []


def test_handover_within_grace_is_not_yet_a_finding() -> None:
    incident = build(
        ev(
            "handover",
            60,
            agency="FR-CROSS-GN",
            subject="monitoring",
            from_agency="FR-CROSS-GN",
            to_agency="UK-HMCG",
        ),
        now_minutes=70,  # 10 minutes later: still within the 15 minutes allowed
    )
    assert incident.findings == []


def test_uk_rescue_in_french_waters_then_landed_in_uk_is_for_review() -> None:
    incident = build(
        ev("sighting", 0, FR_WATERS, agency="UK-HMCG", source="aircraft"),
        ev("distress", 5, FR_WATERS, agency="UK-HMCG", kinds=["signalled"]),
        ev(
            "rescue",
            20,
            FR_WATERS,
            agency="UK-BF",
            taken_aboard="UK-BF-TYPHOON",
            persons={"total": 40},
        ),
        ev(
            "landing",
            90,
            DOVER,
            agency="UK-BF",
            kind="controlled",
            place="Dover",
            persons={"total": 40},
        ),
    )
    assert [f.rule for f in incident.findings] == ["REVIEW-UK-RESCUE-IN-FR-LANDED-UK"]
    assert "UK-BF-TYPHOON" in incident.findings[0].detail


def test_french_rescue_in_french_waters_landed_in_france_is_not_for_review() -> None:
    incident = build(
        ev("distress", 5, FR_WATERS, agency="FR-CROSS-GN", kinds=["signalled"]),
        ev(
            "rescue",
            20,
            FR_WATERS,
            agency="FR-MN",
            taken_aboard="FR-MN-CORMORAN",
            persons={"total": 40},
        ),
        ev(
            "return-to-france",
            80,
            agency="FR-MN",
            how="landed-by-french-asset",
            persons={"total": 40},
        ),
    )
    assert incident.findings == []


def test_escort_continuing_after_distress_without_rescue_is_for_review() -> None:
    incident = build(
        ev("escort", 0, FR_WATERS, agency="FR-MN", vessel="FR-GM-ARAMIS"),
        ev("distress", 30, FR_WATERS, agency="FR-CROSS-GN", kinds=["signalled"]),
        ev("escort", 70, MID, agency="FR-MN", vessel="FR-GM-ARAMIS", action="end"),
        now_minutes=90,
    )
    assert [f.rule for f in incident.findings] == ["REVIEW-ESCORT-DURING-DISTRESS"]
    assert "FR-GM-ARAMIS" in incident.findings[0].detail


def test_escort_followed_by_prompt_rescue_is_not_for_review() -> None:
    incident = build(
        ev("escort", 0, FR_WATERS, agency="FR-MN", vessel="FR-GM-ARAMIS"),
        ev("distress", 30, FR_WATERS, agency="FR-CROSS-GN", kinds=["signalled"]),
        ev(
            "rescue",
            40,
            FR_WATERS,
            agency="FR-GM",
            taken_aboard="FR-GM-ARAMIS",
            persons={"total": 12},
        ),
        now_minutes=120,
    )
    assert incident.findings == []


def test_landing_with_nothing_before_it_is_for_review() -> None:
    incident = build(
        ev(
            "landing",
            0,
            DOVER,
            agency="UK-BF",
            kind="uncontrolled",
            place="Dungeness",
            persons={"total": 50},
        ),
    )
    assert [f.rule for f in incident.findings] == ["REVIEW-LANDING-UNSIGHTED"]


def test_interception_in_the_other_sides_waters_without_distress_is_for_review() -> None:
    incident = build(
        ev("sighting", 0, FR_WATERS, agency="UK-HMCG", source="radar"),
        ev("interception", 10, FR_WATERS, agency="UK-BF", by="UK-BF-SEEKER"),
    )
    assert [f.rule for f in incident.findings] == ["REVIEW-ACTION-OUTSIDE-WATERS"]


def test_no_sighting_for_an_hour_after_launch_raises_incerfa() -> None:
    launch = ev("launch", 0, BEACH, agency="FR-PAF", mode="beach")
    assert build(launch, now_minutes=59).sar_phase == "-"
    later = build(launch, now_minutes=61)
    assert later.sar_phase == "INCERFA"
    assert later.phases[0].rule == "SAR-UNSIGHTED"
    assert later.phases[0].at == T0 + timedelta(minutes=60)


def test_bad_positions_and_order_are_flagged_never_dropped() -> None:
    landing = ev(
        "landing",
        -300,
        DOVER,
        agency="UK-BF",
        kind="controlled",
        place="Dover",
        persons={"total": 3},
    )  # 6 h before its launch (slow enough not to be an impossible speed)
    on_land = ev("sighting", 240, LILLE, agency="FR-CROSS-GN", source="drone")  # 3 h, ~24 nm
    too_fast = ev("sighting", 250, DOVER, agency="UK-HMCG", source="radar")  # ~60 nm in 10 min
    incident = build(
        ev("launch", 60, BEACH, agency="FR-PAF", mode="beach"), on_land, too_fast, landing
    )
    flags = {(f.code, f.event_id) for f in incident.flags}
    assert flags == {
        ("POSITION-ON-LAND", on_land.id),
        ("IMPOSSIBLE-SPEED", too_fast.id),
        ("LANDING-BEFORE-LAUNCH", landing.id),
        # a landing before the launch makes every later sea event come after the outcome
        ("AFTER-OUTCOME", on_land.id),
        ("AFTER-OUTCOME", too_fast.id),
    }
    assert len(incident.event_ids) == 4  # every event kept
    assert (LILLE[0], LILLE[1]) in [(p.lon, p.lat) for p in incident.track]  # not moved


def test_corrections_apply_and_retractions_remove() -> None:
    sighting = ev(
        "sighting", 10, FR_WATERS, agency="FR-CROSS-GN", source="radar", persons={"total": 30}
    )
    wrong = ev("sighting", 20, FR_WATERS, agency="FR-CROSS-GN", source="radar")
    fix = ev(
        "correction",
        25,
        agency="FR-CROSS-GN",
        target=str(sighting.id),
        changes={"persons": {"total": 45}},
        reason="recount from the aircraft video",
    )
    retract = ev(
        "correction",
        26,
        agency="FR-CROSS-GN",
        target=str(wrong.id),
        retract=True,
        reason="another boat",
    )
    events = effective_events([sighting, wrong, fix, retract])
    assert [e.id for e in events] == [sighting.id]
    assert events[0].persons is not None and events[0].persons.total == 45  # type: ignore[attr-defined]


def test_correction_of_an_unknown_event_names_the_field() -> None:
    from manche.errors import InputError

    stray = ev("correction", 1, target=str(UUID(int=7)), retract=True, reason="x")
    with pytest.raises(InputError, match="target"):
        effective_events([stray])


def test_exercise_incidents_are_labelled_and_mixed_ones_flagged() -> None:
    drill = build(ev("launch", 0, BEACH, agency="FR-PAF", mode="beach", exercise=True))
    assert drill.exercise is True and drill.flags == []
    mixed = build(
        ev("launch", 0, BEACH, agency="FR-PAF", mode="beach", exercise=True),
        ev("sighting", 40, FR_WATERS, agency="FR-CROSS-GN", source="radar"),
    )
    assert mixed.exercise is True
    assert [f.code for f in mixed.flags] == ["MIXED-EXERCISE"]


def test_urgency_puts_active_distress_first() -> None:
    events = [
        ev(
            "landing",
            0,
            DOVER,
            incident="A",
            agency="UK-BF",
            kind="controlled",
            place="Dover",
            persons={"total": 5},
        ),
        ev("sighting", 5, FR_WATERS, incident="B", agency="FR-CROSS-GN", source="radar"),
        ev("distress", 3, FR_WATERS, incident="C", agency="FR-CROSS-GN", kinds=["signalled"]),
    ]
    order = [i.ref for i in build_incidents(events, TableChart(), now=T0 + timedelta(hours=1))]
    assert order == ["C", "B", "A"]


def test_lost_when_everyone_aboard_is_dead_or_missing() -> None:
    incident = build(
        ev("sighting", 0, FR_WATERS, agency="FR-CROSS-GN", source="radar", persons={"total": 3}),
        ev("fatality", 30, FR_WATERS, agency="FR-CROSS-GN", dead=1, missing=2),
    )
    assert incident.outcome is State.LOST
    assert (incident.dead, incident.missing) == (1, 2)
