"""The weekly balance report both sides bring to the joint committee (Art. 17(1)(d)).

One table, one row per ISO week (Monday to Sunday, UK calendar), built from the returns ledger
alone. Exported as CSV and as ODS laid out the way the Home Office publishes its statistics
tables (a ``Cover_sheet``, a ``Notes`` sheet, then the data sheet ``RB_01`` whose first row holds
the column headers). The report holds counts only: no case number appears in it (Art. 16).

Both exports are produced in memory (bytes); writing them to a file is the caller's business.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from manche.domain.agreements import AGREEMENT_SOURCE, AGREEMENT_TITLE, rule
from manche.readings.ods import Sheet, write_ods
from manche.readings.returns import ReturnsLedger, Week, parity_status

TABLE_NAME = "RB_01"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("week", "Week (ISO)"),
    ("week_start", "Week starting"),
    ("week_end", "Week ending"),
    ("requests_sent", "Readmission requests sent"),
    ("requests_accepted", "Requests accepted by France"),
    ("requests_refused", "Requests refused by France"),
    ("returns_removed", "Returns to France"),
    ("applications_received", "Applications received"),
    ("visas_issued", "Visas issued"),
    ("admissions_arrived", "Admissions to the UK (persons)"),
    ("cumulative_returns", "Cumulative returns"),
    ("cumulative_admissions", "Cumulative admissions"),
    ("balance", "Balance (returns minus admissions)"),
    ("committed_returns", "Committed returns (end of week)"),
    ("committed_admissions", "Committed admissions (end of week)"),
    ("status", "Status (end of week)"),
    ("flags", "Rule flags raised"),
)

NOTES: tuple[str, ...] = (
    "1. Built from the shared record alone: every figure can be recomputed from the events "
    "recorded by both sides (corrections applied).",
    "2. Weeks are ISO weeks, Monday to Sunday, on the UK calendar (Europe/London).",
    "3. 'Returns to France' counts transfers recorded (return-removed); 'Admissions to the UK' "
    "counts persons arriving on an admission case, including accompanying minors (Art. 12(3)).",
    "4. 'Committed' returns are cases France accepted that are not excluded; 'committed' "
    "admissions are persons holding a visa or arrived. Status shows which side pauses under the "
    "balance rule (Art. 1(3), Art. 12(1)(b)) at the agreed tolerance.",
    "5. 'Rule flags raised' counts events recorded that week which broke a rule of the agreement "
    "(late request, visa while paused...). Each flag names its rule and article in the ledger.",
    "6. No personal data: counts only, no case numbers (Art. 16).",
)


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    tolerance: int
    rows: list[dict[str, Any]]


def _row(week: Week, tolerance: int) -> dict[str, Any]:
    return {
        "week": week.week,
        "week_start": week.starts,
        "week_end": week.starts + timedelta(days=6),
        "requests_sent": week.requests_sent,
        "requests_accepted": week.requests_accepted,
        "requests_refused": week.requests_refused,
        "returns_removed": week.returns_removed,
        "applications_received": week.applications_received,
        "visas_issued": week.visas_issued,
        "admissions_arrived": week.admissions_arrived,
        "cumulative_returns": week.cumulative_returns,
        "cumulative_admissions": week.cumulative_admissions,
        "balance": week.gap,
        "committed_returns": week.committed_returns,
        "committed_admissions": week.committed_admissions,
        "status": parity_status(week.committed_gap, tolerance),
        "flags": week.flags,
    }


def weekly_report(ledger: ReturnsLedger, generated_at: datetime, week: str | None = None) -> Report:
    """The report rows (all weeks, or the one ``week`` like ``2025-W38``)."""
    tolerance = ledger.parameters.parity_tolerance
    rows = [_row(w, tolerance) for w in ledger.balance() if week is None or w.week == week]
    return Report(generated_at, tolerance, rows)


def to_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([title for _, title in COLUMNS])
    for row in report.rows:
        writer.writerow([_text(row[key]) for key, _ in COLUMNS])
    return out.getvalue().encode("utf-8")


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _cover(report: Report) -> list[str]:
    period = (
        f"Period: {report.rows[0]['week_start']} to {report.rows[-1]['week_end']}"
        if report.rows
        else "Period: no activity recorded"
    )
    return [
        "Returns and admissions under the UK-France agreement: weekly balance",
        AGREEMENT_TITLE,
        f"Source of the rules: {AGREEMENT_SOURCE}",
        "Frequency: weekly (joint committee, " + rule("balance.weekly_committee").article + ")",
        period,
        f"Parity tolerance agreed: {report.tolerance}",
        f"Generated: {report.generated_at.isoformat()} from the Manche shared record",
        "Contents: Notes; " + TABLE_NAME + " (weekly balance)",
    ]


def to_ods(report: Report) -> bytes:
    """An OpenDocument spreadsheet: Cover_sheet, Notes, RB_01 (headers in the first row)."""
    data = [[title for _, title in COLUMNS]]
    data += [[row[key] for key, _ in COLUMNS] for row in report.rows]
    return write_ods(
        [
            Sheet("Cover_sheet", [[line] for line in _cover(report)]),
            Sheet("Notes", [["Notes"], *[[n] for n in NOTES]]),
            Sheet(TABLE_NAME, data, header=True),
        ]
    )
