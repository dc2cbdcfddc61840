"""``/statistics``: the official figures for people - year to date, years, the charts
(cumulative, daily, weekly, preventions against arrivals, people per boat), revisions.

Its JSON twin is ``/api/v1/stats/...``; the charts (SVG, in the page's language) and the CSV
and ODS downloads are served there too.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from manche.api.routes_stats import stats_data
from manche.domain.access import Principal
from manche.errors import MancheError
from manche.readings import stats as readings
from manche.readings.stats import StatsData
from manche.web.deps import optional_principal
from manche.web.i18n import N_, negotiate
from manche.web.templating import render

router = APIRouter(include_in_schema=False)


def _kept(data: StatsData, vintage: str | None) -> tuple[list[dict[str, Any]], Any]:
    """The weekly preventions and the latest revisions, read once per loaded store and vintage
    (``StatsData.kept``): they were two thirds of the page's reading time (25 of 36 ms)."""

    def read() -> tuple[list[dict[str, Any]], Any]:
        weeks = readings.preventions(data.weekly_series(vintage))["weeks"]
        try:
            revised = readings.revisions(data, None, None)
        except MancheError:  # fewer than two vintages: nothing to compare
            revised = None
        return weeks, revised

    return data.kept(("statistics-page", vintage), read)


@router.get("/statistics")
def statistics(
    request: Request,
    vintage: str | None = None,
    data: StatsData = Depends(stats_data),
    principal: Principal | None = Depends(optional_principal),
) -> Response:
    series = data.series(vintage)
    summary = readings.summary(series)
    used = data.upto(vintage)
    query = f"?vintage={vintage}" if vintage else ""
    # the charts are drawn in the page's language (titles, axes, numbers, month names)
    chart_query = f"?lang={negotiate(request)}" + (f"&vintage={vintage}" if vintage else "")
    all_weeks, revised = _kept(data, vintage)
    weeks = all_weeks[-12:]
    return render(
        request,
        "statistics.html",
        {
            "title": N_("Small boat statistics"),
            "summary": summary,
            "years": readings.years(series),
            "vintage": data.vintage(summary["vintage"]),
            "vintages": list(reversed(data.vintages)),
            "chosen": vintage,
            "used_count": len(used),
            "query": query,
            "weeks": list(reversed(weeks)),
            "chart_weeks": list(reversed(all_weeks[-52:])),  # the preventions chart, as a table
            "chart_query": chart_query,
            "revised": revised,
        },
        principal=principal,
    )
