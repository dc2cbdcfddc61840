"""``POST /api/v1/record/verify``: verify the whole log now (auditors and admins), the JSON twin
of the Record page's button (``manche log verify`` on the command line)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from manche.api.auth import authenticated
from manche.api.deps import get_db
from manche.domain.access import Action, Principal, require
from manche.record.verify import verify
from manche.storage import Database

router = APIRouter(tags=["log"])


@router.post("/record/verify")
async def verify_log(
    principal: Principal = Depends(authenticated), db: Database = Depends(get_db)
) -> dict[str, Any]:
    """Every entry, batch signature and checkpoint checked; the first failure named."""
    require(principal, Action.VERIFY_LOG)
    report = await run_in_threadpool(verify, db)
    return report.to_json()
