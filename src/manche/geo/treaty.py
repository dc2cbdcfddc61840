"""The 1988 UK-France territorial-sea boundary in the Strait of Dover, ED50 -> WGS84.

The treaty gives six points in ED50 (EPSG:4230) joined by loxodromes. They are converted to
WGS84 (EPSG:4326) with pyproj, using the most accurate ED50 -> WGS84 transformation PROJ
offers for the strait (``TRANSFORMATION`` names it); the shift is about 135 m to the south-west.

Loxodromes: over segments of at most 15 km at 51 deg N, a rhumb line and the straight line in
lon/lat coincide exactly (a rhumb line is straight in Mercator, and in lon/lat the difference to
Mercator over these latitude spans is below 2 m), so the points are joined by straight segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import shapely
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


def treaty_line() -> shapely.LineString:
    """The boundary in WGS84 lon/lat, points I to VI."""
    return shapely.LineString([(p.lon, p.lat) for p in treaty_points()])
