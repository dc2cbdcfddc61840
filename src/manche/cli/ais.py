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
