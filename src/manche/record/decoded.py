"""The log's events, decoded once per database and read incrementally.

The log only grows (entries are never changed or removed), so what was decoded stays true: each
call reads only the entries appended since the last one (``Log.entries(since=n)``, one indexed
query that returns nothing when nothing is new) and parses only those. Pages and routes that
read every visible event per request (intelligence, ledgers) would otherwise parse the whole log
each time: 11,352 events of a year of exercise days took 0.9 s to read and parse, against a few
milliseconds from here (``benchmarks/web_pages_year.py``).

:func:`derived` keeps a reading computed from these events (a registry, a quality table) until
the log grows; the key must say everything the reading depends on besides the log.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from manche.domain.events import Event
from manche.record.log import Log
from manche.storage import Database

T = TypeVar("T")


@dataclass(frozen=True)
class Decoded:
    """One log entry's query columns with its parsed event."""

    seq: int
    type: str
    releasability: str
    event: Event


@dataclass
class _Cache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: list[Decoded] = field(default_factory=list)
    next_seq: int = 0  # where to read on from (redacted entries of a replica are not kept)
    readings: dict[Hashable, tuple[int, Any]] = field(default_factory=dict)


_CACHES: weakref.WeakKeyDictionary[Database, _Cache] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def _cache(db: Database) -> _Cache:
    with _GUARD:
        found = _CACHES.get(db)
        if found is None:
            found = _CACHES[db] = _Cache()
        return found


def entries(db: Database) -> Sequence[Decoded]:
    """Every entry of the log, in order, with its event parsed (a snapshot: later appends are
    not added to the returned sequence)."""
    cache = _cache(db)
    with cache.lock:
        for entry in Log(db).entries(since=cache.next_seq):
            cache.entries.append(Decoded(entry.seq, entry.type, entry.releasability, entry.event()))
            cache.next_seq = entry.seq + 1
        return tuple(cache.entries)


def derived(db: Database, key: Hashable, compute: Callable[[Sequence[Decoded]], T]) -> T:
    """``compute(entries(db))``, computed again only when the log has grown since the last call
    with the same key. The result is shared between callers: treat it as read-only."""
    current = entries(db)
    cache = _cache(db)
    with cache.lock:
        kept = cache.readings.get(key)
    if kept is not None and kept[0] == len(current):
        return kept[1]  # type: ignore[no-any-return]
    value = compute(current)
    with cache.lock:
        cache.readings[key] = (len(current), value)
    return value
