"""What a reading found wrong (or repaired) in an identifier."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    """How bad a finding is.

    ``error``: the identifier cannot be a well-formed one (wrong length, impossible character,
    month letter outside A-L...). ``repaired``: a likely reading error was undone (``O`` read for
    ``0`` where the format needs a digit). ``warning``: well-formed but implausible or unsourced.
    """

    ERROR = "error"
    REPAIRED = "repaired"
    WARNING = "warning"


class Finding(BaseModel):
    """One problem in an identifier: a stable ``code``, a sentence, and where."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    position: int | None = None  # 0-based index in the compact form, when one character is at fault

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.message}"


def has_errors(findings: tuple[Finding, ...]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
