"""Independent readings of the Home Office files, for conformance tests.

The code under test reads ODS with python-calamine; these helpers read the same files another
way, straight from the OpenDocument XML (content.xml) with lxml, and build bad files by editing
that XML. (benchmarks/stats_import.py also checks every figure against pandas+odfpy.)
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

HOMEOFFICE = Path(__file__).resolve().parent.parent / "src" / "manche" / "data" / "homeoffice"
LATEST = HOMEOFFICE / "small_boats_time_series_2026-08-21.ods"
APRIL = HOMEOFFICE / "small_boats_time_series_2026-04-10.ods"
NATIONALITY = HOMEOFFICE / "irregular_migration_small_boats_by_nationality_2018-2023.csv"

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
T = "{" + NS["table"] + "}"
O = "{" + NS["office"] + "}"  # noqa: E741
X = "{" + NS["text"] + "}"


@lru_cache(maxsize=8)
def odf_table(path: Path, name: str) -> list[list[Any]]:
    """A sheet as rows of cell values, read straight from content.xml with lxml: floats from
    office:value, dates from office:date-value, otherwise the cell's text. Repeated cells and
    rows are expanded (trailing empty ones dropped)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    out: list[list[Any]] = []
    for row in rows(sheet(root, name)):
        values: list[Any] = []
        for cell in row:
            if cell.tag not in (f"{T}table-cell", f"{T}covered-table-cell"):
                continue
            if cell.get(f"{O}date-value"):
                value: Any = date.fromisoformat(cell.get(f"{O}date-value")[:10])
            elif cell.get(f"{O}value") is not None:
                value = float(cell.get(f"{O}value"))
            else:
                value = "".join(cell.itertext())
            values.extend([value] * min(int(cell.get(f"{T}number-columns-repeated", "1")), 20))
        while values and values[-1] == "":
            values.pop()
        if values:
            out.extend([values] * min(int(row.get(f"{T}number-rows-repeated", "1")), 10))
    return out


def _count(value: Any) -> int | None:
    if value == "-":
        return None
    assert isinstance(value, float) and value.is_integer(), value
    return int(value)


def reference_daily(path: Path) -> dict[date, tuple[int | None, int | None, int | None, str]]:
    table = odf_table(path, "SB_01")
    assert table[0][:2] == ["Date", "Migrants arrived"]
    return {
        r[0]: (_count(r[1]), _count(r[2]), _count(r[3]), r[4] if len(r) > 4 else "")
        for r in table[1:]
    }


def reference_weekly(path: Path) -> dict[date, tuple[Any, ...]]:
    table = odf_table(path, "SB_02")
    assert table[0][0] == "Week ending"
    return {r[0]: (*(_count(v) for v in r[1:6]), r[6] if len(r) > 6 else "") for r in table[1:]}


def reference_sum(path: Path, start: date, end: date) -> tuple[int, int]:
    daily = reference_daily(path)
    rows = [v for d, v in daily.items() if start <= d <= end]
    assert len(rows) == (end - start).days + 1, "reference file does not cover the period"
    return sum(r[0] or 0 for r in rows), sum(r[1] or 0 for r in rows)


# ----------------------------------------------------------------- building bad ODS files


def rewrite_ods(
    source: Path,
    target: Path,
    edit: Callable[[etree._Element], None],
    published: str | None = None,
) -> Path:
    """Copy ``source`` to ``target``, passing the parsed content.xml through ``edit``;
    ``published`` (ISO time) replaces the publication date in meta.xml (a new vintage)."""
    with zipfile.ZipFile(source) as zin:
        root = etree.fromstring(zin.read("content.xml"))
        edit(root)
        with zipfile.ZipFile(target, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "content.xml":
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
                if item.filename == "meta.xml" and published is not None:
                    data = re.sub(
                        rb"<dc:date>[^<]+</dc:date>",
                        f"<dc:date>{published}</dc:date>".encode(),
                        data,
                    )
                compress = (
                    zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
                )
                zout.writestr(item, data, compress_type=compress)
    return target


def sheet(root: etree._Element, name: str) -> etree._Element:
    return root.xpath(f"//table:table[@table:name='{name}']", namespaces=NS)[0]


def rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./table:table-row|./*/table:table-row", namespaces=NS)


def row_for(table: etree._Element, day: date) -> etree._Element:
    for row in rows(table):
        first = row.find(f"{T}table-cell")
        if first is not None and (first.get(f"{O}date-value") or "").startswith(day.isoformat()):
            return row
    raise LookupError(day)


def cells(row: etree._Element) -> list[etree._Element]:
    """The row's cells, with repeated cells expanded so each can be edited alone."""
    for cell in list(row):
        repeat = int(cell.get(f"{T}number-columns-repeated", "1"))
        if repeat > 1 and repeat < 50:
            del cell.attrib[f"{T}number-columns-repeated"]
            for _ in range(repeat - 1):
                cell.addnext(etree.fromstring(etree.tostring(cell)))
    return row.findall(f"{T}table-cell")


def set_text(cell: etree._Element, text: str) -> None:
    for attribute in list(cell.attrib):
        if attribute.startswith(O) or attribute.endswith("value-type"):
            del cell.attrib[attribute]
    cell.set(f"{O}value-type", "string")
    for child in list(cell):
        cell.remove(child)
    paragraph = etree.SubElement(cell, f"{X}p")
    paragraph.text = text


def set_number(cell: etree._Element, value: float) -> None:
    set_text(cell, str(value))
    cell.set(f"{O}value-type", "float")
    cell.set(f"{O}value", str(value))


def set_date(cell: etree._Element, day: date) -> None:
    cell.set(f"{O}date-value", f"{day.isoformat()}T00:00:00")
    for child in list(cell):
        cell.remove(child)
    etree.SubElement(cell, f"{X}p").text = day.isoformat()


def sheet_row_number(day: date, cover_rows: int = 0) -> int:
    """The spreadsheet row of ``day`` in SB_01 (row 1 is the header, 2018-01-01 is row 2)."""
    return (day - date(2018, 1, 1)).days + 2 + cover_rows


def truncated_copy(source: Path, target: Path, fraction: float = 0.5) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def snapshot(db: Any) -> tuple[Any, ...]:
    """Every row of the statistics tables, to check that a refused import changed nothing."""
    from manche.storage import stats_store

    stats_store.ensure_schema(db)
    with db.transaction() as tx:
        return tuple(
            tuple(tuple(row) for row in tx.all(f"SELECT * FROM {table} ORDER BY 1, 2"))
            for table in ("stats_vintages", "stats_daily", "stats_weekly", "stats_nationality")
        )
