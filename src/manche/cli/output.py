"""How commands print: ``--json`` gives machine-readable JSON on stdout, otherwise a rich table."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import typer
from pydantic_core import to_jsonable_python
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.errors import MarkupError
from rich.table import Table
from rich.text import Text

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
        stdout.print(unshortened(render(), stdout.width))


def unshortened(renderable: RenderableType, width: int | None = None) -> RenderableType:
    """The renderable with every table's cells folded onto more lines where the terminal is too
    narrow, instead of cut short with an ellipsis (rich's default): an id, a serial or a date
    is never shown in part (a craft id cut to ``461fc0f8…`` cannot be given to the next command).
    Tables inside a :class:`rich.console.Group` too; the renderable is changed in place.

    With the terminal's ``width``, a table of text that is too wide gets column widths that
    break lines between words, not inside them, when its longest words fit side by side
    (rich narrows the widest columns first, which printed ``landed-uk`` as ``landed-u`` and
    ``k`` in a 100-column terminal): see :func:`_fit`."""
    if isinstance(renderable, Table):
        if width is not None:
            _fit(renderable, width)
        for column in renderable.columns:
            column.overflow = "fold"
            for cell in column.cells:
                unshortened(cell)
    elif isinstance(renderable, Group):
        for part in renderable.renderables:
            unshortened(part, width)
    return renderable


WORD_CAPS = (None, 24, 16)
"""The longest word each column keeps whole, tried in turn until the words fit side by side
(None: every word whole). Longer words (an id of 45 characters) are folded."""


def _plain(cell: RenderableType) -> str | None:
    if isinstance(cell, str):
        try:
            return Text.from_markup(cell).plain  # as rich reads a string cell
        except MarkupError:
            return None
    if isinstance(cell, Text):
        return cell.plain
    return None  # a table, a group...: measured by rich alone


def _measures(table: Table, width: int) -> tuple[list[int], list[int], int] | None:
    """A table's text columns measured for ``width``: each column's longest line and longest
    word (with its padding left out), and the room for the columns' text (the width less
    padding and borders: rich's own arithmetic). None when a cell is not text."""
    texts: list[list[str]] = []
    for column in table.columns:
        cells = [_plain(column.header), *(_plain(cell) for cell in column.cells)]
        if any(text is None for text in cells):
            return None
        texts.append([t for t in cells if t is not None])
    pads = sum(table._get_padding_width(i) for i in range(len(table.columns)))
    lines = [
        max((cell_len(line) for t in ts for line in t.splitlines()), default=0) for ts in texts
    ]
    words = [max((cell_len(word) for t in ts for word in t.split()), default=0) for ts in texts]
    return lines, words, width - table._extra_width - pads


def words_fit(table: Table, width: int) -> bool:
    """True when ``table`` can be printed in ``width`` columns without breaking a word (or a
    line of a column that may not wrap)."""
    measured = _measures(table, width)
    if measured is None:
        return True  # rich decides
    lines, words, room = measured
    return sum(_least(table, lines, words, None)) <= room


def _least(table: Table, lines: list[int], words: list[int], cap: int | None) -> list[int]:
    """The narrowest each column may be: its longest word (at most ``cap`` characters when a
    cap is given), or its longest line if it may not wrap."""
    return [
        line if column.no_wrap else min(word, line if cap is None else min(cap, line))
        for column, word, line in zip(table.columns, words, lines, strict=True)
    ]


def _fit(table: Table, width: int) -> None:
    """Give the columns of ``table`` fixed widths when it is too wide for ``width``: each at
    least its longest word (up to a cap, :data:`WORD_CAPS`), a column that may not wrap its
    longest line; as rich does, the widest columns are narrowed first, to a common level, but
    none below that least (rich's own narrowing breaks words). Left to rich when a column has
    a width already, a cell is not text, or even the capped words do not fit side by side."""
    columns = table.columns
    if not columns or any(c.width is not None for c in columns):
        return
    measured = _measures(table, width)
    if measured is None:
        return
    lines, words, room = measured
    if sum(lines) <= room:
        return  # it fits as it is
    for cap in WORD_CAPS:
        least = _least(table, lines, words, cap)
        if sum(least) <= room:
            break
    else:
        return

    def widths_at(level: int) -> list[int]:
        return [min(line, max(level, low)) for line, low in zip(lines, least, strict=True)]

    # the highest level at which the widths fit, then what is left one by one to the widest
    level = max((lv for lv in range(max(lines) + 1) if sum(widths_at(lv)) <= room), default=0)
    given = widths_at(level)
    for index in sorted(range(len(given)), key=lambda i: lines[i], reverse=True):
        if sum(given) >= room:
            break
        if given[index] < lines[index]:
            given[index] += 1
    for column, size in zip(columns, given, strict=True):
        column.width = max(size, 1)


def say(message: str) -> None:
    """A progress or status line for people, on stderr (never mixed into --json output)."""
    stderr.print(message, highlight=False)
