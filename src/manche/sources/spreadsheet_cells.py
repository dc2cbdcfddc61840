"""Reading cells the Home Office way: strict integers and dates, '-' for not recorded.

Shared by the ODS and HTML adapters. Each function raises :class:`~manche.errors.ImportRejected`
naming the file, sheet, row and column of the offending cell.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from manche.errors import ImportRejected

NOT_RECORDED = frozenset({"-", "\u2013", "\u2014", ".."})  # hyphen, en and em dash
_SPACES = re.compile(r"\s+")
_NOTE_MARK = re.compile(r"\[(?:note|x)\s*\d*\]|\(\s*note\s*\d*\s*\)", re.IGNORECASE)
_DIGITS = re.compile(r"\d{1,3}(,\d{3})+|\d+")


def normalise_header(value: Any) -> str:
    """``'Boats arrived - involved in\\nuncontrolled landings [note 5]'`` -> comparable text."""
    text = _NOTE_MARK.sub("", str(value or ""))
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return _SPACES.sub(" ", text).strip().lower()


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class CellReader:
    """Converts cells of one table, knowing where it is for error messages."""

    def __init__(self, file: str, sheet: str | None) -> None:
        self.file = file
        self.sheet = sheet

    def reject(self, message: str, row: int | None = None, column: str | None = None) -> None:
        raise ImportRejected(message, file=self.file, sheet=self.sheet, row=row, column=column)

    def count(self, value: Any, row: int, column: str) -> int | None:
        """A non-negative integer, or None for '-' (not recorded). Never guesses."""
        if isinstance(value, bool):
            self.reject(f"expected a whole number or '-', found {value!r}", row, column)
        if isinstance(value, int):
            if value < 0:
                self.reject(f"negative count {value}", row, column)
            return value
        if isinstance(value, float):
            if value != value or value < 0 or not value.is_integer():
                self.reject(f"expected a whole number or '-', found {value!r}", row, column)
            return int(value)
        if isinstance(value, str):
            text = value.strip()
            if text in NOT_RECORDED:
                return None
            if _DIGITS.fullmatch(text):
                return int(text.replace(",", ""))
            if text == "":
                self.reject("empty cell; expected a whole number or '-'", row, column)
            self.reject(f"expected a whole number or '-', found text {text!r}", row, column)
        self.reject(f"expected a whole number or '-', found {value!r}", row, column)
        raise AssertionError("unreachable")

    def spreadsheet_date(self, value: Any, row: int, column: str) -> date:
        """A date cell (a real date, not text). A time of day other than midnight is refused."""
        if isinstance(value, datetime):
            if (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0):
                self.reject(
                    f"expected a date, found a date and time {value.isoformat()}", row, column
                )
            return value.date()
        if isinstance(value, date):
            return value
        self.reject(f"expected a date, found {value!r}", row, column)
        raise AssertionError("unreachable")

    def text_date(self, value: str, row: int, column: str) -> date:
        """A GOV.UK date: '14 August 2026'."""
        text = _SPACES.sub(" ", value).strip()
        try:
            return datetime.strptime(text, "%d %B %Y").date()
        except ValueError:
            self.reject(f"expected a date like '14 August 2026', found {text!r}", row, column)
        raise AssertionError("unreachable")

    def check_sequence(
        self, previous: date | None, current: date, step_days: int, row: int, column: str
    ) -> None:
        """Dates must follow each other exactly ``step_days`` apart: no gap, repeat or reversal."""
        if previous is None:
            return
        gap = (current - previous).days
        if gap == step_days:
            return
        if gap == 0:
            message = f"date out of order: {current.isoformat()} repeats the row above"
        elif gap < 0:
            message = (
                f"date out of order: {current.isoformat()} is earlier than "
                f"{previous.isoformat()} in the row above"
            )
        else:
            expected = previous + timedelta(days=step_days)
            message = (
                f"date out of order: expected {expected.isoformat()} after "
                f"{previous.isoformat()}, found {current.isoformat()}"
            )
        self.reject(message, row, column)
