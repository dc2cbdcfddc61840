"""The GOV.UK page "Small boat arrivals: last 7 days" (HTML), read with lxml.

The page holds one table: Date ('14 August 2026'), Migrants arrived, Boats arrived, Boats involved
in uncontrolled landings, Notes. The publication time comes from the page's
``govuk:public-updated-at`` metadata (else a date in the file name, else the morning after its
last day). A page without that table, a date that is not a date or out of order, or a count that
is not a whole number or '-' raises :class:`~manche.errors.ImportRejected` naming the file,
table row and column.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from lxml import etree, html

from manche.domain.stats import DailyFigure, ParsedFile
from manche.errors import ImportRejected
from manche.sources.homeoffice_ods import DAILY_COLUMNS, NOTES
from manche.sources.spreadsheet_cells import CellReader, normalise_header
from manche.wording import counted

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _published_at(tree: html.HtmlElement, path: Path) -> datetime | None:
    for name in ("govuk:public-updated-at", "govuk:updated-at"):
        content = tree.xpath(f'//meta[@name="{name}"]/@content')
        if content:
            try:
                return datetime.fromisoformat(str(content[0])).astimezone(UTC)
            except ValueError:
                continue
    named = _DATE_IN_NAME.search(path.name)
    if named:
        return datetime.fromisoformat(named.group(1)).replace(tzinfo=UTC)
    return None


def read_page(path: Path | str) -> ParsedFile:
    path = Path(path)
    if not path.is_file():
        raise ImportRejected("no such file", file=str(path))
    try:
        raw = path.read_bytes()
        tree = html.fromstring(raw)
    except (OSError, etree.ParserError, ValueError) as exc:
        raise ImportRejected(f"not a readable HTML page: {exc}", file=path.name) from exc
    tables = tree.xpath("//table")
    for number, table in enumerate(tables, start=1):
        rows = table.xpath(".//tr")
        if not rows:
            continue
        header_cells = [c.text_content() for c in rows[0].xpath("./th|./td")]
        headers = [normalise_header(c) for c in header_cells]
        if not headers or headers[0] != "date":
            continue
        sheet = f"table {number}"
        columns: dict[str, int] = {}
        for field, spellings in DAILY_COLUMNS.items():
            found = [i for i, h in enumerate(headers) if h in spellings]
            if not found:
                raise ImportRejected(
                    f"the arrivals table has no column {spellings[0]!r} (renamed or missing?); "
                    f"its header row holds {', '.join(repr(h.strip()) for h in header_cells)}",
                    file=path.name,
                    sheet=sheet,
                    row=1,
                    column=spellings[0],
                )
            columns[field] = found[0]
        notes_at = next((i for i, h in enumerate(headers) if h in NOTES), None)
        return _parse_rows(path, raw, tree, sheet, rows, header_cells, columns, notes_at)
    raise ImportRejected(
        "no arrivals table on this page (expected a table whose header starts 'Date', "
        f"'Migrants arrived'); the page holds {counted(len(tables), 'table')}",
        file=path.name,
    )


def _parse_rows(
    path: Path,
    raw: bytes,
    tree: html.HtmlElement,
    sheet: str,
    rows: list[html.HtmlElement],
    header_cells: list[str],
    columns: dict[str, int],
    notes_at: int | None,
) -> ParsedFile:
    cells = CellReader(path.name, sheet)
    names = {field: header_cells[index].strip() for field, index in columns.items()}
    out: list[DailyFigure] = []
    previous = None
    for number, tr in enumerate(rows[1:], start=2):
        values = [c.text_content().strip() for c in tr.xpath("./th|./td")]
        if not any(values):
            continue
        if len(values) <= max(columns.values()):
            cells.reject(f"the row has {len(values)} cells, the header {len(header_cells)}", number)
        day = cells.text_date(values[columns["day"]], number, names["day"])
        cells.check_sequence(previous, day, 1, number, names["day"])
        previous = day
        notes = values[notes_at] if notes_at is not None and notes_at < len(values) else ""
        out.append(
            DailyFigure(
                day,
                cells.count(values[columns["migrants"]], number, names["migrants"]),
                cells.count(values[columns["boats"]], number, names["boats"]),
                cells.count(
                    values[columns["uncontrolled_landings"]],
                    number,
                    names["uncontrolled_landings"],
                ),
                notes,
            )
        )
    if not out:
        cells.reject("the arrivals table has a header but no rows", 1)
    published = _published_at(tree, path) or datetime.combine(
        out[-1].day + timedelta(days=1), time(), UTC
    )
    return ParsedFile(
        kind="page",
        file_name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        published_at=published,
        daily=tuple(out),
    )
