"""Hull identification numbers (HIN), also called craft identification numbers (CIN).

Formats recognised (sources in docs/intelligence.md):

- **ISO 10087 / EN ISO 10087 (CIN), 14 characters**: ``CC-MMMSSSSSPYMY`` where ``CC`` is the
  ISO 3166-1 alpha-2 code of the manufacturer's country (a hyphen follows it on the plate),
  ``MMM`` the manufacturer identification code (MIC), ``SSSSS`` the serial (letters or digits,
  never I, O or Q), ``P`` the month of production as a letter (A = January ... L = December),
  ``Y`` the last digit of the year of production, ``MY`` the model year's last two digits.
  Example: ``FR-AAAC9171G210``.
- **US HIN (33 CFR 181.25), 12 characters**: the same without the country code:
  ``MMMSSSSSPYMY``.

:func:`read_hin` never refuses a value: it returns a :class:`HinReading` with the canonical
form it could make and every finding. Older US formats (before August 1984: "straight year",
"model year" formats) and national pre-1998 formats are not recognised: they are flagged as
unrecognised length or layout, not rejected.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from pydantic import BaseModel, ConfigDict

from manche.domain.identifiers.confusables import (
    ALNUM,
    CLASS_NAMES,
    MONTH_LETTERS,
    best_fit,
    skeleton,
)
from manche.domain.identifiers.findings import Finding, Severity, character_finding, has_errors
from manche.wording import counted

ISO_CIN = "iso-10087"
US_HIN = "us-33cfr181"

_TEMPLATES = {14: ("LLAAANNNNNMDDD",), 12: ("AAANNNNNMDDD",)}
_SEPARATORS = str.maketrans("", "", " -./_")
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB"}


@lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from CLDR territory names (via babel)."""
    codes = Locale("en").territories.keys()
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES)


class HinReading(BaseModel):
    """A hull identification number as read, decoded where possible, with its findings."""

    model_config = ConfigDict(frozen=True)

    raw: str
    compact: str
    canonical: str
    skeleton: str
    format: str | None
    country: str | None = None
    mic: str | None = None
    serial: str | None = None
    production_month: int | None = None
    production_year: int | None = None
    model_year: int | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def valid(self) -> bool:
        return not has_errors(self.findings)


def _model_year(two_digits: int, reference_year: int | None) -> int:
    if reference_year is None:
        return (1900 if two_digits >= 70 else 2000) + two_digits
    year = (reference_year // 100) * 100 + two_digits
    while year > reference_year + 1:
        year -= 100
    while year + 100 <= reference_year + 1:
        year += 100
    return year


def read_hin(raw: str, *, reference_year: int | None = None) -> HinReading:
    """Read a HIN/CIN as given. ``reference_year`` (e.g. the year of the sighting) resolves the
    century of the two-digit model year; without it, 70-99 mean 19xx and 00-69 mean 20xx."""
    findings: list[Finding] = []
    text = raw.strip().upper()
    spaced = text.translate(_SEPARATORS)
    impossible = [(i, c) for i, c in enumerate(spaced) if c not in ALNUM]
    for i, char in impossible:
        findings.append(character_finding(i, char, "a HIN"))
    compact = "".join(c for c in spaced if c in ALNUM)
    templates = _TEMPLATES.get(len(compact))
    if not compact:
        findings.append(Finding(code="empty", severity=Severity.ERROR, message="no HIN given"))
    if templates is None:
        if compact:
            findings.append(
                Finding(
                    code="length",
                    severity=Severity.ERROR,
                    message=f"{counted(len(compact), 'character')}; a CIN has 14 (ISO 10087, "
                    "with country code) and a US HIN 12 (33 CFR 181.25)",
                )
            )
        return HinReading(
            raw=raw,
            compact=compact,
            canonical=compact,
            skeleton=skeleton(compact),
            format=None,
            findings=tuple(findings),
        )
    fitted = best_fit(compact, templates)
    assert fitted is not None
    for pos, was, now in fitted.repairs:
        why = (
            "I, O and Q are not used in HIN serials"
            if fitted.template[pos] == "N"
            else f"position {pos + 1} must be {CLASS_NAMES[fitted.template[pos]]}"
        )
        findings.append(
            Finding(
                code="confusion_repaired",
                severity=Severity.REPAIRED,
                message=f"read {was!r} as {now!r} at position {pos + 1} ({why})",
                position=pos,
            )
        )
    for pos, char, cls in fitted.violations:
        findings.append(
            Finding(
                code="month_letter" if cls == "M" else "character_class",
                severity=Severity.ERROR,
                message=f"{char!r} at position {pos + 1} must be {CLASS_NAMES[cls]}",
                position=pos,
            )
        )
    text = fitted.text
    fmt = ISO_CIN if len(text) == 14 else US_HIN
    country = text[:2] if fmt == ISO_CIN else None
    body = text[2:] if fmt == ISO_CIN else text
    if country is not None and country.isalpha() and country not in iso_countries():
        hint = " (the United Kingdom's code is GB)" if country == "UK" else ""
        findings.append(
            Finding(
                code="country",
                severity=Severity.ERROR,
                message=f"{country!r} is not an ISO 3166-1 alpha-2 country code{hint}",
                position=0,
            )
        )
    mic, serial = body[:3], body[3:8]
    if any(c.isdigit() for c in mic):
        findings.append(
            Finding(
                code="mic_digit",
                severity=Severity.WARNING,
                message=f"manufacturer code {mic!r} contains a digit; MICs are usually "
                "three letters",
            )
        )
    month_char, year_digit, model_digits = body[8], body[9], body[10:12]
    month = MONTH_LETTERS.index(month_char) + 1 if month_char in MONTH_LETTERS else None
    model_year = production_year = None
    if model_digits.isdigit():
        model_year = _model_year(int(model_digits), reference_year)
        if year_digit.isdigit():
            candidates = [
                model_year + d for d in (0, -1, 1) if (model_year + d) % 10 == int(year_digit)
            ]
            if candidates:
                production_year = candidates[0]
            else:
                findings.append(
                    Finding(
                        code="year_mismatch",
                        severity=Severity.WARNING,
                        message=f"production year ending in {year_digit} is not within a year of "
                        f"model year {model_year}",
                    )
                )
    canonical = f"{country}-{body}" if country is not None else body
    return HinReading(
        raw=raw,
        compact=text,
        canonical=canonical,
        skeleton=skeleton(text),
        format=fmt,
        country=country,
        mic=mic,
        serial=serial,
        production_month=month,
        production_year=production_year,
        model_year=model_year,
        findings=tuple(findings),
    )
