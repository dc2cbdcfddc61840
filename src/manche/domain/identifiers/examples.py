"""Plausible identifiers in each format, drawn from a caller's random generator (pure).

Used to make generated data (the exercise day, the linking benchmark's observations): never
real serial numbers. The layouts are those of :mod:`manche.domain.identifiers.engine_serial`
and :mod:`manche.domain.identifiers.hin` (with their sources and assumptions,
docs/intelligence.md); a drawn identifier reads as valid there.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence

DIGITS = string.digits
LETTERS = string.ascii_uppercase
HIN_SERIAL = "".join(c for c in DIGITS + LETTERS if c not in "IOQ")

ENGINE_MAKES = {  # make: (share of the small-boat engines, usual powers in hp)
    "Yamaha": (0.40, (15.0, 40.0, 60.0, 85.0)),
    "Mercury": (0.15, (40.0, 60.0, 115.0)),
    "Suzuki": (0.15, (15.0, 40.0, 60.0)),
    "Honda": (0.10, (20.0, 40.0, 50.0)),
    "Tohatsu": (0.10, (15.0, 40.0, 60.0)),
    "Parsun": (0.10, (15.0, 40.0, 60.0)),
}
YAMAHA_PREFIX = (
    "6AH", "6BL", "6CE", "6G5", "63V", "66T", "6AW", "6DH", "6BG", "6EK", "6C1", "67C",
)  # fmt: skip
HONDA_FRAME = ("BAAJ", "BAKJ", "BZBJ", "BAZJ", "BBAJ", "BALJ", "BCAJ", "BAWJ")
SUZUKI_MODEL = ("04003", "06003", "09003", "14003", "02002", "04004", "06002")
HIN_COUNTRIES = ("FR", "GB", "TR", "CN", "IT", "DE", "NL", "PL", "BE", "ES")


def engine_serial(rnd: random.Random, make: str) -> str:
    """A serial in ``make``'s layout (Tohatsu's and Parsun's layouts are assumptions)."""

    def d(k: int) -> str:
        return "".join(rnd.choices(DIGITS, k=k))

    if make == "Yamaha":
        return rnd.choice(YAMAHA_PREFIX) + rnd.choice("SLX") + d(7)
    if make == "Mercury":
        return rnd.choice(DIGITS) + rnd.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + d(6)
    if make == "Suzuki":
        return rnd.choice(SUZUKI_MODEL) + rnd.choice(("", "F", "K")) + d(6)
    if make == "Honda":
        return rnd.choice(HONDA_FRAME) + d(7)
    if make == "Tohatsu":
        return rnd.choice(("3B2", "3V1", "3R4", "3C8")) + d(7)
    return "".join(rnd.choices(LETTERS, k=2)) + d(7)


def manufacturer_codes(rnd: random.Random, count: int) -> list[str]:
    """``count`` made-up three-letter manufacturer identity codes (MIC) for HINs."""
    return ["".join(rnd.choices(LETTERS, k=3)) for _ in range(count)]


def hin(rnd: random.Random, mics: Sequence[str]) -> str:
    """An ISO 10087 hull identification number (country, MIC, serial, month, year digits)."""
    model_year = rnd.randint(2010, 2026)
    produced = model_year - rnd.choice((0, 0, 1))
    return (
        rnd.choice(HIN_COUNTRIES)
        + rnd.choice(mics)
        + "".join(rnd.choices(HIN_SERIAL, k=5))
        + rnd.choice("ABCDEFGHIJKL")
        + str(produced % 10)
        + f"{model_year % 100:02d}"
    )
