"""How commands print tables (manche.cli.output)."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.table import Table

from manche.cli.output import unshortened, words_fit

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


def _picture_like(state: str = "landed-uk") -> Table:
    """Columns as `manche picture` prints them: a first column that may not wrap, short words."""
    table = Table(title="Picture for UK (8 incidents)")
    table.add_column("incident", no_wrap=True)
    for name in ("state", "SAR", "zone", "lat, lon", "centre", "aboard", "on scene", "review"):
        table.add_column(name)
    for number in range(3):
        table.add_row(
            f"EX-2025-04-29-00{number} EX", state, "-", "UK-LAND", "51.114, 1.323",
            "MRCC Dover", "65", "-", "-",
        )  # fmt: skip
    return table


def _words_broken(text: str, words: list[str]) -> list[str]:
    """The words that do not appear whole on a line of ``text``."""
    return [word for word in words if not any(word in line for line in text.splitlines())]


WORDS = ["landed-uk", "UK-LAND", "51.114,", "1.323", "MRCC", "Dover", "scene", "review"]


def test_rich_alone_breaks_words_when_the_table_is_a_little_too_wide() -> None:
    """The failure the widths of _fit prevent (rich narrows the widest columns first)."""
    table = _picture_like()
    for column in table.columns:
        column.overflow = "fold"
    assert _words_broken(_printed(table, 100), WORDS)


def test_columns_break_between_words_when_the_words_fit_side_by_side() -> None:
    for width in (97, 100, 110):  # 97: the words (69), padding (18) and borders (10)
        text = _printed(unshortened(_picture_like(), width), width)
        assert _words_broken(text, WORDS) == [], width
        assert "EX-2025-04-29-000 EX" in text  # the column that may not wrap is whole
        assert max(len(line) for line in text.splitlines()) <= width


def test_a_table_that_fits_is_left_as_rich_draws_it() -> None:
    wide = _printed(unshortened(_picture_like(), 140), 140)
    assert wide == _printed(_picture_like(), 140)


def test_long_words_are_folded_when_they_cannot_all_be_whole() -> None:
    """An id longer than the room left beside the other columns' words is folded, not cut."""
    for width in (60, 80):
        text = _printed(unshortened(_table(), width), width)
        assert "…" not in text
        assert _column(text, 0) == CRAFT_ID
        assert _column(text, 3) == "63VL0774253"
        assert max(len(line) for line in text.splitlines()) <= width


def test_the_widest_column_is_narrowed_first() -> None:
    """A time beside a long note stays on one line; the note wraps (rich's order, kept)."""
    table = Table()
    for name in ("when (UTC)", "type", "agency", "author", "note"):
        table.add_column(name)
    note = "EXERCISE - simulated event, not a real crossing"
    table.add_row("2025-04-29 05:52", "handover-acceptance", "FR-CROSS-GN", "exercise", note)
    text = _printed(unshortened(table, 100), 100)
    assert "2025-04-29 05:52" in text
    assert _column(text, 4).replace(" ", "") == note.replace(" ", "")
    assert max(len(line) for line in text.splitlines()) <= 100


def test_markup_is_measured_as_printed() -> None:
    """A string cell's markup takes no room: '[bold]landed-uk[/bold]' is 9 characters wide."""
    table = _picture_like(state="[bold]landed-uk[/bold]")
    text = _printed(unshortened(table, 100), 100)
    assert _words_broken(text, WORDS) == []


def test_words_fit_says_whether_a_table_can_keep_its_words_whole() -> None:
    # the words (69), padding (18) and borders (10) of the picture-like table: 97 columns
    assert words_fit(_picture_like(), 97)
    assert not words_fit(_picture_like(), 96)
    nested = Table("part")
    nested.add_row(_table())
    assert words_fit(nested, 10)  # a cell that is not text: rich decides
