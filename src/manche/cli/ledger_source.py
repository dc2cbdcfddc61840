"""Where the ledger commands read events from: the signed log, as a user (``--as USER``: that
user's side's releasability applies and the user needs the caseworker role), or a file of
events (``--events FILE``: a replica export or a JSON Lines batch, for offline work)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import typer

from manche.cli.context import database
from manche.domain.events import Event
from manche.errors import InputError
from manche.service.ledgers import file_events, record_events
from manche.users import UserStore

AS_USER = typer.Option(None, "--as", help="Read the record as this user (caseworker role).")
EVENTS_FILE = typer.Option(
    None, "--events", help="Read events from this JSON / JSON Lines file instead of the record."
)


def load(as_user: str | None, events_file: Path | None, types: Sequence[str]) -> list[Event]:
    if (as_user is None) == (events_file is None):
        raise InputError("give exactly one of --as USER (the record) or --events FILE")
    if events_file is not None:
        return file_events(events_file, types)
    db = database()
    try:
        principal = UserStore(db).principal(str(as_user))
        return record_events(db, principal, types)
    finally:
        db.close()


def parse_day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"not a date (YYYY-MM-DD): {text!r}", field=name) from None
