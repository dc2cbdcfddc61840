"""Characters that reading errors confuse, and position templates that undo them.

Two tools:

- :func:`skeleton` folds every character that OCR or a hurried reader confuses into one
  representative (``O Q D -> 0``, ``I L -> 1``, ``Z -> 2``, ``S -> 5``, ``G -> 6``, ``B -> 8``),
  so ``6AH-L-1O12345`` and ``6AHL1012345`` have the same skeleton. Linking compares skeletons.
- A :data:`Template` is one fixed-length format written as character classes (``D`` digit,
  ``L`` letter, ``A`` letter or digit, ``N`` letter or digit except I/O/Q, ``M`` month letter
  A-L, ``H`` Yamaha shaft-length letter). :func:`fit` repairs the characters a class cannot hold
  when the confusion is a known one (``O`` where a digit must be -> ``0``), and reports the rest.

The confusion pairs are the classic OCR ones (upper-case Latin letters against digits); they are
an assumption about which errors are frequent, not a measured table.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

LETTER_TO_DIGIT = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "I": "1",
    "L": "1",
    "Z": "2",
    "S": "5",
    "G": "6",
    "B": "8",
}
DIGIT_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
MONTH_LETTERS = "ABCDEFGHIJKL"
SHAFT_LETTERS = "SLXUJ"

_FOLD = str.maketrans(LETTER_TO_DIGIT)
ALNUM = frozenset(string.ascii_uppercase + string.digits)


def skeleton(compact: str) -> str:
    """The confusion-folded form of an upper-case compact identifier (for matching only)."""
    return compact.translate(_FOLD)


Template = str
"""A format as a string of character classes, e.g. ``"LLAAANNNNNMDDD"``."""

CLASS_NAMES = {
    "D": "a digit",
    "L": "a letter",
    "A": "a letter or digit",
    "N": "a letter or digit other than I, O, Q",
    "M": "a month letter A-L",
    "H": "a shaft-length letter (S, L, X, U, J)",
}


@dataclass(frozen=True, slots=True)
class Fit:
    """How a compact identifier fits a template."""

    template: Template
    text: str  # after repairs
    repairs: tuple[tuple[int, str, str], ...]  # (position, was, now)
    violations: tuple[tuple[int, str, str], ...]  # (position, character, class expected)

    @property
    def cost(self) -> tuple[int, int]:
        return (len(self.violations), len(self.repairs))


def _fix(char: str, cls: str) -> str | None:
    """The character ``char`` should be read as under class ``cls``; None if it cannot."""
    if cls == "A":
        return char if char in ALNUM else None
    if cls == "D":
        return char if char.isdigit() else LETTER_TO_DIGIT.get(char)
    if cls == "L":
        return char if char.isalpha() else DIGIT_TO_LETTER.get(char)
    if cls == "N":
        if char in "IOQ":
            return LETTER_TO_DIGIT[char]
        return char if char in ALNUM else None
    if cls == "M":
        if char in MONTH_LETTERS:
            return char
        guess = {"0": "D", "1": "I", "6": "G", "8": "B"}.get(char)
        return guess
    if cls == "H":
        if char in SHAFT_LETTERS:
            return char
        return {"5": "S", "1": "L"}.get(char)
    raise ValueError(f"unknown character class {cls!r}")


def fit(compact: str, template: Template) -> Fit:
    """Fit ``compact`` (same length as ``template``) to the template, repairing what it can."""
    if len(compact) != len(template):
        raise ValueError("fit() needs a template of the same length")
    chars = list(compact)
    repairs: list[tuple[int, str, str]] = []
    violations: list[tuple[int, str, str]] = []
    for i, (char, cls) in enumerate(zip(compact, template, strict=True)):
        fixed = _fix(char, cls)
        if fixed is None:
            violations.append((i, char, cls))
        elif fixed != char:
            repairs.append((i, char, fixed))
            chars[i] = fixed
    return Fit(template, "".join(chars), tuple(repairs), tuple(violations))


def best_fit(compact: str, templates: tuple[Template, ...]) -> Fit | None:
    """The template of the right length needing fewest violations, then fewest repairs."""
    fits = [fit(compact, t) for t in templates if len(t) == len(compact)]
    if not fits:
        return None
    return min(fits, key=lambda f: f.cost)
