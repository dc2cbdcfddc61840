"""``/agreements``: the two agreements' ledgers for caseworkers: the returns balance (weeks,
committed figures, parity status) and overdue cases; equipment stock and the reconciliation of
handovers between agencies.

JSON twins: ``/api/v1/returns/balance``, ``/api/v1/returns/overdue``, ``/api/v1/equipment/
stock``, ``/api/v1/equipment/reconcile``. The page calls those very route functions with the
signed-in principal, so the figures and the rules (caseworker role, releasability) are the
API's.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api import routes_ledgers as ledgers
from manche.api.deps import get_db
from manche.domain.access import Action, Principal, require
from manche.storage import Database
from manche.web.deps import page_principal
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/agreements")
async def agreements_page(
    request: Request,
    exercise: bool = False,
    principal: Principal = Depends(page_principal),
    db: Database = Depends(get_db),
) -> Response:
    require(principal, Action.USE_LEDGERS)

    def read() -> dict[str, object]:
        return {
            "balance": ledgers.returns_balance(None, exercise, principal, db),
            "overdue": ledgers.returns_overdue(None, exercise, principal, db),
            "stock": ledgers.equipment_stock(None, exercise, principal, db),
            "reconcile": ledgers.equipment_reconcile(None, 7, exercise, principal, db),
        }

    data = await run_in_threadpool(read)
    return render(
        request,
        "agreements.html",
        {"title": N_("Agreements"), "exercise": exercise, **data},
        principal=principal,
    )
