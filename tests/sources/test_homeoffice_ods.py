"""The time-series ODS adapter: conformance over the real vintages, and every bad file refused.

Expected figures come from an independent reading of the OpenDocument XML (lxml, not
calamine; tests/stats_reference.py) or from the PROVENANCE notes; bad files are built by
editing the real file's content.xml with lxml.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from manche.errors import ImportRejected
from manche.sources.homeoffice_ods import read_timeseries
from tests.stats_reference import (
    APRIL,
    HOMEOFFICE,
    LATEST,
    cells,
    reference_daily,
    reference_weekly,
    rewrite_ods,
    row_for,
    rows,
    set_date,
    set_number,
    set_text,
    sheet,
    sheet_row_number,
    truncated_copy,
)

VINTAGES = sorted(HOMEOFFICE.glob("small_boats_time_series_*.ods"))


def test_latest_vintage_matches_the_xml_cell_for_cell() -> None:
    parsed = read_timeseries(LATEST)
    reference = reference_daily(LATEST)
    ours = {d.day: (d.migrants, d.boats, d.uncontrolled_landings, d.notes) for d in parsed.daily}
    assert ours == reference
    weekly = {
        w.week_ending: (
            w.migrants,
            w.boats,
            w.uncontrolled_landings,
            w.migrants_prevented,
            w.events_prevented,
            w.notes,
        )
        for w in parsed.weekly
    }
    assert weekly == reference_weekly(LATEST)


def test_april_vintage_matches_the_xml() -> None:
    parsed = read_timeseries(APRIL)
    assert {
        d.day: (d.migrants, d.boats, d.uncontrolled_landings, d.notes) for d in parsed.daily
    } == (reference_daily(APRIL))


@pytest.mark.parametrize("path", VINTAGES, ids=lambda p: p.name)
def test_every_vintage_starts_2018_and_is_published_on_its_file_date(path: Path) -> None:
    parsed = read_timeseries(path)
    published = date.fromisoformat(path.stem.rsplit("_", 1)[1])
    assert parsed.daily[0].day == date(2018, 1, 1)
    assert parsed.published_at is not None and parsed.published_at.date() == published
    assert parsed.label == f"ods-{published.isoformat()}"
    # A day's figure is published the next day or later: no vintage covers its own date.
    assert parsed.daily[-1].day < published
    # 2022 in every vintage: 45,755 provisional (PROVENANCE.md).
    assert sum(d.migrants or 0 for d in parsed.daily if d.day.year == 2022) == 45_755


def test_dash_is_not_recorded_never_zero() -> None:
    parsed = read_timeseries(LATEST)
    first = parsed.daily[0]
    # SB_01 row 2 (2018-01-01): 0, 0, '-' (uncontrolled landings were not recorded before 2023)
    assert (first.migrants, first.boats, first.uncontrolled_landings) == (0, 0, None)
    # SB_02 row 2 (week ending 2018-01-07): preventions '-'
    week = parsed.weekly[0]
    assert (week.migrants_prevented, week.events_prevented) == (None, None)


def test_revised_note_is_kept() -> None:
    parsed = read_timeseries(LATEST)
    by_day = {d.day: d for d in parsed.daily}
    # SB_01 row for 2023-06-11: 549, 10, 0, 'Revised' (as the XML holds it)
    assert reference_daily(LATEST)[date(2023, 6, 11)] == (549, 10, 0, "Revised")
    assert by_day[date(2023, 6, 11)].notes == "Revised"


# ------------------------------------------------------------------ tolerance


def test_renamed_sheets_and_cover_rows_are_tolerated(tmp_path: Path) -> None:
    def edit(root: object) -> None:
        daily = sheet(root, "SB_01")  # type: ignore[arg-type]
        daily.set("{urn:oasis:names:tc:opendocument:xmlns:table:1.0}name", "Daily arrivals")
        header = rows(daily)[0]
        for text in ("Table SB_01: small boat arrivals", "Source: Home Office", ""):
            cover = header.__copy__()
            for cell in cells(cover)[1:]:
                cover.remove(cell)
            set_text(cells(cover)[0], text)
            header.addprevious(cover)
        weekly = sheet(root, "SB_02")  # type: ignore[arg-type]
        weekly.set("{urn:oasis:names:tc:opendocument:xmlns:table:1.0}name", "Weekly")

    changed = rewrite_ods(LATEST, tmp_path / "renamed.ods", edit)
    parsed = read_timeseries(changed)
    original = read_timeseries(LATEST)
    assert parsed.daily == original.daily
    assert parsed.weekly == original.weekly


# ------------------------------------------------------------------ refusals


def _edit_cell(day: date, column: int, action: str) -> object:
    def edit(root: object) -> None:
        row = row_for(sheet(root, "SB_01"), day)  # type: ignore[arg-type]
        cell = cells(row)[column]
        if action == "text":
            set_text(cell, "about 549")
        elif action == "fraction":
            set_number(cell, 549.5)
        elif action == "dash":
            set_text(cell, "-")

    return edit


def test_text_in_a_number_cell_names_file_sheet_row_column(tmp_path: Path) -> None:
    bad = rewrite_ods(LATEST, tmp_path / "text.ods", _edit_cell(date(2023, 6, 11), 1, "text"))  # type: ignore[arg-type]
    with pytest.raises(ImportRejected) as caught:
        read_timeseries(bad)
    error = caught.value
    assert (error.file, error.sheet) == ("text.ods", "SB_01")
    assert error.row == sheet_row_number(date(2023, 6, 11))
    assert error.column is not None and "Migrants arrived" in error.column
    assert "'about 549'" in error.message and "row 1989" in error.message


def test_fraction_in_a_count_is_refused(tmp_path: Path) -> None:
    bad = rewrite_ods(LATEST, tmp_path / "half.ods", _edit_cell(date(2023, 6, 11), 2, "fraction"))  # type: ignore[arg-type]
    with pytest.raises(ImportRejected, match=r"Boats arrived.*549\.5"):
        read_timeseries(bad)


def test_dash_in_migrants_is_read_as_not_recorded(tmp_path: Path) -> None:
    odd = rewrite_ods(LATEST, tmp_path / "dash.ods", _edit_cell(date(2023, 6, 11), 1, "dash"))  # type: ignore[arg-type]
    by_day = {d.day: d for d in read_timeseries(odd).daily}
    assert by_day[date(2023, 6, 11)].migrants is None
    assert by_day[date(2023, 6, 11)].boats == 10


@pytest.mark.parametrize(
    ("new_day", "words"),
    [
        (date(2023, 6, 13), "expected 2023-06-11 after 2023-06-10, found 2023-06-13"),
        (date(2023, 6, 10), "2023-06-10 repeats the row above"),
        (date(2023, 1, 1), "2023-01-01 is earlier than 2023-06-10 in the row above"),
    ],
)
def test_date_out_of_order_is_refused(tmp_path: Path, new_day: date, words: str) -> None:
    def edit(root: object) -> None:
        row = row_for(sheet(root, "SB_01"), date(2023, 6, 11))  # type: ignore[arg-type]
        set_date(cells(row)[0], new_day)

    bad = rewrite_ods(LATEST, tmp_path / "order.ods", edit)
    with pytest.raises(ImportRejected) as caught:
        read_timeseries(bad)
    assert words in caught.value.message
    assert caught.value.row == sheet_row_number(date(2023, 6, 11))
    assert caught.value.sheet == "SB_01"


def test_text_in_a_date_cell_is_refused(tmp_path: Path) -> None:
    def edit(root: object) -> None:
        row = row_for(sheet(root, "SB_01"), date(2024, 2, 29))  # type: ignore[arg-type]
        set_text(cells(row)[0], "29/02/2024")

    bad = rewrite_ods(LATEST, tmp_path / "textdate.ods", edit)
    with pytest.raises(ImportRejected) as caught:
        read_timeseries(bad)
    assert caught.value.row == sheet_row_number(date(2024, 2, 29))
    assert "column 'A Date': expected a date, found '29/02/2024'" in caught.value.message


def test_renamed_column_is_refused(tmp_path: Path) -> None:
    def edit(root: object) -> None:
        header = rows(sheet(root, "SB_01"))[0]  # type: ignore[arg-type]
        set_text(cells(header)[2], "Boats landed")

    bad = rewrite_ods(LATEST, tmp_path / "column.ods", edit)
    with pytest.raises(ImportRejected) as caught:
        read_timeseries(bad)
    assert (caught.value.sheet, caught.value.row, caught.value.column) == (
        "SB_01",
        1,
        "boats arrived",
    )
    assert "'Boats landed'" in caught.value.message


def test_missing_sheet_is_refused(tmp_path: Path) -> None:
    def edit(root: object) -> None:
        weekly = sheet(root, "SB_02")  # type: ignore[arg-type]
        weekly.getparent().remove(weekly)

    bad = rewrite_ods(LATEST, tmp_path / "nosheet.ods", edit)
    with pytest.raises(ImportRejected) as caught:
        read_timeseries(bad)
    assert caught.value.sheet == "SB_02"
    assert "missing sheet" in caught.value.message
    assert "Cover_sheet, Notes, SB_01" in caught.value.message


@pytest.mark.parametrize("fraction", [0.5, 0.98, 0.0])
def test_truncated_file_is_refused(tmp_path: Path, fraction: float) -> None:
    bad = truncated_copy(LATEST, tmp_path / "cut.ods", fraction)
    with pytest.raises(ImportRejected, match=r"file cut\.ods: not a readable ODS spreadsheet"):
        read_timeseries(bad)


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "corrupt.ods"
    bad.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    with pytest.raises(ImportRejected, match=r"corrupt\.ods"):
        read_timeseries(bad)


def _note_row(template: object, text: str) -> object:
    row = template.__copy__()  # type: ignore[attr-defined]
    for cell in cells(row)[1:]:
        row.remove(cell)
    set_text(cells(row)[0], text)
    return row


def test_footnote_rows_under_the_table_are_tolerated(tmp_path: Path) -> None:
    def edit(root: object) -> None:
        table_rows = rows(sheet(root, "SB_01"))  # type: ignore[arg-type]
        last = next(r for r in reversed(table_rows) if len(r))
        last.addnext(_note_row(table_rows[0], "Source: Home Office, Border Force"))

    parsed = read_timeseries(rewrite_ods(LATEST, tmp_path / "footnote.ods", edit))
    assert parsed.daily == read_timeseries(LATEST).daily


def test_a_note_row_inside_the_table_is_refused(tmp_path: Path) -> None:
    def edit(root: object) -> None:
        table = sheet(root, "SB_01")  # type: ignore[arg-type]
        row_for(table, date(2023, 6, 11)).addprevious(_note_row(rows(table)[0], "Revised data"))

    with pytest.raises(ImportRejected, match="data row after the note in row 1989"):
        read_timeseries(rewrite_ods(LATEST, tmp_path / "inner.ods", edit))


def test_an_empty_count_is_refused_not_read_as_zero(tmp_path: Path) -> None:
    def edit(root: object) -> None:
        set_text(cells(row_for(sheet(root, "SB_01"), date(2023, 6, 11)))[2], "")  # type: ignore[arg-type]

    with pytest.raises(ImportRejected, match="empty cell; expected a whole number or '-'"):
        read_timeseries(rewrite_ods(LATEST, tmp_path / "empty.ods", edit))
