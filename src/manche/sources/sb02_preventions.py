"""Weekly preventions from the Home Office time series (sheet SB_02), as published.

SB_02 has one row per week ending on a Sunday (so an ISO week, Monday to Sunday): week ending,
migrants arrived, boats arrived, boats in uncontrolled landings, migrants prevented, events
prevented, notes. Preventions are French operational estimates shared with the UK; before 2024
the cells hold ``'-'`` (not recorded), read here as None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from python_calamine import CalamineWorkbook

from manche.errors import InputError

SHEET = "SB_02"
HEADER = ("Week ending", "Migrants arrived", "Boats arrived")


@dataclass(frozen=True, slots=True)
class PreventionWeek:
    week_ending: date
    migrants_prevented: int | None
    events_prevented: int | None


def default_path() -> Path:
    base = resources.files("manche") / "data" / "homeoffice"
    return Path(str(base / "small_boats_time_series_2026-08-21.ods"))


def _count(value: object, path: Path, row: int, column: str) -> int | None:
    if value in ("-", "", None):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and value >= 0:
        return int(value)
    raise InputError(f"not a count: {value!r}", file=path.name, sheet=SHEET, row=row, column=column)


def load(path: Path | None = None) -> dict[date, PreventionWeek]:
    path = path or default_path()
    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    except Exception as exc:  # calamine raises its own types for missing files and sheets
        raise InputError(f"cannot read sheet {SHEET}: {exc}", file=path.name) from exc
    header = [str(c).strip() for c in rows[0]] if rows else []
    if tuple(header[:3]) != HEADER or "Migrants prevented" not in header:
        raise InputError(f"unexpected header {header[:6]}", file=path.name, sheet=SHEET, row=1)
    migrants = header.index("Migrants prevented")
    events = header.index("Events prevented")
    out: dict[date, PreventionWeek] = {}
    for number, row in enumerate(rows[1:], start=2):
        when = row[0]
        if not isinstance(when, datetime | date):
            raise InputError(
                f"not a date: {when!r}",
                file=path.name,
                sheet=SHEET,
                row=number,
                column="Week ending",
            )
        day = when.date() if isinstance(when, datetime) else when
        out[day] = PreventionWeek(
            day,
            _count(row[migrants], path, number, "Migrants prevented"),
            _count(row[events], path, number, "Events prevented"),
        )
    return out
