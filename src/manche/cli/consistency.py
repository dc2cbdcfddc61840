"""``manche stats consistency``: arrivals computed from the record against the official series.

For every day on which the record has landings, the Home Office figures computed from the
record (:mod:`manche.readings.arrivals`) are set beside the official daily figures (the latest
vintage covering the day), and every difference is named. Exercise events count only with
``--exercise``, and are then labelled.
"""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say
from manche.cli.stats import parse_date, stats_app
from manche.readings.arrivals import Official, compare_with_official, daily_arrivals
from manche.readings.stats import DailySeries
from manche.record.log import Log
from manche.storage import stats_store


def _official(series: DailySeries, days: list[date]) -> dict[date, Official]:
    out = {}
    for day in days:
        i = series.offset(day)
        if 0 <= i < series.n and series.source[i] >= 0:
            out[day] = Official(
                int(series.migrants[i]) if series.migrants[i] >= 0 else None,
                int(series.boats[i]) if series.boats[i] >= 0 else None,
                int(series.uncontrolled[i]) if series.uncontrolled[i] >= 0 else None,
            )
    return out


@stats_app.command("consistency")
def consistency_command(
    start: str = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
    end: str = typer.Option(None, "--to", help="Last day (YYYY-MM-DD), inclusive."),
    exercise: bool = typer.Option(False, "--exercise", help="Count exercise events (labelled)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Daily arrivals computed from the record beside the official figures, differences named."""
    first = parse_date(start, "from") if start else date.min
    last = parse_date(end, "to") if end else date.max
    db = database()
    try:
        series = stats_store.ensure_loaded(db, say).series()
        events = [entry.event() for entry in Log(db).entries()]
    finally:
        db.close()
    days = [d for d in daily_arrivals(events, include_exercise=exercise) if first <= d.day <= last]
    rows = compare_with_official(days, _official(series, [d.day for d in days]))
    data = {
        "exercise_included": exercise,
        "days": [
            {
                "date": r.day.isoformat(),
                "record": {
                    "migrants": r.record.migrants,
                    "boats": r.record.boats,
                    "uncontrolled_landings": r.record.uncontrolled_landings,
                },
                "official": None
                if r.official is None
                else {
                    "migrants": r.official.migrants,
                    "boats": r.official.boats,
                    "uncontrolled_landings": r.official.uncontrolled_landings,
                },
                "matches": r.matches,
                "differences": r.differences,
            }
            for r in rows
        ],
    }

    def render() -> Table:
        title = "Arrivals: record against the official series"
        table = Table(
            title=title + (" (EXERCISE events included)" if exercise else ""),
            caption="record figures follow the Home Office definitions "
            "(docs/picture.md); '-' in the official series is not recorded",
            caption_justify="left",
        )
        for name in (
            "date",
            "record migrants",
            "official",
            "record boats",
            "official",
            "uncontrolled (record/official)",
            "differences",
        ):
            table.add_column(name, justify="left" if name in ("date", "differences") else "right")
        for r in rows:
            o = r.official
            table.add_row(
                r.day.isoformat(),
                str(r.record.migrants),
                "-" if o is None or o.migrants is None else str(o.migrants),
                str(r.record.boats),
                "-" if o is None or o.boats is None else str(o.boats),
                f"{r.record.uncontrolled_landings}/"
                + (
                    "-"
                    if o is None or o.uncontrolled_landings is None
                    else str(o.uncontrolled_landings)
                ),
                "none"
                if r.matches
                else (
                    ", ".join(f"{k} {v:+d}" for k, v in r.differences.items())
                    or "no official figure"
                ),
            )
        return table

    emit(data, as_json=as_json, render=render)
