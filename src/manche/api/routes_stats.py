"""``/api/v1/stats/...``: the official small-boat figures as JSON, one route per figure.

The same answers as ``manche stats ... --json``. Every route takes ``?vintage=LABEL`` (default:
for each day the latest publication covering it). On an empty database the first request imports
the bundled Home Office files (said on the server's stderr).
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from manche.api.deps import get_db
from manche.readings import stats as readings
from manche.readings.stats import EPOCH, StatsData
from manche.storage import Database, stats_store

router = APIRouter(prefix="/stats", tags=["statistics"])

VINTAGE = Query(None, description="A vintage label (ods-2026-08-21) or publication date.")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def stats_data(db: Database = Depends(get_db)) -> StatsData:
    return stats_store.ensure_loaded(db, _say)


@router.get("/vintages")
def vintages(data: StatsData = Depends(stats_data)) -> list[dict[str, Any]]:
    return [v.to_dict() for v in data.vintages]


@router.get("/day/{when}")
def day(
    when: date, vintage: str | None = VINTAGE, data: StatsData = Depends(stats_data)
) -> dict[str, Any]:
    return readings.day(data.series(vintage), when)


@router.get("/period")
def period(
    start: date = Query(..., alias="from"),
    end: date = Query(..., alias="to"),
    vintage: str | None = VINTAGE,
    data: StatsData = Depends(stats_data),
) -> dict[str, Any]:
    return readings.period(data.series(vintage), start, end)


@router.get("/years")
def years(vintage: str | None = VINTAGE, data: StatsData = Depends(stats_data)) -> list[Any]:
    return readings.years(data.series(vintage))


@router.get("/summary")
def summary(
    as_of: date | None = None,
    through: date | None = None,
    vintage: str | None = VINTAGE,
    data: StatsData = Depends(stats_data),
) -> dict[str, Any]:
    return readings.summary(data.series(vintage), as_of=as_of, through=through)


@router.get("/records")
def records(
    top: int = Query(10, ge=1, le=100),
    vintage: str | None = VINTAGE,
    data: StatsData = Depends(stats_data),
) -> dict[str, Any]:
    return readings.records(data.series(vintage), top)


@router.get("/preventions")
def preventions(
    start: date | None = Query(None, alias="from"),
    end: date | None = Query(None, alias="to"),
    year: int | None = None,
    vintage: str | None = VINTAGE,
    data: StatsData = Depends(stats_data),
) -> dict[str, Any]:
    if year is not None:
        start, end = start or date(year, 1, 1), end or date(year, 12, 31)
    return readings.preventions(data.weekly_series(vintage), start=start, end=end)


@router.get("/nationalities")
def nationalities(
    year: int | None = None,
    top: int | None = Query(None, ge=1),
    vintage: str | None = VINTAGE,
    data: StatsData = Depends(stats_data),
) -> dict[str, Any]:
    final = data.final_table()
    result: dict[str, Any] = readings.nationalities(final, year, top) if year is not None else {}
    result["provisional_against_final"] = readings.provisional_against_final(
        final, data.series(vintage)
    )
    return result


@router.get("/revisions")
def revisions(
    before: str | None = Query(None, alias="from"),
    after: str | None = Query(None, alias="to"),
    data: StatsData = Depends(stats_data),
) -> dict[str, Any]:
    return readings.revisions(data, before, after)


@router.get("/daily.csv", response_class=Response)
def daily_csv(vintage: str | None = VINTAGE, data: StatsData = Depends(stats_data)) -> Response:
    """The daily series as CSV: one row per day, with the vintage each figure came from."""
    series = data.series(vintage)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "migrants", "boats", "uncontrolled_landings", "notes", "vintage"])
    for offset in range(series.n):
        if series.source[offset] < 0:
            continue
        row = readings.day(series, date.fromordinal(EPOCH.toordinal() + offset))
        writer.writerow(
            [
                "" if row[k] is None else row[k]
                for k in ("date", "migrants", "boats", "uncontrolled_landings", "notes", "vintage")
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="small_boats_daily.csv"'},
    )


@router.get("/chart/{kind}.svg", response_class=Response)
def chart(
    kind: Literal["cumulative", "daily", "weekly"],
    start: date | None = Query(None, alias="from"),
    end: date | None = Query(None, alias="to"),
    vintage: str | None = VINTAGE,
    data: StatsData = Depends(stats_data),
) -> Response:
    from manche.web import stats_chart

    series = data.series(vintage)
    if kind == "cumulative":
        content = stats_chart.cumulative(series, "svg")
    else:
        b = end or series.last_day
        a = start or (date(b.year, 1, 1) if kind == "daily" else date(b.year - 1, 1, 1))
        content = stats_chart.bars(series, a, b, "day" if kind == "daily" else "week", "svg")
    return Response(content, media_type="image/svg+xml")
