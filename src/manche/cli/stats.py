"""``manche stats``: the official small-boat figures, each with the vintage it came from.

Any command on an empty database first imports the bundled Home Office files (said on stderr).
Dates are ISO (YYYY-MM-DD). ``--vintage LABEL`` answers as things stood when LABEL was published;
by default each day is answered by the latest publication covering it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Group, RenderableType
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say, stderr
from manche.errors import InputError
from manche.readings import stats as readings
from manche.readings.stats import StatsData
from manche.storage import stats_store
from manche.wording import counted

stats_app = sub_app("stats", "Official small-boat statistics (Home Office), every vintage kept.")

VINTAGE_OPTION = typer.Option(
    None,
    "--vintage",
    help="Answer as published in this vintage (a label such as ods-2026-08-21, or a date); "
    "default: for each day the latest publication covering it.",
)


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, found {value!r}", field=field) from None


@contextmanager
def _data() -> Iterator[StatsData]:
    db = database()
    try:
        yield stats_store.ensure_loaded(db, say)
    finally:
        db.close()


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def _table(title: str, columns: list[str], rows: list[list[Any]], caption: str = "") -> Table:
    table = Table(title=title, caption=caption or None, title_justify="left")
    for n, name in enumerate(columns):
        table.add_column(name, justify="left" if n == 0 else "right", no_wrap=n == 0)
    for row in rows:
        table.add_row(*(_fmt(v) if not isinstance(v, Text) else v for v in row))
    return table


@stats_app.command("day")
def day_command(
    when: str = typer.Argument(..., metavar="DATE", help="The day, YYYY-MM-DD."),
    vintage: str | None = VINTAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Arrivals on one day."""
    with _data() as data:
        result = readings.day(data.series(vintage), parse_date(when, "date"))
    emit(
        result,
        as_json=as_json,
        render=lambda: _table(
            f"Small boat arrivals on {result['date']}",
            ["Migrants", "Boats", "Uncontrolled landings", "Notes"],
            [
                [
                    result["migrants"],
                    result["boats"],
                    result["uncontrolled_landings"],
                    result["notes"],
                ]
            ],
            f"vintage {result['vintage']}; - = not recorded",
        ),
    )


@stats_app.command("period")
def period_command(
    start: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (inclusive)."),
    end: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (inclusive)."),
    vintage: str | None = VINTAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Arrivals over a period, both ends included."""
    a, b = parse_date(start, "from"), parse_date(end, "to")
    with _data() as data:
        result = readings.period(data.series(vintage), a, b)
    emit(
        result,
        as_json=as_json,
        render=lambda: _table(
            f"Small boat arrivals {result['from']} to {result['to']} (inclusive)",
            ["Days", "Migrants", "Boats", "People per boat"],
            [[result["days"], result["migrants"], result["boats"], result["people_per_boat"]]],
            f"vintage {', '.join(result['vintages'])}",
        ),
    )


@stats_app.command("years")
def years_command(vintage: str | None = VINTAGE_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Totals by calendar year since 2018."""
    with _data() as data:
        series = data.series(vintage)
        result = readings.years(series)
        label = readings.period(series, readings.EPOCH, series.last_day)["vintage"]
    emit(
        result,
        as_json=as_json,
        render=lambda: _table(
            "Small boat arrivals by year",
            ["Year", "Migrants", "Boats", "People per boat", "Through"],
            [
                [
                    str(r["year"]),
                    r["migrants"],
                    r["boats"],
                    r["people_per_boat"],
                    r["through"] + ("" if r["complete"] else " (year to date)"),
                ]
                for r in result
            ],
            f"provisional daily figures; vintage {label}",
        ),
    )


@stats_app.command("summary")
def summary_command(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Figures as published on the morning of DATE (through DATE-1)."
    ),
    through: str | None = typer.Option(None, "--through", help="Figures through DATE, inclusive."),
    vintage: str | None = VINTAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Year to date against the same point of every earlier year since 2018."""
    with _data() as data:
        result = readings.summary(
            data.series(vintage),
            as_of=parse_date(as_of, "as_of") if as_of else None,
            through=parse_date(through, "through") if through else None,
        )

    def render() -> RenderableType:
        ytd = result["year_to_date"]
        record = result["record"]
        head = Text(
            f"Year to date through {result['through']} (as published on {result['as_of']}): "
            f"{counted(ytd['migrants'], 'person', 'people')} in {counted(ytd['boats'], 'boat')}.",
            style="bold",
        )
        rows = [
            [str(r["year"]), r["through"], r["migrants"], r["boats"], _pct(r["change_pct"])]
            for r in result["same_point"]
        ]
        table = _table(
            "Same point in earlier years",
            ["Year", "Through", "Migrants", "Boats", "This year vs then"],
            rows,
            f"vintage {result['vintage']}",
        )
        previous = record["previous_highest"]
        verdict = Text(
            "A record: the highest at this point since 2018."
            if record["highest_since_2018"]
            else f"Not a record: {previous['year']} had {previous['migrants']:,} at this point."
        )
        return Group(head, table, verdict)

    emit(result, as_json=as_json, render=render)


@stats_app.command("records")
def records_command(
    top: int = typer.Option(10, "--top", min=1, max=100, help="How many of each."),
    vintage: str | None = VINTAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Top days, weeks, months, years; which year held the year-to-date record when."""
    with _data() as data:
        result = readings.records(data.series(vintage), top)

    def render() -> RenderableType:
        return Group(
            _table(
                "Top days",
                ["Date", "Migrants", "Boats"],
                [[r["date"], r["migrants"], r["boats"]] for r in result["days"]],
            ),
            _table(
                "Top weeks (Monday-Sunday)",
                ["Week ending", "Migrants", "Boats"],
                [[r["week_ending"], r["migrants"], r["boats"]] for r in result["weeks"]],
            ),
            _table(
                "Top months",
                ["Month", "Migrants", "Boats"],
                [
                    [r["month"] + ("" if r["complete"] else " (so far)"), r["migrants"], r["boats"]]
                    for r in result["months"]
                ],
            ),
            _table(
                "Top years",
                ["Year", "Migrants", "Boats"],
                [
                    [
                        str(r["year"]) + ("" if r["complete"] else " (so far)"),
                        r["migrants"],
                        r["boats"],
                    ]
                    for r in result["years"]
                ],
            ),
            _table(
                "Record year-to-date curve: who held the record",
                ["From", "To", "Year"],
                [
                    [r["from"], r["to"], str(r["year"])]
                    for r in result["year_to_date"]["record_holders"]
                ],
                f"through {result['through']}; vintage {result['vintage']}",
            ),
        )

    emit(result, as_json=as_json, render=render)


@stats_app.command("preventions")
def preventions_command(
    start: str | None = typer.Option(None, "--from", help="First week ending, YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--to", help="Last week ending, YYYY-MM-DD."),
    year: int | None = typer.Option(None, "--year", help="Weeks ending in this year."),
    vintage: str | None = VINTAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Weekly arrivals against French preventions (people and events), share prevented."""
    a = parse_date(start, "from") if start else (date(year, 1, 1) if year else None)
    b = parse_date(end, "to") if end else (date(year, 12, 31) if year else None)
    with _data() as data:
        result = readings.preventions(data.weekly_series(vintage), start=a, end=b)

    def render() -> RenderableType:
        weeks = result["weeks"] if (a or b) else result["weeks"][-12:]
        return Group(
            _table(
                "Weekly arrivals and French preventions" + ("" if (a or b) else " (last 12 weeks)"),
                ["Week ending", "Arrived", "Boats", "Prevented", "Events prevented", "% prevented"],
                [
                    [
                        w["week_ending"],
                        w["migrants_arrived"],
                        w["boats_arrived"],
                        w["migrants_prevented"],
                        w["events_prevented"],
                        w["share_prevented_pct"],
                    ]
                    for w in weeks
                ],
                f"vintage {result['vintage']}; - = not recorded",
            ),
            _table(
                "By year (weeks with preventions recorded)",
                ["Year", "Weeks", "Arrived", "Prevented", "Events prevented", "% prevented"],
                [
                    [
                        str(y["year"]),
                        y["weeks"],
                        y["migrants_arrived"],
                        y["migrants_prevented"],
                        y["events_prevented"],
                        y["share_prevented_pct"],
                    ]
                    for y in result["by_year"]
                ],
                "share prevented = prevented / (prevented + arrived)",
            ),
        )

    emit(result, as_json=as_json, render=render)


@stats_app.command("nationalities")
def nationalities_command(
    year: int | None = typer.Option(None, "--year", help="Year of the final table."),
    top: int = typer.Option(15, "--top", min=1, help="Nationalities to list."),
    vintage: str | None = VINTAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Final figures by nationality, sex and age; provisional against final by year."""
    with _data() as data:
        final = data.final_table()
        result: dict[str, Any] = {}
        if year is not None:
            result = readings.nationalities(final, year, top=top)
        result["provisional_against_final"] = readings.provisional_against_final(
            final, data.series(vintage)
        )

    def render() -> RenderableType:
        parts: list[RenderableType] = []
        if year is not None:
            parts.append(
                Text(
                    f"{year}: {result['total']:,} small-boat arrivals (final, {result['vintage']})",
                    style="bold",
                )
            )
            parts.append(
                _table(
                    "By nationality",
                    ["Nationality", "Region", "People", "Share %"],
                    [
                        [r["nationality"], r["region"], r["detections"], r["share_pct"]]
                        for r in result["by_nationality"]
                    ],
                )
            )
            parts.append(
                _table(
                    "By sex",
                    ["Sex", "People", "Share %"],
                    [[r["sex"], r["detections"], r["share_pct"]] for r in result["by_sex"]],
                )
            )
            parts.append(
                _table(
                    "By age group",
                    ["Age group", "People", "Share %"],
                    [
                        [r["age_group"], r["detections"], r["share_pct"]]
                        for r in result["by_age_group"]
                    ],
                )
            )
        comparison = result["provisional_against_final"]
        parts.append(
            _table(
                "Provisional (daily series) against final (quarterly table)",
                ["Year", "Final", "Provisional", "Difference", "Difference %"],
                [
                    [
                        str(r["year"]),
                        r["final"],
                        r["provisional"],
                        r["difference"],
                        "-" if r["difference_pct"] is None else f"{r['difference_pct']:+.2f}%",
                    ]
                    for r in comparison
                ],
                f"final {comparison[0]['final_vintage']}; provisional "
                f"{comparison[0]['provisional_vintage']}"
                if comparison
                else "",
            )
        )
        return Group(*parts)

    emit(result, as_json=as_json, render=render)


@stats_app.command("chart")
def chart_command(
    kind: str = typer.Argument(..., metavar="KIND", help="cumulative, daily or weekly."),
    out: Path = typer.Option(..., "--out", help="Where to write the chart (.png or .svg)."),
    start: str | None = typer.Option(None, "--from", help="daily/weekly: first day."),
    end: str | None = typer.Option(None, "--to", help="daily/weekly: last day."),
    vintage: str | None = VINTAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write a chart: cumulative arrivals by day of year, or daily/weekly bars."""
    from manche.web import stats_chart

    suffix = out.suffix.lower().lstrip(".")
    if suffix not in ("png", "svg"):
        raise InputError(f"--out must end in .png or .svg, not {out.name!r}", field="out")
    fmt: stats_chart.Format = "png" if suffix == "png" else "svg"
    if kind not in ("cumulative", "daily", "weekly"):
        raise InputError(f"unknown chart {kind!r}: cumulative, daily or weekly", field="kind")
    with _data() as data:
        series = data.series(vintage)
        last = series.last_day
        if kind == "cumulative":
            content = stats_chart.cumulative(series, fmt)
        else:
            b = parse_date(end, "to") if end else last
            default_start = date(b.year, 1, 1) if kind == "daily" else date(b.year - 1, 1, 1)
            a = parse_date(start, "from") if start else default_start
            content = stats_chart.bars(series, a, b, "day" if kind == "daily" else "week", fmt)
    out.write_bytes(content)
    result = {
        "chart": kind,
        "file": str(out),
        "format": fmt,
        "bytes": len(content),
        "through": last.isoformat(),
    }
    emit(
        result,
        as_json=as_json,
        render=lambda: Text(f"Wrote {kind} chart to {out} ({len(content):,} bytes)"),
    )


@stats_app.command("import")
def import_command(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", help="ODS, HTML or CSV files."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import official files as new vintages: all of them, or (on any error) none."""
    from manche.sources.stats_files import read_stats_file

    parsed = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,  # a bar for people, nothing in logs or pipes
    ) as progress:
        task = progress.add_task("Reading", total=len(paths) * 2)
        for path in paths:
            progress.update(task, description=f"Reading {path.name}")
            parsed.append(read_stats_file(path))
            progress.advance(task)
        progress.update(task, description="Storing")
        db = database()
        try:
            # First use (after the files were checked): the bundled files go in first.
            stats_store.ensure_loaded(db, say)
            labels = stats_store.store(db, parsed, progress=lambda _: progress.advance(task))
        finally:
            db.close()
    result = [
        {
            "file": p.file_name,
            "vintage": label,
            "kind": p.kind,
            "first_day": p.first_day.isoformat() if p.first_day else None,
            "last_day": p.last_day.isoformat() if p.last_day else None,
            "rows": len(p.daily) + len(p.weekly) + len(p.nationality),
            "remarks": list(p.remarks),
        }
        for p, label in zip(parsed, labels, strict=True)
    ]
    for p in parsed:
        for remark in p.remarks:
            say(f"{p.file_name}: {remark}")
    emit(
        result,
        as_json=as_json,
        render=lambda: _table(
            f"Imported {counted(len(result), 'vintage')}",
            ["Vintage", "File", "Kind", "From", "To", "Rows"],
            [
                [r["vintage"], r["file"], r["kind"], r["first_day"], r["last_day"], r["rows"]]
                for r in result
            ],
        ),
    )


@stats_app.command("vintages")
def vintages_command(as_json: bool = JSON_OPTION) -> None:
    """The stored vintages, in publication order (later ones answer first)."""
    with _data() as data:
        result = [v.to_dict() for v in data.vintages]
    emit(
        result,
        as_json=as_json,
        render=lambda: _table(
            "Stored vintages (publication order)",
            ["Vintage", "Published (UTC)", "From", "To", "Rows"],
            [
                [
                    r["label"],
                    (r["published_at"] or "")[:16].replace("T", " "),
                    r["first_day"],
                    r["last_day"],
                    r["rows"],
                ]
                for r in result
            ],
        ),
    )


@stats_app.command("revisions")
def revisions_command(
    before: str | None = typer.Option(
        None, "--from", help="Older vintage (default: the one before --to)."
    ),
    after: str | None = typer.Option(
        None, "--to", help="Newer vintage (default: the latest time-series spreadsheet)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Which days and weeks changed between two vintages, and by how much."""
    with _data() as data:
        result = readings.revisions(data, before, after)

    def render() -> RenderableType:
        daily = result["daily"]
        added = daily["added"]
        head = Text(
            f"{result['from']} → {result['to']}: {counted(daily['changed_days'], 'day')} revised "
            f"(net {daily['net_change']['migrants']:+,} people); "
            f"{counted(added['count'], 'day')} added"
            + (f" ({added['first']} to {added['last']})" if added["count"] else "")
            + f"; {counted(result['weekly']['changed_weeks'], 'week')} revised.",
            style="bold",
        )
        return Group(
            head,
            _table(
                "Daily revisions",
                ["Date", "Field", "Before", "After", "Change"],
                [
                    [r["date"], r["field"], r["before"], r["after"], r["change"]]
                    for r in daily["changed"]
                ],
            ),
            _table(
                "Weekly revisions",
                ["Week ending", "Field", "Before", "After", "Change"],
                [
                    [r["week_ending"], r["field"], r["before"], r["after"], r["change"]]
                    for r in result["weekly"]["changed"]
                ],
            ),
        )

    emit(result, as_json=as_json, render=render)
