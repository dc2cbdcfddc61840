"""Readings over the real series: conformance against an independent reading of the files,
and property tests (hypothesis) for period arithmetic."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manche.errors import InputError, NotFound
from manche.readings import stats as readings
from manche.readings.stats import EPOCH, DailySeries, StatsData
from manche.storage import open_database, stats_store
from tests.stats_reference import APRIL, LATEST, reference_daily, reference_sum, reference_weekly


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> StatsData:
    path: Path = tmp_path_factory.mktemp("stats") / "m.db"
    db = open_database(f"sqlite:///{path}")
    try:
        return stats_store.ensure_loaded(db)
    finally:
        db.close()


@pytest.fixture(scope="module")
def series(data: StatsData) -> DailySeries:
    return data.series()


LAST = date(2026, 8, 20)  # last day in ods-2026-08-21 (SB_01, final row)


def test_yearly_totals_match_the_spreadsheet(series: DailySeries) -> None:
    by_year = {row["year"]: row for row in readings.years(series)}
    for year in range(2018, 2027):
        end = min(date(year, 12, 31), LAST)
        migrants, boats = reference_sum(LATEST, date(year, 1, 1), end)
        assert (by_year[year]["migrants"], by_year[year]["boats"]) == (migrants, boats), year
    assert by_year[2022]["migrants"] == 45_755  # PROVENANCE.md, provisional
    assert by_year[2026]["complete"] is False and by_year[2026]["through"] == "2026-08-20"
    assert by_year[2025]["complete"] is True


@pytest.mark.parametrize(
    "when",
    [date(2018, 2, 2), date(2021, 11, 11), date(2022, 9, 3), date(2024, 2, 29), date(2026, 3, 1)],
)
def test_sample_of_days(series: DailySeries, when: date) -> None:
    migrants, boats, uncontrolled, notes = reference_daily(LATEST)[when]
    got = readings.day(series, when)
    assert (got["migrants"], got["boats"], got["uncontrolled_landings"], got["notes"]) == (
        migrants,
        boats,
        uncontrolled,
        notes,
    )
    assert set(got) == {"date", "migrants", "boats", "uncontrolled_landings", "notes", "vintage"}


def test_period_is_inclusive(series: DailySeries) -> None:
    got = readings.period(series, date(2022, 8, 1), date(2022, 8, 31))
    assert got["days"] == 31
    assert (got["migrants"], got["boats"]) == reference_sum(
        LATEST, date(2022, 8, 1), date(2022, 8, 31)
    )
    assert got["people_per_boat"] == round(got["migrants"] / got["boats"], 1)


def test_period_errors(series: DailySeries) -> None:
    with pytest.raises(InputError, match=r"ends .* before it starts"):
        readings.period(series, date(2022, 2, 1), date(2022, 1, 1))
    with pytest.raises(NotFound, match="no published figures after 2026-08-20"):
        readings.period(series, date(2026, 8, 1), date(2026, 9, 1))
    with pytest.raises(NotFound, match="starts on 2018-01-01"):
        readings.period(series, date(2017, 12, 1), date(2018, 1, 5))


def test_summary_as_of_is_through_the_day_before(series: DailySeries) -> None:
    as_of = readings.summary(series, as_of=date(2026, 8, 21))
    through = readings.summary(series, through=date(2026, 8, 20))
    assert as_of == through
    assert as_of["as_of"] == "2026-08-21" and as_of["through"] == "2026-08-20"
    ytd = reference_sum(LATEST, date(2026, 1, 1), date(2026, 8, 20))
    assert (as_of["year_to_date"]["migrants"], as_of["year_to_date"]["boats"]) == ytd
    assert [row["year"] for row in as_of["same_point"]] == list(range(2018, 2026))
    for row in as_of["same_point"]:
        then = reference_sum(LATEST, date(row["year"], 1, 1), date(row["year"], 8, 20))
        assert (row["migrants"], row["boats"]) == then
        assert row["change_pct"] == round((ytd[0] - then[0]) / then[0] * 100, 1)
    highest = max(as_of["same_point"], key=lambda r: r["migrants"])
    assert as_of["record"] == {
        "highest_since_2018": ytd[0] > highest["migrants"],
        "previous_highest": {"year": highest["year"], "migrants": highest["migrants"]},
    }
    assert set(as_of) == {"as_of", "through", "vintage", "year_to_date", "same_point", "record"}


def test_summary_record_flag_when_a_record(series: DailySeries) -> None:
    # Through 2022-12-31 the year (45,755) beats every earlier year's full total.
    got = readings.summary(series, through=date(2022, 12, 31))
    assert got["record"]["highest_since_2018"] is True
    assert got["record"]["previous_highest"] == {"year": 2021, "migrants": 28_526}


def test_summary_leap_day_maps_to_28_february(series: DailySeries) -> None:
    got = readings.summary(series, through=date(2024, 2, 29))
    assert {row["year"]: row["through"] for row in got["same_point"]}[2023] == "2023-02-28"


def test_summary_refuses_both_and_beyond_the_data(series: DailySeries) -> None:
    with pytest.raises(InputError, match="not both"):
        readings.summary(series, as_of=date(2026, 1, 2), through=date(2026, 1, 1))
    with pytest.raises(NotFound, match="figures run to 2026-08-20"):
        readings.summary(series, as_of=date(2026, 8, 22))


def test_summary_pinned_to_an_older_vintage(data: StatsData) -> None:
    got = readings.summary(data.series("ods-2025-12-31"))
    assert got["through"] == "2025-12-28" and got["vintage"] == "ods-2025-12-31"


def test_records_top_day_and_week(series: DailySeries) -> None:
    daily = reference_daily(LATEST)
    top_day = max(daily.items(), key=lambda item: (item[1][0], -item[0].toordinal()))
    got = readings.records(series, top=3)
    assert got["days"][0] == {
        "date": top_day[0].isoformat(),
        "migrants": top_day[1][0],
        "boats": top_day[1][1],
    }
    best_week = max(
        (reference_sum(LATEST, sunday - timedelta(days=6), sunday), sunday)
        for sunday in (date(2018, 1, 7) + timedelta(days=7 * k) for k in range(450))
        if sunday <= LAST
    )
    assert got["weeks"][0]["week_ending"] == best_week[1].isoformat()
    assert got["weeks"][0]["migrants"] == best_week[0][0]
    holders = got["year_to_date"]["record_holders"]
    # On 31 December the record belongs to the year with the largest total (2022: 45,755).
    totals = {
        y: reference_sum(LATEST, date(y, 1, 1), date(y, 12, 31))[0] for y in range(2018, 2026)
    }
    assert holders[-1]["to"] == "12-31" and holders[-1]["year"] == max(
        totals, key=totals.__getitem__
    )


def test_weekly_totals_agree_with_sb02(data: StatsData, series: DailySeries) -> None:
    """SB_02 weeks end on Sunday; the sum of SB_01 over the same 7 days must match."""
    weekly = reference_weekly(LATEST)
    for week_ending in (date(2022, 8, 28), date(2024, 6, 2), date(2026, 8, 16)):
        migrants, boats = readings.period_sums(series, week_ending - timedelta(days=6), week_ending)
        assert (migrants, boats) == weekly[week_ending][:2]


def test_preventions_share(data: StatsData) -> None:
    got = readings.preventions(data.weekly_series(), start=date(2026, 8, 16), end=date(2026, 8, 16))
    week = reference_weekly(LATEST)[date(2026, 8, 16)]
    row = got["weeks"][0]
    assert (row["migrants_arrived"], row["migrants_prevented"], row["events_prevented"]) == (
        week[0],
        week[3],
        week[4],
    )
    assert row["share_prevented_pct"] == round(week[3] / (week[3] + week[0]) * 100, 1)
    early = readings.preventions(data.weekly_series(), start=date(2018, 1, 7), end=date(2018, 1, 7))
    assert early["weeks"][0]["migrants_prevented"] is None  # '-' in SB_02


def test_vintage_differences(data: StatsData) -> None:
    got = readings.revisions(data, "ods-2026-04-10", "ods-2026-08-21")
    old, new = reference_weekly(APRIL), reference_weekly(LATEST)
    expected = {
        (week.isoformat(), field)
        for week in old
        for i, field in enumerate(
            [
                "migrants",
                "boats",
                "uncontrolled_landings",
                "migrants_prevented",
                "events_prevented",
                "notes",
            ]
        )
        if old[week][i] != new[week][i]
    }
    assert {(r["week_ending"], r["field"]) for r in got["weekly"]["changed"]} == expected
    # Week ending 2026-03-01: migrants prevented 312 -> 327 (SB_02 of each vintage)
    row = next(
        r
        for r in got["weekly"]["changed"]
        if r["week_ending"] == "2026-03-01" and r["field"] == "migrants_prevented"
    )
    assert (row["before"], row["after"], row["change"]) == (312, 327, 15)
    daily_old, daily_new = reference_daily(APRIL), reference_daily(LATEST)
    changed_days = {d for d in daily_old if daily_old[d] != daily_new[d]}
    assert got["daily"]["changed_days"] == len(changed_days)
    added = sorted(set(daily_new) - set(daily_old))
    assert got["daily"]["added"] == {
        "count": len(added),
        "first": added[0].isoformat(),
        "last": added[-1].isoformat(),
    }


def test_final_against_provisional(data: StatsData, series: DailySeries) -> None:
    rows = {r["year"]: r for r in readings.provisional_against_final(data.final_table(), series)}
    # PROVENANCE.md: 2022 final 45,774 against 45,755 provisional.
    assert (rows[2022]["final"], rows[2022]["provisional"], rows[2022]["difference"]) == (
        45_774,
        45_755,
        19,
    )
    assert set(rows) == set(range(2018, 2024))
    got = readings.nationalities(data.final_table(), 2022, top=3)
    assert got["total"] == 45_774 and len(got["by_nationality"]) == 3
    assert sum(r["detections"] for r in got["by_sex"]) == 45_774
    with pytest.raises(NotFound, match="no figures for 2025"):
        readings.nationalities(data.final_table(), 2025)


# ------------------------------------------------------------------ properties

DAYS = st.integers(min_value=0, max_value=(LAST - EPOCH).days)


@settings(max_examples=200, deadline=None)
@given(a=DAYS, b=DAYS, c=DAYS)
def test_a_period_split_in_two_sums_to_the_whole(
    series: DailySeries, a: int, b: int, c: int
) -> None:
    start, split, end = sorted((a, b, c))
    d0, d1, d2 = (EPOCH + timedelta(days=k) for k in (start, split, end))
    whole = readings.period_sums(series, d0, d2)
    left = readings.period_sums(series, d0, d1)
    right = readings.period_sums(series, d1 + timedelta(days=1), d2) if d1 < d2 else (0, 0)
    assert (left[0] + right[0], left[1] + right[1]) == whole


@settings(max_examples=100, deadline=None)
@given(a=DAYS, b=DAYS)
def test_period_equals_the_sum_of_its_days(series: DailySeries, a: int, b: int) -> None:
    start, end = sorted((a, b))
    got = readings.period(series, EPOCH + timedelta(days=start), EPOCH + timedelta(days=end))
    assert got["days"] == end - start + 1
    assert got["migrants"] == int(series.migrants[start : end + 1].sum())


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=2000), min_size=2, max_size=400),
    data=st.data(),
)
def test_split_property_on_synthetic_series(values: list[int], data: st.DataObject) -> None:
    n = len(values)
    arr = np.array(values, dtype=np.int64)
    synthetic = DailySeries(
        vintages=(), migrants=arr, boats=arr // 40, uncontrolled=arr * 0, source=arr * 0, notes={}
    )
    split = data.draw(st.integers(min_value=0, max_value=n - 2))
    last = EPOCH + timedelta(days=n - 1)
    mid = EPOCH + timedelta(days=split)
    whole = readings.period_sums(synthetic, EPOCH, last)
    left = readings.period_sums(synthetic, EPOCH, mid)
    right = readings.period_sums(synthetic, mid + timedelta(days=1), last)
    assert (
        whole == (left[0] + right[0], left[1] + right[1]) == (sum(values), int((arr // 40).sum()))
    )
