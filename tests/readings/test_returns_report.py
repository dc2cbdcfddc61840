"""The weekly balance report, exported as CSV and ODS and read back independently (csv module,
python-calamine). Scenario worked by hand: removals on Mon 15 Sep and Wed 24 Sep 2025, one
admission arriving Sun 21 Sep 2025: ISO week 38 ends 1 return / 1 admission (balance 0), week 39
ends 2 / 1 (balance 1)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from manche.domain.events.base import Event
from manche.domain.events.returns import (
    AdmissionApplicationReceived,
    AdmissionArrived,
    AdmissionChecksCompleted,
    AdmissionVisaIssued,
    ReturnCaseOpened,
    ReturnRemoved,
    ReturnRequestAnswered,
    ReturnRequestSent,
)
from manche.readings.returns import ReturnsLedger
from manche.readings.returns_report import COLUMNS, TABLE_NAME, to_csv, to_ods, weekly_report


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def ev(cls: type[Event], day: date, **fields: Any) -> Any:
    return cls(agency="UK-HO", author="cw", occurred_at=at(day), recorded_at=at(day), **fields)


def scenario() -> ReturnsLedger:
    events: list[Event] = []
    for n, removal in ((1, date(2025, 9, 15)), (2, date(2025, 9, 24))):
        number = f"RET-2025-00000{n}"
        events += [
            ev(ReturnCaseOpened, date(2025, 9, 1), case_number=number,
               arrived_at=at(date(2025, 9, 1)), basis="claimed_protection", age_category="adult"),
            ev(ReturnRequestSent, date(2025, 9, 5), case_number=number),
            ev(ReturnRequestAnswered, date(2025, 9, 8), case_number=number, accepted=True),
            ev(ReturnRemoved, removal, case_number=number),
        ]  # fmt: skip
    adm = "ADM-2025-000001"
    events += [
        ev(AdmissionApplicationReceived, date(2025, 9, 11), case_number=adm, in_france=True,
           identity_document=True, proof_of_presence=True),
        ev(AdmissionChecksCompleted, date(2025, 9, 13), case_number=adm, passed=True),
        ev(AdmissionVisaIssued, date(2025, 9, 14), case_number=adm),
        ev(AdmissionArrived, date(2025, 9, 21), case_number=adm),
    ]  # fmt: skip
    return ReturnsLedger.rebuild(events)


GENERATED = datetime(2025, 9, 29, 8, tzinfo=UTC)


def test_csv_has_headers_and_the_weeks() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(weekly_report(scenario(), GENERATED)).decode())))
    assert [r["Week (ISO)"] for r in rows] == ["2025-W36", "2025-W37", "2025-W38", "2025-W39"]
    w38, w39 = rows[2], rows[3]
    assert (w38["Week starting"], w38["Week ending"]) == ("2025-09-15", "2025-09-21")
    assert (w38["Returns to France"], w38["Admissions to the UK (persons)"]) == ("1", "1")
    assert w38["Balance (returns minus admissions)"] == "0"
    assert (w39["Cumulative returns"], w39["Cumulative admissions"]) == ("2", "1")
    assert w39["Balance (returns minus admissions)"] == "1"
    assert rows[0]["Readmission requests sent"] == "2"


def test_one_week_only() -> None:
    report = weekly_report(scenario(), GENERATED, week="2025-W39")
    assert [r["week"] for r in report.rows] == ["2025-W39"]


def test_ods_reads_back_like_a_home_office_table(tmp_path: Path) -> None:
    path = tmp_path / "balance.ods"
    path.write_bytes(to_ods(weekly_report(scenario(), GENERATED)))
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Cover_sheet", "Notes", TABLE_NAME]
    cover = [r[0] for r in book.get_sheet_by_name("Cover_sheet").to_python()]
    assert cover[0].startswith("Returns and admissions under the UK-France agreement")
    assert "Period: 2025-09-01 to 2025-09-28" in cover
    data = book.get_sheet_by_name(TABLE_NAME).to_python()
    assert data[0] == [title for _, title in COLUMNS]
    by_week = {row[0]: dict(zip(data[0], row, strict=True)) for row in data[1:]}
    w39 = by_week["2025-W39"]
    assert w39["Week starting"] == date(2025, 9, 22)
    assert w39["Returns to France"] == 1.0
    assert (w39["Cumulative returns"], w39["Cumulative admissions"]) == (2.0, 1.0)
    assert w39["Balance (returns minus admissions)"] == 1.0
    assert w39["Status (end of week)"] == "open"  # default tolerance 5: gap 1 pauses nobody
    notes = [r[0] for r in book.get_sheet_by_name("Notes").to_python()]
    assert any("Art. 16" in n for n in notes)


def test_no_case_number_in_any_export() -> None:
    """Art. 16: « la France ne transfère en aucun cas des données à caractère personnel » — the
    report carries counts only."""
    report = weekly_report(scenario(), GENERATED)
    assert b"RET-" not in to_csv(report)
    book = CalamineWorkbook.from_filelike(io.BytesIO(to_ods(report)))
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            assert not any("RET-" in str(v) or "ADM-" in str(v) for v in row)
    assert timedelta(days=6) == date(2025, 9, 21) - date(2025, 9, 15)
