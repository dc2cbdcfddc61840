"""``manche ais``: read AIS NMEA captures."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.output import JSON_OPTION, emit
from manche.sources.ais import decode_file

ais = sub_app("ais", "AIS NMEA sentences: decode position reports of authority vessels.")


@ais.command("decode")
def decode_command(
    file: Path = typer.Argument(..., help="NMEA capture, one sentence a line"),
    mmsi: list[int] = typer.Option(None, "--mmsi", help="keep only these vessels (repeat)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Summarise what was decoded and what was malformed (never stops on a bad line)."""
    result = decode_file(file, mmsis=set(mmsi) if mmsi else None)
    summary = {"file": str(file), **result.summary()}

    def render() -> Table:
        table = Table("", "count", title=str(file))
        table.add_row("lines", str(result.lines))
        table.add_row("position reports", str(len(result.positions)))
        table.add_row("vessels", str(summary["vessels"]))
        table.add_row("other AIS messages", str(sum(result.other_messages.values())))
        table.add_row("other NMEA sentences (skipped)", str(result.other_nmea))
        table.add_row("incomplete multipart", str(result.incomplete_multipart))
        table.add_row("malformed", str(result.malformed_count))
        for m in result.malformed_examples[:5]:
            table.add_row(f"  line {m.line}", m.reason[:70])
        return table

    emit(summary, as_json=as_json, render=render)


@ais.command("ingest")
def ingest_command(
    file: Path = typer.Argument(..., help="NMEA capture, one sentence a line"),
    user: str = typer.Option(..., "--as", help="Operator recording the positions."),
    mapping: list[str] = typer.Option(
        ..., "--map", help="MMSI=ASSET for each authority vessel (repeat)"
    ),
    received_at: str = typer.Option(
        None, help="When the capture was received (ISO 8601, UTC); default now."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record the position reports of mapped authority vessels as asset-position events
    (one batch, all or nothing); other vessels and malformed sentences are counted."""
    from dataclasses import asdict
    from datetime import UTC, datetime

    from manche.cli.context import database
    from manche.errors import InputError
    from manche.record.log import MAX_BATCH
    from manche.service.ais_ingest import ingest, parse_mapping
    from manche.service.events import EventService
    from manche.users import UserStore

    try:
        when = datetime.fromisoformat(received_at) if received_at else datetime.now(UTC)
    except ValueError:
        raise InputError(f"not an ISO 8601 time: {received_at!r}", field="received-at") from None
    if when.tzinfo is None:
        raise InputError("received-at needs a timezone (e.g. ...Z)", field="received-at")
    pairs = parse_mapping(mapping)
    db = database()
    try:
        principal = UserStore(db).principal(user)
        result = ingest(EventService(db, max_batch=MAX_BATCH), principal, file, pairs, when)
    finally:
        db.close()

    def render() -> Table:
        table = Table("", "count", title=f"{file}: AIS into the record")
        table.add_row("position reports recorded", str(result.appended))
        for asset, count in sorted(result.per_asset.items()):
            table.add_row(f"  {asset}", str(count))
        table.add_row("reports of other vessels (not recorded)", str(result.unmapped_reports))
        table.add_row("reports without a position", str(result.without_position))
        table.add_row("malformed sentences", str(result.decoded["malformed"]))
        return table

    emit(asdict(result), as_json=as_json, render=render)
