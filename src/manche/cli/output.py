"""How commands print: ``--json`` gives machine-readable JSON on stdout, otherwise a rich table."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import typer
from pydantic_core import to_jsonable_python
from rich.console import Console, Group, RenderableType
from rich.table import Table

JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")

stdout = Console()
stderr = Console(stderr=True)


def to_json(data: Any) -> str:
    return json.dumps(to_jsonable_python(data), indent=2, ensure_ascii=False)


def emit(data: Any, *, as_json: bool, render: Callable[[], RenderableType] | None = None) -> None:
    """Print ``data`` as JSON, or the renderable ``render()`` builds for people."""
    if as_json or render is None:
        sys.stdout.write(to_json(data) + "\n")
    else:
        stdout.print(unshortened(render()))


def unshortened(renderable: RenderableType) -> RenderableType:
    """The renderable with every table's cells folded onto more lines where the terminal is too
    narrow, instead of cut short with an ellipsis (rich's default): an id, a serial or a date
    is never shown in part (a craft id cut to ``461fc0f8…`` cannot be given to the next command).
    Tables inside a :class:`rich.console.Group` too; the renderable is changed in place."""
    if isinstance(renderable, Table):
        for column in renderable.columns:
            column.overflow = "fold"
            for cell in column.cells:
                unshortened(cell)
    elif isinstance(renderable, Group):
        for part in renderable.renderables:
            unshortened(part)
    return renderable


def say(message: str) -> None:
    """A progress or status line for people, on stderr (never mixed into --json output)."""
    stderr.print(message, highlight=False)
