"""``manche events add FILE --as USER`` and ``manche events list``: the API's writing and reading
paths from the command line, with the same rules (the user's agency, roles and side apply).

FILE is JSON (one event object, or an array of them) or JSON Lines (one event per line; blank
lines are skipped), in the API's format. The whole file is one batch: all of it is appended,
or nothing, and the first bad event is named by its line (JSON Lines) or position (JSON array)
and field, with exit status 2.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say, stdout, words_fit
from manche.domain.access import Action, require
from manche.errors import InputError, MancheError
from manche.readings.event_index import MAX_PAGE, EventFilter, parse_bbox
from manche.service.events import EventService, Submitted
from manche.users import UserStore
from manche.wording import counted

events_app = sub_app("events", "Record events and read them back (as a given user).")


def read_events_file(path: Path) -> tuple[list[Any], list[str]]:
    """The events in FILE, and for each the place to name in errors ("line 3", "item 2")."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", file=str(path)) from exc
    stripped = text.strip()
    if not stripped:
        raise InputError("no events in the file", file=str(path))
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except ValueError as exc:
            raise InputError(f"not valid JSON: {exc}", file=str(path)) from exc
        if not isinstance(data, list):
            raise InputError("expected a JSON array of events", file=str(path))
        return data, [f"item {i + 1}" for i in range(len(data))]
    if stripped.startswith("{"):
        try:
            return [json.loads(stripped)], ["item 1"]
        except ValueError:
            pass  # JSON Lines: one object per line
    items: list[Any] = []
    places: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except ValueError as exc:
            raise InputError(f"not valid JSON: {exc}", file=str(path), row=number) from exc
        places.append(f"line {number}")
    return items, places


@events_app.command("add")
def add(
    file: Path = typer.Argument(..., help="JSON or JSON Lines file of events (API format)."),
    as_user: str = typer.Option(..., "--as", help="User recording them (its agency applies)."),
    idempotency_key: str = typer.Option(
        None, "--idempotency-key", help="Makes re-running the same command safe."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Append the events of FILE as USER's agency: all of them, or none."""
    db = database()
    try:
        principal = UserStore(db).principal(as_user)
        items, places = read_events_file(file)
        service = EventService(db)
        try:
            result = service.submit(principal, items, idempotency_key=idempotency_key)
        except MancheError as exc:
            index: int | None = getattr(exc, "item_index", None)
            if index is not None:
                named = f"field {exc.field!r}: "
                message = exc.message.removeprefix(named) if exc.field else exc.message
                field = f", {named[:-2]}" if exc.field else ""
                exc.message = f"{file}, {places[index]}{field}: {message}"  # the field once
            raise
        emit(
            result.to_json(),
            as_json=as_json,
            render=lambda: (
                f"{counted(len(result.events), 'event')} appended as {principal.agency}"
                + (" (replayed: already appended)" if result.replayed else "")
                + _seq_range(result.events)
            ),
        )
        for warning in result.warnings:
            say(f"warning: {warning}")
    finally:
        db.close()


def _seq_range(events: list[Submitted]) -> str:
    """Where the events went in the log: ``; seq 120`` or ``; seq 118-119``."""
    if not events:
        return ""
    first, last = events[0].seq, events[-1].seq
    return f"; seq {first}" if first == last else f"; seq {first}-{last}"


def _moment(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"not an ISO 8601 timestamp: {text!r}", field=name) from None
    if moment.tzinfo is None:
        raise InputError("a timezone is required (e.g. 2026-08-14T03:20:00+00:00)", field=name)
    return moment


@events_app.command("list")
def list_(
    as_user: str = typer.Option(..., "--as", help="Read as this user (its side's releasability)."),
    type_: list[str] = typer.Option([], "--type", help="Event type (repeat for several)."),
    agency: list[str] = typer.Option([], "--agency", help="Agency code (repeat for several)."),
    since: str = typer.Option(None, "--since", help="occurred_at >= (ISO 8601, with timezone)."),
    until: str = typer.Option(None, "--until", help="occurred_at < (ISO 8601, with timezone)."),
    bbox: str = typer.Option(None, "--bbox", help="min_lon,min_lat,max_lon,max_lat"),
    incident: str = typer.Option(None, "--incident", help="Incident reference."),
    boat: str = typer.Option(None, "--boat", help="Boat reference (hull identification number)."),
    cursor: str = typer.Option(None, "--cursor", help="Continue after this cursor."),
    limit: int = typer.Option(100, "--limit", min=1, max=MAX_PAGE),
    as_json: bool = JSON_OPTION,
) -> None:
    """List events visible to USER, in log order, with the API's filters."""
    db = database()
    try:
        principal = UserStore(db).principal(as_user)
        require(principal, Action.READ_EVENTS)
        flt = EventFilter(
            types=tuple(type_),
            agencies=tuple(agency),
            since=_moment(since, "since"),
            until=_moment(until, "until"),
            bbox=None if bbox is None else parse_bbox(bbox),
            incident=incident,
            boat=boat,
        )
        page, next_cursor = EventService(db).query(principal, flt, cursor=cursor, limit=limit)
        data = {"events": [{"seq": s, "event": e} for s, e in page], "next_cursor": next_cursor}

        def render() -> Table:
            table = _events_table(page, wide=True)
            if not words_fit(table, stdout.width):
                table = _events_table(page, wide=False)
            if next_cursor:
                table.caption = f"more: --cursor {next_cursor}"
            return table

        emit(data, as_json=as_json, render=render)
    finally:
        db.close()


NOTE_PREVIEW = 60
"""Characters of a note shown in the ``events list`` table (whole with ``--json``)."""


def _preview(note: str) -> str:
    """The start of a note, cut between words and marked with an ellipsis when it is longer."""
    if len(note) <= NOTE_PREVIEW:
        return note
    head = note[: NOTE_PREVIEW - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head) + "…"


def _events_table(page: list[tuple[int, dict[str, Any]]], *, wide: bool) -> Table:
    """One column per item; ``wide=False``: four columns of several lines (type, agency and
    releasability under "event"; date, time and incident under "when, incident"), for a
    terminal too narrow to keep the words of seven columns whole."""
    if wide:
        table = Table("seq", "type", "agency", "occurred_at", "releasability", "incident", "note")
    else:
        table = Table("seq", "event", "when, incident", "note", show_lines=True)
    for seq, event in page:
        # the time as recorded, with a space instead of the "T" so that a cell may break there
        when = str(event["occurred_at"]).replace("T", " ", 1)
        reach = event.get("releasability", "")
        incident = event.get("incident") or ""
        note = _preview(event.get("note") or "")
        if wide:
            table.add_row(str(seq), event["type"], event["agency"], when, reach, incident, note)
        else:
            kind = "\n".join([event["type"], event["agency"], reach])
            table.add_row(
                str(seq), kind, "\n".join(filter(None, [*when.split(" "), incident])), note
            )
    return table
