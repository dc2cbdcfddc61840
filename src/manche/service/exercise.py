"""Loading an exercise day into the record.

The figures come from the official daily series (the latest vintage covering the date); the
events from :func:`manche.sources.exercise.exercise_day`. Each agency's events are appended as
batches signed with that agency's key (generated here when the local record has none yet: an
exercise on a fresh installation should not need a key ceremony first). Loading is idempotent:
the same date and seed give the same event ids, so a batch already in the log is skipped, and
a load interrupted half-way completes when run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from manche.domain.events import Event
from manche.errors import InputError, NotFound
from manche.geo.data import read_places
from manche.readings import stats as stats_readings
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.sources.exercise import DayFigures, Spot, exercise_day
from manche.storage import Database, stats_store

DOVER_HARBOUR = Spot("Dover", 1.322528, 51.114389)
"""places.csv: Dover tide gauge (harbour), TICON-4; the landing point for controlled landings."""


@dataclass(frozen=True)
class ExerciseLoad:
    day: date
    seed: int
    vintage: str
    migrants: int
    boats: int
    uncontrolled_boats: int
    events: int
    batches_appended: int
    batches_already_there: int

    @property
    def already_loaded(self) -> bool:
        return self.batches_appended == 0


def official_figures(
    db: Database, day: date, say: Callable[[str], None] | None = None
) -> tuple[DayFigures, str]:
    data = stats_store.ensure_loaded(db, say)
    try:
        figure = stats_readings.day(data.series(), day)
    except NotFound as exc:
        raise InputError(str(exc), field="date") from exc
    migrants, boats = figure["migrants"], figure["boats"]
    if not migrants or not boats:
        raise InputError(
            f"the official figures give {migrants or 0} people in {boats or 0} boats on "
            f"{day.isoformat()}: choose a day with crossings",
            field="date",
        )
    return (
        DayFigures(day, migrants, boats, figure["uncontrolled_landings"] or 0),
        str(figure["vintage"]),
    )


def _spots(role: str) -> list[Spot]:
    return [Spot(p.name, p.lon, p.lat) for p in read_places() if role in p.role]


def _batches(events: list[Event]) -> list[list[Event]]:
    """Consecutive runs of one agency's events (each run is signed by that agency)."""
    runs: list[list[Event]] = []
    for event in events:
        if runs and runs[-1][0].agency == event.agency:
            runs[-1].append(event)
        else:
            runs.append([event])
    return runs


def load_exercise_day(
    db: Database,
    day: date,
    *,
    keys_dir: Path,
    seed: int = 1,
    say: Callable[[str], None] | None = None,
) -> ExerciseLoad:
    figures, vintage = official_figures(db, day, say)
    events = exercise_day(
        figures,
        launch_areas=_spots("launch area"),
        landing_port=DOVER_HARBOUR,
        beaches=_spots("landing area"),
        seed=seed,
    )
    log = Log(db)
    keys = KeyStore(db, keys_dir)
    signing = {k.agency for k in keys.list() if k.origin == "local" and k.has_private}
    appended = skipped = 0
    for batch in _batches(events):
        try:
            log.entry_by_event(str(batch[0].id))
            skipped += 1
            continue
        except NotFound:
            pass
        agency = batch[0].agency
        if agency not in signing:
            keys.generate(agency)
            signing.add(agency)
            if say:
                say(f"Generated a signing key for {agency} (exercise on a local record).")
        log.append(batch, keys.signer(agency))
        appended += 1
    return ExerciseLoad(
        day,
        seed,
        vintage,
        figures.migrants,
        figures.boats,
        figures.uncontrolled_boats,
        len(events),
        appended,
        skipped,
    )
