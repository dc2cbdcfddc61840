"""``/statistics``: the official figures for people - year to date, years, the cumulative chart.

Its JSON twin is ``/api/v1/stats/...``; the chart and the CSV download are served there too.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from manche.api.routes_stats import stats_data
from manche.readings import stats as readings
from manche.readings.stats import StatsData
from manche.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/statistics", response_class=HTMLResponse)
def statistics(
    request: Request, vintage: str | None = None, data: StatsData = Depends(stats_data)
) -> HTMLResponse:
    series = data.series(vintage)
    summary = readings.summary(series)
    used = data.upto(vintage)
    query = f"?vintage={vintage}" if vintage else ""
    return templates.TemplateResponse(
        request,
        "statistics.html",
        {
            "title": "Small boat statistics",
            "summary": summary,
            "years": readings.years(series),
            "vintage": data.vintage(summary["vintage"]),
            "vintages": list(reversed(data.vintages)),
            "chosen": vintage,
            "used_count": len(used),
            "query": query,
        },
    )
