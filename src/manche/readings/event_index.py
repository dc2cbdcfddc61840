"""An index of the log's events for filtered, paged reading (``GET /api/v1/events``).

A reading like any other: a table rebuilt from the log alone. Each row holds an entry's
sequence number, the fields the API filters on, and the event's stored JSON. The index is
brought up to date from the log before every query (``catch_up``), so events that reached the
log by any path (API, CLI, ``manche log import``) are found. Dropping the table loses nothing.

Releasability is applied in the SQL of every query, from the caller's side
(:func:`manche.domain.access.visible_releasabilities`), so an event the caller may not see is
never read out of the database for it, let alone returned.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from manche.domain.access import Principal, visible_releasabilities
from manche.domain.sharing import reach_of_json
from manche.errors import InputError, NotFound
from manche.storage import Database, Transaction

_DDL = [
    "CREATE TABLE IF NOT EXISTS event_index ("
    " seq BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
    " agency TEXT NOT NULL, occurred_at TEXT NOT NULL, lon DOUBLE PRECISION,"
    " lat DOUBLE PRECISION, releasability TEXT NOT NULL, incident TEXT, boat TEXT,"
    " exercise INTEGER NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS event_index_type ON event_index (type, seq)",
    "CREATE INDEX IF NOT EXISTS event_index_agency ON event_index (agency, seq)",
    "CREATE INDEX IF NOT EXISTS event_index_occurred ON event_index (occurred_at)",
    "CREATE INDEX IF NOT EXISTS event_index_incident ON event_index (incident)",
    "CREATE INDEX IF NOT EXISTS event_index_boat ON event_index (boat)",
]

MAX_PAGE = 1000


def utc_key(moment: datetime) -> str:
    """A sortable text form of an aware datetime, in UTC (what ``occurred_at`` is stored as)."""
    if moment.tzinfo is None:
        raise InputError("a timestamp needs a timezone (e.g. 2026-08-14T03:20:00Z)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class EventFilter:
    """What ``GET /api/v1/events`` and ``manche events list`` filter on (all optional)."""

    types: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    incident: str | None = None
    boat: str | None = None
    exercise: bool | None = None


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4:
        raise InputError("bbox is min_lon,min_lat,max_lon,max_lat (4 numbers)", field="bbox")
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InputError(
            "bbox must have -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90",
            field="bbox",
        )
    return min_lon, min_lat, max_lon, max_lat


def _row(seq: int, event: dict[str, Any]) -> tuple[Any, ...]:
    position = event.get("position") or {}
    boat = event.get("boat") or {}
    occurred = datetime.fromisoformat(str(event["occurred_at"]).replace("Z", "+00:00"))
    return (
        seq,
        str(event["id"]),
        event["type"],
        event["agency"],
        utc_key(occurred),
        position.get("lon"),
        position.get("lat"),
        reach_of_json(event).value,
        event.get("incident"),
        boat.get("hin") if isinstance(boat, dict) else None,
        1 if event.get("exercise") else 0,
        json.dumps(event, ensure_ascii=False, separators=(",", ":")),
    )


class EventIndex:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.ensure_schema("event_index", 1, _DDL)

    @staticmethod
    def last_seq(tx: Transaction) -> int:
        return int(tx.scalar("SELECT COALESCE(MAX(seq), -1) FROM event_index"))

    @staticmethod
    def add(tx: Transaction, entries: Iterable[tuple[int, dict[str, Any]]]) -> int:
        """Index ``(seq, event JSON)`` pairs; already indexed entries are skipped.

        Two requests may catch up at once and index the same entries: the conflict may come on
        ``seq`` or on ``event_id`` (both unique, and both the log's), so ``DO NOTHING`` names no
        target. With ``ON CONFLICT (seq)``, PostgreSQL raised a unique violation on
        ``event_id`` when the other transaction's row reached that index first."""
        rows = [_row(seq, event) for seq, event in entries]
        if rows:
            tx.executemany(
                "INSERT INTO event_index (seq, event_id, type, agency, occurred_at, lon, lat,"
                " releasability, incident, boat, exercise, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )
        return len(rows)

    def query(
        self,
        principal: Principal,
        flt: EventFilter,
        *,
        after: int = -1,
        limit: int = 100,
    ) -> tuple[list[tuple[int, dict[str, Any]]], int | None]:
        """A page of visible events in log order after sequence ``after`` (-1: from the start),
        and the sequence to continue after (None on the last page)."""
        if not 1 <= limit <= MAX_PAGE:
            raise InputError(f"limit must be between 1 and {MAX_PAGE}", field="limit")
        where, params = self._where(principal, flt)
        where.append("seq > ?")
        params.append(after)
        with self.db.transaction() as tx:
            rows = tx.all(
                f"SELECT seq, body FROM event_index WHERE {' AND '.join(where)}"
                " ORDER BY seq LIMIT ?",
                (*params, limit + 1),
            )
        page = [(int(seq), json.loads(body)) for seq, body in rows[:limit]]
        more = len(rows) > limit
        return page, (page[-1][0] if more and page else None)

    def get(self, principal: Principal, event_id: str) -> tuple[int, dict[str, Any]]:
        """One event by id, if the principal may see it; otherwise NotFound (same as absent)."""
        visible = [r.value for r in visible_releasabilities(principal)]
        marks = ", ".join("?" for _ in visible)
        with self.db.transaction() as tx:
            row = tx.one(
                "SELECT seq, body FROM event_index"
                f" WHERE event_id = ? AND releasability IN ({marks})",
                (event_id, *visible),
            )
        if row is None:
            raise NotFound(f"no event {event_id}", field="id")
        return int(row[0]), json.loads(row[1])

    def visible_seq(self, principal: Principal, seq: int) -> bool:
        visible = [r.value for r in visible_releasabilities(principal)]
        marks = ", ".join("?" for _ in visible)
        with self.db.transaction() as tx:
            return (
                tx.scalar(
                    f"SELECT 1 FROM event_index WHERE seq = ? AND releasability IN ({marks})",
                    (seq, *visible),
                )
                is not None
            )

    @staticmethod
    def bodies(tx: Transaction, event_ids: Sequence[str]) -> dict[str, tuple[int, dict[str, Any]]]:
        """(seq, event JSON) of those of ``event_ids`` that are indexed (no visibility check:
        for the writer's own events only)."""
        found: dict[str, tuple[int, dict[str, Any]]] = {}
        for start in range(0, len(event_ids), 500):
            part = tuple(event_ids[start : start + 500])
            marks = ", ".join("?" for _ in part)
            rows = tx.all(
                f"SELECT event_id, seq, body FROM event_index WHERE event_id IN ({marks})", part
            )
            found.update({str(i): (int(seq), json.loads(body)) for i, seq, body in rows})
        return found

    @staticmethod
    def _where(principal: Principal, flt: EventFilter) -> tuple[list[str], list[Any]]:
        visible = [r.value for r in visible_releasabilities(principal)]
        where = [f"releasability IN ({', '.join('?' for _ in visible)})"]
        params: list[Any] = list(visible)
        if flt.types:
            where.append(f"type IN ({', '.join('?' for _ in flt.types)})")
            params.extend(flt.types)
        if flt.agencies:
            where.append(f"agency IN ({', '.join('?' for _ in flt.agencies)})")
            params.extend(flt.agencies)
        if flt.since is not None:
            where.append("occurred_at >= ?")
            params.append(utc_key(flt.since))
        if flt.until is not None:
            where.append("occurred_at < ?")
            params.append(utc_key(flt.until))
        if flt.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = flt.bbox
            where.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
            params.extend((min_lon, max_lon, min_lat, max_lat))
        if flt.incident is not None:
            where.append("incident = ?")
            params.append(flt.incident)
        if flt.boat is not None:
            where.append("boat = ?")
            params.append(flt.boat)
        if flt.exercise is not None:
            where.append("exercise = ?")
            params.append(1 if flt.exercise else 0)
        return where, params
