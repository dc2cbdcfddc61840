"""``manche setup``: prepare the configured database with the bundled data (idempotent)."""

from __future__ import annotations

from manche.cli.app import app
from manche.cli.context import database
from manche.cli.output import say


@app.command()
def setup() -> None:
    """Create the database and load the bundled data; safe to run again."""
    db = database()
    try:
        with db.transaction() as tx:
            tx.scalar("SELECT 1")
        say(f"Database: {db.url}")
    finally:
        db.close()
