"""The Dover Traffic Separation Scheme as polygons, built from the OSM seamark lines.

Built by polygonizing the scheme's boundary lines (``dover_tss_seamarks_osm.geojson``) and
labelling the faces:

1. lines used: every ``separation_zone`` ring, ``separation_boundary`` and ``separation_line``,
   the coastlines (for the inshore zones), and three closing lines named in ``CLOSURES``
   (the scheme's south-west ends, which the seamark data leaves open, and the limit of the
   English inshore traffic zone at Dungeness). Line ends are extended by ``SNAP_M`` metres so
   that lines meant to meet a ring do meet it (dangling overshoots are dropped by
   polygonize).
2. the modelled extent is bounded to the north-east by the CALDOVREP eastern reporting line
   (North Foreland - F3 - FR/BE border): beyond it the scheme joins the North Hinder and
   Sandettie schemes, whose lanes the data leaves open. Faces beyond it are not labelled.
3. labels: a face inside a separation-zone ring is SEPARATION; a face crossed by a lane
   centre line (``separation_lane``, whose direction says south-west or north-east bound) is
   SW-LANE or NE-LANE; the English inshore traffic zone is the sea face bounded by the
   1 deg 22.24' E line off South Foreland (OSM 129922882) and the Dungeness limit; the French
   one the sea face bounded by the Cap Gris-Nez line (OSM 129922883) and the 50 deg 30.09' N
   line (OSM 129922881).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from manche.geo.data import read_json, read_places
from manche.geo.projection import to_lonlat, to_metric
from manche.geo.sovereignty import polygonal

SEAMARKS = "dover_tss_seamarks_osm.geojson"
SNAP_M = 30.0
LANDWARD_EXTENSION_M = 3000.0

SHIPPING_CODES = ("SW-LANE", "NE-LANE", "SEPARATION", "UK-ITZ", "FR-ITZ")

UK_ITZ_EAST_LIMIT = "129922882"  # 1 deg 22.24 E, South Foreland to the scheme
FR_ITZ_NORTH_LIMIT = "129922883"  # Cap Gris-Nez to the scheme
FR_ITZ_SOUTH_LIMIT = "129922881"  # parallel 50 deg 30.09 N


@dataclass(frozen=True)
class Seamark:
    osm_id: str
    kind: str
    line: shapely.LineString


@dataclass(frozen=True)
class Tss:
    zones: dict[str, shapely.Geometry]  # code -> (multi)polygon lon/lat
    extent_line: shapely.LineString  # the north-east limit of the modelled scheme
    closures: dict[str, shapely.LineString]


def read_seamarks() -> list[Seamark]:
    out = []
    for feature in read_json(SEAMARKS)["features"]:
        tags = feature["properties"]["other_tags"]
        kind = tags.split('"seamark:type"=>"')[1].split('"')[0]
        out.append(Seamark(feature["properties"]["osm_id"], kind, shape(feature["geometry"])))
    return out


def _extend(line_m: shapely.LineString, start: float, end: float) -> shapely.LineString:
    c = np.asarray(line_m.coords)
    d0 = (c[0] - c[1]) / np.linalg.norm(c[0] - c[1])
    d1 = (c[-1] - c[-2]) / np.linalg.norm(c[-1] - c[-2])
    return shapely.LineString(np.vstack([c[0] + start * d0, c, c[-1] + end * d1]))


def _ring_corner(ring: shapely.LineString, pick: str) -> tuple[float, float]:
    c = np.asarray(ring.coords)[:-1]
    index = {"west": np.argmin(c[:, 0]), "south": np.argmin(c[:, 1])}[pick]
    x, y = c[index]
    return float(x), float(y)


def _closures(marks: dict[str, Seamark]) -> dict[str, shapely.LineString]:
    """Closing lines the seamark data does not carry (documented in docs/geography.md)."""
    dungeness = next(p for p in read_places() if p.name.startswith("Dungeness"))
    itz_corner = marks["129922891"].line.coords[-1]  # 50 52.29 N 1 02.65 E
    # South-west ends of the lanes: joins of the western corners of the separation zones
    # 129922893 (north), 129922876 (main) and 129922894 (south).
    north = marks["129922893"].line
    main = marks["129922876"].line
    south = marks["129922894"].line
    return {
        "UK-ITZ south-west limit (Dungeness to 50 52.29 N 1 02.65 E)": shapely.LineString(
            [(dungeness.lon, dungeness.lat), itz_corner]
        ),
        "SW-LANE south-west end": shapely.LineString(
            [_ring_corner(north, "south"), _ring_corner(main, "west")]
        ),
        "NE-LANE south-west end": shapely.LineString(
            [_ring_corner(main, "south"), _ring_corner(south, "west")]
        ),
    }


def _caldovrep_east() -> shapely.LineString:
    for feature in read_json("caldovrep_lines.geojson")["features"]:
        if feature["properties"]["name"].startswith("CALDOVREP eastern"):
            line: shapely.LineString = shape(feature["geometry"])
            return line
    raise LookupError("CALDOVREP eastern line missing from caldovrep_lines.geojson")


def _south_west_of(line: shapely.LineString) -> shapely.Polygon:
    """Everything south and west of the CALDOVREP eastern line (its ends are on land)."""
    y_start = line.coords[0][1]
    x_end = line.coords[-1][0]
    return shapely.Polygon([*line.coords, (x_end, 49.0), (-2.0, 49.0), (-2.0, y_start)])


def _lane_direction(line: shapely.LineString) -> str:
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    bearing = np.degrees(np.arctan2((x1 - x0) * np.cos(np.radians(y0)), y1 - y0)) % 360
    if 0 <= bearing < 135:
        return "NE-LANE"
    if 180 <= bearing < 315:
        return "SW-LANE"
    raise ValueError(f"lane centre line with bearing {bearing:.0f} deg")


def build_tss(land: shapely.Geometry) -> Tss:
    seamarks = read_seamarks()
    marks = {m.osm_id: m for m in seamarks}
    closures = _closures(marks)
    extent = _caldovrep_east()
    lines_m: list[shapely.Geometry] = []
    for mark in seamarks:
        if mark.kind == "separation_zone":
            lines_m.append(to_metric(mark.line))
        elif mark.kind in ("separation_boundary", "separation_line"):
            line_m = to_metric(mark.line)
            if line_m.is_ring:
                lines_m.append(line_m)
            else:
                lines_m.append(_extend(line_m, SNAP_M, SNAP_M))
    for line in [*closures.values(), extent]:
        lines_m.append(_extend(to_metric(line), LANDWARD_EXTENSION_M, LANDWARD_EXTENSION_M))
    # landward ends of the inshore-zone limits reach into the land
    for osm_id in (UK_ITZ_EAST_LIMIT, FR_ITZ_NORTH_LIMIT, FR_ITZ_SOUTH_LIMIT):
        lines_m.append(
            _extend(to_metric(marks[osm_id].line), LANDWARD_EXTENSION_M, LANDWARD_EXTENSION_M)
        )
    land_m = to_metric(land)
    lines_m.append(land_m.boundary)
    noded = shapely.union_all(lines_m, grid_size=0.001)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    faces = faces[~shapely.within(shapely.point_on_surface(faces), land_m)]

    zones_ring = [
        to_metric(shapely.Polygon(m.line.coords)) for m in seamarks if m.kind == "separation_zone"
    ]
    zone_union = shapely.union_all(zones_ring)
    inside_extent = to_metric(_south_west_of(extent))
    labels: dict[str, list[shapely.Geometry]] = {code: [] for code in SHIPPING_CODES}
    reps = shapely.point_on_surface(faces)
    lanes = [
        (to_metric(m.line), _lane_direction(m.line))
        for m in seamarks
        if m.kind == "separation_lane"
    ]
    limits = {
        k: to_metric(marks[k].line)
        for k in (UK_ITZ_EAST_LIMIT, FR_ITZ_NORTH_LIMIT, FR_ITZ_SOUTH_LIMIT)
    }
    dungeness_limit = to_metric(next(iter(closures.values())))
    for face, rep in zip(faces, reps, strict=True):
        if not shapely.intersects(inside_extent, rep):
            continue
        if shapely.within(rep, zone_union):
            labels["SEPARATION"].append(face)
            continue
        crossing = {d for line, d in lanes if shapely.intersection(line, face).length > 100.0}
        if len(crossing) > 1:
            raise ValueError(f"a TSS face is crossed by lanes of both directions: {crossing}")
        if crossing:
            labels[crossing.pop()].append(face)
            continue
        edge = face.boundary.buffer(1.0)
        if (
            shapely.intersection(limits[UK_ITZ_EAST_LIMIT], edge).length > 100.0
            and shapely.intersection(dungeness_limit, edge).length > 100.0
        ):
            labels["UK-ITZ"].append(face)
        elif (
            shapely.intersection(limits[FR_ITZ_NORTH_LIMIT], edge).length > 100.0
            and shapely.intersection(limits[FR_ITZ_SOUTH_LIMIT], edge).length > 100.0
        ):
            labels["FR-ITZ"].append(face)
    zones = {
        code: polygonal(to_lonlat(shapely.union_all(parts, grid_size=0.001)))
        for code, parts in labels.items()
    }
    return Tss(zones=zones, extent_line=extent, closures=closures)
