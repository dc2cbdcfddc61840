"""The final quarterly table (CSV): totals by year from the csv module, and bad tables refused."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from manche.errors import ImportRejected
from manche.sources.nationality_csv import read_nationality_csv
from tests.stats_reference import NATIONALITY


def _totals_by_year() -> Counter[int]:
    totals: Counter[int] = Counter()
    with NATIONALITY.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            totals[int(row["Year"])] += int(row["Number of detections"])
    return totals


def test_yearly_totals_match_the_file() -> None:
    parsed = read_nationality_csv(NATIONALITY)
    ours: Counter[int] = Counter()
    for row in parsed.nationality:
        ours[row.year] += row.detections
    assert ours == _totals_by_year()
    assert ours[2022] == 45_774  # PROVENANCE.md: final 2022 figure
    assert parsed.label == "final-2018Q1-2023Q4"
    # First data row of the file: 2018,1,Small boat arrivals,Albania,Europe Other,Female,18 to 24,1
    first = parsed.nationality[0]
    assert (first.year, first.quarter, first.nationality, first.sex, first.age_group) == (
        2018,
        1,
        "Albania",
        "Female",
        "18 to 24",
    )


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "table.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HEADER = "Year,Quarter,Method of entry,Nationality,Region,Sex,Age Group,Number of detections"


def test_text_in_count_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [HEADER, "2018,1,Small boat arrivals,Albania,Europe Other,Male,18 to 24,x"]
    )
    with pytest.raises(
        ImportRejected, match=r"file table\.csv, row 2, column 'Number of detections'"
    ):
        read_nationality_csv(path)


def test_renamed_column_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER.replace("Nationality", "Citizenship")])
    with pytest.raises(ImportRejected, match="no column 'nationality'"):
        read_nationality_csv(path)


def test_bad_quarter_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [HEADER, "2018,5,Small boat arrivals,Albania,Europe Other,Male,18 to 24,3"]
    )
    with pytest.raises(ImportRejected, match=r"row 2, column 'Quarter'"):
        read_nationality_csv(path)


def test_other_methods_of_entry_are_left_out_and_said(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            HEADER,
            "2018,1,Small boat arrivals,Albania,Europe Other,Male,18 to 24,3",
            "2018,1,Inadequately documented air arrivals,Albania,Europe Other,Male,18 to 24,9",
        ],
    )
    parsed = read_nationality_csv(path)
    assert [row.detections for row in parsed.nationality] == [3]
    assert parsed.remarks == ("1 rows of other methods of entry left out",)
