"""How commands print tables (manche.cli.output)."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.table import Table

from manche.cli.output import unshortened

CRAFT_ID = "461fc0f8-c866-44bf-bc3d-62cd27fcf7a7.engine.0"  # a craft id as `intel registry` shows


def _printed(renderable: object, width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def _table() -> Table:
    table = Table(title="boats and engines")
    for column in ("id", "kind", "make", "identifier", "seen", "sides", "crossings", "flags"):
        table.add_column(column)
    table.add_row(CRAFT_ID, "engine", "Yamaha", "63VL0774253", "2", "FR/UK", "1", "0")
    return table


def _characters(text: str) -> str:
    """The text without box drawing, spaces and line breaks."""
    return re.sub(r"[\s\u2500-\u257f]", "", text)


def _column(text: str, index: int, depth: int = 0) -> str:
    """Column ``index`` of the body rows of a printed table (``depth`` outer tables around
    it), read top to bottom: a folded cell reads as one string again."""
    pieces = []
    for line in text.splitlines():
        cells = line.split("│")
        if len(cells) > index + depth + 1:
            pieces.append(cells[index + depth + 1].strip())
    return "".join(pieces)


def test_rich_alone_cuts_an_id_short_in_an_80_column_terminal() -> None:
    """The failure this module prevents (if rich stops doing this, the next test says nothing)."""
    assert "…" in _printed(_table(), 80)
    assert CRAFT_ID not in _characters(_printed(_table(), 80))


def test_cells_are_folded_not_cut_short() -> None:
    for width in (60, 80, 100):
        text = _printed(unshortened(_table()), width)
        assert "…" not in text
        assert _column(text, 0) == CRAFT_ID  # read top to bottom, the whole id
        assert _column(text, 3) == "63VL0774253"


def test_tables_inside_a_group_and_inside_cells_are_folded_too() -> None:
    outer = Table("part")
    outer.add_row(_table())
    text = _printed(unshortened(Group("Timeline", outer)), 70)
    assert "…" not in text
    assert _column(text, 0, depth=1) == CRAFT_ID
    assert _column(text, 3, depth=1) == "63VL0774253"
