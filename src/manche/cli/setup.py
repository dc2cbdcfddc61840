"""``manche setup``: prepare the configured database with the bundled data (idempotent)."""

from __future__ import annotations

from manche.cli.app import app
from manche.cli.context import database
from manche.cli.output import say
from manche.storage import stats_store


@app.command()
def setup() -> None:
    """Create the database and load the bundled data; safe to run again."""
    db = database()
    try:
        with db.transaction() as tx:
            tx.scalar("SELECT 1")
        say(f"Database: {db.url}")
        if not stats_store.import_bundled(db, say):
            say("Official statistics: the bundled Home Office files are already imported.")
    finally:
        db.close()
