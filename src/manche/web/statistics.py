"""``/statistics``: the official figures for people - year to date, years, the cumulative chart.

Its JSON twin is ``/api/v1/stats/...``; the chart and the CSV download are served there too.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, Request
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


def install(app: FastAPI) -> None:
    """Add the statistics page and its JSON twin (/api/v1/stats/...) to ``app``."""
    from manche.api import routes_stats

    app.include_router(routes_stats.router, prefix="/api/v1")
    app.include_router(router)
