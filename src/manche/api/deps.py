"""Dependencies routes share."""

from __future__ import annotations

from fastapi import Request

from manche.storage import Database


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db
