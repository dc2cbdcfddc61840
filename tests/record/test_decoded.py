"""The log's events decoded once per database: each call parses only what was appended since,
and a reading kept by ``derived`` is computed again only when the log has grown."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from manche.record import decoded
from manche.record.log import Log, LogEntry
from manche.record.signing import Signer
from manche.storage import Database
from tests.record.conftest import MakeEvents


def test_entries_follow_the_log_and_parse_each_entry_once(
    database: Database,
    log: Log,
    signer: Signer,
    make_events: MakeEvents,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = make_events(5)
    log.append(first, signer)
    assert [str(d.event.id) for d in decoded.entries(database)] == [str(e.id) for e in first]
    assert [d.seq for d in decoded.entries(database)] == [0, 1, 2, 3, 4]

    parsed: list[str] = []
    original = LogEntry.event

    def counting(entry: LogEntry) -> object:
        parsed.append(entry.event_id)
        return original(entry)

    monkeypatch.setattr(LogEntry, "event", counting)
    second = make_events(2, releasability="uk-only")  # a launch and a sighting
    log.append(second, signer)
    got = decoded.entries(database)
    assert [str(d.event.id) for d in got] == [str(e.id) for e in first + second]
    assert [d.releasability for d in got[5:]] == ["uk-only"] * 2
    assert parsed == [str(e.id) for e in second]  # only the new entries were parsed
    decoded.entries(database)
    assert len(parsed) == 2  # nothing new: nothing parsed


def test_a_derived_reading_is_kept_until_the_log_grows(
    database: Database, log: Log, signer: Signer, make_events: MakeEvents
) -> None:
    calls: list[int] = []

    def count(entries: Sequence[decoded.Decoded]) -> int:
        calls.append(len(entries))
        return len(entries)

    log.append(make_events(2), signer)
    assert decoded.derived(database, "count", count) == 2
    assert decoded.derived(database, "count", count) == 2
    assert calls == [2]
    log.append(make_events(4), signer)
    assert decoded.derived(database, "count", count) == 6
    assert decoded.derived(database, ("another", "key"), count) == 6
    assert calls == [2, 6, 6]
