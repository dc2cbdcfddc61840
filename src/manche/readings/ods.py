"""OpenDocument spreadsheets (ODS) from rows of values, with odfpy: the format the Home Office
publishes its tables in, so a download opens in the same tools.

``write_ods([Sheet(name, rows, header=True), ...])``: integers and floats become numeric cells,
dates date cells, None an empty cell, anything else text; a header row is bold.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: Sequence[Sequence[Any]]
    header: bool = False


def write_ods(sheets: Sequence[Sheet]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    bold = Style(name="Header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    wide = Style(name="Wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="4cm"))
    doc.automaticstyles.addElement(wide)

    def text_cell(value: str, header: bool = False) -> Any:
        cell = (
            TableCell(valuetype="string", stylename=bold)
            if header
            else TableCell(valuetype="string")
        )
        cell.addElement(P(text=value))
        return cell

    def cell(value: Any) -> Any:
        if value is None:
            return TableCell()
        if isinstance(value, bool):
            return text_cell(str(value))
        if isinstance(value, int | float):
            c = TableCell(valuetype="float", value=value)
            c.addElement(P(text=str(value)))
            return c
        if isinstance(value, date):
            c = TableCell(valuetype="date", datevalue=value.isoformat())
            c.addElement(P(text=value.isoformat()))
            return c
        return text_cell(str(value))

    for sheet in sheets:
        table = Table(name=sheet.name)
        width = max((len(row) for row in sheet.rows), default=1)
        table.addElement(TableColumn(stylename=wide, numbercolumnsrepeated=width))
        for i, row in enumerate(sheet.rows):
            tr = TableRow()
            for value in row:
                tr.addElement(
                    text_cell(str(value), True) if sheet.header and i == 0 else cell(value)
                )
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()
