"""``manche log``: verify, export, import, checkpoint; inclusion and consistency proofs."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say
from manche.domain.values import Side
from manche.errors import InputError, IntegrityError
from manche.record import keys_dir, merkle
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.replica import ExportTally, export_lines, import_lines
from manche.record.verify import verify as verify_log
from manche.wording import counted

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
    for_side: Side = typer.Option(
        ...,
        "--for",
        help="Side whose replica this is (UK or FR): entries it may not see are redacted",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the log as JSON Lines (batches, entries, checkpoints) for a side's replica.

    An entry the receiving side may not see is written redacted: its number and hash only."""
    db = database()
    tally = ExportTally()
    try:
        lines = export_lines(Log(db), since, for_side=for_side, tally=tally)
        if output is None:
            for line in lines:
                sys.stdout.write(line + "\n")
        else:
            with output.open("w", encoding="utf-8") as handle:
                for line in lines:
                    handle.write(line + "\n")
    finally:
        db.close()
    say(
        f"{counted(tally.entries, 'entry', 'entries')} exported, {tally.redacted} of them "
        f"redacted for {for_side.value} ({counted(tally.lines, 'line')}"
        + (f" to {output})" if output else ")")
    )
    if output is not None and as_json:
        emit(
            {
                "lines": tally.lines,
                "file": str(output),
                "since": since,
                "for": for_side.value,
                "entries": tally.entries,
                "redacted": tally.redacted,
            },
            as_json=True,
        )


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
            f"{counted(summary.entries_added, 'entry', 'entries')} in "
            f"{counted(summary.batches_added, 'batch', 'batches')} added "
            f"({summary.entries_redacted} of them redacted; {summary.entries_already_held} "
            f"already held), {counted(summary.checkpoints_added, 'checkpoint')}; the log now "
            f"has {counted(summary.size, 'entry', 'entries')}"
            + (
                f"; {counted(summary.bodies_not_filled, 'entry', 'entries')} held redacted "
                + ("stays" if summary.bodies_not_filled == 1 else "stay")
                + " redacted"
                if summary.bodies_not_filled
                else ""
            )
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


def _lines(data: dict[str, object]) -> str:
    out = []
    for key, value in data.items():
        if isinstance(value, list):
            out.append(f"{key}:")
            out += [f"  {item}" for item in value]
        else:
            out.append(f"{key}: {value}")
    return "\n".join(out)


@log_app.command()
def proof(
    seq: int = typer.Argument(..., min=0, help="Entry number."),
    size: int | None = typer.Option(None, "--size", help="Tree size (default: the whole log)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """RFC 6962 inclusion proof of entry SEQ in the tree of SIZE entries (verified here)."""
    db = database()
    try:
        log = Log(db)
        tree_size = size if size is not None else log.size()
        path = log.inclusion_proof(seq, tree_size)
        root = log.root(tree_size)
        leaf = merkle.leaf_hash(log.entry_hash(seq))  # a redacted entry has a proof too
    finally:
        db.close()
    if not merkle.verify_inclusion(leaf, seq, tree_size, path, root):
        raise IntegrityError(f"the inclusion proof of entry {seq} does not verify")
    data = {
        "seq": seq,
        "tree_size": tree_size,
        "leaf_hash": leaf.hex(),
        "root": root.hex(),
        "path": [node.hex() for node in path],
    }
    emit(data, as_json=as_json, render=lambda: _lines(data))


@log_app.command()
def consistency(
    old_size: int = typer.Argument(..., min=0, help="Size of the older tree."),
    new_size: int | None = typer.Argument(None, help="Size of the newer tree (default: all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """RFC 6962 consistency proof from the tree of OLD_SIZE to NEW_SIZE entries."""
    db = database()
    try:
        log = Log(db)
        size = new_size if new_size is not None else log.size()
        path = log.consistency_proof(old_size, size)
        old_root, new_root = log.root(old_size), log.root(size)
    finally:
        db.close()
    if not merkle.verify_consistency(old_size, size, old_root, new_root, path):
        raise IntegrityError(f"the consistency proof {old_size} -> {size} does not verify")
    data = {
        "old_size": old_size,
        "new_size": size,
        "old_root": old_root.hex(),
        "new_root": new_root.hex(),
        "path": [node.hex() for node in path],
    }
    emit(data, as_json=as_json, render=lambda: _lines(data))
