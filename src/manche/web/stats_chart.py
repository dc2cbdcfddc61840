"""Charts of the official figures (matplotlib, Agg backend): PNG or SVG bytes.

- ``cumulative``: cumulative arrivals by day of year, one labelled line per year, the latest
  year drawn heavier - the chart newsrooms publish;
- ``bars``: daily or weekly (Monday-Sunday) arrivals over a period;
- ``preventions``: people arrived against people prevented from crossing, week by week (SB_02);
- ``people_per_boat``: people per boat by year or by month.

Every chart carries its source and vintage in the caption. Titles, axis labels and captions are
in the page's language (``lang``: gettext msgids of the web catalogue), and numbers and month
names formatted for it with Babel (``1,234`` / ``1 234``, ``Jan`` / ``janv.``). The SVG carries
a ``<title>`` and ``<desc>`` (``role="img"``); the pages show a table of the same figures.

Figures are built with the object-oriented API (no pyplot global state), so web requests may
draw charts concurrently; a lock guards the few global settings used while saving.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal
from xml.sax.saxutils import escape

import matplotlib
import matplotlib.dates as mdates
from babel import dates, numbers
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from manche.errors import InputError
from manche.readings.stats import (
    EPOCH,
    DailySeries,
    cumulative_by_year,
    period_sums,
    same_date_in,
)
from manche.web import i18n

Format = Literal["png", "svg"]
PUBLICATION = "Migrants detected crossing the English Channel in small boats"
_SAVING = threading.Lock()
REFERENCE_YEAR = 2024  # a leap year: every calendar date has a place on the x axis


class _Words:
    """The language of one chart: its translations and its Babel locale."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT
        self.locale = i18n.FORMATS[self.lang]
        self.gettext = i18n.translations(self.lang).gettext

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" if digits == 0 else "#,##0." + "0" * digits
        return numbers.format_decimal(value, pattern, locale=self.locale)

    def day(self, when: date, form: str = "long") -> str:
        return dates.format_date(when, form, locale=self.locale)

    def axis_numbers(self, digits: int = 0) -> FuncFormatter:
        return FuncFormatter(lambda value, _: self.number(value, digits))

    def month_axis(self, start: date, end: date) -> FuncFormatter:
        """Month names of the language; the year shown on January (and on the first tick)."""
        short = (end - start).days <= 62

        def label(value: float, pos: int | None) -> str:
            when = mdates.num2date(value).date()  # type: ignore[no-untyped-call]
            if short:
                return dates.format_date(when, "d MMM", locale=self.locale)
            with_year = when.month == 1 or pos == 0
            return dates.format_date(when, "MMM y" if with_year else "MMM", locale=self.locale)

        return FuncFormatter(label)


def _num(when: date) -> float:
    return float(mdates.date2num(when))  # type: ignore[no-untyped-call]


def _caption(fig: Figure, words: _Words, through: date, used: list[str], daily: bool) -> None:
    _ = words.gettext
    source = (
        _("Source: Home Office, '%(publication)s'; provisional daily figures through %(through)s.")
        if daily
        else _("Source: Home Office, '%(publication)s', weekly table SB_02, through %(through)s.")
    )
    fig.text(
        0.01,
        0.01,
        source % {"publication": PUBLICATION, "through": words.day(through)}
        + "\n"
        + _("Vintage: %(vintage)s. Crown copyright, Open Government Licence v3.0. Chart: Manche.")
        % {"vintage": used[-1] if len(used) == 1 else ", ".join(used[-3:])},
        fontsize=8,
        color="#444444",
        va="bottom",
    )


def _daily_caption(fig: Figure, words: _Words, series: DailySeries, through: date) -> None:
    used = series.sources(series.offset(EPOCH), series.offset(through) + 1)
    _caption(fig, words, through, used, daily=True)


def _save(fig: Figure, fmt: Format, title: str, desc: str) -> bytes:
    buffer = io.BytesIO()
    # SVG keeps its text as text (searchable, readable by screen readers, smaller).
    with _SAVING, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "manche"}):
        fig.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else 100, metadata=_metadata(fmt))
    content = buffer.getvalue()
    return _label_svg(content, title, desc) if fmt == "svg" else content


def _label_svg(content: bytes, title: str, desc: str) -> bytes:
    """Give the SVG a title and a description (what a screen reader announces) and role=img."""
    start = content.index(b"<svg")
    end = content.index(b">", start)
    head = content[start:end].replace(
        b"<svg", b'<svg role="img" aria-labelledby="chart-title chart-desc"', 1
    )
    label = (
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(desc)}</desc>'
    ).encode()
    return content[:start] + head + b">\n " + label + content[end + 1 :]


def _metadata(fmt: Format) -> dict[str, str | None]:
    # Reproducible output: no creation date in the file.
    return {"Date": None} if fmt == "svg" else {"Software": "Manche (matplotlib)"}


def _frame(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def cumulative(series: DailySeries, fmt: Format = "svg", lang: str = "en") -> bytes:
    words = _Words(lang)
    _ = words.gettext
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
            text = f"{year}: {words.number(values[-1])}"
            labels.append((float(values[-1]), text, colour, latest, xs[-1]))
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
    title = _("Small boat arrivals: cumulative people arrived by day of the year")
    ax.set_title(title, loc="left", fontsize=13, fontweight="bold")
    ax.set_ylabel(_("People arrived since 1 January"))
    ax.yaxis.set_major_formatter(words.axis_numbers())
    ax.xaxis.set_major_locator(mdates.MonthLocator())  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _pos: dates.format_date(
                mdates.num2date(value).date(),  # type: ignore[no-untyped-call]
                "MMM",
                locale=words.locale,
            )
        )
    )
    ax.set_xlim(_num(date(REFERENCE_YEAR, 1, 1)), _num(date(REFERENCE_YEAR, 12, 31)))
    ax.set_ylim(bottom=0)
    ax.grid(True, color="#dddddd", linewidth=0.8)
    _frame(ax)
    _daily_caption(fig, words, series, last)
    ytd = curves.get(last.year) or [0]
    desc = _("One line per year since 2018; %(year)s stands at %(people)s on %(through)s.") % {
        "year": last.year,
        "people": words.number(ytd[-1]),
        "through": words.day(last),
    }
    return _save(fig, fmt, title, desc)


def bars(
    series: DailySeries,
    start: date,
    end: date,
    by: Literal["day", "week"] = "day",
    fmt: Format = "svg",
    lang: str = "en",
) -> bytes:
    words = _Words(lang)
    _ = words.gettext
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
    title = (
        _("Small boat arrivals: people arrived per day")
        if by == "day"
        else _(
            "Small boat arrivals: people arrived per week (Monday to Sunday, shown on the Sunday)"
        )
    )
    span = _("%(start)s to %(end)s") % {
        "start": words.day(start, "medium"),
        "end": words.day(end, "medium"),
    }
    ax.set_title(f"{title}\n{span}", loc="left", fontsize=12, fontweight="bold")
    ax.set_ylabel(_("People arrived"))
    ax.yaxis.set_major_formatter(words.axis_numbers())
    _month_ticks(ax, words, start, end)
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    _frame(ax)
    _daily_caption(fig, words, series, end)
    peak = max(range(len(ys)), key=lambda k: ys[k]) if ys else None
    desc = span
    if peak is not None:
        desc += ". " + _("Highest: %(people)s on %(when)s.") % {
            "people": words.number(ys[peak]),
            "when": words.day(xs[peak]),
        }
    return _save(fig, fmt, title, desc)


def _month_ticks(ax: Any, words: _Words, start: date, end: date) -> None:
    locator: Any
    if (end - start).days <= 62:
        locator = mdates.AutoDateLocator(maxticks=10)  # type: ignore[no-untyped-call]
    elif (end - start).days <= 400:
        locator = mdates.MonthLocator()  # type: ignore[no-untyped-call]
    else:
        locator = mdates.MonthLocator(bymonth=[1, 4, 7, 10])  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(words.month_axis(start, end))


def preventions(
    weeks: Sequence[dict[str, Any]], vintage: str, fmt: Format = "svg", lang: str = "en"
) -> bytes:
    """People arrived against people prevented, week by week (rows of
    :func:`manche.readings.stats.preventions`); weeks without a prevention figure show none."""
    words = _Words(lang)
    _ = words.gettext
    if not weeks:
        raise InputError("no weekly figures in that range", field="from")
    ends = [date.fromisoformat(w["week_ending"]) for w in weeks]
    arrived = [w["migrants_arrived"] or 0 for w in weeks]
    prevented = [w["migrants_prevented"] or 0 for w in weeks]
    fig = Figure(figsize=(10, 5.2))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.09, right=0.97, top=0.86, bottom=0.2)
    xs = [_num(d) for d in ends]
    label_arrived, label_prevented = _("People arrived in the UK"), _("People prevented (France)")
    ax.bar([x - 1.5 for x in xs], arrived, width=3, color="#1d5b8f", label=label_arrived)
    ax.bar([x + 1.5 for x in xs], prevented, width=3, color="#d4351c", label=label_prevented)
    title = _("Small boat crossings: people arrived against people prevented, per week")
    span = _("%(start)s to %(end)s") % {
        "start": words.day(ends[0] - timedelta(days=6), "medium"),
        "end": words.day(ends[-1], "medium"),
    }
    ax.set_title(f"{title}\n{span}", loc="left", fontsize=12, fontweight="bold")
    ax.set_ylabel(_("People per week"))
    ax.yaxis.set_major_formatter(words.axis_numbers())
    _month_ticks(ax, words, ends[0], ends[-1])
    ax.set_ylim(0, max(max(arrived), max(prevented), 1) * 1.2)  # room for the legend
    ax.legend(loc="upper left", frameon=False, fontsize=9, ncols=2)
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    _frame(ax)
    _caption(fig, words, ends[-1], [vintage], daily=False)
    desc = (
        span
        + ". "
        + _("In all: %(arrived)s people arrived, %(prevented)s prevented.")
        % {"arrived": words.number(sum(arrived)), "prevented": words.number(sum(prevented))}
    )
    return _save(fig, fmt, title, desc)


def people_per_boat(
    series: DailySeries,
    by: Literal["year", "month"] = "year",
    fmt: Format = "svg",
    lang: str = "en",
) -> bytes:
    """People per boat (people arrived / boats arrived) by calendar year since 2018, or by month
    over the last 24 months; the current year or month is drawn lighter (not complete)."""
    words = _Words(lang)
    _ = words.gettext
    last = series.last_day
    periods: list[tuple[str, date, date]] = []
    if by == "year":
        for year in range(EPOCH.year, last.year + 1):
            periods.append((str(year), date(year, 1, 1), min(date(year, 12, 31), last)))
    else:
        index = last.year * 12 + last.month - 1 - 23  # the last 24 months
        month = date(index // 12, index % 12 + 1, 1)
        while month <= last:
            after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            name = dates.format_date(month, "MMM y", locale=words.locale)
            periods.append((name, month, min(after - timedelta(days=1), last)))
            month = after
    names, values, complete = [], [], []
    for name, a, b in periods:
        migrants, boats = period_sums(series, max(a, EPOCH), b)
        names.append(name)
        values.append(migrants / boats if boats else 0.0)
        complete.append(b == (date(a.year, 12, 31) if by == "year" else _month_end(a)))
    fig = Figure(figsize=(10, 5.6 if by == "month" else 5.2))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.09, right=0.97, top=0.88, bottom=0.27 if by == "month" else 0.2)
    colours = ["#1d5b8f" if done else "#8fb3d9" for done in complete]
    ax.bar(range(len(values)), values, color=colours, width=0.7)
    for k, value in enumerate(values):
        ax.annotate(
            words.number(value, 1),
            (k, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=8 if by == "month" else 9,
        )
    ax.set_xticks(range(len(names)), names, rotation=90 if by == "month" else 0, fontsize=8)
    title = (
        _("Small boat arrivals: people per boat, by year")
        if by == "year"
        else _("Small boat arrivals: people per boat, by month")
    )
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.set_ylabel(_("People per boat"))
    ax.yaxis.set_major_formatter(words.axis_numbers())
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    _frame(ax)
    _daily_caption(fig, words, series, last)
    desc = _("From %(first)s (%(first_value)s) to %(last)s (%(last_value)s, to date).") % {
        "first": names[0],
        "first_value": words.number(values[0], 1),
        "last": names[-1],
        "last_value": words.number(values[-1], 1),
    }
    return _save(fig, fmt, title, desc)


def _month_end(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
