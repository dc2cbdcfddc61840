"""``manche setup``: prepare the configured database with the bundled data (idempotent).

It imports the bundled Home Office files and writes one exercise day into the record
(:data:`EXERCISE_DAY`, every event flagged exercise) so that a newcomer sees a picture.
"""

from __future__ import annotations

from datetime import date

import typer

from manche.cli.app import app
from manche.cli.context import database
from manche.cli.output import say
from manche.config import get_settings
from manche.service.exercise import load_exercise_day
from manche.storage import stats_store
from manche.wording import counted

EXERCISE_DAY = date(2025, 4, 29)
"""The exercise day loaded by default (the example of issue 4: 422 people in 8 boats)."""


@app.command()
def setup(
    exercise: bool = typer.Option(
        True, "--exercise/--no-exercise", help=f"Also write the exercise day {EXERCISE_DAY}."
    ),
) -> None:
    """Create the database and load the bundled data; safe to run again."""
    db = database()
    try:
        with db.transaction() as tx:
            tx.scalar("SELECT 1")
        say(f"Database: {db.url}")
        if not stats_store.import_bundled(db, say):
            say("Official statistics: the bundled Home Office files are already imported.")
        if exercise:
            loaded = load_exercise_day(
                db, EXERCISE_DAY, keys_dir=get_settings().data_dir / "keys", say=say
            )
            if loaded.already_loaded:
                say(f"Exercise day {EXERCISE_DAY}: already in the record.")
            else:
                say(
                    f"Exercise day {EXERCISE_DAY}: {counted(loaded.boats, 'boat')}, "
                    f"{counted(loaded.migrants, 'person', 'people')}, "
                    f"{counted(loaded.events, 'event')} written to the record (flagged EXERCISE)."
                )
        from manche.users import UserStore

        if not UserStore(db).all():
            say(
                "No users yet. To sign in to the web pages, create one and give it a password:\n"
                "  manche users add bf-op-0142 --agency UK-BF --role operator\n"
                "  manche users password bf-op-0142    (asked at a prompt, never an argument)\n"
                "Agencies: manche registry agencies. Statistics need no sign-in."
            )
    finally:
        db.close()
