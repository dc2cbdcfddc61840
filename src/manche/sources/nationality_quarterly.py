"""The Home Office final quarterly table of small-boat arrivals by nationality (Irr_D01 rows).

Reads ``manche/data/homeoffice/irregular_migration_small_boats_by_nationality_2018-2023.csv``
(or another file of the same layout) into ``{(year, quarter, nationality): detections}``,
summed over sex and age group. Bad rows raise :class:`~manche.errors.InputError` naming the
file, row and column.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from manche.errors import InputError

COLUMNS = ("Year", "Quarter", "Method of entry", "Nationality", "Number of detections")


def default_path() -> Path:
    base = resources.files("manche") / "data" / "homeoffice"
    return Path(str(base / "irregular_migration_small_boats_by_nationality_2018-2023.csv"))


def load(path: Path | None = None) -> dict[tuple[int, int, str], int]:
    path = path or default_path()
    out: dict[tuple[int, int, str], int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing columns {missing}", file=path.name, row=1)
        for row_number, row in enumerate(reader, start=2):
            if row["Method of entry"] != "Small boat arrivals":
                continue
            try:
                key = (int(row["Year"]), int(row["Quarter"]), row["Nationality"].strip())
                count = int(row["Number of detections"].replace(",", ""))
            except ValueError as exc:
                raise InputError(
                    f"not a number: {exc}",
                    file=path.name,
                    row=row_number,
                    column="Year/Quarter/Number",
                ) from exc
            out[key] = out.get(key, 0) + count
    return out
