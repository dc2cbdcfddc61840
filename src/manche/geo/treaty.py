"""The 1988 UK-France territorial-sea boundary in the Strait of Dover, ED50 -> WGS84.

The treaty gives six points in ED50 (EPSG:4230) joined by loxodromes. They are converted to
WGS84 (EPSG:4326) with pyproj, using the most accurate ED50 -> WGS84 transformation PROJ
offers for the strait (:func:`transformation_name` names it); the shift is 133-135 m to the
south-west.

Loxodromes: a rhumb line is straight on the Mercator projection, not in lon/lat (between
these points the two differ by up to 3 m), so each segment is drawn as the loxodrome itself,
densified every ``LOXODROME_STEPS``-th of the segment (longitude linear, Mercator ordinate
linear). The conversion to WGS84 is applied to the vertices; over a 15 km segment the datum
shift is constant to well under a centimetre, so converting the densified points would give
the same line.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.transformer import TransformerGroup

from manche.errors import ConfigurationError
from manche.geo.data import dms_to_degrees, read_json

FILE = "strait_of_dover_boundary_1988.json"


@dataclass(frozen=True)
class TreatyPoint:
    name: str
    lon_ed50: float
    lat_ed50: float
    lon: float
    lat: float


@lru_cache(maxsize=1)
def ed50_to_wgs84() -> Transformer:
    """The most accurate ED50 -> WGS84 transformation available for the strait."""
    group = TransformerGroup(
        "EPSG:4230",
        "EPSG:4326",
        always_xy=True,
        area_of_interest=AreaOfInterest(1.2, 50.8, 1.95, 51.25),  # type: ignore[arg-type]
    )
    candidates = [t for t in group.transformers if t.accuracy is not None and t.accuracy >= 0]
    if not candidates:
        raise ConfigurationError("PROJ offers no ED50 -> WGS84 transformation for the strait")
    return min(candidates, key=lambda t: t.accuracy)


def transformation_name() -> str:
    t = ed50_to_wgs84()
    return f"{t.description} (stated accuracy {t.accuracy} m)"


@lru_cache(maxsize=1)
def treaty_points() -> tuple[TreatyPoint, ...]:
    doc = read_json(FILE)
    transformer = ed50_to_wgs84()
    points: list[TreatyPoint] = []
    for i, p in enumerate(doc["points"]):
        lat = dms_to_degrees(p["lat_dms"], file=FILE, field=f"points[{i}].lat_dms")
        lon = dms_to_degrees(p["lon_dms"], file=FILE, field=f"points[{i}].lon_dms")
        lon84, lat84 = transformer.transform(lon, lat)
        points.append(TreatyPoint(p["name"], lon, lat, float(lon84), float(lat84)))
    return tuple(points)


LOXODROME_STEPS = 64


def _mercator_y(lat: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _latitude(y: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def loxodrome(
    start: tuple[float, float], end: tuple[float, float], steps: int = LOXODROME_STEPS
) -> NDArray[np.float64]:
    """Points (lon, lat) along the rhumb line from ``start`` to ``end``, both included."""
    t = np.linspace(0.0, 1.0, steps + 1)
    lon = start[0] + (end[0] - start[0]) * t
    y0, y1 = _mercator_y(np.array([start[1], end[1]]))
    out = np.column_stack([lon, _latitude(y0 + (y1 - y0) * t)])
    out[0], out[-1] = start, end  # exact ends (no round trip through Mercator)
    return out


def treaty_line() -> shapely.LineString:
    """The boundary in WGS84 lon/lat, points I to VI joined by loxodromes."""
    points = [(p.lon, p.lat) for p in treaty_points()]
    parts = [loxodrome(a, b)[:-1] for a, b in itertools.pairwise(points)]
    return shapely.LineString(np.vstack([*parts, np.array([points[-1]])]))
