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
from manche.readings.ods import Sheet, write_ods
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


DAILY_COLUMNS = ("date", "migrants", "boats", "uncontrolled_landings", "notes", "vintage")


def _daily_rows(series: readings.DailySeries) -> list[list[Any]]:
    """One row per day with figures (None: not recorded), the vintage each came from."""
    rows = []
    for offset in range(series.n):
        if series.source[offset] < 0:
            continue
        row = readings.day(series, date.fromordinal(EPOCH.toordinal() + offset))
        rows.append([row[k] for k in DAILY_COLUMNS])
    return rows


@router.get("/tables.ods", response_class=Response)
def tables_ods(vintage: str | None = VINTAGE, data: StatsData = Depends(stats_data)) -> Response:
    """The daily series and the other tables of the statistics page as one OpenDocument
    spreadsheet: Cover_sheet, Daily (as daily.csv), Years, Same_point (year to date against
    earlier years), Weekly (arrivals and preventions, SB_02). Headers in the first row; an empty
    cell means not recorded."""
    series = data.series(vintage)
    summary = readings.summary(series)
    weekly = readings.preventions(data.weekly_series(vintage))
    year_columns = ("year", "migrants", "boats", "people_per_boat", "through", "complete")
    same_columns = ("year", "through", "migrants", "boats", "change_pct")
    week_columns = (
        "week_ending", "migrants_arrived", "boats_arrived", "migrants_prevented",
        "events_prevented", "share_prevented_pct", "notes", "vintage",
    )  # fmt: skip
    cover = [
        ["Small boat arrivals: official figures (Home Office), as read by Manche"],
        [f"Vintage: {summary['vintage']}" + (f" (chosen: {vintage})" if vintage else "")],
        [f"Year to date through {summary['through']}, as published on {summary['as_of']}"],
        ["Source: Home Office and Border Force, GOV.UK. Crown copyright, OGL v3.0."],
        ["Daily figures are provisional operational data; later vintages may revise them."],
        ["Sheets: Daily, Years, Same_point, Weekly. An empty cell means not recorded."],
    ]
    content = write_ods(
        [
            Sheet("Cover_sheet", cover),
            Sheet("Daily", [list(DAILY_COLUMNS), *_daily_rows(series)], header=True),
            Sheet(
                "Years",
                [list(year_columns)]
                + [[r[k] for k in year_columns] for r in readings.years(series)],
                header=True,
            ),
            Sheet(
                "Same_point",
                [list(same_columns)]
                + [[r[k] for k in same_columns] for r in summary["same_point"]],
                header=True,
            ),
            Sheet(
                "Weekly",
                [list(week_columns)] + [[w[k] for k in week_columns] for w in weekly["weeks"]],
                header=True,
            ),
        ]
    )
    return Response(
        content,
        media_type="application/vnd.oasis.opendocument.spreadsheet",
        headers={"Content-Disposition": 'attachment; filename="small_boats_tables.ods"'},
    )


@router.get("/daily.csv", response_class=Response)
def daily_csv(vintage: str | None = VINTAGE, data: StatsData = Depends(stats_data)) -> Response:
    """The daily series as CSV: one row per day, with the vintage each figure came from."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DAILY_COLUMNS)
    for row in _daily_rows(data.series(vintage)):
        writer.writerow(["" if value is None else value for value in row])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="small_boats_daily.csv"'},
    )


@router.get("/chart/{kind}.svg", response_class=Response)
def chart(
    kind: Literal["cumulative", "daily", "weekly", "preventions", "people-per-boat"],
    start: date | None = Query(None, alias="from"),
    end: date | None = Query(None, alias="to"),
    by: Literal["year", "month"] = Query("year", description="people-per-boat: year or month"),
    lang: Literal["en", "fr"] = Query("en", description="language of the chart's texts"),
    vintage: str | None = VINTAGE,
    data: StatsData = Depends(stats_data),
) -> Response:
    """A chart as SVG. preventions: the last 52 weeks of SB_02 unless from/to are given."""
    from manche.web import stats_chart

    series = data.series(vintage)
    if kind == "cumulative":
        content = stats_chart.cumulative(series, "svg", lang)
    elif kind == "people-per-boat":
        content = stats_chart.people_per_boat(series, by, "svg", lang)
    elif kind == "preventions":
        found = readings.preventions(data.weekly_series(vintage), start=start, end=end)
        weeks = found["weeks"] if start or end else found["weeks"][-52:]
        content = stats_chart.preventions(weeks, found["vintage"], "svg", lang)
    else:
        b = end or series.last_day
        a = start or (date(b.year, 1, 1) if kind == "daily" else date(b.year - 1, 1, 1))
        content = stats_chart.bars(series, a, b, "day" if kind == "daily" else "week", "svg", lang)
    return Response(content, media_type="image/svg+xml")
