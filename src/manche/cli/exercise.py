"""``manche exercise --date DATE``: write an exercise day into the record."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import typer
from rich.table import Table

from manche.cli.app import app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say
from manche.config import get_settings
from manche.errors import InputError
from manche.service.exercise import ExerciseLoad, load_exercise_day


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, found {value!r}", field="date") from None


@app.command("exercise")
def exercise_command(
    day: str = typer.Option(..., "--date", help="A day of the official series, YYYY-MM-DD."),
    seed: int = typer.Option(1, help="Same seed, same events (ids included)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write an exercise day into the record (official figures for DATE, flagged exercise).

    As many boats and people as the official figures give for DATE, every event flagged
    exercise; the same date and seed give the same events, so running it again writes nothing.
    """
    when = parse_day(day)
    db = database()
    try:
        result = load_exercise_day(
            db, when, keys_dir=get_settings().data_dir / "keys", seed=seed, say=say
        )
    finally:
        db.close()
    if result.already_loaded:
        say(f"The exercise day {when} (seed {seed}) is already in the record: nothing written.")
    data = {**asdict(result), "already_loaded": result.already_loaded}
    emit(data, as_json=as_json, render=lambda: _table(result))


def _table(r: ExerciseLoad) -> Table:
    table = Table(
        title=f"EXERCISE day {r.day} (seed {r.seed})",
        show_header=False,
        caption=f"figures from the Home Office series, vintage {r.vintage}",
        caption_justify="left",
    )
    table.add_column("what")
    table.add_column("value", justify="right")
    for label, value in (
        ("boats", r.boats),
        ("people", r.migrants),
        ("boats in uncontrolled landings", r.uncontrolled_boats),
        ("events", r.events),
        ("batches appended", r.batches_appended),
        ("batches already in the record", r.batches_already_there),
    ):
        table.add_row(label, f"{value:,}")
    return table
