"""Crossing incidents: one boat's journey, read off the record.

``build_incidents(events, chart, now=...)`` groups events by their ``incident`` reference, applies
corrections and retractions, orders what happened by ``occurred_at`` and folds it into an
:class:`Incident`: its state (launched → at sea → escorted → in distress → rescued / intercepted
→ landed UK / returned FR / prevented / lost), position, zone and track, people aboard, assets on
scene, SAR phase with the reason for each change (:mod:`manche.domain.sar`), the rescue centre
responsible by position (median-line *proxy*) and the coordinating centre under the first-alerted
rule, the outcome, the protocol *review* findings (:mod:`manche.domain.protocol`) and the data
quality flags (a position on land, an impossible speed, a landing before its launch).

Nothing is dropped or moved: a doubtful event stays in the incident, flagged with the reason.
The reading is pure: geography comes in through the :class:`Chart` protocol.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from pyproj import Geod

from manche.domain.events import Event
from manche.domain.events.correction import Correction, apply_correction
from manche.domain.events.sea import (
    Distress,
    Escort,
    Fatality,
    Handover,
    HandoverAcceptance,
    HandoverSubject,
    Interception,
    Landing,
    Launch,
    Prevention,
    Rescue,
    ReturnToFrance,
    Sighting,
)
from manche.domain.protocol import (
    ESCORT_DISTRESS_GRACE,
    MAX_SMALL_BOAT_KNOTS,
    RULES_BY_CODE,
)
from manche.domain.sar import DISTRESS_KIND_PHASE, UNSIGHTED_AFTER_LAUNCH, UNSIGHTED_RULE, SarPhase
from manche.domain.values import Side
from manche.errors import InputError

_GEOD = Geod(ellps="WGS84")
_METRES_PER_NM = 1852.0

HANDOVER_ACCEPTANCE_GRACE = timedelta(minutes=15)
"""How long a handover may wait for its acceptance before a review finding."""

RESCUE_CENTRES: dict[Side, str] = {Side.UK: "MRCC Dover", Side.FR: "CROSS Gris-Nez"}
RESCUE_CENTRE_AGENCIES: dict[str, Side] = {"UK-HMCG": Side.UK, "FR-CROSS-GN": Side.FR}

AT_SEA_TYPES = frozenset({"sighting", "escort", "distress", "rescue", "interception"})


class Chart(Protocol):
    """The geography an incident needs (see :mod:`manche.geo`)."""

    def sovereignty(self, lon: float, lat: float) -> str:
        """Zone code: UK-TS, FR-TS, BE-TS, UK-EEZ, FR-EEZ, UK-LAND, FR-LAND, BE-LAND, OUTSIDE."""
        ...

    def rescue_region(self, lon: float, lat: float) -> Side | None:
        """Whose search-and-rescue region the point lies in (median-line proxy); None when
        neither (Belgian waters, outside the area)."""
        ...


def side_by_prefix(code: str) -> Side | None:
    """Side of an agency or asset code (``UK-...`` / ``FR-...``), as the registries name them."""
    head = code.split("-", 1)[0].upper()
    return Side(head) if head in ("UK", "FR") else None


class State(StrEnum):
    LAUNCHED = "launched"
    AT_SEA = "at-sea"
    ESCORTED = "escorted"
    IN_DISTRESS = "in-distress"
    RESCUED = "rescued"
    INTERCEPTED = "intercepted"
    LANDED_UK = "landed-uk"
    RETURNED_FR = "returned-fr"
    PREVENTED = "prevented"
    LOST = "lost"

    @property
    def terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset({State.LANDED_UK, State.RETURNED_FR, State.PREVENTED, State.LOST})


@dataclass(frozen=True)
class TrackPoint:
    at: datetime
    lon: float
    lat: float
    event_id: UUID
    event_type: str


@dataclass(frozen=True)
class StateChange:
    state: State
    at: datetime
    event_id: UUID


@dataclass(frozen=True)
class PhaseChange:
    phase: str
    at: datetime
    rule: str
    reason: str
    event_id: UUID | None


@dataclass(frozen=True)
class CoordinationChange:
    side: Side
    centre: str
    at: datetime
    how: str
    event_id: UUID


@dataclass(frozen=True)
class Finding:
    """A protocol review finding: a fact to look at together, not an accusation."""

    rule: str
    text: str
    source: str
    detail: str
    at: datetime
    event_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class Flag:
    """A data-quality flag on an event, recorded as given."""

    event_id: UUID
    code: str
    reason: str


@dataclass
class Incident:
    ref: str
    exercise: bool = False
    state: State | None = None
    outcome: State | None = None
    launched_at: datetime | None = None
    last_event_at: datetime | None = None
    position: TrackPoint | None = None
    zone: str | None = None
    responsible_centre: str | None = None
    responsible_centre_basis: str = "median line (proxy: the SAR demarcation is not published)"
    coordinating_centre: str | None = None
    sar_phase: str = SarPhase.NONE.label
    persons_aboard: int | None = None
    persons_rescued: int = 0
    persons_landed: int = 0
    dead: int = 0
    missing: int = 0
    assets_on_scene: list[str] = field(default_factory=list)
    assets_involved: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    track: list[TrackPoint] = field(default_factory=list)
    states: list[StateChange] = field(default_factory=list)
    phases: list[PhaseChange] = field(default_factory=list)
    coordination: list[CoordinationChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    event_ids: list[UUID] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.state is not None and not self.state.terminal

    def urgency(self) -> tuple[int, int, float]:
        """Sort key, most urgent first: active before closed, higher SAR phase, most recent."""
        phase = SarPhase[self.sar_phase] if self.sar_phase != "-" else SarPhase.NONE
        recent = self.last_event_at.timestamp() if self.last_event_at else 0.0
        return (0 if self.active else 1, -int(phase), -recent)


def effective_events(events: Iterable[Event]) -> list[Event]:
    """The events as corrected: corrections applied in log order, retracted events left out.

    A correction that cannot apply (unknown target, invalid amendment) is an
    :class:`~manche.errors.InputError`: the log never accepts one (the writer validates it),
    so meeting one here means the log itself is wrong.
    """
    ordered = list(events)
    current: dict[UUID, Event | None] = {}
    order: list[UUID] = []
    for event in ordered:
        if isinstance(event, Correction):
            if event.target not in current:
                raise InputError(
                    f"correction {event.id} targets {event.target}, not earlier in the log",
                    field="target",
                )
            target = current[event.target]
            if target is not None:
                current[event.target] = apply_correction(target, event)
            continue
        current[event.id] = event
        order.append(event.id)
    return [e for i in order if (e := current[i]) is not None]


def build_incidents(
    events: Iterable[Event],
    chart: Chart,
    *,
    now: datetime,
    side_of: Callable[[str], Side | None] = side_by_prefix,
) -> list[Incident]:
    """Every incident in ``events`` (log order), most urgent first."""
    groups: dict[str, list[tuple[int, Event]]] = defaultdict(list)
    for index, event in enumerate(effective_events(events)):
        if event.incident:
            groups[event.incident].append((index, event))
    incidents = [
        _fold(
            ref,
            [e for _, e in sorted(items, key=lambda p: (p[1].occurred_at, p[0]))],
            chart,
            now,
            side_of,
        )
        for ref, items in groups.items()
    ]
    incidents.sort(key=Incident.urgency)
    return incidents


def _fold(
    ref: str,
    events: Sequence[Event],
    chart: Chart,
    now: datetime,
    side_of: Callable[[str], Side | None],
) -> Incident:
    folder = _Folder(Incident(ref=ref), chart, now, side_of)
    for event in events:
        folder.apply(event)
    folder.finish()
    return folder.incident


class _Folder:
    def __init__(
        self,
        incident: Incident,
        chart: Chart,
        now: datetime,
        side_of: Callable[[str], Side | None],
    ) -> None:
        self.incident = incident
        self.chart = chart
        self.now = now
        self.side_of = side_of
        self.phase = SarPhase.NONE
        self.escorts: dict[str, Escort] = {}
        self.escort_log: list[Escort] = []
        self.distress: Distress | None = None
        self.handovers: dict[UUID, Handover] = {}
        self.answered: set[UUID] = set()
        self.launch: Launch | None = None
        self.seen_before_landing = False
        self.rescues: list[tuple[Rescue, str]] = []
        self.landings: list[Landing] = []
        self.responded_after_distress: datetime | None = None
        self.exercise_flags: set[bool] = set()

    # -- helpers -------------------------------------------------------------------------
    def _set_state(self, state: State, event: Event) -> None:
        if self.incident.state is not None and self.incident.state.terminal:
            return
        if self.incident.state is not state:
            self.incident.state = state
            self.incident.states.append(StateChange(state, event.occurred_at, event.id))

    def _raise_phase(
        self, phase: SarPhase, at: datetime, rule: str, reason: str, event_id: UUID | None
    ) -> None:
        if phase > self.phase:
            self.phase = phase
            self.incident.phases.append(PhaseChange(phase.label, at, rule, reason, event_id))

    def _conclude(self, event: Event, how: str) -> None:
        if self.phase is not SarPhase.NONE:
            self.phase = SarPhase.NONE
            self.incident.phases.append(
                PhaseChange(
                    "-",
                    event.occurred_at,
                    "SAR-CONCLUDED",
                    f"SAR action concluded: {how}",
                    event.id,
                )
            )

    def _flag(self, event: Event, code: str, reason: str) -> None:
        self.incident.flags.append(Flag(event.id, code, reason))

    def _finding(self, code: str, detail: str, at: datetime, *events: Event) -> None:
        rule = RULES_BY_CODE[code]
        self.incident.findings.append(
            Finding(code, rule.text, rule.source, detail, at, tuple(e.id for e in events))
        )

    def _mention(self, code: str) -> None:
        if code not in self.incident.assets_involved:
            self.incident.assets_involved.append(code)

    def _position(self, event: Event) -> None:
        if event.position is None:
            return
        lon, lat = event.position.lon, event.position.lat
        point = TrackPoint(event.occurred_at, lon, lat, event.id, event.type)
        previous = self.incident.track[-1] if self.incident.track else None
        if previous is not None:
            hours = (point.at - previous.at).total_seconds() / 3600
            _, _, metres = _GEOD.inv(previous.lon, previous.lat, lon, lat)
            nm = metres / _METRES_PER_NM
            if hours > 0 and nm / hours > MAX_SMALL_BOAT_KNOTS:
                self._flag(
                    event,
                    "IMPOSSIBLE-SPEED",
                    f"{nm:.1f} nm in {hours * 60:.0f} min since the previous position "
                    f"is {nm / hours:.0f} knots (a small boat does at most "
                    f"{MAX_SMALL_BOAT_KNOTS:.0f})",
                )
            elif hours == 0 and nm > 0.5:
                self._flag(
                    event,
                    "IMPOSSIBLE-SPEED",
                    f"{nm:.1f} nm from the previous position at the same time",
                )
        zone = self.chart.sovereignty(lon, lat)
        if event.type in AT_SEA_TYPES and zone.endswith("-LAND"):
            self._flag(
                event,
                "POSITION-ON-LAND",
                f"{event.type} at sea placed on land ({zone}) at {lat:.5f}, {lon:.5f}",
            )
        self.incident.track.append(point)
        self.incident.position = point
        self.incident.zone = zone

    # -- the fold ------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        inc = self.incident
        inc.event_ids.append(event.id)
        self.exercise_flags.add(event.exercise)
        if event.agency not in inc.agencies:
            inc.agencies.append(event.agency)
        for asset in event.assets:
            self._mention(asset)
        if inc.state is not None and inc.state.terminal and event.type in AT_SEA_TYPES:
            self._flag(
                event,
                "AFTER-OUTCOME",
                f"{event.type} recorded after the outcome ({inc.state.value})",
            )
        inc.last_event_at = event.occurred_at
        self._position(event)
        persons = getattr(event, "persons", None)
        handler = getattr(self, "_on_" + event.type.replace("-", "_"), None)
        if handler is not None:
            handler(event)
        if persons is not None and not isinstance(event, Rescue | Landing | ReturnToFrance):
            inc.persons_aboard = persons.total

    def _on_launch(self, event: Launch) -> None:
        self.launch = event
        self.incident.launched_at = event.occurred_at
        self.seen_before_landing = True
        self._set_state(State.LAUNCHED, event)

    def _on_prevention(self, event: Prevention) -> None:
        self._set_state(State.PREVENTED, event)

    def _on_sighting(self, event: Sighting) -> None:
        self.seen_before_landing = True
        if self.incident.state in (None, State.LAUNCHED):
            self._set_state(State.AT_SEA, event)

    def _on_escort(self, event: Escort) -> None:
        self.seen_before_landing = True
        self._mention(event.vessel)
        self.escort_log.append(event)
        if event.action == "start":
            self.escorts[event.vessel] = event
            if self.incident.state is not State.IN_DISTRESS:
                self._set_state(State.ESCORTED, event)
        else:
            self.escorts.pop(event.vessel, None)
            if self.incident.state is State.ESCORTED and not self.escorts:
                self._set_state(State.AT_SEA, event)

    def _on_distress(self, event: Distress) -> None:
        self.seen_before_landing = True
        if self.distress is None:
            self.distress = event
            self._alert_centre(event)
        self._set_state(State.IN_DISTRESS, event)
        for kind in event.kinds:
            rule = DISTRESS_KIND_PHASE[kind]
            self._raise_phase(
                rule.phase, event.occurred_at, rule.code, f"{rule.trigger}: {rule.reason}", event.id
            )

    def _alert_centre(self, event: Event) -> None:
        """First-alerted rule: the centre that records (or is nearest to) the first alert
        coordinates until the other accepts a handover."""
        if self.incident.coordinating_centre is not None:
            return
        side = RESCUE_CENTRE_AGENCIES.get(event.agency)
        how = f"first alerted ({event.agency} recorded the alert)"
        if side is None and event.position is not None:
            side = self.chart.rescue_region(event.position.lon, event.position.lat)
            how = "first alerted (centre of the region where the alert was raised, proxy line)"
        if side is None:
            side = self.side_of(event.agency)
            how = f"first alerted (centre of the side of {event.agency})"
        if side is None:
            return
        self._coordinate(side, event, how)

    def _coordinate(self, side: Side, event: Event, how: str) -> None:
        centre = RESCUE_CENTRES[side]
        self.incident.coordinating_centre = centre
        self.incident.coordination.append(
            CoordinationChange(side, centre, event.occurred_at, how, event.id)
        )

    def _responded(self, event: Event) -> None:
        if self.distress is not None and self.responded_after_distress is None:
            self.responded_after_distress = event.occurred_at

    def _on_rescue(self, event: Rescue) -> None:
        self.seen_before_landing = True
        self._mention(event.taken_aboard)
        zone = self.incident.zone if event.position is not None else None
        self.rescues.append((event, zone or ""))
        self.incident.persons_rescued += event.persons.total
        self._responded(event)
        self._set_state(State.RESCUED, event)
        self._conclude(event, f"{event.persons.total} people taken aboard {event.taken_aboard}")

    def _on_interception(self, event: Interception) -> None:
        self.seen_before_landing = True
        self._mention(event.by)
        self._responded(event)
        side = self.side_of(event.by) or self.side_of(event.agency)
        zone = self.incident.zone if event.position is not None else None
        if self.distress is None and side is not None and zone in ("UK-TS", "FR-TS"):
            other = "FR" if side is Side.UK else "UK"
            if zone == f"{other}-TS":
                self._finding(
                    "REVIEW-ACTION-OUTSIDE-WATERS",
                    f"{event.by} ({side.value}) intercepted in {zone}",
                    event.occurred_at,
                    event,
                )
        self._set_state(State.INTERCEPTED, event)
        self._conclude(event, f"intercepted by {event.by}")

    def _on_handover(self, event: Handover) -> None:
        self.handovers[event.id] = event

    def _on_handover_acceptance(self, event: HandoverAcceptance) -> None:
        self.answered.add(event.handover)
        offered = self.handovers.get(event.handover)
        if offered is None:
            self._flag(
                event,
                "UNKNOWN-HANDOVER",
                f"answers handover {event.handover}, not found earlier in this incident",
            )
            return
        if event.accepted and offered.subject is HandoverSubject.COORDINATION:
            side = RESCUE_CENTRE_AGENCIES.get(offered.to_agency) or self.side_of(offered.to_agency)
            if side is not None:
                self._coordinate(
                    side,
                    event,
                    f"handover from {offered.from_agency} accepted by {offered.to_agency}",
                )

    def _on_landing(self, event: Landing) -> None:
        inc = self.incident
        if not self.seen_before_landing:
            self._finding(
                "REVIEW-LANDING-UNSIGHTED",
                f"landing at {event.place} with no earlier launch, sighting, escort "
                "or interception",
                event.occurred_at,
                event,
            )
        self.landings.append(event)
        for rescue, zone in self.rescues:
            side = self.side_of(rescue.taken_aboard) or self.side_of(rescue.agency)
            if side is Side.UK and zone == "FR-TS":
                self._finding(
                    "REVIEW-UK-RESCUE-IN-FR-LANDED-UK",
                    f"{rescue.persons.total} people taken aboard {rescue.taken_aboard} "
                    f"in French waters, landed at {event.place}",
                    event.occurred_at,
                    rescue,
                    event,
                )
        inc.persons_landed += event.persons.total
        self._set_state(State.LANDED_UK, event)
        self._conclude(event, f"landed at {event.place}")
        inc.outcome = State.LANDED_UK

    def _on_return_to_france(self, event: ReturnToFrance) -> None:
        self._set_state(State.RETURNED_FR, event)
        self._conclude(event, f"returned to France ({event.how})")
        self.incident.outcome = State.RETURNED_FR

    def _on_fatality(self, event: Fatality) -> None:
        inc = self.incident
        inc.dead += event.dead
        inc.missing += event.missing
        aboard = inc.persons_aboard
        survivors = inc.persons_rescued + inc.persons_landed
        if aboard is not None and survivors == 0 and event.dead + event.missing >= aboard:
            self._set_state(State.LOST, event)
            inc.outcome = State.LOST

    def finish(self) -> None:
        inc = self.incident
        if self.exercise_flags == {True}:
            inc.exercise = True
        elif len(self.exercise_flags) > 1:
            inc.exercise = True
            first = inc.event_ids[0]
            inc.flags.append(
                Flag(first, "MIXED-EXERCISE", "the incident mixes exercise and real events")
            )
        if inc.state is State.PREVENTED:
            inc.outcome = State.PREVENTED
        if self.launch is not None:
            for landing in self.landings:
                if landing.occurred_at < self.launch.occurred_at:
                    self._flag(
                        landing,
                        "LANDING-BEFORE-LAUNCH",
                        f"landing at {landing.occurred_at.isoformat()} is before the "
                        f"launch at {self.launch.occurred_at.isoformat()}",
                    )
        self._check_unsighted()
        self._check_escort_during_distress()
        self._check_handovers()
        if inc.position is not None:
            side = self.chart.rescue_region(inc.position.lon, inc.position.lat)
            inc.responsible_centre = RESCUE_CENTRES[side] if side is not None else None
        inc.sar_phase = self.phase.label
        inc.assets_on_scene = (
            sorted(set(inc.assets_involved) - self._ended_escorts()) if inc.active else []
        )

    def _ended_escorts(self) -> set[str]:
        return {e.vessel for e in self.escort_log if e.action == "end"} - set(self.escorts)

    def _check_unsighted(self) -> None:
        inc = self.incident
        if (
            inc.state is State.LAUNCHED
            and self.launch is not None
            and not any(p.at > self.launch.occurred_at for p in inc.track)
        ):
            due = self.launch.occurred_at + UNSIGHTED_AFTER_LAUNCH
            if self.now >= due:
                self._raise_phase(
                    UNSIGHTED_RULE.phase,
                    due,
                    UNSIGHTED_RULE.code,
                    f"{UNSIGHTED_RULE.trigger}: {UNSIGHTED_RULE.reason}",
                    None,
                )

    def _check_escort_during_distress(self) -> None:
        if self.distress is None:
            return
        start = self.distress.occurred_at
        limit = start + ESCORT_DISTRESS_GRACE
        responded = self.responded_after_distress
        if responded is not None and responded <= limit:
            return
        if self.now < limit and responded is None:
            return
        active: dict[str, Escort] = {}
        ended_at: dict[str, datetime] = {}
        for escort in self.escort_log:
            if escort.action == "start" and escort.occurred_at <= start:
                active[escort.vessel] = escort
            elif escort.action == "end":
                ended_at[escort.vessel] = escort.occurred_at
        for vessel, escort in active.items():
            end = ended_at.get(vessel)
            if end is not None and end <= start:
                continue
            if end is None or end > limit:
                until = "still escorting" if end is None else f"escort ended {end.isoformat()}"
                self._finding(
                    "REVIEW-ESCORT-DURING-DISTRESS",
                    f"{vessel} escorting when distress was signalled at "
                    f"{start.isoformat()}; {until}; no rescue or interception within "
                    f"{int(ESCORT_DISTRESS_GRACE.total_seconds() // 60)} min",
                    limit,
                    escort,
                    self.distress,
                )

    def _check_handovers(self) -> None:
        for handover in self.handovers.values():
            if handover.id in self.answered:
                continue
            if self.now >= handover.occurred_at + HANDOVER_ACCEPTANCE_GRACE:
                self._finding(
                    "REVIEW-HANDOVER-NOT-ACCEPTED",
                    f"{handover.subject.value} handover from {handover.from_agency} "
                    f"to {handover.to_agency} has no recorded acceptance",
                    handover.occurred_at + HANDOVER_ACCEPTANCE_GRACE,
                    handover,
                )
