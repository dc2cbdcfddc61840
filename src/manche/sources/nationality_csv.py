"""The final quarterly table by nationality, sex and age (Home Office Irr_D01), as CSV.

Columns (any order): Year, Quarter, Method of entry, Nationality, Region, Sex, Age Group,
Number of detections. Only 'Small boat arrivals' rows are kept; other methods of entry are
counted and reported in ``remarks`` (the bundled file has none). Year, quarter and count must be
whole numbers; anything else raises :class:`~manche.errors.ImportRejected` naming the file, row
and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from manche.domain.stats import NationalityFigure, ParsedFile
from manche.errors import ImportRejected
from manche.sources.spreadsheet_cells import CellReader, normalise_header

COLUMNS = {
    "year": "year",
    "quarter": "quarter",
    "method": "method of entry",
    "nationality": "nationality",
    "region": "region",
    "sex": "sex",
    "age_group": "age group",
    "detections": "number of detections",
}
SMALL_BOATS = "small boat arrivals"


def read_nationality_csv(path: Path | str) -> ParsedFile:
    path = Path(path)
    if not path.is_file():
        raise ImportRejected("no such file", file=str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(f"not UTF-8 text: {exc}", file=path.name) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ImportRejected("empty file", file=path.name)
    names = [normalise_header(h) for h in header]
    index: dict[str, int] = {}
    for field, wanted in COLUMNS.items():
        if wanted not in names:
            raise ImportRejected(
                f"no column {wanted!r} (renamed or missing?); the header holds "
                f"{', '.join(repr(h) for h in header)}",
                file=path.name,
                row=1,
                column=wanted,
            )
        index[field] = names.index(wanted)
    cells = CellReader(path.name, None)
    out: list[NationalityFigure] = []
    other = 0
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            cells.reject(f"{len(row)} fields where the header has {len(header)}", number)
        if normalise_header(row[index["method"]]) != SMALL_BOATS:
            other += 1
            continue
        year = cells.count(row[index["year"]], number, header[index["year"]])
        quarter = cells.count(row[index["quarter"]], number, header[index["quarter"]])
        count = cells.count(row[index["detections"]], number, header[index["detections"]])
        if year is None or not 2000 <= year <= 2100:
            cells.reject(f"expected a year, found {row[index['year']]!r}", number, "Year")
        if quarter is None or not 1 <= quarter <= 4:
            cells.reject(
                f"expected a quarter 1-4, found {row[index['quarter']]!r}", number, "Quarter"
            )
        if count is None:
            cells.reject("a final figure cannot be '-'", number, header[index["detections"]])
        assert year is not None and quarter is not None and count is not None
        out.append(
            NationalityFigure(
                year,
                quarter,
                row[index["nationality"]].strip(),
                row[index["region"]].strip(),
                row[index["sex"]].strip(),
                row[index["age_group"]].strip(),
                count,
            )
        )
    if not out:
        raise ImportRejected("no small boat arrivals rows in this table", file=path.name)
    remarks = (f"{other} rows of other methods of entry left out",) if other else ()
    return ParsedFile(
        kind="quarterly",
        file_name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        published_at=None,
        nationality=tuple(out),
        remarks=remarks,
    )
