"""``/intelligence``: search boats and engines, one craft's history, the completeness and
corroboration of each partner's records, seizures and arrests by period and place, weekly
preventions against the official SB_02 series, and nationalities by period (and against the
Home Office final quarterly table).

JSON twins: ``/api/v1/intel/crafts``, ``/api/v1/intel/crafts/{id}``, ``/api/v1/intel/quality``,
``/api/v1/intel/enforcement``, ``/api/v1/intel/preventions``, ``/api/v1/intel/nationalities``,
``/api/v1/intel/nationalities/compare``. The same readings over the same events: only those
releasable to the user's side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.deps import get_db
from manche.api.routes_intel import (
    PERIODS,
    _period,
    nationality_comparison_rows,
    preventions_rows,
    registry_of,
    visible_events,
)
from manche.domain.access import Action, Principal, require
from manche.errors import NotFound
from manche.readings.intel.enforcement import NOT_RECORDED, enforcement
from manche.readings.intel.nationalities import by_period, per_incident
from manche.readings.intel.quality import quality
from manche.readings.intel.registry import Registry, craft_detail, craft_kind
from manche.record import decoded
from manche.storage import Database
from manche.web import labels
from manche.web.deps import page_principal
from manche.web.i18n import N_
from manche.web.templating import render

T = TypeVar("T")
LISTED = 200  # crafts listed at most; the count says how many match (a year holds thousands)

router = APIRouter(include_in_schema=False)


def _matches(craft: dict[str, Any], q: str) -> bool:
    needle = q.strip().upper().replace(" ", "")
    if not needle:
        return True
    haystack = [craft["id"], craft.get("make") or "", craft.get("identifier") or ""]
    haystack += list(craft.get("identifiers", {}))
    return any(needle in str(text).upper().replace(" ", "") for text in haystack)


@router.get("/intelligence")
async def intelligence_page(
    request: Request,
    q: str = "",
    kind: str = "",
    period: str = "month",
    eperiod: str = "week",
    nperiod: str = "quarter",
    principal: Principal = Depends(page_principal),
    db: Database = Depends(get_db),
) -> Response:
    require(principal, Action.READ_EVENTS)
    craft_kind(kind)
    chosen = _period(period)
    chosen_enforcement = _period(eperiod, "eperiod")
    chosen_nationalities = _period(nperiod, "nperiod")

    def read() -> dict[str, Any]:
        # each kept until the log grows (manche.record.decoded): a year of records is 11,352
        # events, too many to group and measure again on every request
        side = principal.side
        events = visible_events(db, principal)

        def kept(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
            return decoded.derived(db, (*key, side), lambda _: compute())

        return {
            "crafts": kept(
                ("craft_rows",),
                lambda: [craft_detail(c) for c in registry_of(db, principal).crafts],
            ),
            "review": kept(("review",), lambda: _review(registry_of(db, principal))),
            "quality": kept(
                ("quality", chosen), lambda: [r.to_json() for r in quality(events, chosen)]
            ),
            "enforcement": kept(
                ("enforcement", chosen_enforcement),
                lambda: [r.to_json() for r in enforcement(events, chosen_enforcement)],
            ),
            "preventions": kept(("preventions",), lambda: preventions_rows(events)),
            "nationalities": kept(
                ("nationalities", chosen_nationalities),
                lambda: _nationality_rows(by_period(per_incident(events), chosen_nationalities)),
            ),
            "compared": kept(("compared",), lambda: nationality_comparison_rows(events)),
        }

    readings = await run_in_threadpool(read)
    crafts = [c for c in readings["crafts"] if kind in ("", c["kind"])]
    found = [c for c in crafts if _matches(c, q)]
    return render(
        request,
        "intelligence.html",
        {
            "title": N_("Intelligence"),
            "q": q,
            "kind": kind,
            "period": chosen,
            "periods": PERIODS,
            "crafts": found[:LISTED],
            "found": len(found),
            "total": len(crafts),
            "review": readings["review"],
            "quality": readings["quality"],
            "eperiod": chosen_enforcement,
            "enforcement": readings["enforcement"],
            "preventions": readings["preventions"],
            "nperiod": chosen_nationalities,
            "nationalities": readings["nationalities"],
            "nationalities_compared": readings["compared"],
        },
        principal=principal,
    )


def _review(registry: Registry) -> dict[str, Any]:
    """What waits for an analyst: the possible links (two spellings one edit apart, each seen
    several times, not joined), each with the boats or engines of its two observations, and
    how many partial readings fit several of them and were left alone."""
    crafts = registry.by_observation
    return {
        "possible": [
            {
                "a": link.a,
                "b": link.b,
                "craft_a": crafts[link.a],
                "craft_b": crafts[link.b],
                "detail": link.detail,
            }
            for link in registry.possible
        ],
        "ambiguous": len(registry.ambiguous),
    }


def _nationality_rows(table: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """``{period: {nationality: people}}`` as rows: periods in order, most people first,
    people without a recorded nationality last."""
    return [
        {"period": label, "nationality": name, "people": people}
        for label, counts in table.items()
        for name, people in sorted(
            counts.items(), key=lambda item: (item[0] == NOT_RECORDED, -item[1], item[0])
        )
    ]


@router.get("/intelligence/crafts/{craft_id}")
async def craft_page(
    craft_id: str,
    request: Request,
    principal: Principal = Depends(page_principal),
    db: Database = Depends(get_db),
) -> Response:
    require(principal, Action.READ_EVENTS)
    craft = (await run_in_threadpool(registry_of, db, principal)).craft(craft_id)
    if craft is None:
        raise NotFound(f"no boat or engine {craft_id!r}")
    return render(
        request,
        "craft.html",
        {"title": craft_id, "craft": craft_detail(craft), "label": labels.label, "labels": labels},
        principal=principal,
    )
