"""The events index is a reading: rebuilt from the log alone, whatever path the entries took."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from manche.domain.access import Principal, Role
from manche.domain.events import parse_event
from manche.domain.values import Side
from manche.readings.event_index import EventFilter
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.service.events import EventService
from manche.service.log import LogGateway
from manche.storage import Database

UK = Principal("uk-an", "UK-BF", Side.UK, frozenset({Role.ANALYST}))
FR = Principal("fr-an", "FR-CROSS-GN", Side.FR, frozenset({Role.ANALYST}))


def _event(i: int, releasability: str) -> object:
    moment = datetime(2026, 8, 14, 3, 0, tzinfo=UTC) + timedelta(minutes=i)
    return parse_event(
        {
            "type": "sighting",
            "agency": "UK-BF",
            "author": "bf-op-1",
            "occurred_at": moment.isoformat(),
            "recorded_at": (moment + timedelta(minutes=1)).isoformat(),
            "source": "radar",
            "position": {"lon": 1.4 + i / 100, "lat": 51.0},
            "releasability": releasability,
            "incident": f"INC-{i % 2}",
        }
    )


def test_entries_appended_by_any_path_are_indexed_and_the_index_rebuilds(
    database: Database, tmp_path: Path
) -> None:
    keys = KeyStore(database, tmp_path / "keys")
    keys.generate("UK-BF")
    # straight into the log, as `manche log import` or another writer would
    events = [_event(i, "uk-only" if i == 3 else "shared") for i in range(6)]
    Log(database).append(events, keys.signer("UK-BF"))  # type: ignore[arg-type]
    service = EventService(database)
    service.log = LogGateway(database, tmp_path / "keys")
    uk, _ = service.query(UK, EventFilter())
    fr, _ = service.query(FR, EventFilter())
    assert [seq for seq, _ in uk] == [0, 1, 2, 3, 4, 5]
    assert [seq for seq, _ in fr] == [0, 1, 2, 4, 5]  # entry 3 is uk-only
    by_incident, _ = service.query(FR, EventFilter(incident="INC-1"))
    assert [seq for seq, _ in by_incident] == [1, 5]
    # drop the reading: it comes back identical from the log
    with database.transaction() as tx:
        tx.execute("DELETE FROM event_index")
    again, _ = service.query(UK, EventFilter())
    assert again == uk
    assert again[3][1]["id"] == str(events[3].id)  # type: ignore[attr-defined]


def test_catch_ups_racing_each_other_index_each_entry_once(
    database: Database, tmp_path: Path
) -> None:
    # several requests catch the index up at the same moment (the API's thread pool): the
    # same entries reach the table from each; none may fail on either unique key
    from concurrent.futures import ThreadPoolExecutor

    keys = KeyStore(database, tmp_path / "keys")
    keys.generate("UK-BF")
    log = Log(database)
    service = EventService(database)
    service.log = LogGateway(database, tmp_path / "keys")
    appended = 0
    with ThreadPoolExecutor(max_workers=6) as pool:  # one connection per thread, kept
        for _ in range(30):
            events = [_event(i, "shared") for i in range(3)]
            log.append(events, keys.signer("UK-BF"))  # type: ignore[arg-type]
            appended += len(events)
            list(pool.map(lambda _: service.catch_up(), range(6)))
            with database.transaction() as tx:
                assert tx.scalar("SELECT COUNT(*) FROM event_index") == appended
