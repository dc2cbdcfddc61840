"""The live picture folds incrementally; whatever order events arrive in, and in however many
batches, it must show exactly what a fold of the whole record from scratch shows."""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

from manche.domain.events import Event
from manche.domain.events.parse import parse_event
from manche.domain.values import Side
from manche.geo.data import read_places
from manche.readings.chart import geo_chart
from manche.readings.incidents import build_incidents
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.service.picture import Picture
from manche.sources.exercise import DayFigures, Spot, exercise_day
from manche.storage import Database

NOW = datetime(2025, 4, 30, tzinfo=UTC)


def _day() -> list[Event]:
    spots = read_places()
    return exercise_day(
        DayFigures(date(2025, 4, 29), 300, 6, 1),
        launch_areas=[Spot(p.name, p.lon, p.lat) for p in spots if "launch area" in p.role],
        landing_port=Spot("Dover", 1.322528, 51.114389),
        beaches=[Spot(p.name, p.lon, p.lat) for p in spots if "landing area" in p.role],
        seed=11,
    )


def test_incremental_picture_equals_a_fold_from_scratch(database: Database, tmp_path: Path) -> None:
    events = _day()
    # a correction and a retraction arriving late, after other events of their incident
    first_sighting = next(e for e in events if e.type == "sighting")
    fix = parse_event(
        {
            "type": "correction",
            "agency": first_sighting.agency,
            "author": "t",
            "occurred_at": "2025-04-29T12:00:00+00:00",
            "recorded_at": "2025-04-29T12:00:00+00:00",
            "target": str(first_sighting.id),
            "changes": {"persons": {"total": 99}},
            "reason": "recount",
        }
    )
    shuffled = list(events)
    random.Random(5).shuffle(shuffled)  # arrival order unrelated to time order
    batches = [shuffled[i : i + 17] for i in range(0, len(shuffled), 17)] + [[fix]]
    keys = KeyStore(database, tmp_path / "keys")
    log = Log(database)
    picture = Picture(database, clock=lambda: NOW)
    for batch in batches:
        for agency in sorted({e.agency for e in batch}):
            if agency not in {k.agency for k in keys.list()}:
                keys.generate(agency)
            log.append([e for e in batch if e.agency == agency], keys.signer(agency))
        picture.refresh()  # fold what has arrived so far
    in_log = [entry.event() for entry in log.entries()]  # the record alone, in its order
    assert len(in_log) == len(events) + 1
    expected = {i.ref: asdict(i) for i in build_incidents(in_log, geo_chart(), now=NOW)}
    for side in Side:
        got = {i.ref: asdict(i) for i in picture.incidents(side)}
        assert got == expected
