"""The Home Office time-series spreadsheet (ODS): SB_01 daily arrivals, SB_02 weekly preventions.

Read with python-calamine. Tolerant of what changes between vintages:

- sheets are found by their header row, not their name (SB_01 and SB_02 are tried first);
- cover rows above the header, empty rows, and note rows below the table are skipped;
- '-' means *not recorded* and becomes ``None`` (never 0); the Notes column ('Revised') is kept;
- column headers are compared without case, spacing or ``[note N]`` marks, in any order.

Strict about what must not change: every date is a real date cell, days follow each other
one day apart (weeks seven days apart) with no gap, repeat or reversal, and every count is a
whole number or '-'. Any breach raises :class:`~manche.errors.ImportRejected` naming the file,
sheet, row and column; nothing is returned, so nothing is stored.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from manche.domain.stats import DailyFigure, ParsedFile, WeeklyFigure
from manche.errors import ImportRejected
from manche.sources.spreadsheet_cells import (
    CellReader,
    column_letter,
    normalise_header,
    sha256_of,
)

HEADER_SEARCH_ROWS = 40

# Canonical field -> accepted header spellings (normalised).
UNCONTROLLED = (
    "boats arrived - involved in uncontrolled landings",
    "boats involved in uncontrolled landings",
    "boats arrived involved in uncontrolled landings",
)
DAILY_COLUMNS: dict[str, tuple[str, ...]] = {
    "day": ("date",),
    "migrants": ("migrants arrived", "migrants detected"),
    "boats": ("boats arrived", "boats detected"),
    "uncontrolled_landings": UNCONTROLLED,
}
WEEKLY_COLUMNS: dict[str, tuple[str, ...]] = {
    "week_ending": ("week ending",),
    "migrants": ("migrants arrived", "migrants detected"),
    "boats": ("boats arrived", "boats detected"),
    "uncontrolled_landings": UNCONTROLLED,
    "migrants_prevented": ("migrants prevented",),
    "events_prevented": ("events prevented",),
}
NOTES = ("notes", "note")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class _Table:
    sheet: str
    header_row: int  # 1-based, as a spreadsheet shows it
    columns: dict[str, int]  # field -> 0-based column index
    notes_column: int | None
    rows: list[list[Any]]  # every row of the sheet, from row 1


def _read_workbook(path: Path) -> dict[str, list[list[Any]]]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        }
    except (CalamineError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ImportRejected(
            f"not a readable ODS spreadsheet (corrupt or truncated?): {exc}", file=path.name
        ) from exc


def _find_table(
    file: str,
    sheets: dict[str, list[list[Any]]],
    preferred: str,
    wanted: dict[str, tuple[str, ...]],
    what: str,
) -> _Table:
    key_field = next(iter(wanted))
    order = [preferred] + [name for name in sheets if name != preferred]
    for name in order:
        rows = sheets.get(name)
        if rows is None:
            continue
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            headers = [normalise_header(cell) for cell in row]
            if not headers or headers[0] not in wanted[key_field]:
                continue
            columns: dict[str, int] = {}
            for field, spellings in wanted.items():
                found = [i for i, header in enumerate(headers) if header in spellings]
                if not found:
                    present = ", ".join(repr(str(cell)) for cell in row if str(cell).strip())
                    raise ImportRejected(
                        f"{what} table has no column {spellings[0]!r} "
                        f"(renamed or missing?); the header row holds {present}",
                        file=file,
                        sheet=name,
                        row=index + 1,
                        column=spellings[0],
                    )
                columns[field] = found[0]
            notes = [i for i, header in enumerate(headers) if header in NOTES]
            return _Table(name, index + 1, columns, notes[0] if notes else None, rows)
    header = ", ".join(repr(spellings[0]) for spellings in wanted.values())
    raise ImportRejected(
        f"missing sheet: no sheet {preferred} and no sheet with a {what} header row "
        f"({header}); sheets present: {', '.join(sheets) or 'none'}",
        file=file,
        sheet=preferred,
    )


def _is_empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _data_rows(table: _Table, cells: CellReader) -> list[tuple[int, list[Any]]]:
    """(row number, cells) of the data rows: empty rows skipped, trailing note rows allowed."""
    width = max(table.columns.values()) + 1
    out: list[tuple[int, list[Any]]] = []
    note_row: int | None = None
    key = next(iter(table.columns.values()))
    for index in range(table.header_row, len(table.rows)):
        row = table.rows[index]
        if len(row) < width:
            row = row + [""] * (width - len(row))
        values = [row[i] for i in table.columns.values()]
        if all(_is_empty(cell) for cell in values):
            continue
        first = row[key]
        others_empty = all(_is_empty(row[i]) for i in table.columns.values() if i != key)
        if isinstance(first, str) and others_empty:
            note_row = note_row or index + 1  # a footnote under the table
            continue
        if note_row is not None:
            cells.reject(
                f"data row after the note in row {note_row}; the table must be contiguous",
                index + 1,
                column_letter(key),
            )
        out.append((index + 1, row))
    return out


def _where(table: _Table, field: str) -> str:
    index = table.columns[field]
    header = str(table.rows[table.header_row - 1][index]).strip()
    return f"{column_letter(index)} {header}"


def _notes(table: _Table, row: list[Any]) -> str:
    if table.notes_column is None or table.notes_column >= len(row):
        return ""
    value = row[table.notes_column]
    return "" if _is_empty(value) else str(value).strip()


def _daily(file: str, table: _Table) -> tuple[DailyFigure, ...]:
    cells = CellReader(file, table.sheet)
    c_day, c_mig, c_boat, c_unc = (table.columns[f] for f in DAILY_COLUMNS)
    w_day, w_mig, w_boat, w_unc = (_where(table, f) for f in DAILY_COLUMNS)
    out: list[DailyFigure] = []
    previous: date | None = None
    for number, row in _data_rows(table, cells):
        day = cells.spreadsheet_date(row[c_day], number, w_day)
        cells.check_sequence(previous, day, 1, number, w_day)
        previous = day
        out.append(
            DailyFigure(
                day,
                cells.count(row[c_mig], number, w_mig),
                cells.count(row[c_boat], number, w_boat),
                cells.count(row[c_unc], number, w_unc),
                _notes(table, row),
            )
        )
    if not out:
        cells.reject("the daily table has a header but no rows", table.header_row)
    return tuple(out)


def _weekly(file: str, table: _Table) -> tuple[WeeklyFigure, ...]:
    cells = CellReader(file, table.sheet)
    idx = [table.columns[f] for f in WEEKLY_COLUMNS]
    where = [_where(table, f) for f in WEEKLY_COLUMNS]
    out: list[WeeklyFigure] = []
    previous: date | None = None
    for number, row in _data_rows(table, cells):
        week = cells.spreadsheet_date(row[idx[0]], number, where[0])
        cells.check_sequence(previous, week, 7, number, where[0])
        previous = week
        m, b, u, mp, ep = (
            cells.count(row[i], number, w) for i, w in zip(idx[1:], where[1:], strict=True)
        )
        out.append(WeeklyFigure(week, m, b, u, mp, ep, _notes(table, row)))
    return tuple(out)


def _published_at(path: Path, last_day: date) -> datetime:
    """When this vintage was published: the ODS metadata date, else the file name, else the
    morning after its last day."""
    try:
        with zipfile.ZipFile(path) as archive:
            meta = archive.read("meta.xml").decode("utf-8", "replace")
        found = re.search(r"<dc:date>([^<]+)</dc:date>", meta)
        if found:
            stamp = datetime.fromisoformat(found.group(1).replace("Z", "+00:00"))
            return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass
    named = _DATE_IN_NAME.search(path.name)
    if named:
        return datetime.fromisoformat(named.group(1)).replace(tzinfo=UTC)
    return datetime.combine(last_day + timedelta(days=1), time(), UTC)


def read_timeseries(path: Path | str) -> ParsedFile:
    """Read one vintage of the time-series spreadsheet; raise ImportRejected on any bad cell."""
    path = Path(path)
    if not path.is_file():
        raise ImportRejected("no such file", file=str(path))
    sheets = _read_workbook(path)
    daily_table = _find_table(path.name, sheets, "SB_01", DAILY_COLUMNS, "daily (SB_01)")
    weekly_table = _find_table(path.name, sheets, "SB_02", WEEKLY_COLUMNS, "weekly (SB_02)")
    daily = _daily(path.name, daily_table)
    weekly = _weekly(path.name, weekly_table)
    return ParsedFile(
        kind="timeseries",
        file_name=path.name,
        sha256=sha256_of(path),
        published_at=_published_at(path, daily[-1].day),
        daily=daily,
        weekly=weekly,
    )
