"""The root Typer application and its error boundary.

Every :class:`~manche.errors.MancheError` raised by a command is printed on stderr as
``error: <message>`` and the command exits with status 2; nothing else is caught.
"""

from __future__ import annotations

import inspect
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


def unwrap_help(group: typer.Typer = app) -> None:
    """Give every command of ``group`` (and of its groups) its docstring as help with the
    source's line breaks inside paragraphs turned into spaces.

    Typer's rich help keeps a docstring's single line breaks, so a sentence wrapped at 95
    columns in the source broke mid-line in ``--help`` (``... (JSON and CSV), a`` / ``manifest
    ...``); rich then wraps the joined paragraphs to the terminal. Paragraphs (blank lines)
    stay. Called once every command module is imported."""
    for info in group.registered_commands:
        doc = info.help if info.help is not None else getattr(info.callback, "__doc__", None)
        if doc:
            paragraphs = inspect.cleandoc(doc).split("\n\n")
            info.help = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            unwrap_help(sub.typer_instance)
