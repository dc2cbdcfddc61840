"""``/api/v1/intel/...``: the intelligence readings, computed over what the caller may see.

Every reading here is computed from the events releasable to the caller's side only, so an
event the caller may not see cannot show up in a figure, a group or a link. Reading needs the
role that reads events (operator, analyst, caseworker, auditor).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from manche.api.auth import authenticated
from manche.api.deps import get_db
from manche.domain.access import Action, Principal, may_see, require
from manche.domain.events.base import Event
from manche.domain.sharing import reach_of
from manche.errors import InputError, NotFound
from manche.readings.intel.current import current
from manche.readings.intel.enforcement import compare_preventions, enforcement
from manche.readings.intel.nationalities import by_period, compare_with_official, per_incident
from manche.readings.intel.periods import Period
from manche.readings.intel.quality import quality
from manche.readings.intel.registry import Registry, build_registry, craft_detail, craft_kind
from manche.record import decoded
from manche.sources.nationality_quarterly import load as load_official_nationalities
from manche.sources.sb02_preventions import PreventionWeek
from manche.sources.sb02_preventions import load as load_sb02
from manche.storage import Database

router = APIRouter(prefix="/intel", tags=["intelligence"])

PERIODS = ("week", "month", "quarter", "year")


def _period(value: str, field: str = "period") -> Period:
    if value not in PERIODS:
        raise InputError(f"{field} {value!r}: expected one of {', '.join(PERIODS)}", field=field)
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
    return tuple(e for e in current(entries).events if may_see(principal, reach_of(e)))


def registry_of(db: Database, principal: Principal) -> Registry:
    """The register of boats and engines over what the principal's side may see, kept until the
    log grows (grouping a year of records takes 0.2 s; every page and route shares it). Only
    for roles that read events (the access rule is checked here too)."""
    require(principal, Action.READ_EVENTS)
    return decoded.derived(
        db, ("registry", principal.side), lambda _: build_registry(visible_events(db, principal))
    )


def incident_crafts(
    db: Database, principal: Principal, timeline: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The boats and engines recorded on an incident's events (``timeline``: their JSON), each
    with its identifier as read and the id of its grouped craft in the register (``craft``,
    ``None`` when the register does not group it), read over what the principal may see."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    register: dict[str, str] | None = None
    for event in timeline:
        items = [("boat", "boat", event.get("boat") or {}, "hin")]
        items += [
            ("engine", f"engine/{i}", engine, "serial")
            for i, engine in enumerate(event.get("engines") or ())
        ]
        for kind, item, described, key in items:
            identifier = described.get(key)
            if not identifier:
                continue
            if register is None:
                register = registry_of(db, principal).by_observation
            row = found.setdefault(
                (kind, identifier),
                {"kind": kind, "identifier": identifier, "make": described.get("make") or "",
                 "craft": None},
            )  # fmt: skip
            row["craft"] = row["craft"] or register.get(f"{event['id']}/{item}")
    return [found[k] for k in sorted(found)]


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
    kind = craft_kind(kind)
    registry = await run_in_threadpool(registry_of, db, principal)
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
    found = (await run_in_threadpool(registry_of, db, principal)).craft(craft_id)
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


@lru_cache(maxsize=1)
def official_preventions() -> dict[date, PreventionWeek]:
    """The bundled SB_02 weekly preventions (read once; the file never changes at run time)."""
    return load_sb02()


@lru_cache(maxsize=1)
def official_nationalities() -> dict[tuple[int, int, str], int]:
    """The bundled Home Office final quarterly table by nationality (read once)."""
    return load_official_nationalities()


def preventions_rows(events: list[Event]) -> list[dict[str, Any]]:
    """Prevention events and people per ISO week (ending Sunday) against SB_02."""
    return [
        {
            "week_ending": r.week_ending,
            "recorded_events": r.recorded_events,
            "recorded_persons": r.recorded_persons,
            "official_events": r.official_events,
            "official_persons": r.official_persons,
        }
        for r in compare_preventions(events, official_preventions())
    ]


def nationality_comparison_rows(events: list[Event]) -> list[dict[str, Any]]:
    """Arrivals by quarter and nationality against the Home Office final table."""
    recorded = by_period(per_incident(events), "quarter")
    return [
        {
            "period": r.period,
            "nationality": r.nationality,
            "recorded": r.recorded,
            "official": r.official,
            "difference": r.difference,
        }
        for r in compare_with_official(recorded, official_nationalities())
    ]


@router.get("/preventions")
async def get_preventions(
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> list[dict[str, Any]]:
    """Prevention events and people in the record per ISO week (ending Sunday) against the Home
    Office weekly preventions (SB_02, 2026-08-21 vintage); an official `null` is "not
    recorded" there, never zero."""
    return preventions_rows(await _events(db, principal))


@router.get("/nationalities/compare")
async def get_nationalities_compared(
    principal: Principal = Depends(authenticated),
    db: Database = Depends(get_db),
) -> list[dict[str, Any]]:
    """People by quarter and nationality in the record's arrivals against the Home Office final
    quarterly table (2018 Q1 - 2023 Q4); only quarters both cover."""
    return nationality_comparison_rows(await _events(db, principal))
