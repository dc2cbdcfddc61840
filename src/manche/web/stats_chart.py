"""Charts of the official figures (matplotlib, Agg backend): PNG or SVG bytes.

- ``cumulative``: cumulative arrivals by day of year, one labelled line per year, the latest
  year drawn heavier - the chart newsrooms publish;
- ``bars``: daily or weekly (Monday-Sunday) arrivals over a period.

Every chart carries its source and vintage in the caption. Figures are built with the
object-oriented API (no pyplot global state), so web requests may draw charts concurrently; a
lock guards the few global settings used while saving.
"""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta
from typing import Literal

import matplotlib
import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from manche.errors import InputError
from manche.readings.stats import EPOCH, DailySeries, cumulative_by_year, same_date_in

Format = Literal["png", "svg"]
SOURCE = "Source: Home Office, 'Migrants detected crossing the English Channel in small boats'"
_SAVING = threading.Lock()
REFERENCE_YEAR = 2024  # a leap year: every calendar date has a place on the x axis


def _num(when: date) -> float:
    return float(mdates.date2num(when))  # type: ignore[no-untyped-call]


def _thousands(value: float, _: object) -> str:
    return f"{int(value):,}"


def _caption(fig: Figure, series: DailySeries, through: date) -> None:
    a = series.offset(EPOCH)
    b = series.offset(through) + 1
    used = series.sources(a, b)
    fig.text(
        0.01,
        0.01,
        f"{SOURCE}; provisional daily figures through {through:%d %B %Y}.\n"
        f"Vintage: {used[-1] if len(used) == 1 else ', '.join(used[-3:])}. "
        "Crown copyright, Open Government Licence v3.0. Chart: Manche.",
        fontsize=8,
        color="#444444",
        va="bottom",
    )


def _save(fig: Figure, fmt: Format) -> bytes:
    buffer = io.BytesIO()
    # SVG keeps its text as text (searchable, readable by screen readers, smaller).
    with _SAVING, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "manche"}):
        fig.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else 100, metadata=_metadata(fmt))
    return buffer.getvalue()


def _metadata(fmt: Format) -> dict[str, str | None]:
    # Reproducible output: no creation date in the file.
    return {"Date": None} if fmt == "svg" else {"Software": "Manche (matplotlib)"}


def cumulative(series: DailySeries, fmt: Format = "svg") -> bytes:
    last = series.last_day
    curves = cumulative_by_year(series)
    fig = Figure(figsize=(10, 6.2))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.09, right=0.86, top=0.9, bottom=0.16)
    palette = [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
        "#393b79",
    ]  # tab10 without its red, kept for the latest year
    labels: list[tuple[float, str, str, bool, date]] = []
    for n, (year, values) in enumerate(sorted(curves.items())):
        xs = [
            same_date_in(REFERENCE_YEAR, date(year, 1, 1) + timedelta(days=k))
            for k in range(len(values))
        ]
        latest = year == last.year
        colour = "#b4232a" if latest else palette[n % len(palette)]
        ax.plot(
            [_num(x) for x in xs],
            values,
            color=colour,
            linewidth=3.0 if latest else 1.6,
            alpha=1.0 if latest else 0.85,
        )
        if values:
            labels.append((float(values[-1]), f"{year}: {values[-1]:,}", colour, latest, xs[-1]))
    top = max((label[0] for label in labels), default=1.0) or 1.0
    gap = top * 0.035  # keep end labels apart
    placed: list[float] = []
    for y, text, colour, latest, x in sorted(labels, key=lambda item: (item[4], item[0])):
        near = [p for p in placed if abs(p - y) < gap * 0.999]
        while near:
            y = max(near) + gap
            near = [p for p in placed if abs(p - y) < gap * 0.999]
        placed.append(y)
        ax.annotate(
            text,
            (x, y),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            fontweight="bold" if latest else "normal",
            color=colour,
            annotation_clip=False,
        )
    ax.set_title(
        "Small boat arrivals: cumulative people arrived by day of the year",
        loc="left",
        fontsize=13,
        fontweight="bold",
    )
    ax.set_ylabel("People arrived since 1 January")
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    months = mdates.MonthLocator()  # type: ignore[no-untyped-call]
    month_names = mdates.DateFormatter("%b")  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(months)
    ax.xaxis.set_major_formatter(month_names)
    ax.set_xlim(_num(date(REFERENCE_YEAR, 1, 1)), _num(date(REFERENCE_YEAR, 12, 31)))
    ax.set_ylim(bottom=0)
    ax.grid(True, color="#dddddd", linewidth=0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _caption(fig, series, last)
    return _save(fig, fmt)


def bars(
    series: DailySeries,
    start: date,
    end: date,
    by: Literal["day", "week"] = "day",
    fmt: Format = "svg",
) -> bytes:
    if end < start:
        raise InputError("the period ends before it starts", field="to")
    if end > series.last_day or start < EPOCH:
        raise InputError(
            f"figures run from {EPOCH.isoformat()} to {series.last_day.isoformat()}", field="to"
        )
    xs: list[date] = []
    ys: list[int] = []
    if by == "day":
        for k in range((end - start).days + 1):
            when = start + timedelta(days=k)
            xs.append(when)
            ys.append(max(int(series.migrants[series.offset(when)]), 0))
        width = 0.9
    else:
        monday = start + timedelta(days=(7 - start.weekday()) % 7)  # whole weeks only
        sunday = monday + timedelta(days=6)
        while sunday <= end:
            a, b = series.offset(sunday - timedelta(days=6)), series.offset(sunday) + 1
            xs.append(sunday)
            ys.append(int(series.cum_migrants[b] - series.cum_migrants[a]))
            sunday += timedelta(days=7)
        width = 5.5
    fig = Figure(figsize=(10, 5.2))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.09, right=0.97, top=0.88, bottom=0.2)
    ax.bar([_num(x) for x in xs], ys, width=width, color="#1d5b8f")
    what = "day" if by == "day" else "week (Monday to Sunday, shown on the Sunday)"
    ax.set_title(
        f"Small boat arrivals: people arrived per {what}\n{start:%d %b %Y} to {end:%d %b %Y}",
        loc="left",
        fontsize=12,
        fontweight="bold",
    )
    ax.set_ylabel("People arrived")
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    concise = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(concise)
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _caption(fig, series, end)
    return _save(fig, fmt)
