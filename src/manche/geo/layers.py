"""Every layer of the Strait, built once from the bundled files and kept in memory."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import shapely
from shapely.geometry import shape

from manche.geo.data import Place, read_json, read_places
from manche.geo.sovereignty import Sovereignty, build_sovereignty, polygonal
from manche.geo.treaty import TreatyPoint, treaty_points
from manche.geo.tss import SHIPPING_CODES, Tss, build_tss

SOVEREIGNTY_CODES = (
    "UK-LAND",
    "FR-LAND",
    "BE-LAND",
    "UK-TS",
    "FR-TS",
    "BE-TS",
    "UK-EEZ",
    "FR-EEZ",
)
SOVEREIGNTY_DEFAULT = "OUTSIDE"
SHIPPING_DEFAULT = "NONE"


@dataclass(frozen=True)
class ReportingLine:
    name: str
    source: str
    note: str
    line: shapely.LineString


@dataclass(frozen=True)
class Layers:
    sovereignty: dict[str, shapely.Geometry]
    """code -> (multi)polygon, lon/lat; interiors pairwise disjoint."""
    shipping: dict[str, shapely.Geometry]
    """code -> (multi)polygon, lon/lat; interiors pairwise disjoint."""
    coast: dict[str, shapely.Geometry]
    median_line: shapely.Geometry
    """Equidistance line between the UK and French coasts; also the SAR-region proxy."""
    treaty_points: tuple[TreatyPoint, ...]
    treaty_line: shapely.LineString
    reporting_lines: tuple[ReportingLine, ...]
    places: tuple[Place, ...]
    base: Sovereignty
    tss: Tss


def _reporting_lines() -> tuple[ReportingLine, ...]:
    out = []
    for feature in read_json("caldovrep_lines.geojson")["features"]:
        if feature["geometry"]["type"] != "LineString":
            continue
        props = feature["properties"]
        out.append(
            ReportingLine(
                name=props["name"],
                source=props.get("source", ""),
                note=props.get("note", ""),
                line=shape(feature["geometry"]),
            )
        )
    return tuple(out)


def _disjoint(layers: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Each layer minus the ones before it, so the layers share no area.

    The sources overlap in slivers (the OSM French and Belgian land overlap by about
    2,000 m2 along their border; overlays leave 1e-17 deg2 slivers): earlier layers win.
    """
    out: dict[str, shapely.Geometry] = {}
    taken = shapely.Polygon()
    for code, geom in layers.items():
        out[code] = polygonal(shapely.difference(geom, taken))
        taken = shapely.union(taken, geom)
    return out


@lru_cache(maxsize=1)
def build_layers() -> Layers:
    """Build every layer (about two seconds; cached for the life of the process)."""
    base = build_sovereignty()
    all_land = shapely.union_all(list(base.land.values()))
    tss = build_tss(all_land)
    sovereignty = {
        "UK-LAND": base.land["UK"],
        "FR-LAND": base.land["FR"],
        "BE-LAND": base.land["BE"],
        "UK-TS": base.territorial_sea["UK"],
        "FR-TS": base.territorial_sea["FR"],
        "BE-TS": base.territorial_sea["BE"],
        "UK-EEZ": base.eez["UK"],
        "FR-EEZ": base.eez["FR"],
    }
    shipping = {code: tss.zones[code] for code in SHIPPING_CODES}
    return Layers(
        sovereignty=_disjoint(sovereignty),
        shipping=_disjoint(shipping),
        coast=base.coast,
        median_line=base.median_line,
        treaty_points=treaty_points(),
        treaty_line=base.treaty_line,
        reporting_lines=_reporting_lines(),
        places=tuple(read_places()),
        base=base,
        tss=tss,
    )
