"""``GET /api/v1/health``: the service is up and reaches its database."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from manche import __version__
from manche.api.deps import get_db
from manche.storage import Database

router = APIRouter(tags=["health"])


@router.get("/health")
def health(db: Database = Depends(get_db)) -> dict[str, str]:
    with db.transaction() as tx:
        tx.scalar("SELECT 1")
    return {"status": "ok", "version": __version__, "database": db.dialect}
