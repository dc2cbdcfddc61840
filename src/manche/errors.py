"""One exception root for Manche; every error a user can cause is a subclass.

    MancheError                      anything Manche raises on purpose
    ├── InputError                   bad input: says what, and where (file, row, column/field)
    │   └── ImportRejected           a whole import refused; the store is as it was
    ├── NotFound                     the thing asked for does not exist (or is not visible)
    ├── AccessDenied                 the caller may not do this
    │   └── TooManyAttempts          sign-ins refused for a while after repeated failures
    ├── Conflict                     the request clashes with what is stored (duplicate, fork)
    ├── RuleViolation                a business rule refuses the request; names the rule
    ├── IntegrityError               the record fails verification (hash, signature, proof)
    └── ConfigurationError           settings or environment are unusable

Boundaries translate these: the CLI prints the message and exits with status 2,
the HTTP API answers ``{"error": {"code", "message", "field"}}`` with the status below.
Foreign exceptions (sqlite3, psycopg, calamine, pydantic) are caught where they enter
and re-raised as one of these, with the original chained.
"""

from __future__ import annotations


class MancheError(Exception):
    """Root of every error Manche raises on purpose."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InputError(MancheError):
    """Bad input. ``where`` names the place: file, sheet, row, column or field."""

    code = "invalid_input"
    http_status = 422

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        place = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"sheet {sheet}" if sheet else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column else "",
                f"field {field!r}" if field and not column else "",
            )
            if part
        )
        super().__init__(f"{place}: {message}" if place else message, field=field or column)


class ImportRejected(InputError):
    """A whole import was refused; nothing was stored."""

    code = "import_rejected"


class NotFound(MancheError):
    code = "not_found"
    http_status = 404


class AccessDenied(MancheError):
    code = "forbidden"
    http_status = 403


class Unauthenticated(AccessDenied):
    code = "unauthenticated"
    http_status = 401


class TooManyAttempts(AccessDenied):
    """Too many failed sign-ins for a user id or from an address; ``retry_after`` seconds."""

    code = "too_many_attempts"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class Conflict(MancheError):
    code = "conflict"
    http_status = 409


class RuleViolation(MancheError):
    """A rule refused the request. ``rule`` names it (with its article where there is one)."""

    code = "rule_violation"
    http_status = 422

    def __init__(self, message: str, *, rule: str, field: str | None = None) -> None:
        super().__init__(f"{message} [{rule}]", field=field)
        self.rule = rule


class IntegrityError(MancheError):
    code = "integrity"
    http_status = 409


class ConfigurationError(MancheError):
    code = "configuration"
    http_status = 500
