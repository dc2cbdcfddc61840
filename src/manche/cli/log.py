"""``manche log``: verify, export, import and checkpoint the record."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say
from manche.errors import InputError, IntegrityError
from manche.record import keys_dir
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.replica import export_lines, import_lines
from manche.record.verify import verify as verify_log

log_app = sub_app("log", "The record: verify, export, import, checkpoint.")


@log_app.command()
def verify(as_json: bool = JSON_OPTION) -> None:
    """Check the whole chain, every batch signature and every checkpoint."""
    db = database()
    try:
        report = verify_log(db)
    finally:
        db.close()
    emit(report.to_json(), as_json=as_json, render=report.summary)
    if not report.ok:
        raise IntegrityError(report.summary())


@log_app.command()
def export(
    since: int = typer.Option(0, "--since", min=0, help="From entry N (rounded down to its batch)"),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default: stdout)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the log as JSON Lines (batches, entries, checkpoints) for a replica."""
    db = database()
    count = 0
    try:
        lines = export_lines(Log(db), since)
        if output is None:
            for line in lines:
                sys.stdout.write(line + "\n")
                count += 1
        else:
            with output.open("w", encoding="utf-8") as handle:
                for line in lines:
                    handle.write(line + "\n")
                    count += 1
    finally:
        db.close()
    say(f"{count} lines exported" + (f" to {output}" if output else ""))
    if output is not None and as_json:
        emit({"lines": count, "file": str(output), "since": since}, as_json=True)


@log_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="JSON Lines written by `manche log export`."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add the entries of an export that this log does not hold yet (all or nothing)."""
    try:
        handle = file.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(file)) from exc
    db = database()
    try:
        with handle:
            summary = import_lines(Log(db), handle)
    except InputError as exc:
        exc.message = f"{file}: {exc.message}"
        raise
    finally:
        db.close()
    emit(
        summary.to_json(),
        as_json=as_json,
        render=lambda: (
            f"{summary.entries_added} entries in {summary.batches_added} batches added "
            f"({summary.entries_already_held} already held), {summary.checkpoints_added} "
            f"checkpoints; the log now has {summary.size} entries"
        ),
    )


@log_app.command()
def checkpoint(
    agency: str | None = typer.Option(
        None, "--agency", help="Sign as this agency (default: the only local key)."
    ),
    latest: bool = typer.Option(False, "--latest", help="Show the latest checkpoint only."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Sign and store a checkpoint (tree size, Merkle root, time) and print it."""
    db = database()
    try:
        log = Log(db)
        if latest:
            cp = log.latest_checkpoint()
        else:
            store = KeyStore(db, keys_dir())
            if agency is None:
                local = sorted({k.agency for k in store.list() if k.has_private})
                if len(local) != 1:
                    raise InputError(
                        f"give --agency (local keys: {', '.join(local) or 'none'})",
                        field="agency",
                    )
                agency = local[0]
            cp = log.checkpoint(store.signer(agency))
    finally:
        db.close()
    emit(
        cp.to_json(),
        as_json=as_json,
        render=lambda: (
            f"tree size {cp.tree_size}\nroot      {cp.root.hex()}\ntimestamp {cp.timestamp}\n"
            f"signed by {cp.agency} (key {cp.key_id})"
        ),
    )
