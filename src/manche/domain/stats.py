"""Official small-boat statistics as facts: one published figure per day or week, per vintage.

A *vintage* is one publication (a time-series spreadsheet, a GOV.UK "last 7 days" page, a final
quarterly table). The same day can appear in many vintages with different figures (revisions);
nothing here decides which one answers a question: that is :mod:`manche.readings.stats`.

``None`` in a count means *not recorded* (the Home Office prints '-'); it is never 0.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

VintageKind = Literal["timeseries", "page", "quarterly"]

KIND_PREFIX: dict[str, str] = {"timeseries": "ods", "page": "page", "quarterly": "final"}


@dataclass(frozen=True, slots=True)
class DailyFigure:
    """One row of SB_01 (or of the GOV.UK page): arrivals on one day (00:00-23:59)."""

    day: date
    migrants: int | None
    boats: int | None
    uncontrolled_landings: int | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class WeeklyFigure:
    """One row of SB_02: the week ending on ``week_ending`` (a Sunday), with French preventions."""

    week_ending: date
    migrants: int | None
    boats: int | None
    uncontrolled_landings: int | None
    migrants_prevented: int | None
    events_prevented: int | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class NationalityFigure:
    """One row of the final quarterly table (Irr_D01), small-boat arrivals only."""

    year: int
    quarter: int
    nationality: str
    region: str
    sex: str
    age_group: str
    detections: int


@dataclass(frozen=True)
class ParsedFile:
    """What an adapter read from one file, before it is stored as a vintage."""

    kind: VintageKind
    file_name: str
    sha256: str
    published_at: datetime | None
    daily: tuple[DailyFigure, ...] = ()
    weekly: tuple[WeeklyFigure, ...] = ()
    nationality: tuple[NationalityFigure, ...] = ()
    remarks: tuple[str, ...] = ()

    @property
    def first_day(self) -> date | None:
        if self.daily:
            return self.daily[0].day
        if self.weekly:
            return self.weekly[0].week_ending
        if self.nationality:
            return date(min(row.year for row in self.nationality), 1, 1)
        return None

    @property
    def last_day(self) -> date | None:
        if self.daily:
            return self.daily[-1].day
        if self.weekly:
            return self.weekly[-1].week_ending
        if self.nationality:
            year, quarter = max((row.year, row.quarter) for row in self.nationality)
            return date(year, 3 * quarter, monthrange(year, 3 * quarter)[1])
        return None

    @property
    def label(self) -> str:
        """The vintage's name: kind and publication date, e.g. ``ods-2026-08-21``."""
        prefix = KIND_PREFIX[self.kind]
        if self.kind == "quarterly" and self.nationality:
            first = min((row.year, row.quarter) for row in self.nationality)
            last = max((row.year, row.quarter) for row in self.nationality)
            return f"{prefix}-{first[0]}Q{first[1]}-{last[0]}Q{last[1]}"
        if self.published_at is not None:
            return f"{prefix}-{self.published_at.date().isoformat()}"
        return f"{prefix}-{self.sha256[:12]}"
