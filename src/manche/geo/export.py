"""Every built layer as one GeoJSON FeatureCollection (for the web map and for checking).

Each feature has ``layer`` and ``code``/``name`` properties. The median line carries
``sar_region_boundary: "proxy"``: the UK/FR search-and-rescue demarcation is not published,
and the median line stands in for it.
"""

from __future__ import annotations

from typing import Any

import shapely

from manche.geo.layers import Layers
from manche.geo.treaty import transformation_name

PROXY_NOTE = (
    "PROXY: the boundary between the UK and French search-and-rescue regions is not "
    "published; the median line (equidistance between the UK and French coasts) stands in "
    "for it."
)


def _feature(geometry: shapely.Geometry, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": shapely.geometry.mapping(geometry),
    }


def layers_geojson(layers: Layers, *, precision: int = 6) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    for code, geom in layers.sovereignty.items():
        features.append(_feature(geom, layer="sovereignty", code=code))
    for code, geom in layers.shipping.items():
        features.append(
            _feature(
                geom,
                layer="shipping",
                code=code,
                source="built from OSM seamarks (dover_tss_seamarks_osm.geojson)",
            )
        )
    features.append(
        _feature(
            layers.median_line,
            layer="median_line",
            name="median line (equidistance UK/FR coasts), SAR-region boundary proxy",
            sar_region_boundary="proxy",
            note=PROXY_NOTE,
        )
    )
    features.append(
        _feature(
            layers.treaty_line,
            layer="treaty_line",
            name="UK-France territorial sea boundary, Strait of Dover, 1988",
            datum_conversion=f"ED50 -> WGS84: {transformation_name()}",
        )
    )
    for point in layers.treaty_points:
        features.append(
            _feature(
                shapely.Point(point.lon, point.lat),
                layer="treaty_point",
                name=point.name,
                lon_ed50=point.lon_ed50,
                lat_ed50=point.lat_ed50,
            )
        )
    for line in layers.reporting_lines:
        features.append(
            _feature(
                line.line,
                layer="reporting_line",
                name=line.name,
                source=line.source,
                note=line.note,
            )
        )
    for name, closure in layers.tss.closures.items():
        features.append(
            _feature(closure, layer="tss_closure", name=name, status="derived closing line")
        )
    features.append(
        _feature(
            layers.tss.extent_line,
            layer="tss_extent",
            name="north-east limit of the modelled TSS (CALDOVREP eastern line)",
        )
    )
    for place in layers.places:
        features.append(
            _feature(
                shapely.Point(place.lon, place.lat),
                layer="place",
                name=place.name,
                country=place.country,
                role=place.role,
                approximate=place.approximate,
                status=place.status,
                source=place.source,
            )
        )
    collection = {
        "type": "FeatureCollection",
        "name": "Manche: zones of the Dover Strait",
        "attribution": (
            "(c) OpenStreetMap contributors, ODbL 1.0; see manche/data/geo/PROVENANCE.md"
        ),
        "sar_region_boundary": "proxy (median line)",
        "features": features,
    }
    rounded: dict[str, Any] = _round(collection, precision)
    return rounded


def _round(value: Any, precision: int) -> Any:
    if isinstance(value, float):
        return round(value, precision)
    if isinstance(value, dict):
        return {k: _round(v, precision) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_round(v, precision) for v in value]
    return value
