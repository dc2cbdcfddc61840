"""``manche stats ...`` through typer's CliRunner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from manche.cli import app
from manche.config import get_settings
from manche.storage import Database
from tests.stats_reference import (
    HOMEOFFICE,
    LATEST,
    cells,
    reference_sum,
    rewrite_ods,
    row_for,
    rows,
    set_date,
    set_number,
    set_text,
    sheet,
    sheet_row_number,
    snapshot,
    truncated_copy,
)

Run = Callable[..., Result]


@pytest.fixture
def run(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    monkeypatch.setenv("MANCHE_DATABASE_URL", database.url)
    get_settings.cache_clear()

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()


def _json(result: Result) -> object:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_first_use_imports_and_says_so_on_stderr(run: Run) -> None:
    first = run("stats", "summary", "--as-of", "2026-08-21", "--json")
    assert "importing the bundled Home Office files" in first.stderr
    summary = _json(first)
    assert isinstance(summary, dict)
    assert summary["year_to_date"] == dict(
        zip(
            ("migrants", "boats"),
            reference_sum(LATEST, date(2026, 1, 1), date(2026, 8, 20)),
            strict=True,
        )
    )
    again = run("stats", "summary", "--as-of", "2026-08-21", "--json")
    assert "importing" not in again.stderr and _json(again) == summary


def test_day_period_years_json_interfaces(run: Run) -> None:
    day = _json(run("stats", "day", "2023-06-11", "--json"))
    assert day == {
        "date": "2023-06-11",
        "migrants": 549,  # SB_01, row of 2023-06-11: 549, 10, 0, 'Revised'
        "boats": 10,
        "uncontrolled_landings": 0,
        "notes": "Revised",
        "vintage": "ods-2026-08-21",
    }
    period = _json(run("stats", "period", "--from", "2022-01-01", "--to", "2022-12-31", "--json"))
    assert isinstance(period, dict)
    assert {k: period[k] for k in ("from", "to", "days", "migrants")} == {
        "from": "2022-01-01",
        "to": "2022-12-31",
        "days": 365,
        "migrants": 45_755,
    }
    years = _json(run("stats", "years", "--json"))
    assert isinstance(years, list)
    assert all({"year", "migrants", "boats", "people_per_boat"} <= set(row) for row in years)
    assert [row["year"] for row in years] == list(range(2018, 2027))


def test_tables_for_people(run: Run) -> None:
    out = run("stats", "summary", "--through", "2022-12-31")
    assert out.exit_code == 0
    assert "45,755" in out.stdout and "A record" in out.stdout
    assert "Revised" in run("stats", "day", "2023-06-11").stdout
    assert "2022" in run("stats", "years").stdout
    records = run("stats", "records", "--top", "3")
    assert records.exit_code == 0 and "Top days" in records.stdout
    prevent = run("stats", "preventions", "--year", "2025")
    assert prevent.exit_code == 0 and "% prevented" in prevent.stdout
    nat = run("stats", "nationalities", "--year", "2022", "--top", "5")
    assert nat.exit_code == 0 and "45,774" in nat.stdout and "Albania" in nat.stdout
    rev = run("stats", "revisions")
    assert rev.exit_code == 0 and "ods-2026-04-10 → ods-2026-08-21" in rev.stdout
    assert "ods-2026-08-21" in run("stats", "vintages").stdout


def test_nationalities_json_has_final_against_provisional(run: Run) -> None:
    result = _json(run("stats", "nationalities", "--year", "2022", "--json"))
    assert isinstance(result, dict)
    assert result["total"] == 45_774
    row = next(r for r in result["provisional_against_final"] if r["year"] == 2022)
    assert (row["final"], row["provisional"], row["difference"]) == (45_774, 45_755, 19)


def test_vintage_option(run: Run) -> None:
    pinned = _json(run("stats", "summary", "--vintage", "ods-2025-11-28", "--json"))
    assert isinstance(pinned, dict)
    assert pinned["through"] == "2025-11-27" and pinned["vintage"] == "ods-2025-11-28"
    missing = run("stats", "summary", "--vintage", "ods-1999-01-01")
    assert missing.exit_code == 2 and "no vintage 'ods-1999-01-01'" in missing.stderr


def test_revisions_json(run: Run) -> None:
    result = _json(
        run("stats", "revisions", "--from", "ods-2026-04-10", "--to", "ods-2026-08-21", "--json")
    )
    assert isinstance(result, dict)
    assert result["weekly"]["changed_weeks"] == 7
    assert result["daily"]["added"]["first"] == "2026-04-10"


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_chart_cumulative(run: Run, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"chart.{suffix}"
    result = run("stats", "chart", "cumulative", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    content = out.read_bytes()
    if suffix == "png":
        assert content.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        text = content.decode()
        ytd = reference_sum(LATEST, date(2026, 1, 1), date(2026, 8, 20))[0]
        assert "<svg" in text and f"2026: {ytd:,}" in text
        assert "Vintage: ods-2026-08-21" in text and "Source: Home Office" in text
        for year in range(2018, 2026):
            total = reference_sum(LATEST, date(year, 1, 1), date(year, 12, 31))[0]
            assert f"{year}: {total:,}" in text


def test_chart_bars_and_bad_output(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "weekly.svg"
    assert run("stats", "chart", "weekly", "--out", str(out)).exit_code == 0
    assert "per week" in out.read_text()
    daily = run("stats", "chart", "daily", "--out", str(tmp_path / "d.png"), "--from", "2026-06-01")
    assert daily.exit_code == 0 and (tmp_path / "d.png").stat().st_size > 10_000
    bad = run("stats", "chart", "cumulative", "--out", str(tmp_path / "c.gif"))
    assert bad.exit_code == 2 and "--out must end in .png or .svg" in bad.stderr


def test_bad_date_argument(run: Run) -> None:
    result = run("stats", "day", "2023-13-01")
    assert (
        result.exit_code == 2 and "expected a date YYYY-MM-DD, found '2023-13-01'" in result.stderr
    )


# ------------------------------------------------------------------ import and bad files


def test_import_a_revised_vintage_end_to_end(run: Run, tmp_path: Path) -> None:
    """A later spreadsheet revises 2023-06-11 from 549 to 560: both vintages are kept, the new
    one answers by default, the old one on request, and `revisions` shows the change."""

    def revise(root: object) -> None:
        cell = cells(row_for(sheet(root, "SB_01"), date(2023, 6, 11)))[1]  # type: ignore[arg-type]
        set_number(cell, 560)

    revised = rewrite_ods(
        LATEST, tmp_path / "small_boats_time_series_2026-08-28.ods", revise, "2026-08-28T08:00:00Z"
    )
    result = run("stats", "import", str(revised), "--json")
    assert "importing the bundled Home Office files first" in result.stderr  # first use
    imported = _json(result)
    assert isinstance(imported, list) and imported[0]["vintage"] == "ods-2026-08-28"
    now = _json(run("stats", "day", "2023-06-11", "--json"))
    then = _json(run("stats", "day", "2023-06-11", "--vintage", "ods-2026-08-21", "--json"))
    assert isinstance(now, dict) and isinstance(then, dict)
    assert (now["migrants"], now["vintage"]) == (560, "ods-2026-08-28")
    assert (then["migrants"], then["vintage"]) == (549, "ods-2026-08-21")
    revisions = _json(run("stats", "revisions", "--json"))
    assert isinstance(revisions, dict)
    assert (revisions["from"], revisions["to"]) == ("ods-2026-08-21", "ods-2026-08-28")
    assert revisions["daily"]["changed"] == [
        {"date": "2023-06-11", "field": "migrants", "before": 549, "after": 560, "change": 11}
    ]
    year = _json(run("stats", "period", "--from", "2023-01-01", "--to", "2023-12-31", "--json"))
    assert isinstance(year, dict) and year["migrants"] == 29_437 + 11


def test_import_a_page(run: Run) -> None:
    assert run("stats", "years").exit_code == 0
    page = HOMEOFFICE / "last_7_days_2026-05-02.html"
    again = run("stats", "import", str(page))
    assert again.exit_code == 2 and "already imported as vintage page-2026-05-02" in again.stderr


def _bad_files(tmp: Path) -> dict[str, tuple[Path, list[str]]]:
    def text_in_number(root: object) -> None:
        set_text(cells(row_for(sheet(root, "SB_01"), date(2023, 6, 11)))[1], "549?")  # type: ignore[arg-type]

    def out_of_order(root: object) -> None:
        set_date(cells(row_for(sheet(root, "SB_01"), date(2023, 6, 11)))[0], date(2023, 6, 9))  # type: ignore[arg-type]

    def renamed_column(root: object) -> None:
        set_text(cells(rows(sheet(root, "SB_02"))[0])[4], "People stopped")  # type: ignore[arg-type]

    def missing_sheet(root: object) -> None:
        daily = sheet(root, "SB_01")  # type: ignore[arg-type]
        daily.getparent().remove(daily)

    page = (HOMEOFFICE / "last_7_days_2026-08-21.html").read_text(encoding="utf-8")
    start, end = page.index("<table"), page.index("</table>") + len("</table>")
    no_table = tmp / "no_table.html"
    no_table.write_text(page[:start] + page[end:], encoding="utf-8")
    row = str(sheet_row_number(date(2023, 6, 11)))
    return {
        "text in a number cell": (
            rewrite_ods(LATEST, tmp / "text.ods", text_in_number),
            ["text.ods", "sheet SB_01", f"row {row}", "Migrants arrived", "'549?'"],
        ),
        "date out of order": (
            rewrite_ods(LATEST, tmp / "order.ods", out_of_order),
            ["order.ods", "sheet SB_01", f"row {row}", "Date", "date out of order"],
        ),
        "renamed column": (
            rewrite_ods(LATEST, tmp / "column.ods", renamed_column),
            ["column.ods", "sheet SB_02", "row 1", "migrants prevented", "'People stopped'"],
        ),
        "missing sheet": (
            rewrite_ods(LATEST, tmp / "nosheet.ods", missing_sheet),
            ["nosheet.ods", "sheet SB_01", "missing sheet"],
        ),
        "truncated": (truncated_copy(LATEST, tmp / "cut.ods"), ["cut.ods", "corrupt or truncated"]),
        "page with no table": (no_table, ["no_table.html", "no arrivals table"]),
        "duplicate import": (LATEST, [LATEST.name, "already imported as vintage ods-2026-08-21"]),
    }


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    return _bad_files(tmp_path_factory.mktemp("bad"))


def test_every_bad_input_exits_2_names_the_place_and_changes_nothing(
    run: Run, database: Database, tmp_path: Path, bad_files: dict[str, tuple[Path, list[str]]]
) -> None:
    assert run("stats", "years", "--json").exit_code == 0  # first use: bundled files imported
    before = snapshot(database)
    for name, (path, words) in bad_files.items():
        # a good new file alongside the bad one must not be stored either
        good = tmp_path / "good_copy.csv"
        good.write_text(
            "Year,Quarter,Method of entry,Nationality,Region,Sex,Age Group,Number of detections\n"
            "2024,1,Small boat arrivals,Albania,Europe Other,Male,18 to 24,5\n"
        )
        result = run("stats", "import", str(good), str(path))
        assert result.exit_code == 2, name
        assert result.stderr.startswith("error: "), name
        for word in words:
            assert word in result.stderr, (name, word, result.stderr)
        assert snapshot(database) == before, name


def test_setup_imports_the_bundled_files_once(run: Run, database: Database) -> None:
    first = run("setup")
    assert first.exit_code == 0, first.stderr
    assert "Imported 8 bundled official files" in first.stderr
    assert len(snapshot(database)[0]) == 8
    second = run("setup")
    assert "already imported" in second.stderr and len(snapshot(database)[0]) == 8
