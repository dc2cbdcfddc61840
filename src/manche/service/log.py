"""The one place the service layer touches the signed log of :mod:`manche.record`.

Each function forwards to the record's public API, so a change there is absorbed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manche.domain.events import Event
from manche.storage import Database


def ensure(db: Database) -> None:
    """Create the log's tables if needed."""
    from manche.record import schema

    schema.ensure(db)


def append(db: Database, events: Sequence[Event]) -> list[int]:
    """Append a batch, all or nothing, signed by its agency; the entries' sequence numbers."""
    raise NotImplementedError("waiting for manche.record's append")


def entries_after(db: Database, after: int, *, limit: int) -> list[tuple[int, dict[str, Any]]]:
    """Up to ``limit`` entries with sequence > ``after``, in order, as (seq, event JSON)."""
    raise NotImplementedError("waiting for manche.record's reader")
