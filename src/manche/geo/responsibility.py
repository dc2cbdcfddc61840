"""Responsibility rules at sea, written as data with their source, and pure functions.

Each rule in ``RULES`` carries its text and its source. Where a rule depends on a line that
is not published (the UK/FR search-and-rescue demarcation), the median line stands in for it
and every answer says so (``basis: "median-line proxy"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pyproj import Geod

from manche.errors import InputError
from manche.geo.classify import classify
from manche.geo.projection import METRES_PER_NM

PROXY = "median-line proxy"


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    source: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "rcc-by-position",
            "The rescue centre responsible for a position is MRCC Dover (HM Coastguard) on the "
            "UK side of the SAR-region boundary and CROSS Gris-Nez on the French side. The "
            "boundary is not published: the median line (equidistance between the coasts) "
            "is used as a PROXY.",
            "HM Coastguard / CROSS Gris-Nez roles; PROVENANCE.md (data/geo): SAR demarcation "
            "not found in public material",
        ),
        Rule(
            "first-alerted-keeps-coordination",
            "The first rescue centre alerted keeps coordination until another accepts it; the "
            "handover is recorded.",
            "IAMSAR Manual vol. II; /work/shared/DESIGN.md 'Facts'",
        ),
        Rule(
            "fr-acts-in-fr-waters",
            "French authorities act in French waters; people rescued there are landed in France.",
            "UK-France arrangements as described in public reporting (DESIGN.md 'Facts')",
        ),
        Rule(
            "bf-acts-in-uk-waters",
            "Border Force acts in UK waters.",
            "UK-France arrangements as described in public reporting (DESIGN.md 'Facts')",
        ),
        Rule(
            "distress-whoever-can-help",
            "In distress, whoever can help responds, whatever the zone: no zone rule ever "
            "blocks a response to distress.",
            "SOLAS chapter V regulation 33; UNCLOS article 98",
        ),
    )
}

UK_WATERS = frozenset({"UK-TS", "UK-EEZ"})
FR_WATERS = frozenset({"FR-TS", "FR-EEZ"})


@dataclass(frozen=True)
class Responsibility:
    rescue_centre: str | None  # "MRCC Dover" / "CROSS Gris-Nez" / None off the area
    basis: str  # always the proxy for the SAR boundary
    waters: str  # sovereignty code of the position
    acting_authority: str | None  # "French authorities" / "Border Force" / None
    landing_country: str | None  # "FR" for rescues in French waters
    rules: tuple[str, ...]


def responsibility(lon: float, lat: float) -> Responsibility:
    """Who is responsible at one position (rules ``rcc-by-position``, ``fr-acts-in-fr-waters``,
    ``bf-acts-in-uk-waters``)."""
    c = classify([lon], [lat])
    waters = str(c.sovereignty[0])
    uk, fr = float(c.nm_to_coast_uk[0]), float(c.nm_to_coast_fr[0])
    centre: str | None = None
    if waters != "OUTSIDE" and np.isfinite(uk) and np.isfinite(fr):
        centre = "MRCC Dover" if uk < fr else "CROSS Gris-Nez"
    rules = ["rcc-by-position"]
    acting, landing = None, None
    if waters in FR_WATERS:
        acting, landing = "French authorities", "FR"
        rules.append("fr-acts-in-fr-waters")
    elif waters in UK_WATERS:
        acting = "Border Force"
        rules.append("bf-acts-in-uk-waters")
    return Responsibility(centre, PROXY, waters, acting, landing, tuple(rules))


def may_respond_to_distress(asset_side: str, waters: str) -> bool:
    """Rule ``distress-whoever-can-help``: always True, whoever and wherever."""
    del asset_side, waters
    return True


@dataclass(frozen=True)
class Asset:
    name: str
    lon: float
    lat: float
    speed_kn: float


@dataclass(frozen=True)
class Recommendation:
    asset: str
    distance_nm: float
    minutes_to_reach: float


_GEOD = Geod(ellps="WGS84")


def nearest_assets(lon: float, lat: float, assets: Sequence[Asset]) -> list[Recommendation]:
    """Assets sorted by time to reach (lon, lat): great-circle distance on WGS84
    (pyproj.Geod) at each asset's speed. Ties broken by distance, then name."""
    for a in assets:
        if not a.speed_kn > 0:
            raise InputError(f"asset {a.name!r}: speed must be above 0 knots", field="speed_kn")
    if not assets:
        return []
    n = len(assets)
    _, _, metres = _GEOD.inv([a.lon for a in assets], [a.lat for a in assets], [lon] * n, [lat] * n)
    out = [
        Recommendation(a.name, float(m) / METRES_PER_NM, float(m) / METRES_PER_NM / a.speed_kn * 60)
        for a, m in zip(assets, np.atleast_1d(metres), strict=True)
    ]
    return sorted(out, key=lambda r: (r.minutes_to_reach, r.distance_nm, r.asset))
