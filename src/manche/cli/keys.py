"""``manche keys``: agency signing keys (generate, list, exchange public halves)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say, to_json
from manche.errors import InputError
from manche.record import keys_dir
from manche.record.keys import KeyStore
from manche.wording import counted

keys = sub_app("keys", "Agency signing keys: generate, list, export and import public keys.")


@keys.command("list")
def list_keys(as_json: bool = JSON_OPTION) -> None:
    """List pinned public keys (and whether the private key is here)."""
    db = database()
    try:
        rows = KeyStore(db, keys_dir()).list()
    finally:
        db.close()
    data = [
        {**key.to_json(), "origin": key.origin, "created_at": key.created_at,
         "private_key_here": key.has_private}
        for key in rows
    ]  # fmt: skip

    def render() -> Table:
        table = Table("agency", "key id", "origin", "private key here", "created")
        for key in rows:
            table.add_row(
                key.agency, key.key_id, key.origin, "yes" if key.has_private else "no",
                key.created_at,
            )  # fmt: skip
        return table

    emit(data, as_json=as_json, render=render)


@keys.command()
def generate(
    agency: str = typer.Argument(..., help="Agency code, e.g. UK-BF."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate a new Ed25519 key for AGENCY (private key 0600 in MANCHE_DATA_DIR/keys)."""
    db = database()
    try:
        key = KeyStore(db, keys_dir()).generate(agency)
    finally:
        db.close()
    say(f"New key {key.key_id} for {agency}; private key in {keys_dir() / agency}")
    emit({**key.to_json(), "origin": key.origin}, as_json=as_json, render=lambda: key.key_id)


@keys.command("export-public")
def export_public(
    agency: str = typer.Argument(..., help="Agency code."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Print AGENCY's public keys as JSON, to give to the other side."""
    db = database()
    try:
        data = KeyStore(db, keys_dir()).export_public(agency)
    finally:
        db.close()
    if output is not None:
        output.write_text(to_json(data) + "\n")
        say(f"{counted(len(data), 'public key')} of {agency} written to {output}")
    else:
        emit(data, as_json=True)
    _ = as_json  # the export is JSON either way


@keys.command("import-public")
def import_public(
    file: Path = typer.Argument(..., help="JSON written by `manche keys export-public`."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Pin the other side's public key(s)."""
    try:
        text = file.read_text()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(file)) from exc
    db = database()
    try:
        added = KeyStore(db, keys_dir()).import_public(text)
    finally:
        db.close()
    data = [{**key.to_json(), "origin": key.origin} for key in added]
    say(f"{counted(len(added), 'key')} pinned" + ("" if added else " (already pinned)"))
    emit(data, as_json=as_json, render=lambda: "\n".join(k.key_id for k in added) or "-")
