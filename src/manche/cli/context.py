"""What commands share: the configured database."""

from __future__ import annotations

from manche.config import get_settings
from manche.storage import Database, open_database


def database() -> Database:
    return open_database(get_settings().effective_database_url)
