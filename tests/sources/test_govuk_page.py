"""The GOV.UK "last 7 days" page adapter: real snapshots, and pages it must refuse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from manche.errors import ImportRejected
from manche.sources.govuk_page import read_page
from tests.stats_reference import HOMEOFFICE, LATEST, reference_daily

PAGE = HOMEOFFICE / "last_7_days_2026-08-21.html"


def test_page_rows_as_printed() -> None:
    parsed = read_page(PAGE)
    # The table on the page, read by eye: '14 August 2026' 93 1 0; '17 August 2026' 250 3 0.
    by_day = {d.day: d for d in parsed.daily}
    assert [d.day for d in parsed.daily] == [date(2026, 8, d) for d in range(14, 21)]
    assert (by_day[date(2026, 8, 14)].migrants, by_day[date(2026, 8, 14)].boats) == (93, 1)
    assert (by_day[date(2026, 8, 17)].migrants, by_day[date(2026, 8, 17)].boats) == (250, 3)
    # <meta name="govuk:public-updated-at" content="2026-08-21T13:08:38+01:00">
    assert parsed.published_at is not None
    assert parsed.published_at.isoformat() == "2026-08-21T12:08:38+00:00"
    assert parsed.label == "page-2026-08-21"


def test_page_agrees_with_the_spreadsheet_published_the_same_day() -> None:
    sheet = reference_daily(LATEST)
    for row in read_page(PAGE).daily:
        assert (row.migrants, row.boats, row.uncontrolled_landings) == sheet[row.day][:3]


def test_every_snapshot_reads() -> None:
    for path in sorted(HOMEOFFICE.glob("last_7_days_*.html")):
        parsed = read_page(path)
        assert len(parsed.daily) == 7
        assert parsed.published_at is not None


def _variant(tmp_path: Path, old: str, new: str, name: str = "page.html") -> Path:
    text = PAGE.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_page_without_a_table_is_refused(tmp_path: Path) -> None:
    text = PAGE.read_text(encoding="utf-8")
    start, end = text.index("<table"), text.index("</table>") + len("</table>")
    bare = tmp_path / "notable.html"
    bare.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"file notable\.html: no arrivals table on this page"):
        read_page(bare)


def test_text_in_a_count_names_row_and_column(tmp_path: Path) -> None:
    bad = _variant(tmp_path, ">250<", ">about 250<")
    with pytest.raises(ImportRejected) as caught:
        read_page(bad)
    # 17 August is the 4th data row; the header is row 1.
    assert (caught.value.sheet, caught.value.row, caught.value.column) == (
        "table 1",
        5,
        "Migrants arrived",
    )


def test_bad_date_is_refused(tmp_path: Path) -> None:
    bad = _variant(tmp_path, ">15 August 2026<", ">15 Augustus 2026<")
    with pytest.raises(ImportRejected, match=r"row 3, column 'Date': expected a date"):
        read_page(bad)


def test_date_out_of_order_is_refused(tmp_path: Path) -> None:
    bad = _variant(tmp_path, ">15 August 2026<", ">13 August 2026<")
    with pytest.raises(ImportRejected, match="date out of order"):
        read_page(bad)


def test_renamed_column_is_refused(tmp_path: Path) -> None:
    bad = _variant(tmp_path, ">Boats arrived<", ">Dinghies<", "renamed.html")
    with pytest.raises(ImportRejected, match="no column 'boats arrived'"):
        read_page(bad)
