"""``manche registry``: the agencies and assets registries, as the API serves them.

Reading only; admins edit rows over HTTP (``PUT /api/v1/registry/...``), which keeps the edit
history with who and when.
"""

from __future__ import annotations

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit
from manche.registry import RegistryStore

registry_app = sub_app("registry", "Agencies and assets (vessels) known to the record.")


@registry_app.command("agencies")
def agencies(as_json: bool = JSON_OPTION) -> None:
    """List agencies: code, side, names, kind, mandate."""
    db = database()
    try:
        rows = RegistryStore(db).agencies()
    finally:
        db.close()

    def render() -> Table:
        table = Table("code", "side", "name (en)", "name (fr)", "kind", "mandate")
        for a in rows:
            mandate = "all" if "*" in a.mandate else f"{len(a.mandate)} types"
            table.add_row(a.code, a.side.value, a.name_en, a.name_fr, a.kind.value, mandate)
        return table

    emit([a.model_dump(mode="json") for a in rows], as_json=as_json, render=render)


@registry_app.command("assets")
def assets(
    agency: str = typer.Option(None, "--agency", help="Only this agency's assets."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List assets: code, name, kind, owner, speed (approximate ones marked ~), home base."""
    db = database()
    try:
        rows = RegistryStore(db).assets(agency)
    finally:
        db.close()

    def render() -> Table:
        table = Table("code", "name", "kind", "agency", "kn", "home base", "active")
        for a in rows:
            speed = "" if a.speed_kn is None else f"{'~' if a.speed_approx else ''}{a.speed_kn:g}"
            table.add_row(
                a.code,
                a.name,
                a.kind.value,
                a.agency,
                speed,
                a.home_base,
                "yes" if a.active else "no",
            )
        return table

    emit([a.model_dump(mode="json") for a in rows], as_json=as_json, render=render)
