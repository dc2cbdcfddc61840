"""The root Typer application and its error boundary.

Every :class:`~manche.errors.MancheError` raised by a command is printed on stderr as
``error: <message>`` and the command exits with status 2; nothing else is caught.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from manche.errors import MancheError


class _Group(TyperGroup):
    def invoke(self, ctx: Any) -> Any:  # click.Context (typer vendors its own click)
        try:
            return super().invoke(ctx)
        except MancheError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(code=2) from exc


app = typer.Typer(
    name="manche",
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Manche: the shared record of small-boat crossings of the Channel (UK-France).",
)


def sub_app(name: str, help: str) -> typer.Typer:
    """A command group registered under ``manche NAME``."""
    group = typer.Typer(name=name, no_args_is_help=True, help=help)
    app.add_typer(group, name=name)
    return group
