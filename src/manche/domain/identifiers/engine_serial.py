"""Outboard engine serial numbers: make-specific formats, repairs of reading errors, flags.

Formats (character classes as in :mod:`~manche.domain.identifiers.confusables`; separators
such as ``-`` and spaces are ignored). ``source`` says where each format comes from; formats
marked ``assumption`` are placeholders that accept 5-14 letters or digits and only flag
impossible characters (docs/intelligence.md lists the sources and their quality).

A serial written with a marker for missing characters (``*``, ``?``, ``…``, ``...``, ``_``) at
its start or end is *partial* and anchored at the other end (``…12345``: the end is known).
A serial shorter than every format of its make is treated as partial at either end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from manche.domain.identifiers.confusables import (
    ALNUM,
    CLASS_NAMES,
    SHAFT_LETTERS,
    Fit,
    Template,
    fit,
    skeleton,
)
from manche.domain.identifiers.findings import Finding, Severity, character_finding, has_errors
from manche.wording import counted

Partial = Literal["start", "end", "either"]
"""Which end of a partial serial is missing."""


@dataclass(frozen=True, slots=True)
class MakeFormat:
    name: str
    aliases: tuple[str, ...]
    templates: tuple[Template, ...]
    source: str
    sourced: bool
    example: str | None = None


MAKES: dict[str, MakeFormat] = {
    m.name: m
    for m in (
        MakeFormat(
            "Yamaha",
            ("YAMAHA", "YAM", "YMH"),
            ("DAAHDDDDDDD", "DAAHDDDDDD", "DAADDDDDDD", "DAADDDDDD"),
            "dealer guides to the Yamaha identification plate (prefix code, shaft-length letter "
            "S/L/X/U/J, 6-7 digit primary ID): victoryparts.com.au, jlmmarine.com",
            True,
            "6AH-L-1012345",
        ),
        MakeFormat(
            "Mercury",
            ("MERCURY", "MERC", "MARINER", "MERCURY MARINE"),
            ("DLDDDDDD",),
            "Brunswick Marine model-year lookup (download.brunswick-marine.com), example 0P096282",
            True,
            "0P096282",
        ),
        MakeFormat(
            "Suzuki",
            ("SUZUKI", "SUZ"),
            ("DDDDDDDDDDD", "DDDDDLDDDDDD"),
            "five-digit model code, hyphen, six-digit serial (secondary Q&A source); the letter "
            "after the model code on recent plates (e.g. 14003F) is an assumption",
            True,
            "14003F-812345",
        ),
        MakeFormat(
            "Honda",
            ("HONDA",),
            ("LLLLDDDDDDD",),
            "four-letter frame code, hyphen, seven digits, e.g. BAAJ-1234567 (secondary source)",
            True,
            "BAAJ-1234567",
        ),
        MakeFormat(
            "Tohatsu",
            ("TOHATSU", "TOH", "NISSAN MARINE"),
            (),
            "assumption: no public format found; 5-14 letters or digits accepted",
            False,
        ),
        MakeFormat(
            "Parsun",
            ("PARSUN",),
            (),
            "assumption: no public format found; 5-14 letters or digits accepted",
            False,
        ),
        MakeFormat("Evinrude", ("EVINRUDE", "JOHNSON", "OMC", "BRP"), (), "assumption", False),
        MakeFormat("Selva", ("SELVA",), (), "assumption", False),
        MakeFormat("Hidea", ("HIDEA",), (), "assumption", False),
        MakeFormat("Hangkai", ("HANGKAI",), (), "assumption", False),
    )
}
_ALIAS = {alias: m.name for m in MAKES.values() for alias in m.aliases}
_FUZZY_CHOICES = [a for a in _ALIAS if len(a) >= 5]

_CLASS_RE = {
    "D": "[0-9]",
    "L": "[A-Z]",
    "A": "[A-Z0-9]",
    "N": "[A-HJ-NPR-Z0-9]",
    "M": "[A-L]",
    "H": f"[{SHAFT_LETTERS}]",
}
_WELL_FORMED = {
    m.name: re.compile("|".join("".join(_CLASS_RE[c] for c in t) for t in m.templates))
    for m in MAKES.values()
    if m.templates
}
_SEPARATORS = str.maketrans("", "", " -./")
_MARKERS = ("...", "…", "*", "?", "_")
GENERIC_LENGTH = (5, 14)


def resolve_make(raw: str | None) -> tuple[str | None, tuple[Finding, ...]]:
    """The canonical make for what was written (``"yamaha"``, ``"YAMAHHA"``) and findings."""
    if raw is None or not raw.strip():
        return None, (Finding(code="no_make", severity=Severity.WARNING, message="no make given"),)
    key = " ".join(raw.upper().split())
    if key in _ALIAS:
        return _ALIAS[key], ()
    best = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=80)
    if best is not None:
        name = _ALIAS[best[0]]
        return name, (
            Finding(
                code="make_spelling",
                severity=Severity.REPAIRED,
                message=f"make {raw!r} read as {name} (similarity {best[1]:.0f}/100)",
            ),
        )
    return None, (
        Finding(
            code="unknown_make",
            severity=Severity.WARNING,
            message=f"make {raw!r} is not one Manche knows ({', '.join(sorted(MAKES))}); "
            "the serial is kept but not checked against a format",
        ),
    )


class _Analysis(NamedTuple):
    canonical: str
    template: str | None
    partial: Partial | None
    fitted: Fit | None
    impossible: tuple[tuple[int, str], ...]
    length_problem: bool


def _strip_markers(text: str) -> tuple[str, Partial | None]:
    missing_start = missing_end = False
    changed = True
    while changed and text:
        changed = False
        for marker in _MARKERS:
            if text.startswith(marker):
                text, missing_start, changed = text[len(marker) :].lstrip(), True, True
            if text.endswith(marker):
                text, missing_end, changed = text[: -len(marker)].rstrip(), True, True
    if missing_start and missing_end:
        return text, "either"
    if missing_start:
        return text, "start"
    if missing_end:
        return text, "end"
    return text, None


def _fit_partial(compact: str, templates: tuple[Template, ...], partial: Partial) -> Fit | None:
    fits: list[Fit] = []
    for t in templates:
        if len(t) < len(compact):
            continue
        if partial in ("start", "either"):  # the end is known: align to the template's end
            fits.append(fit(compact, t[len(t) - len(compact) :]))
        if partial in ("end", "either"):
            fits.append(fit(compact, t[: len(compact)]))
    return min(fits, key=lambda f: f.cost) if fits else None


def analyse(make: str | None, raw: str) -> _Analysis:
    """The canonical form of serial ``raw`` for canonical ``make`` (or None)."""
    text, partial = _strip_markers(raw.strip().upper())
    compact = text.translate(_SEPARATORS)
    impossible: tuple[tuple[int, str], ...] = ()
    if not all(c in ALNUM for c in compact):
        impossible = tuple((i, c) for i, c in enumerate(compact) if c not in ALNUM)
        compact = "".join(c for c in compact if c in ALNUM)
    fmt = MAKES.get(make) if make else None
    if fmt is None or not fmt.templates:
        short = not (GENERIC_LENGTH[0] <= len(compact) <= GENERIC_LENGTH[1])
        return _Analysis(compact, None, partial, None, impossible, short and partial is None)
    if partial is None and _WELL_FORMED[fmt.name].fullmatch(compact):
        template = next(
            t for t in fmt.templates if len(t) == len(compact) and fit(compact, t).cost == (0, 0)
        )
        return _Analysis(compact, template, None, None, impossible, False)
    lengths = {len(t) for t in fmt.templates}
    if partial is None and len(compact) < min(lengths):
        partial = "either"
    if partial is not None:
        fitted = _fit_partial(compact, fmt.templates, partial)
        if fitted is None:
            return _Analysis(compact, None, partial, None, impossible, True)
        return _Analysis(fitted.text, fitted.template, partial, fitted, impossible, False)
    candidates = [fit(compact, t) for t in fmt.templates if len(t) == len(compact)]
    if not candidates:
        return _Analysis(compact, None, None, None, impossible, True)
    best = min(candidates, key=lambda f: f.cost)
    return _Analysis(best.text, best.template, None, best, impossible, False)


class EngineSerialReading(BaseModel):
    """An engine serial as read, in canonical form, with its findings."""

    model_config = ConfigDict(frozen=True)

    raw_make: str | None
    make: str | None
    raw: str
    canonical: str
    skeleton: str
    template: str | None
    format_source: str | None
    partial: Partial | None
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return not has_errors(self.findings)


def read_engine_serial(raw_make: str | None, raw: str) -> EngineSerialReading:
    """Read an engine serial (and its make) as given; never refuses, always explains."""
    make, findings_make = resolve_make(raw_make)
    findings = list(findings_make)
    a = analyse(make, raw)
    fmt = MAKES.get(make) if make else None
    for pos, char in a.impossible:
        findings.append(character_finding(pos, char, "a serial"))
    if a.fitted is not None:
        for pos, was, now in a.fitted.repairs:
            findings.append(
                Finding(
                    code="confusion_repaired",
                    severity=Severity.REPAIRED,
                    message=f"read {was!r} as {now!r} at position {pos + 1} "
                    f"({fmt.name if fmt else ''} format needs "
                    f"{CLASS_NAMES[a.fitted.template[pos]]})",
                    position=pos,
                )
            )
        for pos, char, cls in a.fitted.violations:
            findings.append(
                Finding(
                    code="character_class",
                    severity=Severity.ERROR,
                    message=f"{char!r} at position {pos + 1} must be {CLASS_NAMES[cls]}",
                    position=pos,
                )
            )
    if a.partial is not None:
        where = {"start": "start", "end": "end", "either": "start or end"}[a.partial]
        findings.append(
            Finding(
                code="partial",
                severity=Severity.WARNING,
                message=f"partial serial: characters missing at the {where}",
            )
        )
    if a.length_problem:
        if fmt is not None and fmt.templates:
            *shorter, longest = [str(n) for n in sorted({len(t) for t in fmt.templates})]
            have = f"{', '.join(shorter)} or {longest}" if shorter else longest
            message = f"{counted(len(a.canonical), 'character')}; {fmt.name} serials have {have}"
        else:
            message = (
                f"{counted(len(a.canonical), 'character')}; expected "
                f"{GENERIC_LENGTH[0]}-{GENERIC_LENGTH[1]}"
            )
        findings.append(Finding(code="length", severity=Severity.ERROR, message=message))
    if fmt is not None and not fmt.sourced:
        findings.append(
            Finding(
                code="format_unsourced",
                severity=Severity.WARNING,
                message=f"no sourced serial format for {fmt.name}; only characters checked",
            )
        )
    return EngineSerialReading(
        raw_make=raw_make,
        make=make,
        raw=raw,
        canonical=a.canonical,
        skeleton=skeleton(a.canonical),
        template=a.template,
        format_source=fmt.source if fmt else None,
        partial=a.partial,
        findings=tuple(findings),
    )
