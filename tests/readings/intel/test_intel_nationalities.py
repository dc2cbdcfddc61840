"""Nationalities per incident, by quarter, against the Home Office final quarterly table."""

from __future__ import annotations

import csv
from collections.abc import Callable

from manche.domain.events.base import Event
from manche.readings.intel.nationalities import by_period, compare_with_official, per_incident
from manche.sources.nationality_quarterly import default_path, load

MakeEvent = Callable[..., Event]


def test_official_table_totals_match_provenance() -> None:
    table = load()
    # PROVENANCE.md: "2022: 45,774 final"
    assert sum(v for (year, _, _), v in table.items() if year == 2022) == 45_774


def test_one_count_per_incident_landing_preferred(make_event: MakeEvent) -> None:
    rescue = make_event(
        "rescue",
        incident="I1",
        persons={"total": 60},
        nationalities={"Afghanistan": 30, "Eritrea": 10},
    )
    landing = make_event(
        "landing", incident="I1", persons={"total": 60}, nationalities={"Afghanistan": 25}
    )
    items = per_incident([rescue, landing])
    assert len(items) == 1 and items[0].event_type == "landing"
    assert items[0].unknown == 35
    report = by_period(items, "quarter")
    assert report == {"2026-Q3": {"Afghanistan": 25, "(not recorded)": 35}}


def test_comparison_with_the_official_quarter(make_event: MakeEvent) -> None:
    landing = make_event(
        "landing",
        incident="I9",
        occurred_at="2022-08-01T03:00:00Z",
        recorded_at="2022-08-01T04:00:00Z",
        persons={"total": 40},
        nationalities={"Albania": 40},
    )
    rows = compare_with_official(by_period(per_incident([landing])), load())
    albania = next(r for r in rows if r.nationality == "Albania")
    with default_path().open(newline="") as handle:
        expected = sum(
            int(r["Number of detections"])
            for r in csv.DictReader(handle)
            if r["Year"] == "2022" and r["Quarter"] == "3" and r["Nationality"] == "Albania"
        )
    assert albania.official == expected and expected > 1000
    assert albania.recorded == 40 and albania.difference == 40 - expected
