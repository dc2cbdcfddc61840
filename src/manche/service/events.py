"""Recording and reading events on behalf of a principal: the one path from the API and the
CLI to the log.

``submit`` takes one event or a batch as JSON objects, completes each with what the server
knows (``agency`` defaults to the caller's, ``author`` is the caller, ``recorded_at`` is now),
validates it against the catalogue, the clock and the access rules, and appends the whole
batch to the signed log in one go, or nothing. Anything wrong raises the error for the first
bad event, with ``item_index`` set on the exception (the API names ``events[i].field``, the CLI
the line).

The index that ``GET /api/v1/events`` reads is brought up to date from the log by readers
(:meth:`EventService.catch_up`), not by writers, so a POST does only the append and, with a key,
one small insert.

Clock skew: an event may have occurred at most ``MANCHE_CLOCK_SKEW_SECONDS`` (default 300)
after the server's clock; the catalogue itself never allows more than 5 minutes
(:data:`manche.domain.events.base.CLOCK_SKEW`), so the setting can only make it stricter.

Idempotency: with a key, a retried request gets the first answer back instead of a second copy
of its events. The key is scoped to the user; reusing it with a different body is refused.
Events of a keyed request that carry no ``id`` get one derived from (user, key, position), so
that even a retry after a crash between the append and the recording of the key finds the
events already in the log (same ids) instead of appending them twice.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from manche.config import get_settings
from manche.domain.access import Principal, check_record
from manche.domain.events import Event, parse_event
from manche.domain.events.base import CLOCK_SKEW
from manche.errors import AccessDenied, Conflict, InputError, MancheError
from manche.readings.event_index import EventFilter, EventIndex
from manche.registry import RegistryStore
from manche.service.log import LogGateway
from manche.storage import Database

MAX_BATCH = 5000
"""Largest batch one request may append (a full day of Channel events is well under this)."""

ASSET_CACHE_SECONDS = 30.0
"""How long the set of registered asset codes (for warnings only) is kept between lookups."""

IDEMPOTENCY_NAMESPACE = uuid.UUID("6c1f3a52-8a0e-4b7e-9a59-0d6f3f1f2c11")

_DDL = [
    "CREATE TABLE IF NOT EXISTS idempotency_keys ("
    " user_id TEXT NOT NULL, idem_key TEXT NOT NULL, request_hash TEXT NOT NULL,"
    " response TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user_id, idem_key))",
]


def at_item(exc: MancheError, index: int) -> MancheError:
    """Mark which event of a batch an error is about (0-based)."""
    exc.item_index = index  # type: ignore[attr-defined]
    return exc


@dataclass(frozen=True)
class Submitted:
    id: str
    type: str
    seq: int


@dataclass
class SubmitResult:
    events: list[Submitted]
    replayed: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "accepted": len(self.events),
            "events": [{"id": e.id, "type": e.type, "seq": e.seq} for e in self.events],
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, replayed: bool) -> SubmitResult:
        return cls(
            [Submitted(e["id"], e["type"], e["seq"]) for e in data["events"]],
            replayed=replayed,
            warnings=list(data.get("warnings", [])),
        )


def request_hash(items: Sequence[Any]) -> str:
    text = json.dumps(list(items), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EventService:
    def __init__(
        self,
        db: Database,
        *,
        clock_skew: timedelta | None = None,
        max_batch: int = MAX_BATCH,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = db
        if clock_skew is None:
            clock_skew = timedelta(seconds=get_settings().clock_skew_seconds)
        self.clock_skew = min(clock_skew, CLOCK_SKEW)
        self.max_batch = max_batch
        self.clock = clock
        self.registry = RegistryStore(db)
        self.index = EventIndex(db)
        self._asset_codes: tuple[float, frozenset[str]] | None = None
        self.log = LogGateway(db)
        db.ensure_schema("idempotency", 1, _DDL)

    # writing

    def prepare(
        self, principal: Principal, items: Sequence[Any], *, idempotency_key: str | None = None
    ) -> list[Event]:
        """Validate and complete a batch; raise for the first bad event (nothing is stored)."""
        if not items:
            raise InputError("no events given", field="events")
        if len(items) > self.max_batch:
            raise InputError(
                f"{len(items)} events in one batch; the limit is {self.max_batch}: split it",
                field="events",
            )
        agency = self.registry.agency(principal.agency)
        now = self.clock()
        events = []
        for index, item in enumerate(items):
            try:
                events.append(
                    self._prepare_one(principal, item, agency.mandate, now, index, idempotency_key)
                )
            except MancheError as exc:
                at_item(exc, index)
                raise
        seen: set[str] = set()
        for index, event in enumerate(events):
            if str(event.id) in seen:
                raise at_item(InputError(f"id {event.id} appears twice", field="id"), index)
            seen.add(str(event.id))
        return events

    def _prepare_one(
        self,
        principal: Principal,
        item: Any,
        mandate: tuple[str, ...],
        now: datetime,
        index: int,
        idempotency_key: str | None,
    ) -> Event:
        if not isinstance(item, dict):
            raise InputError(f"an event is a JSON object, not {type(item).__name__}")
        data = dict(item)
        if "recorded_at" in data:
            raise InputError(
                "recorded_at is set by the server when the event reaches the record",
                field="recorded_at",
            )
        author = data.get("author", principal.user_id)
        if author != principal.user_id:
            raise AccessDenied(
                f"author is the authenticated user ({principal.user_id}), not {author!r}",
                field="author",
            )
        data["author"] = principal.user_id
        data.setdefault("agency", principal.agency)
        data["recorded_at"] = now.isoformat()
        if "id" not in data and idempotency_key is not None:
            data["id"] = str(
                uuid.uuid5(
                    IDEMPOTENCY_NAMESPACE, f"{principal.user_id}\x00{idempotency_key}\x00{index}"
                )
            )
        event = parse_event(data)
        if event.occurred_at > now + self.clock_skew:
            raise InputError(
                f"occurred_at {event.occurred_at.isoformat()} is in the future (server time "
                f"{now.isoformat(timespec='seconds')}, allowed clock skew "
                f"{int(self.clock_skew.total_seconds())} s)",
                field="occurred_at",
            )
        check_record(
            principal,
            event_type=event.type,
            event_agency=event.agency,
            releasability=event.releasability,
            mandate=mandate,
        )
        return event

    def submit(
        self,
        principal: Principal,
        items: Sequence[Any],
        *,
        idempotency_key: str | None = None,
    ) -> SubmitResult:
        """Append one batch, all or nothing; replay the first answer for a repeated key."""
        digest = request_hash(items)
        if idempotency_key is not None:
            if not 1 <= len(idempotency_key) <= 200:
                raise InputError(
                    "Idempotency-Key must be 1-200 characters", field="Idempotency-Key"
                )
            stored = self._stored(principal, idempotency_key, digest)
            if stored is not None:
                return stored
        events = self.prepare(principal, items, idempotency_key=idempotency_key)
        try:
            seqs = self.log.append(events)
        except Conflict:
            if idempotency_key is None:
                raise
            # A retry after a crash between the append and the key's recording: the derived
            # ids are already in the log. Answer as the first request would have.
            self.catch_up()
            with self.db.transaction() as tx:
                found = self.index.seq_of(tx, [str(e.id) for e in events])
            if len(found) != len(events):
                raise
            seqs = [found[str(e.id)] for e in events]
        result = SubmitResult(
            [Submitted(str(e.id), e.type, s) for e, s in zip(events, seqs, strict=True)],
            warnings=self._warnings(events),
        )
        if idempotency_key is not None:
            with self.db.transaction() as tx:
                tx.execute(
                    "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, response,"
                    " created_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (user_id, idem_key) DO NOTHING",
                    (
                        principal.user_id,
                        idempotency_key,
                        digest,
                        json.dumps(result.to_json()),
                        self.clock().isoformat(),
                    ),
                )
        return result

    def _stored(self, principal: Principal, key: str, digest: str) -> SubmitResult | None:
        with self.db.transaction() as tx:
            row = tx.one(
                "SELECT request_hash, response FROM idempotency_keys"
                " WHERE user_id = ? AND idem_key = ?",
                (principal.user_id, key),
            )
        if row is None:
            return None
        if row[0] != digest:
            raise InputError(
                "this Idempotency-Key was already used with a different request body; "
                "use a new key for a new request",
                field="Idempotency-Key",
            )
        return SubmitResult.from_json(json.loads(row[1]), replayed=True)

    def _warnings(self, events: Sequence[Event]) -> list[str]:
        if not any(e.assets for e in events):
            return []
        now = time.monotonic()
        if self._asset_codes is None or now - self._asset_codes[0] > ASSET_CACHE_SECONDS:
            self._asset_codes = (now, frozenset(a.code for a in self.registry.assets()))
        known = self._asset_codes[1]
        unknown = sorted({code for e in events for code in e.assets if code not in known})
        return [f"asset {code!r} is not in the registry" for code in unknown]

    # reading

    def catch_up(self) -> int:
        """Index the log's entries not yet indexed; returns how many were added."""
        added = 0
        while True:
            with self.db.transaction() as tx:
                after = self.index.last_seq(tx)
            entries = self.log.entries_after(after, limit=5000)
            if not entries:
                return added
            with self.db.transaction() as tx:
                added += self.index.add(tx, entries)

    def query(
        self, principal: Principal, flt: EventFilter, *, cursor: str | None = None, limit: int = 100
    ) -> tuple[list[tuple[int, dict[str, Any]]], str | None]:
        after = -1
        if cursor:
            try:
                after = int(cursor)
            except ValueError:
                raise InputError("not a cursor this API gave", field="cursor") from None
        self.catch_up()
        page, next_seq = self.index.query(principal, flt, after=after, limit=limit)
        return page, (None if next_seq is None else str(next_seq))

    def get(self, principal: Principal, event_id: str) -> tuple[int, dict[str, Any]]:
        self.catch_up()
        return self.index.get(principal, event_id)
