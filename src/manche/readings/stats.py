"""Official small-boat statistics, read off the stored vintages: pure functions, no I/O.

Conventions (see docs/statistics.md):

- **Which vintage answers.** For each day, the *latest publication covering that day* answers
  (ordered by publication time; a GOV.UK page published later the same day as a spreadsheet wins
  for its seven days). ``vintage=LABEL`` answers as things stood when LABEL was published: only
  that vintage and earlier ones are used. Every answer names the vintage(s) its figures came from.
- **As of / through.** ``through=D`` covers days up to and including D. ``as_of=D`` means the
  figures as published on the morning of D, which cover up to D-1.
- **Same point.** The same calendar date in an earlier year (29 February becomes 28 February).
- **Not recorded.** '-' in the files is ``None`` here, never 0; a sum over a day whose count is
  not recorded is refused, not guessed.

The daily series is held as numpy arrays indexed by days since 2018-01-01 with cumulative sums,
so any period sum is O(1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from manche.domain.stats import NationalityFigure, WeeklyFigure
from manche.errors import InputError, NotFound

T = TypeVar("T")

EPOCH = date(2018, 1, 1)
NULL = -1  # a count not recorded ('-') in the int64 arrays

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Vintage:
    """One stored publication."""

    id: int
    label: str
    kind: str
    file_name: str
    sha256: str
    published_at: datetime | None
    imported_at: datetime
    first_day: date | None
    last_day: date | None
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "file": self.file_name,
            "sha256": self.sha256,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "imported_at": self.imported_at.isoformat(),
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "rows": self.rows,
        }

    @property
    def order_key(self) -> tuple[datetime, int]:
        return (self.published_at or datetime.min.replace(tzinfo=self.imported_at.tzinfo), self.id)


@dataclass(frozen=True)
class VintageDaily:
    """A vintage's daily rows as arrays: offsets are days since EPOCH."""

    offsets: IntArray
    migrants: IntArray
    boats: IntArray
    uncontrolled: IntArray
    notes: dict[int, str]


@dataclass
class StatsData:
    """Everything stored, as loaded once from the database (see manche.storage.stats_store)."""

    vintages: tuple[Vintage, ...]  # in publication order
    daily: dict[int, VintageDaily]
    weekly: dict[int, tuple[WeeklyFigure, ...]]
    nationality: dict[int, tuple[NationalityFigure, ...]]
    _series: dict[str | None, DailySeries] = field(default_factory=dict, repr=False)
    _kept: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    def vintage(self, label: str) -> Vintage:
        """A vintage by label (``ods-2026-08-21``) or by publication date (``2026-08-21``:
        the latest publication of that day)."""
        for v in self.vintages:
            if v.label == label:
                return v
        same_day = [
            v
            for v in self.vintages
            if v.published_at and v.published_at.date().isoformat() == label
        ]
        if same_day:
            return same_day[-1]
        known = ", ".join(v.label for v in self.vintages) or "none"
        raise NotFound(f"no vintage {label!r}; stored vintages: {known}")

    def upto(self, label: str | None) -> tuple[Vintage, ...]:
        """The vintages that answer when asking as of ``label`` (all of them for None)."""
        if label is None:
            return self.vintages
        chosen = self.vintage(label)
        return tuple(v for v in self.vintages if v.order_key <= chosen.order_key)

    def series(self, label: str | None = None) -> DailySeries:
        """The daily series as published up to ``label`` (cached)."""
        cached = self._series.get(label)
        if cached is None:
            cached = compose_daily(self, self.upto(label))
            self._series[label] = cached
        return cached

    def kept(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per loaded store and ``key``: for readings that depend on the
        stored files alone (no clock), such as a page's weekly preventions. The store is loaded
        anew after an import, so nothing kept outlives the files it was read from."""
        if key not in self._kept:
            self._kept[key] = compute()
        return self._kept[key]  # type: ignore[no-any-return]

    def weekly_series(self, label: str | None = None) -> list[tuple[WeeklyFigure, Vintage]]:
        """Weekly rows: for each week the latest publication covering it."""
        chosen: dict[date, tuple[WeeklyFigure, Vintage]] = {}
        for v in self.upto(label):
            for row in self.weekly.get(v.id, ()):
                chosen[row.week_ending] = (row, v)
        return [chosen[k] for k in sorted(chosen)]

    def final_table(self) -> tuple[Vintage, tuple[NationalityFigure, ...]]:
        finals = [v for v in self.vintages if v.kind == "quarterly"]
        if not finals:
            raise NotFound("no final quarterly table imported (manche stats import FILE.csv)")
        latest = finals[-1]
        return latest, self.nationality[latest.id]


class DailySeries:
    """One composed daily series: for each day the answering figure and its vintage."""

    def __init__(
        self,
        vintages: tuple[Vintage, ...],
        migrants: IntArray,
        boats: IntArray,
        uncontrolled: IntArray,
        source: IntArray,
        notes: dict[int, str],
    ) -> None:
        self.vintages = vintages
        self.migrants = migrants
        self.boats = boats
        self.uncontrolled = uncontrolled
        self.source = source
        self.notes = notes
        self.n = len(migrants)
        missing = (source < 0) | (migrants < 0) | (boats < 0)
        self.cum_migrants = np.concatenate(([0], np.cumsum(np.where(missing, 0, migrants))))
        self.cum_boats = np.concatenate(([0], np.cumsum(np.where(missing, 0, boats))))
        self.cum_missing = np.concatenate(([0], np.cumsum(missing)))
        gaps = np.flatnonzero(missing)
        self.contiguous_days = int(gaps[0]) if len(gaps) else self.n

    @property
    def last_day(self) -> date:
        """The last day of the unbroken run of figures from 2018-01-01."""
        if self.contiguous_days == 0:
            raise NotFound("no daily figures stored")
        return EPOCH + timedelta(days=self.contiguous_days - 1)

    def offset(self, day: date) -> int:
        return (day - EPOCH).days

    def label_of(self, index: int) -> str:
        return self.vintages[index].label

    def sources(self, start: int, stop: int) -> list[str]:
        used = np.unique(self.source[start:stop])
        return [self.vintages[i].label for i in used if i >= 0]


def compose_daily(data: StatsData, vintages: Sequence[Vintage]) -> DailySeries:
    """Overlay the vintages in publication order: later publications replace earlier figures."""
    with_daily = [v for v in vintages if v.id in data.daily]
    ends = [
        int(data.daily[v.id].offsets.max()) for v in with_daily if len(data.daily[v.id].offsets)
    ]
    n = (max(ends) + 1) if ends else 0
    migrants = np.full(n, NULL, dtype=np.int64)
    boats = np.full(n, NULL, dtype=np.int64)
    uncontrolled = np.full(n, NULL, dtype=np.int64)
    source = np.full(n, -1, dtype=np.int64)
    notes: dict[int, str] = {}
    ordered = tuple(vintages)
    for index, v in enumerate(ordered):
        rows = data.daily.get(v.id)
        if rows is None or not len(rows.offsets):
            continue
        keep = rows.offsets >= 0
        at = rows.offsets[keep]
        migrants[at] = rows.migrants[keep]
        boats[at] = rows.boats[keep]
        uncontrolled[at] = rows.uncontrolled[keep]
        source[at] = index
        for offset in at.tolist():
            notes.pop(offset, None)
        notes.update({k: t for k, t in rows.notes.items() if k >= 0})
    return DailySeries(ordered, migrants, boats, uncontrolled, source, notes)


# --------------------------------------------------------------------------- figures


def _count(value: int) -> int | None:
    return None if value < 0 else int(value)


def _ppb(migrants: int, boats: int) -> float | None:
    return round(migrants / boats, 1) if boats else None


def _pct(new: int, old: int) -> float | None:
    return round((new - old) / old * 100, 1) if old else None


def _check_range(series: DailySeries, start: date, end: date) -> None:
    if end < start:
        raise InputError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            field="to",
        )
    if start < EPOCH:
        raise NotFound(f"the series starts on {EPOCH.isoformat()}; asked from {start.isoformat()}")
    last = EPOCH + timedelta(days=series.n - 1)
    if series.n == 0 or end > last:
        raise NotFound(
            f"no published figures after {last.isoformat()}; asked up to {end.isoformat()}"
        )
    a, b = series.offset(start), series.offset(end) + 1
    if series.cum_missing[b] - series.cum_missing[a]:
        first = a + int(
            np.flatnonzero(series.cum_missing[a + 1 : b + 1] - series.cum_missing[a])[0]
        )
        raise NotFound(
            f"no published figure for {(EPOCH + timedelta(days=first)).isoformat()} "
            "in the vintages used (not covered, or recorded as '-'); cannot sum the period"
        )


def period_sums(series: DailySeries, start: date, end: date) -> tuple[int, int]:
    """(migrants, boats) from ``start`` to ``end`` inclusive, in O(1)."""
    _check_range(series, start, end)
    a, b = series.offset(start), series.offset(end) + 1
    return (
        int(series.cum_migrants[b] - series.cum_migrants[a]),
        int(series.cum_boats[b] - series.cum_boats[a]),
    )


def day(series: DailySeries, when: date) -> dict[str, Any]:
    i = series.offset(when)
    if i < 0 or i >= series.n or series.source[i] < 0:
        raise NotFound(f"no published figure for {when.isoformat()} in the vintages used")
    return {
        "date": when.isoformat(),
        "migrants": _count(int(series.migrants[i])),
        "boats": _count(int(series.boats[i])),
        "uncontrolled_landings": _count(int(series.uncontrolled[i])),
        "notes": series.notes.get(i, ""),
        "vintage": series.label_of(int(series.source[i])),
    }


def period(series: DailySeries, start: date, end: date) -> dict[str, Any]:
    migrants, boats = period_sums(series, start, end)
    a, b = series.offset(start), series.offset(end) + 1
    used = series.sources(a, b)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "days": b - a,
        "migrants": migrants,
        "boats": boats,
        "people_per_boat": _ppb(migrants, boats),
        "vintage": series.label_of(int(series.source[a:b].max())),
        "vintages": used,
    }


def years(series: DailySeries) -> list[dict[str, Any]]:
    """Totals by calendar year, up to the last day of unbroken figures (marked incomplete)."""
    last = series.last_day
    out = []
    for year in range(EPOCH.year, last.year + 1):
        end = min(date(year, 12, 31), last)
        migrants, boats = period_sums(series, date(year, 1, 1), end)
        out.append(
            {
                "year": year,
                "migrants": migrants,
                "boats": boats,
                "people_per_boat": _ppb(migrants, boats),
                "through": end.isoformat(),
                "complete": end == date(year, 12, 31),
            }
        )
    return out


def same_date_in(year: int, when: date) -> date:
    """The same calendar date in ``year``; 29 February becomes 28 February."""
    try:
        return when.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def summary(
    series: DailySeries, *, as_of: date | None = None, through: date | None = None
) -> dict[str, Any]:
    """Year to date, the same point in every earlier year since 2018, and whether it is a record."""
    if as_of is not None and through is not None:
        raise InputError("give --as-of or --through, not both", field="as_of")
    if as_of is not None:
        through = as_of - timedelta(days=1)
    if through is None:
        through = series.last_day
    as_of = through + timedelta(days=1)
    if through < EPOCH:
        raise NotFound(f"the series starts on {EPOCH.isoformat()}")
    if through > series.last_day:
        raise NotFound(
            f"figures run to {series.last_day.isoformat()} in the vintages used; "
            f"asked through {through.isoformat()} (as of {as_of.isoformat()})"
        )
    ytd_migrants, ytd_boats = period_sums(series, date(through.year, 1, 1), through)
    same_point: list[dict[str, Any]] = []
    for year in range(EPOCH.year, through.year):
        migrants, boats = period_sums(series, date(year, 1, 1), same_date_in(year, through))
        same_point.append(
            {
                "year": year,
                "through": same_date_in(year, through).isoformat(),
                "migrants": migrants,
                "boats": boats,
                "change_pct": _pct(ytd_migrants, migrants),
            }
        )
    previous = max(same_point, key=lambda row: row["migrants"], default=None)
    a, b = series.offset(EPOCH), series.offset(through) + 1
    return {
        "as_of": as_of.isoformat(),
        "through": through.isoformat(),
        "vintage": series.label_of(int(series.source[a:b].max())),
        "year_to_date": {"migrants": ytd_migrants, "boats": ytd_boats},
        "same_point": same_point,
        "record": {
            "highest_since_2018": previous is None or ytd_migrants > previous["migrants"],
            "previous_highest": (
                None
                if previous is None
                else {"year": previous["year"], "migrants": previous["migrants"]}
            ),
        },
    }


def _top(items: Iterable[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    return sorted(items, key=lambda row: (-row["migrants"], row.get("date", "")))[:n]


def cumulative_by_year(series: DailySeries) -> dict[int, list[int]]:
    """For each year, the cumulative migrants through each day of that year (up to the last day)."""
    last = series.last_day
    out: dict[int, list[int]] = {}
    for year in range(EPOCH.year, last.year + 1):
        a = series.offset(date(year, 1, 1))
        b = series.offset(min(date(year, 12, 31), last)) + 1
        out[year] = (series.cum_migrants[a + 1 : b + 1] - series.cum_migrants[a]).tolist()
    return out


def records(series: DailySeries, top: int = 10) -> dict[str, Any]:
    """Top days, calendar weeks (Monday-Sunday), months and years; the record year-to-date curve."""
    last = series.last_day
    n = series.contiguous_days
    mig, boats = series.migrants[:n], series.boats[:n]
    order = np.lexsort((np.arange(n), -mig))[:top]
    days = [
        {
            "date": (EPOCH + timedelta(days=int(i))).isoformat(),
            "migrants": int(mig[i]),
            "boats": int(boats[i]),
        }
        for i in order
    ]
    weeks = []
    sunday = EPOCH + timedelta(days=(6 - EPOCH.weekday()))
    while sunday <= last:
        m, b = period_sums(series, sunday - timedelta(days=6), sunday)
        weeks.append({"week_ending": sunday.isoformat(), "migrants": m, "boats": b})
        sunday += timedelta(days=7)
    months = []
    cursor = EPOCH
    while cursor <= last:
        following = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        end = min(following - timedelta(days=1), last)
        m, b = period_sums(series, cursor, end)
        months.append(
            {
                "month": cursor.strftime("%Y-%m"),
                "migrants": m,
                "boats": b,
                "complete": end == following - timedelta(days=1),
            }
        )
        cursor = following
    curves = cumulative_by_year(series)
    curve = []
    reference = date(2024, 1, 1)  # a leap year, so every calendar date has a place
    for k in range(366):
        when = reference + timedelta(days=k)
        best: tuple[int, int] | None = None
        for year, values in curves.items():
            index = series.offset(same_date_in(year, when)) - series.offset(date(year, 1, 1))
            if index < len(values) and (best is None or values[index] > best[1]):
                best = (year, values[index])
        if best is not None:
            curve.append({"date": when.strftime("%m-%d"), "year": best[0], "migrants": best[1]})
    segments: list[dict[str, Any]] = []
    for point in curve:
        if segments and segments[-1]["year"] == point["year"]:
            segments[-1]["to"] = point["date"]
        else:
            segments.append({"from": point["date"], "to": point["date"], "year": point["year"]})
    a = series.offset(EPOCH)
    return {
        "through": last.isoformat(),
        "vintage": series.label_of(int(series.source[a:n].max())),
        "days": days,
        "weeks": _top(weeks, top),
        "months": _top(months, top),
        "years": _top(years(series), top),
        "year_to_date": {"record_holders": segments, "curve": curve},
    }


def preventions(
    weekly: Sequence[tuple[WeeklyFigure, Vintage]],
    *,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    """Weekly arrivals against French preventions; share prevented = prevented / attempted."""
    rows = []
    totals: dict[int, dict[str, int]] = defaultdict(
        lambda: {"migrants_arrived": 0, "migrants_prevented": 0, "events_prevented": 0, "weeks": 0}
    )
    for figure, vintage in weekly:
        if (start and figure.week_ending < start) or (end and figure.week_ending > end):
            continue
        arrived, prevented = figure.migrants, figure.migrants_prevented
        share = (
            round(prevented / (arrived + prevented) * 100, 1)
            if arrived is not None and prevented is not None and arrived + prevented
            else None
        )
        rows.append(
            {
                "week_ending": figure.week_ending.isoformat(),
                "migrants_arrived": arrived,
                "boats_arrived": figure.boats,
                "migrants_prevented": prevented,
                "events_prevented": figure.events_prevented,
                "share_prevented_pct": share,
                "notes": figure.notes,
                "vintage": vintage.label,
            }
        )
        if arrived is not None and prevented is not None and figure.events_prevented is not None:
            year = totals[figure.week_ending.year]
            year["migrants_arrived"] += arrived
            year["migrants_prevented"] += prevented
            year["events_prevented"] += figure.events_prevented
            year["weeks"] += 1
    if not rows:
        raise NotFound("no weekly figures in that range")
    by_year = [
        {
            "year": year,
            **values,
            "share_prevented_pct": _share(values["migrants_prevented"], values["migrants_arrived"]),
        }
        for year, values in sorted(totals.items())
    ]
    return {
        "vintage": max((v for _, v in weekly), key=lambda v: v.order_key).label,
        "weeks": rows,
        "by_year": by_year,
        "note": "Preventions are French operational estimates; '-' (null) before they were "
        "shared. Weeks end on Sunday; by_year counts only weeks with preventions recorded.",
    }


def _share(prevented: int, arrived: int) -> float | None:
    return round(prevented / (prevented + arrived) * 100, 1) if prevented + arrived else None


def _breakdown(rows: Iterable[NationalityFigure], key: str, total: int) -> list[dict[str, Any]]:
    sums: dict[tuple[str, ...], int] = defaultdict(int)
    for row in rows:
        group: tuple[str, ...] = (
            (row.nationality, row.region) if key == "nationality" else (str(getattr(row, key)),)
        )
        sums[group] += row.detections
    out = []
    for group, count in sorted(sums.items(), key=lambda item: (-item[1], item[0])):
        entry: dict[str, Any] = {key: group[0]}
        if key == "nationality":
            entry["region"] = group[1]
        entry.update({"detections": count, "share_pct": round(count / total * 100, 1)})
        out.append(entry)
    return out


def nationalities(
    final: tuple[Vintage, Sequence[NationalityFigure]], year: int, top: int | None = None
) -> dict[str, Any]:
    vintage, table = final
    rows = [row for row in table if row.year == year]
    if not rows:
        years_held = sorted({row.year for row in table})
        raise NotFound(
            f"the final table {vintage.label} has no figures for {year} "
            f"(it covers {years_held[0]}-{years_held[-1]})"
        )
    total = sum(row.detections for row in rows)
    by_nationality = _breakdown(rows, "nationality", total)
    return {
        "year": year,
        "vintage": vintage.label,
        "status": "final",
        "total": total,
        "by_nationality": by_nationality[:top] if top else by_nationality,
        "by_sex": _breakdown(rows, "sex", total),
        "by_age_group": _breakdown(rows, "age_group", total),
        "by_quarter": [
            {"quarter": q, "detections": sum(r.detections for r in rows if r.quarter == q)}
            for q in sorted({r.quarter for r in rows})
        ],
    }


def provisional_against_final(
    final: tuple[Vintage, Sequence[NationalityFigure]], series: DailySeries
) -> list[dict[str, Any]]:
    """For each year of the final table: final total, provisional (daily series) total, gap."""
    vintage, table = final
    totals: dict[int, int] = defaultdict(int)
    for row in table:
        totals[row.year] += row.detections
    out = []
    for year, final_total in sorted(totals.items()):
        try:
            provisional, _ = period_sums(series, date(year, 1, 1), date(year, 12, 31))
        except NotFound:
            provisional = None
        out.append(
            {
                "year": year,
                "final": final_total,
                "final_vintage": vintage.label,
                "provisional": provisional,
                "provisional_vintage": _newest(series) if provisional is not None else None,
                "difference": None if provisional is None else final_total - provisional,
                "difference_pct": (
                    None
                    if provisional is None or provisional == 0
                    else round((final_total - provisional) / provisional * 100, 2)
                ),
            }
        )
    return out


def _newest(series: DailySeries) -> str:
    return series.label_of(int(series.source[: series.contiguous_days].max()))


def revisions(
    data: StatsData, before: str | None = None, after: str | None = None
) -> dict[str, Any]:
    """Which days (and weeks) changed between two vintages, field by field, and by how much.

    Defaults: the two latest time-series spreadsheets."""
    sheets = [v for v in data.vintages if v.kind == "timeseries"]
    after_v = data.vintage(after) if after else (sheets[-1] if sheets else None)
    if after_v is None:
        raise NotFound("no time-series vintage stored; nothing to compare")
    if before:
        before_v = data.vintage(before)
    else:
        earlier = [v for v in sheets if v.order_key < after_v.order_key]
        if not earlier:
            raise NotFound(f"no time-series vintage published before {after_v.label} to compare")
        before_v = earlier[-1]
    if before_v.id == after_v.id:
        raise InputError("compare two different vintages", field="to")
    changed: list[dict[str, Any]] = []
    a, b = data.daily.get(before_v.id), data.daily.get(after_v.id)
    added: list[int] = []
    removed: list[int] = []
    net = {"migrants": 0, "boats": 0}
    if a is not None and b is not None:
        pos_a = {int(o): i for i, o in enumerate(a.offsets.tolist())}
        pos_b = {int(o): i for i, o in enumerate(b.offsets.tolist())}
        for offset in sorted(pos_a.keys() & pos_b.keys()):
            i, j = pos_a[offset], pos_b[offset]
            when = (EPOCH + timedelta(days=offset)).isoformat()
            for name, xs, ys in (
                ("migrants", a.migrants, b.migrants),
                ("boats", a.boats, b.boats),
                ("uncontrolled_landings", a.uncontrolled, b.uncontrolled),
            ):
                old, new = _count(int(xs[i])), _count(int(ys[j]))
                if old != new:
                    change = None if old is None or new is None else new - old
                    changed.append(
                        {"date": when, "field": name, "before": old, "after": new, "change": change}
                    )
                    if name in net and change is not None:
                        net[name] += change
            old_note, new_note = a.notes.get(offset, ""), b.notes.get(offset, "")
            if old_note != new_note:
                changed.append(
                    {
                        "date": when,
                        "field": "notes",
                        "before": old_note,
                        "after": new_note,
                        "change": None,
                    }
                )
        added = sorted(pos_b.keys() - pos_a.keys())
        removed = sorted(pos_a.keys() - pos_b.keys())
    weekly_changed: list[dict[str, Any]] = []
    wa = {row.week_ending: row for row in data.weekly.get(before_v.id, ())}
    wb = {row.week_ending: row for row in data.weekly.get(after_v.id, ())}
    for week in sorted(wa.keys() & wb.keys()):
        for name in (
            "migrants",
            "boats",
            "uncontrolled_landings",
            "migrants_prevented",
            "events_prevented",
            "notes",
        ):
            old, new = getattr(wa[week], name), getattr(wb[week], name)
            if old != new:
                weekly_changed.append(
                    {
                        "week_ending": week.isoformat(),
                        "field": name,
                        "before": old,
                        "after": new,
                        "change": new - old
                        if isinstance(old, int) and isinstance(new, int)
                        else None,
                    }
                )

    def span(offsets: list[int]) -> dict[str, Any]:
        return {
            "count": len(offsets),
            "first": (EPOCH + timedelta(days=offsets[0])).isoformat() if offsets else None,
            "last": (EPOCH + timedelta(days=offsets[-1])).isoformat() if offsets else None,
        }

    return {
        "from": before_v.label,
        "to": after_v.label,
        "daily": {
            "changed": changed,
            "changed_days": len({row["date"] for row in changed}),
            "added": span(added),
            "removed": span(removed),
            "net_change": net,
        },
        "weekly": {
            "changed": weekly_changed,
            "changed_weeks": len({row["week_ending"] for row in weekly_changed}),
            "added": len(wb.keys() - wa.keys()),
            "removed": len(wa.keys() - wb.keys()),
        },
    }
