"""A flag: a rule an event in the record broke. The event stays in the record; the flag says why
it should not have happened, with the rule and its article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from manche.domain.agreements import Severity, rule, violation
from manche.errors import RuleViolation


@dataclass(frozen=True)
class Flag:
    rule: str
    article: str
    severity: Severity
    message: str
    event_id: UUID | None = None
    subject: str | None = None  # case number, handover reference or holder
    on: date | None = None

    @classmethod
    def of(
        cls,
        rule_id: str,
        message: str,
        *,
        event_id: UUID | None = None,
        subject: str | None = None,
        on: date | None = None,
    ) -> Flag:
        r = rule(rule_id)
        article = r.article if r.verified else f"{r.article} (article number unverified)"
        return cls(rule_id, article, r.severity, message, event_id, subject, on)

    @property
    def refuses(self) -> bool:
        return self.severity is Severity.REFUSE

    def to_violation(self) -> RuleViolation:
        where = f"{self.subject}: " if self.subject else ""
        return violation(self.rule, where + self.message)
