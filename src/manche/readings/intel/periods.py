"""Period labels for readings: ISO week, month, quarter (UTC)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

Period = Literal["week", "month", "quarter", "year"]


def period_of(when: datetime, period: Period) -> str:
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{when.year}-{when.month:02d}"
    if period == "quarter":
        return f"{when.year}-Q{(when.month - 1) // 3 + 1}"
    return str(when.year)
