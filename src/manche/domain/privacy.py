"""Keeping identities out of the record (agreement, Art. 16).

Cases are known only by pseudonymous case numbers issued by the caseworking side:

    RET-2025-000123   a return case (Chapter II)
    ADM-2025-000045   an admission case (Chapter III)

The number carries a prefix, the year the case was opened and a six-digit serial; nothing in it
derives from the person. No event in the returns catalogue has a field that could hold a name, a
date of birth or a document number: every fact is a date, a count or a code from a closed list.

The one free-text field every event carries, ``note``, is screened by :func:`screen_note`. It
refuses text that looks like an identity: a machine-readable passport zone, a token shaped like a
document number (letters and at least five digits, e.g. ``12AB34567`` or ``P1234567``), a date
that could be a date of birth next to words such as "born"/"né", labels that introduce an identity
("name:", "nom :", "passport", "passeport", "titre de séjour", ...), e-mail addresses and phone
numbers. It cannot recognise a bare name ("Ali said..."): no rule can tell a name from a word
without a list of names, which would itself be personal data. The documented practice is
therefore: notes on cases are for procedure only, and a reviewer can run ``screen_note`` over the
whole record (the readings flag any case note that fails it).
"""

from __future__ import annotations

import re
from typing import Literal

from manche.domain.agreements import violation

CaseKind = Literal["RET", "ADM"]

CASE_NUMBER = re.compile(r"^(RET|ADM)-(20\d{2})-(\d{6})$")

_MRZ = re.compile(r"[A-Z0-9<]{5,}<<[A-Z0-9<]{3,}")
_DOCUMENT_NUMBER = re.compile(
    r"\b(?=[A-Z0-9]{7,12}\b)(?=(?:[A-Z0-9]*\d){5})[A-Z]*\d*[A-Z]+\d+\w*\b"
)
_LONG_DIGITS = re.compile(r"\b\d{8,}\b")
_DATE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}\b|\b(?:19|20)\d{2}-\d{2}-\d{2}\b")
_BIRTH_WORDS = re.compile(r"\b(born|birth|dob|d\.o\.b|née?|naissance|date de naissance)\b", re.I)
_LABELS = re.compile(
    r"\b(name|surname|forename|first name|family name|nom|prénom|prenom|passport|passeport|"
    r"identity card|id card|carte d'identité|titre de séjour|residence permit|brp|"
    r"visa number|document number|numéro de document|alias)\b",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(
    r"\+\d{1,3}[\s.-]?\d[\d\s.-]{6,}\d|\b0\d(?:[\s.-]?\d{2}){4}\b|\b07\d{3}\s?\d{6}\b"
)


def validate_case_number(value: str, kind: CaseKind | None = None) -> str:
    """Return ``value`` if it is a well-formed case number (of ``kind`` if given)."""
    match = CASE_NUMBER.match(value)
    if match is None:
        raise ValueError(
            f"case number {value!r} is not of the form RET-YYYY-NNNNNN or ADM-YYYY-NNNNNN "
            "(pseudonymous case numbers only)"
        )
    if kind is not None and match.group(1) != kind:
        raise ValueError(f"case number {value!r} should start with {kind}-")
    return value


def identity_findings(text: str) -> list[str]:
    """What in ``text`` looks like personal identity data (empty list when nothing does)."""
    found: list[str] = []
    upper = text.upper()
    if _MRZ.search(upper):
        found.append("a machine-readable passport zone")
    if _DOCUMENT_NUMBER.search(upper) or _LONG_DIGITS.search(text):
        found.append("a token shaped like a document number")
    if _DATE.search(text) and _BIRTH_WORDS.search(text):
        found.append("a date of birth")
    label = _LABELS.search(text)
    if label:
        found.append(f"an identity label ({label.group(0)!r})")
    if _EMAIL.search(text):
        found.append("an e-mail address")
    if _PHONE.search(text):
        found.append("a phone number")
    return found


def screen_note(text: str) -> str:
    """Return ``text`` unless it looks like it holds identity data; then raise RuleViolation."""
    found = identity_findings(text)
    if found:
        raise violation(
            "data.no_personal_data",
            "the note seems to contain " + ", ".join(found) + "; keep identities out of the record",
            field="note",
        )
    return text
