"""``/api/v1/intel/...``: the intelligence readings, computed over what the caller may see.

Every reading here is computed from the events releasable to the caller's side only, so an
event the caller may not see cannot show up in a figure, a group or a link. Reading needs the
role that reads events (operator, analyst, caseworker, auditor).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from manche.api.auth import authenticated
from manche.api.deps import get_db
from manche.domain.access import Action, Principal, may_see, require
from manche.domain.events.base import Event
from manche.errors import InputError, NotFound
from manche.readings.intel.current import current
from manche.readings.intel.enforcement import enforcement
from manche.readings.intel.nationalities import by_period, per_incident
from manche.readings.intel.periods import Period
from manche.readings.intel.quality import quality
from manche.readings.intel.registry import build_registry, craft_detail
from manche.record import decoded
from manche.storage import Database

router = APIRouter(prefix="/intel", tags=["intelligence"])

PERIODS = ("week", "month", "quarter", "year")


def _period(value: str) -> Period:
    if value not in PERIODS:
        raise InputError(f"period {value!r}: expected one of {', '.join(PERIODS)}", field="period")
    return value  # type: ignore[return-value]


def visible_events(db: Database, principal: Principal) -> list[Event]:
    """Events releasable to the principal's side, corrections applied (in log order).

    Filtered twice: entries the side may not see are never read, and an event a visible
    correction made one-sided afterwards is dropped too."""
    return list(
        decoded.derived(
            db, ("visible_events", principal.side), lambda log: _visible(log, principal)
        )
    )


def _visible(log: Sequence[decoded.Decoded], principal: Principal) -> tuple[Event, ...]:
    entries = [e.event for e in log if may_see(principal, e.releasability)]
    return tuple(e for e in current(entries).events if may_see(principal, e.releasability))


async def _events(db: Database, principal: Principal) -> list[Event]:
    require(principal, Action.READ_EVENTS)
    return await run_in_threadpool(visible_events, db, principal)


@router.get("/quality")
async def get_quality(
    period: str = Query("month", description="week, month, quarter or year"),
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> list[dict[str, Any]]:
    """Per side and period: share of crossing events with a boat identifier, an engine serial,
    a departure point, nationalities, a persons count; share corroborated by the other side;
    median delay between event and record (minutes)."""
    chosen = _period(period)
    events = await _events(db, principal)
    return [row.to_json() for row in quality(events, chosen)]


@router.get("/crafts")
async def list_crafts(
    kind: str | None = Query(None, description="boat or engine"),
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """Boats and engines grouped by linking, with counts, sides, crossings and flags."""
    registry = build_registry(await _events(db, principal))
    crafts = [c for c in registry.crafts if kind is None or c.kind == kind]
    return {
        "crafts": [
            {k: v for k, v in craft_detail(c).items() if k not in ("seen", "links")} for c in crafts
        ],
        "ambiguous_partials": registry.ambiguous,
        "possible_links": [{"a": p.a, "b": p.b, "detail": p.detail} for p in registry.possible],
    }


@router.get("/crafts/{craft_id}")
async def get_craft(
    craft_id: str,
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, Any]:
    """One boat or engine: every event it appears in, links with rule, score and confidence."""
    found = build_registry(await _events(db, principal)).craft(craft_id)
    if found is None:
        raise NotFound(f"no boat or engine {craft_id!r}")
    return craft_detail(found)


@router.get("/enforcement")
async def get_enforcement(
    period: str = Query("week", description="week, month, quarter or year"),
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> list[dict[str, Any]]:
    """Seizures (boats, engines, items) and arrests by role, per period and place."""
    chosen = _period(period)
    return [row.to_json() for row in enforcement(await _events(db, principal), chosen)]


@router.get("/nationalities")
async def get_nationalities(
    period: str = Query("quarter", description="week, month, quarter or year"),
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> dict[str, dict[str, int]]:
    """People by nationality in arrivals, one count per incident."""
    chosen = _period(period)
    return by_period(per_incident(await _events(db, principal)), chosen)
