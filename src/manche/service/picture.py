"""The live picture at sea: incidents read off the log, per side, kept current.

:class:`Picture` holds, for each side (UK, FR), the incidents built from the events that side
may see (releasability). :meth:`Picture.refresh` reads the log's new entries (from any
process: the API, the CLI, a replica import), rebuilds only the incidents they touch, and
returns what changed as messages for live clients:

- ``incident-new``: a boat appeared;
- ``state-change``: its state moved (e.g. at-sea -> in-distress);
- ``alert``: its SAR phase rose (INCERFA, ALERFA, DETRESFA), with the reason;
- ``update``: anything else (a new position, assets on scene).

:meth:`Picture.tick` re-evaluates open incidents against the clock (an unsighted launch turns
INCERFA after an hour; an unanswered handover becomes a review finding).

:class:`PictureHub` runs one picture per application: a background task polls the log every
``POLL_SECONDS`` and fans messages out to subscribers (server-sent events). Distress and rescue
events are always shared, so an alert reaches both sides; nothing about an alert waits for a
permission.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic_core import to_jsonable_python

from manche.domain.events import Event
from manche.domain.events.assets import AssetPosition
from manche.domain.events.correction import Correction
from manche.domain.sar import SarPhase
from manche.domain.sharing import reach_of
from manche.domain.values import Side
from manche.errors import NotFound
from manche.geo.responsibility import Asset as GeoAsset
from manche.geo.responsibility import nearest_assets
from manche.readings.chart import geo_chart
from manche.readings.incidents import Chart, Incident, IncidentFold, effective_events
from manche.record.log import Log
from manche.registry import RegistryStore
from manche.storage import Database

PROXY_NOTE = (
    "The boundary between the MRCC Dover and CROSS Gris-Nez search-and-rescue regions is not "
    "published; Manche uses the median line as a proxy."
)

POLL_SECONDS = 0.02
"""How often the hub looks for new log entries (a cheap indexed query)."""

TICK_SECONDS = 30.0
"""How often open incidents are re-evaluated against the clock."""


def summary(incident: Incident) -> dict[str, Any]:
    """What the picture's list and the live messages show of an incident."""
    position = incident.position
    return {
        "ref": incident.ref,
        "exercise": incident.exercise,
        "state": incident.state.value if incident.state else None,
        "active": incident.active,
        "outcome": incident.outcome.value if incident.outcome else None,
        "sar_phase": incident.sar_phase,
        "position": None
        if position is None
        else {"lon": position.lon, "lat": position.lat, "at": position.at.isoformat()},
        "zone": incident.zone,
        "responsible_centre": incident.responsible_centre,
        "responsible_centre_basis": incident.responsible_centre_basis,
        "coordinating_centre": incident.coordinating_centre,
        "persons_aboard": incident.persons_aboard,
        "assets_on_scene": list(incident.assets_on_scene),
        "findings": len(incident.findings),
        "flags": len(incident.flags),
        "launched_at": incident.launched_at.isoformat() if incident.launched_at else None,
        "last_event_at": incident.last_event_at.isoformat() if incident.last_event_at else None,
    }


@dataclass
class _SideState:
    side: Side
    events: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    incidents: dict[str, Incident] = field(default_factory=dict)
    folds: dict[str, IncidentFold] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    assets: dict[str, AssetPosition] = field(default_factory=dict)  # latest position each


class Picture:
    """Incidents per side, rebuilt incrementally from the log."""

    def __init__(
        self,
        db: Database,
        *,
        chart: Chart | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.log = Log(db)
        self.chart = chart or geo_chart()
        self.clock = clock
        self.seq = 0  # entries read so far (the next seq to read; seqs start at 0)
        self.sides = {side: _SideState(side) for side in Side}
        self.incident_of: dict[UUID, str] = {}
        self._lock = threading.RLock()  # refresh runs in a worker thread; reads in others

    # reading -------------------------------------------------------------------------------
    def incidents(
        self,
        side: Side,
        *,
        state: str | None = None,
        phase: str | None = None,
        zone: str | None = None,
        exercise: bool | None = None,
        active: bool | None = None,
    ) -> list[Incident]:
        """The side's incidents, most urgent first, filtered."""
        with self._lock:
            incidents = list(self.sides[side].incidents.values())
        chosen = [
            i
            for i in incidents
            if (state is None or (i.state is not None and i.state.value == state))
            and (phase is None or i.sar_phase == phase)
            and (zone is None or i.zone == zone)
            and (exercise is None or i.exercise == exercise)
            and (active is None or i.active == active)
        ]
        return sorted(chosen, key=Incident.urgency)

    def incident(self, side: Side, ref: str) -> Incident:
        with self._lock:
            found = self.sides[side].incidents.get(ref)
        if found is None:
            raise NotFound(f"no incident {ref!r} visible to {side.value} users")
        return found

    def timeline(self, side: Side, ref: str) -> list[Event]:
        """The incident's events as the side sees them, as recorded (corrections included, so
        nothing is hidden), in the order they happened."""
        self.incident(side, ref)
        with self._lock:
            state = self.sides[side]
            events: list[Event] = list(state.events.get(ref, ()))
            ids = {e.id for e in events}
            events += [c for c in state.corrections if c.target in ids]
        return sorted(events, key=lambda e: e.occurred_at)

    def detail(self, side: Side, ref: str) -> dict[str, Any]:
        """One incident in full, as JSON: the API's answer and ``manche incident --json``."""
        found = self.incident(side, ref)
        body: dict[str, Any] = to_jsonable_python(asdict(found))
        body["summary"] = summary(found)
        body["sar_region_note"] = PROXY_NOTE
        body["timeline"] = [e.to_json() for e in self.timeline(side, ref)]
        body["nearest_assets"] = self.nearest_assets(side, ref)
        return body

    def nearest_assets(self, side: Side, ref: str, limit: int = 5) -> list[dict[str, Any]]:
        """For an open incident, the assets that could reach the boat soonest: each asset's
        latest reported position (or its home base when none is recorded), at its registry
        speed."""
        found = self.incident(side, ref)
        if found.position is None or not found.active:
            return []
        with self._lock:
            reported = dict(self.sides[side].assets)
        candidates, basis = [], {}
        for asset in RegistryStore(self.log.db).assets():
            if not asset.active or asset.speed_kn is None:
                continue
            seen = reported.get(asset.code)
            if seen is not None and seen.position is not None:
                where = (seen.position.lon, seen.position.lat)
                basis[asset.code] = f"{seen.source} position at {seen.occurred_at.isoformat()}"
            elif asset.home is not None:
                where = (asset.home.lon, asset.home.lat)
                basis[asset.code] = f"home base {asset.home_base} (no position reported)"
            else:
                continue
            candidates.append(GeoAsset(asset.code, where[0], where[1], asset.speed_kn))
        ranked = nearest_assets(found.position.lon, found.position.lat, candidates)[:limit]
        return [
            {
                "asset": r.asset,
                "distance_nm": round(r.distance_nm, 2),
                "minutes_to_reach": round(r.minutes_to_reach, 1),
                "position_basis": basis[r.asset],
            }
            for r in ranked
        ]

    # keeping current -----------------------------------------------------------------------
    def refresh(self) -> list[dict[str, Any]]:
        """Read new log entries; rebuild what they touch; the change messages (both sides)."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> list[dict[str, Any]]:
        size, _ = self.log.head()  # cheap (primary key), unlike COUNT(*)
        if size <= self.seq:
            return []
        touched: dict[Side, set[str]] = {side: set() for side in Side}
        refold: dict[Side, set[str]] = {side: set() for side in Side}
        last = self.seq
        for entry in self.log.entries(since=self.seq):
            last = entry.seq + 1
            event = entry.event()
            for side, state in self.sides.items():
                if not reach_of(event).visible_to(side):
                    continue
                if isinstance(event, AssetPosition):
                    latest = state.assets.get(event.asset)
                    if latest is None or latest.occurred_at <= event.occurred_at:
                        state.assets[event.asset] = event
                    continue
                if isinstance(event, Correction):
                    state.corrections.append(event)
                    ref = self.incident_of.get(event.target)
                    if ref is not None and ref in state.events:
                        refold[side].add(ref)
                        touched[side].add(ref)
                    continue
                if not event.incident:
                    continue
                ref = event.incident
                state.events[ref].append(event)
                touched[side].add(ref)
                fold = state.folds.get(ref)
                if ref in refold[side]:
                    continue
                if fold is None or (fold.last_at is not None and event.occurred_at < fold.last_at):
                    refold[side].add(ref)  # out of time order: fold again from the start
                else:
                    fold.apply(event)
            if event.incident:
                self.incident_of[event.id] = event.incident
        self.seq = max(last, size)  # redacted entries (a replica's) are read past, not again
        messages = []
        for side, state in self.sides.items():
            for ref in refold[side]:
                state.folds[ref] = self._fold(state, ref)
            messages += self._snapshots(state, touched[side])
        return messages

    def tick(self) -> list[dict[str, Any]]:
        """Re-evaluate open incidents against the clock."""
        messages = []
        with self._lock:
            for state in self.sides.values():
                open_refs = {ref for ref, i in state.incidents.items() if i.active}
                messages += self._snapshots(state, open_refs)
        return messages

    def _fold(self, state: _SideState, ref: str) -> IncidentFold:
        """The incident folded from the start: corrections applied, events in time order."""
        events: list[Event] = list(state.events[ref])
        ids = {e.id for e in events}
        events += [c for c in state.corrections if c.target in ids]
        fold = IncidentFold(ref, self.chart)
        for event in sorted(effective_events(events), key=lambda e: e.occurred_at):
            fold.apply(event)  # a stable sort: log order among events at the same time
        return fold

    def _snapshots(self, state: _SideState, refs: Iterable[str]) -> list[dict[str, Any]]:
        now = self.clock()
        messages = []
        for ref in refs:
            incident = state.folds[ref].snapshot(now)
            before = state.incidents.get(ref)
            state.incidents[ref] = incident
            messages += _changes(state.side, before, incident, now)
        return messages


def _phase(value: str) -> SarPhase:
    return SarPhase.NONE if value == "-" else SarPhase[value]


def _changes(
    side: Side, before: Incident | None, after: Incident, now: datetime
) -> list[dict[str, Any]]:
    base = {"side": side.value, "at": now.isoformat(), "incident": summary(after)}
    if before is None:
        kinds = ["incident-new"]
    else:
        kinds = []
        if before.state != after.state:
            kinds.append("state-change")
        if summary(before) != base["incident"] and not kinds:
            kinds.append("update")
    if _phase(after.sar_phase) > (_phase(before.sar_phase) if before else SarPhase.NONE):
        last = after.phases[-1]
        kinds.append("alert")
        base["alert"] = {
            "phase": last.phase,
            "rule": last.rule,
            "reason": last.reason,
            "at": last.at.isoformat(),
        }
    return [{"kind": kind, **base} for kind in kinds]


class PictureHub:
    """One picture per application, polled in the background, fanned out to subscribers."""

    def __init__(self, db: Database) -> None:
        self.picture = Picture(db)
        self.subscribers: dict[Side, set[asyncio.Queue[dict[str, Any]]]] = {
            side: set() for side in Side
        }
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        async with self._lock:
            if self._task is None:
                await asyncio.to_thread(self.picture.refresh)
                self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def current(self) -> Picture:
        """The picture, brought up to date with the log."""
        await self.start()
        await self._publish(await asyncio.to_thread(self.picture.refresh))
        return self.picture

    def subscribe(self, side: Side) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=10_000)
        self.subscribers[side].add(queue)
        return queue

    def unsubscribe(self, side: Side, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self.subscribers[side].discard(queue)

    async def _publish(self, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            for queue in list(self.subscribers[Side(message["side"])]):
                if queue.full():  # a client that stopped reading loses the oldest message
                    queue.get_nowait()
                queue.put_nowait(message)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_tick = loop.time() + TICK_SECONDS
        while True:
            messages = await asyncio.to_thread(self.picture.refresh)
            if loop.time() >= next_tick:
                messages += await asyncio.to_thread(self.picture.tick)
                next_tick = loop.time() + TICK_SECONDS
            await self._publish(messages)
            await asyncio.sleep(POLL_SECONDS)
