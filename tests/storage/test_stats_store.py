"""The statistics store, on SQLite and PostgreSQL: every vintage kept, all-or-nothing imports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from manche.errors import Conflict, NotFound
from manche.readings import stats as readings
from manche.sources.stats_files import bundled_files, read_stats_file
from manche.storage import Database, stats_store
from tests.stats_reference import APRIL, HOMEOFFICE, LATEST, snapshot


@pytest.fixture
def loaded(database: Database) -> Database:
    messages: list[str] = []
    stats_store.ensure_loaded(database, messages.append)
    assert messages[0].startswith("The statistics store is empty: importing")
    return database


def test_first_use_imports_every_bundled_file_once(loaded: Database) -> None:
    data = stats_store.load(loaded)
    assert len(data.vintages) == len(bundled_files()) == 8
    # Nothing is overwritten: each vintage keeps all its own rows.
    latest = next(v for v in data.vintages if v.label == "ods-2026-08-21")
    april = next(v for v in data.vintages if v.label == "ods-2026-04-10")
    assert len(data.daily[latest.id].offsets) == (date(2026, 8, 20) - date(2018, 1, 1)).days + 1
    assert len(data.daily[april.id].offsets) == (date(2026, 4, 9) - date(2018, 1, 1)).days + 1
    assert stats_store.import_bundled(loaded) == []  # idempotent
    assert len(stats_store.load(loaded).vintages) == 8


def test_reimport_of_same_file_is_refused_and_changes_nothing(loaded: Database) -> None:
    before = snapshot(loaded)
    with pytest.raises(
        Conflict, match=r"already imported as vintage ods-2026-08-21.*nothing changed"
    ):
        stats_store.store(loaded, [read_stats_file(LATEST)])
    assert snapshot(loaded) == before


def test_a_batch_is_all_or_nothing(database: Database) -> None:
    stats_store.store(database, [read_stats_file(APRIL)])
    before = snapshot(database)
    with pytest.raises(Conflict):
        # the first file is new, the second already stored: neither may remain
        stats_store.store(database, [read_stats_file(LATEST), read_stats_file(APRIL)])
    assert snapshot(database) == before


def test_same_file_twice_in_one_batch_is_refused(database: Database) -> None:
    with pytest.raises(Conflict, match="given twice"):
        stats_store.store(database, [read_stats_file(LATEST), read_stats_file(LATEST)])
    assert snapshot(database)[0] == ()


def test_not_recorded_is_stored_as_null(loaded: Database) -> None:
    with loaded.transaction() as tx:
        row = tx.one(
            "SELECT d.uncontrolled_landings, d.migrants FROM stats_daily d "
            "JOIN stats_vintages v ON v.id = d.vintage_id "
            "WHERE v.label = ? AND d.day = ?",
            ("ods-2026-08-21", "2018-01-01"),
        )
    assert row[0] is None and row[1] == 0


def test_latest_publication_covering_a_day_answers(loaded: Database) -> None:
    data = stats_store.load(loaded)
    series = data.series()
    # 17 August 2026 is in the spreadsheet (07:37 UTC) and the page (12:08 UTC) of 21 August.
    assert readings.day(series, date(2026, 8, 17))["vintage"] == "page-2026-08-21"
    assert readings.day(data.series("ods-2026-08-21"), date(2026, 8, 17))["vintage"] == (
        "ods-2026-08-21"
    )
    # 30 December 2025: page of 1 January 2026, later replaced by the spreadsheet of 10 April.
    assert readings.day(series, date(2025, 12, 30))["vintage"] == "ods-2026-08-21"
    assert readings.day(data.series("page-2026-01-01"), date(2025, 12, 30))["vintage"] == (
        "page-2026-01-01"
    )
    # As published on 31 December 2025 the spreadsheet stopped at 28 December.
    with pytest.raises(NotFound, match="2025-12-30"):
        readings.day(data.series("ods-2025-12-31"), date(2025, 12, 30))
    # A vintage may also be named by its publication date.
    assert data.vintage("2026-04-10").label == "ods-2026-04-10"
    with pytest.raises(NotFound, match="no vintage 'ods-1999-01-01'"):
        data.vintage("ods-1999-01-01")


def test_cache_follows_new_imports(database: Database) -> None:
    stats_store.store(database, [read_stats_file(APRIL)])
    first = stats_store.load(database)
    assert stats_store.load(database) is first
    stats_store.store(database, [read_stats_file(HOMEOFFICE / "last_7_days_2026-05-02.html")])
    second = stats_store.load(database)
    assert second is not first and len(second.vintages) == 2


def test_setup_paths_are_the_bundled_files() -> None:
    names = {p.name for p in stats_store.bundled_paths()}
    assert {LATEST.name, APRIL.name, "last_7_days_2026-08-21.html"} <= names
    assert all(isinstance(p, Path) and p.exists() for p in stats_store.bundled_paths())


def test_revisions_need_two_vintages(database: Database) -> None:
    stats_store.store(database, [read_stats_file(APRIL)])
    with pytest.raises(NotFound, match="no time-series vintage published before ods-2026-04-10"):
        readings.revisions(stats_store.load(database))


def test_concurrent_first_use_imports_once(database: Database) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: stats_store.ensure_loaded(database), range(3)))
    assert all(len(r.vintages) == 8 for r in results)
    assert len(snapshot(database)[0]) == 8
