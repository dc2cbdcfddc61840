"""Land, territorial seas, the median line and the waters beyond 12 nm.

How each layer is built (lon/lat WGS84 unless said):

- land: ``land.geojson``, one multipolygon per country (GBR, FRA, BEL), holes (lakes)
  filled: inland water is land of that country.
- coast of a country: the boundary of its land, minus the edges of the data's bounding box
  (the files are clipped there; a clip edge is not a coast) and minus land borders.
- territorial sea of a country: its ``territorial_seas.geojson`` polygon (land plus sea) minus
  all land; enclosed inland slivers left by the two OSM files' disagreement along the FR/BE
  land border go to that country's land (:func:`_inland_slivers`).
  In the strait the UK/FR line is replaced by the 1988 treaty line: inside a 5 km
  corridor around the treaty line (extended 5 km beyond points I and VI along its end
  segments) the union of the two territorial seas is re-split by that line.
- median line (equidistance between the UK and French coasts): the coasts are sampled every
  ``COAST_SAMPLE_M`` metres in UTM 31N and the Voronoi diagram of the samples is built; the
  median line is the common edge of the cells nearest the UK and those nearest France (cells
  nearest Belgium are kept apart, so the line stops where Belgium becomes nearer).
- waters beyond 12 nm: the area minus land minus every territorial sea, split by that Voronoi
  partition into UK-EEZ (nearer the UK coast) and FR-EEZ (nearer the French coast); the part
  nearest the Belgian coast is not labelled (OUTSIDE): Belgian EEZ is not one of the codes.

The median line is also the stand-in ("proxy") for the unpublished boundary between the UK
and French search-and-rescue regions; see :mod:`manche.geo.responsibility`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from manche.geo.data import read_json
from manche.geo.projection import to_lonlat, to_metric
from manche.geo.treaty import treaty_line

AREA_BOUNDS = (-1.0, 49.8, 3.2, 51.9)
"""lon/lat bounding box the bundled country files are clipped to (see PROVENANCE.md)."""

COUNTRIES = ("GBR", "FRA", "BEL")
CODE = {"GBR": "UK", "FRA": "FR", "BEL": "BE"}

COAST_SAMPLE_M = 200.0
"""Spacing of coast samples for the equidistance (median) line."""

TREATY_CORRIDOR_M = 5000.0


@dataclass(frozen=True)
class Sovereignty:
    land: dict[str, shapely.Geometry]  # "UK"/"FR"/"BE" -> (multi)polygon, lon/lat
    coast: dict[str, shapely.Geometry]  # "UK"/"FR"/"BE" -> (multi)linestring, lon/lat
    territorial_sea: dict[str, shapely.Geometry]  # sea only, lon/lat
    eez: dict[str, shapely.Geometry]  # "UK"/"FR" -> waters beyond 12 nm, lon/lat
    median_line: shapely.Geometry  # (multi)linestring lon/lat
    treaty_line: shapely.LineString
    area: shapely.Polygon


def _by_country(name: str) -> dict[str, shapely.Geometry]:
    doc = read_json(name)
    out: dict[str, shapely.Geometry] = {}
    for feature in doc["features"]:
        iso = feature["properties"]["iso_a3"]
        if iso in COUNTRIES:
            geom = shapely.make_valid(shape(feature["geometry"]))
            out[CODE[iso]] = shapely.union(out[CODE[iso]], geom) if CODE[iso] in out else geom
    return out


def _coast(land: dict[str, shapely.Geometry], sea: shapely.Geometry) -> dict[str, shapely.Geometry]:
    """Where each country's land meets the sea (clip edges and land borders excluded)."""
    near_sea = sea.buffer(1e-6)
    return {
        code: shapely.line_merge(shapely.intersection(geom.boundary, near_sea))
        for code, geom in land.items()
    }


def polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of ``geometry`` (drops points and lines left by overlays)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _filled(geometry: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` with the holes of its polygons filled."""
    return shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(geometry)])


INLAND_SLIVER_KM2 = 5.0


def _inland_slivers(
    sea: shapely.Geometry, enclosing: shapely.Geometry
) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Split off pieces of "sea" that are really land: the two OSM files disagree along the
    French/Belgian land border, leaving enclosed slivers (all under 1 km2) in the maritime
    polygons (and a stretch of the Thames at the clip edge). A piece under
    ``INLAND_SLIVER_KM2`` whose outline lies at least 90 % within about 10 m of ``enclosing``
    (land, the other countries' pieces, the clip edge) is returned as land of that country."""
    near_land = enclosing.buffer(1e-4)
    keep: list[shapely.Geometry] = []
    move: list[shapely.Geometry] = []
    for part in shapely.get_parts(sea):
        small = to_metric(part).area < INLAND_SLIVER_KM2 * 1e6
        outline = part.exterior
        enclosed = shapely.intersection(outline, near_land).length >= 0.9 * outline.length
        (move if small and enclosed else keep).append(part)
    return shapely.union_all(keep), shapely.union_all(move)


def _extended(line: shapely.LineString, metres: float) -> shapely.LineString:
    """``line`` (metric) extended at both ends along its end segments."""
    c = np.asarray(line.coords)
    start_dir = (c[0] - c[1]) / np.linalg.norm(c[0] - c[1])
    end_dir = (c[-1] - c[-2]) / np.linalg.norm(c[-1] - c[-2])
    return shapely.LineString(np.vstack([c[0] + metres * start_dir, c, c[-1] + metres * end_dir]))


def _side_polygon(line_m: shapely.LineString, reach: float, left: bool) -> shapely.Geometry:
    """The band ``reach`` metres wide on one side of ``line_m`` (metric)."""
    return line_m.buffer(reach if left else -reach, single_sided=True, cap_style="flat")


def _resplit_on_treaty(
    uk: shapely.Geometry, fr: shapely.Geometry, treaty: shapely.LineString
) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Re-split the two territorial seas along the treaty line near the strait."""
    treaty_m = _extended(to_metric(treaty), TREATY_CORRIDOR_M)
    corridor = to_lonlat(treaty_m.buffer(TREATY_CORRIDOR_M, cap_style="flat"))
    uk_side = to_lonlat(_side_polygon(treaty_m, 2 * TREATY_CORRIDOR_M, left=True))
    fr_side = to_lonlat(_side_polygon(treaty_m, 2 * TREATY_CORRIDOR_M, left=False))
    # The treaty runs I (south-west) to VI (north-east): the UK is on its left.
    pool = shapely.intersection(shapely.union(uk, fr), corridor)
    uk_new = shapely.union(shapely.difference(uk, corridor), shapely.intersection(pool, uk_side))
    fr_new = shapely.union(shapely.difference(fr, corridor), shapely.intersection(pool, fr_side))
    return uk_new, fr_new


def _nearest_coast_regions(
    coast: dict[str, shapely.Geometry], area_m: shapely.Polygon
) -> dict[str, shapely.Geometry]:
    """Voronoi partition (metric) of the area by nearest coast sample, dissolved per country."""
    points: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    codes = sorted(coast)
    for i, code in enumerate(codes):
        line_m = shapely.segmentize(to_metric(coast[code]), COAST_SAMPLE_M)
        xy = shapely.get_coordinates(line_m)
        points.append(xy)
        owners.append(np.full(len(xy), i))
    xy = np.round(np.vstack(points), 1)
    owner = np.concatenate(owners)
    xy, first = np.unique(xy, axis=0, return_index=True)  # where two coasts meet, keep one
    owner = owner[first]
    cells = shapely.voronoi_polygons(
        shapely.MultiPoint(xy), extend_to=area_m.buffer(50_000), ordered=True
    )
    cell_list = np.asarray(shapely.get_parts(cells))
    # ordered=True keeps the order of the input points
    regions = {}
    for i, code in enumerate(codes):
        regions[code] = shapely.intersection(
            shapely.union_all(cell_list[owner == i], grid_size=0.01), area_m
        )
    return regions


def build_sovereignty() -> Sovereignty:
    area = shapely.box(*AREA_BOUNDS)
    # Lakes and other holes in the land polygons count as land of that country.
    land = {code: _filled(geom) for code, geom in _by_country("land.geojson").items()}
    ts_raw = _by_country("territorial_seas.geojson")
    all_land = shapely.union_all(list(land.values()))
    sea = {code: shapely.difference(geom, all_land) for code, geom in ts_raw.items()}
    original = dict(sea)
    for code in original:
        others = [g for c, g in original.items() if c != code]
        enclosing = shapely.union_all([all_land, *others, area.exterior])
        sea[code], slivers = _inland_slivers(original[code], enclosing)
        land[code] = shapely.union(land[code], slivers)
    all_land = shapely.union_all(list(land.values()))
    treaty = treaty_line()
    sea["UK"], sea["FR"] = _resplit_on_treaty(sea["UK"], sea["FR"], treaty)
    sea["BE"] = shapely.difference(sea["BE"], shapely.union(sea["UK"], sea["FR"]))
    coast = _coast(land, shapely.union_all([ts_raw_sea for ts_raw_sea in sea.values()]))
    area_m = to_metric(area)
    regions_m = _nearest_coast_regions(coast, area_m)
    median_m = shapely.line_merge(
        shapely.intersection(regions_m["UK"].boundary, regions_m["FR"].boundary, grid_size=0.01)
    )
    median = shapely.intersection(to_lonlat(median_m), area)
    beyond = shapely.difference(area, shapely.union_all([all_land, *sea.values()]))
    eez = {code: shapely.intersection(beyond, to_lonlat(regions_m[code])) for code in ("UK", "FR")}
    # The two EEZ pieces come from different reprojected cells: make them exactly disjoint.
    eez["FR"] = shapely.difference(eez["FR"], eez["UK"])
    sea = {code: polygonal(geom) for code, geom in sea.items()}
    eez = {code: polygonal(geom) for code, geom in eez.items()}
    return Sovereignty(
        land=land,
        coast=coast,
        territorial_sea=sea,
        eez=eez,
        median_line=median,
        treaty_line=treaty,
        area=area,
    )
