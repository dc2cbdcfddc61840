"""classify() on points whose answer is known independently of this code."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from pyproj import Geod
from typer.testing import CliRunner

from manche.cli import app
from manche.geo.classify import classifier, classify
from manche.geo.projection import METRES_PER_NM, to_lonlat_xy, to_metric_xy
from manche.geo.treaty import treaty_points
from manche.geo.tss import read_seamarks

GEOD = Geod(ellps="WGS84")
NM = 1 / 60  # one minute of latitude is one nautical mile


@pytest.mark.parametrize(
    ("where", "lon", "lat", "sovereignty", "shipping"),
    [
        # 1 nm south of the Dover tide gauge (TICON-4, places.csv): off Dover, between
        # Dungeness and South Foreland, inshore of the scheme -> English ITZ
        ("off Dover", 1.322528, 51.114389 - NM, "UK-TS", "UK-ITZ"),
        # 0.3 nm west of the Digue Carnot light, 50 44.5 N 1 34.1 E (boulogne-marina.com,
        # navigation information): between Cap Gris-Nez and 50 30 N -> French ITZ
        (
            "off Boulogne",
            1.568333 - 0.3 * NM / np.cos(np.radians(50.74)),
            50.741667,
            "FR-TS",
            "FR-ITZ",
        ),
        # 1 nm north of the Calais pier-head lights, 50 58 N 1 51 E (leuchttuerme.net,
        # whole minutes): north-east of Gris-Nez, inshore of the lanes -> no TSS zone
        ("off Calais", 1.85, 50.966667 + NM, "FR-TS", "NONE"),
        # Canterbury (about 51 17 N 1 05 E), some 10 km inland
        ("Canterbury", 1.08, 51.28, "UK-LAND", "NONE"),
        # Lille (about 50 38 N 3 04 E), some 60 km inland
        ("Lille", 3.06, 50.63, "FR-LAND", "NONE"),
        # 2 nm north-north-east of De Panne (51 06 N 2 35 E), east of the FR/BE border
        ("off De Panne", 2.60, 51.13, "BE-TS", "NONE"),
        # mid-Channel south-west of the strait, 30+ nm from both coasts, west of the TSS
        ("mid-Channel", 0.0, 50.15, "FR-EEZ", "NONE"),
        ("North Sea, off the area", 5.0, 53.0, "OUTSIDE", "NONE"),
    ],
)
def test_known_points(where, lon, lat, sovereignty, shipping) -> None:  # type: ignore[no-untyped-def]
    result = classify([lon], [lat])
    assert result.sovereignty[0] == sovereignty, where
    assert result.shipping[0] == shipping, where


def _offsets(name: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """Points 0.5 nm either side of a treaty vertex, along the bisector of the two segments
    (perpendicular to the line at the end points), in UTM 31N."""
    pts = treaty_points()
    xy = np.column_stack(to_metric_xy([p.lon for p in pts], [p.lat for p in pts]))
    i = [p.name for p in pts].index(name)
    directions = []
    if i > 0:
        directions.append((xy[i] - xy[i - 1]) / np.linalg.norm(xy[i] - xy[i - 1]))
    if i < len(pts) - 1:
        directions.append((xy[i + 1] - xy[i]) / np.linalg.norm(xy[i + 1] - xy[i]))
    d = np.mean(directions, axis=0)
    left = np.array([-d[1], d[0]]) / np.linalg.norm(d)  # the line runs SW -> NE: UK on the left
    uk = xy[i] + 0.5 * METRES_PER_NM * left
    fr = xy[i] - 0.5 * METRES_PER_NM * left
    lon, lat = to_lonlat_xy([uk[0], fr[0]], [uk[1], fr[1]])
    return (lon[0], lat[0]), (lon[1], lat[1])


@pytest.mark.parametrize("name", ["I", "II", "III", "IV", "V", "VI"])
def test_half_a_mile_either_side_of_each_treaty_vertex(name) -> None:  # type: ignore[no-untyped-def]
    (uk_lon, uk_lat), (fr_lon, fr_lat) = _offsets(name)
    result = classify([uk_lon, fr_lon], [uk_lat, fr_lat])
    if name not in ("I", "VI"):
        assert list(result.sovereignty) == ["UK-TS", "FR-TS"]
    else:
        # I and VI are where the treaty line meets the 12 nm limits: half a mile out the
        # points are beyond 12 nm, where the EEZ split is the median-line proxy, which at VI
        # runs 3.5 nm west of the treaty point (known limit, docs/geography.md). Neither
        # point may fall in the other side's territorial sea.
        assert result.sovereignty[0] != "FR-TS"
        assert result.sovereignty[1] != "UK-TS"


def _mid_lane_points(boundary_id: str, zone_id: str) -> list[tuple[float, float]]:
    """Midpoints between each vertex of a lane boundary line and the nearest point of the
    main separation zone ring, read off the seamark file (lon/lat)."""
    marks = {m.osm_id: m.line for m in read_seamarks()}
    zone = marks[zone_id]
    out = []
    for x, y in list(marks[boundary_id].coords):
        near = zone.interpolate(zone.project(shapely.Point(x, y)))
        out.append(((x + near.x) / 2, (y + near.y) / 2))
    return out


def test_mid_lane_points() -> None:
    # SW-bound lane: between the scheme's NW boundary (OSM 129922891) and the main
    # separation zone (OSM 129922876), from Dungeness to the end of the zone
    sw = [p for p in _mid_lane_points("129922891", "129922876") if 1.05 < p[0] < 1.6]
    # NE-bound lane: between the separation line off the French coast (OSM 129922888)
    # and the main separation zone
    ne = _mid_lane_points("129922888", "129922876")
    assert len(sw) >= 3 and len(ne) >= 5
    assert set(classify(*zip(*sw, strict=True)).shipping) == {"SW-LANE"}
    assert set(classify(*zip(*ne, strict=True)).shipping) == {"NE-LANE"}
    # inside the separation zone: between its facing vertices (1.38333 50.95983) and
    # (1.4005 50.94783)
    assert classify([1.391917], [50.953833]).shipping[0] == "SEPARATION"


def test_labels_identical_to_plain_shapely_on_random_points() -> None:
    rng = np.random.default_rng(7)
    lon = rng.uniform(-1.0, 3.2, 200_000)
    lat = rng.uniform(49.8, 51.9, 200_000)
    result = classify(lon, lat, distances=False)
    c = classifier()
    for index, family, codes in (
        (c.sovereignty, c.layers.sovereignty, result.sovereignty),
        (c.shipping, c.layers.shipping, result.shipping),
    ):
        expected = np.full(len(lon), index.codes[-1], dtype=object)
        for code, polygon in reversed(list(family.items())):  # the first layer wins
            expected[shapely.contains_xy(polygon, lon, lat)] = code
        assert (codes == expected.astype(str)).all()


def test_points_on_cell_edges_and_vertices_are_exact() -> None:
    """Grid-edge coordinates and polygon vertices (on the boundary: in no interior)."""
    c = classifier()
    idx = c.sovereignty
    ix = np.arange(0, idx.nx, 37)
    lon = idx.x0 + ix * idx.dx
    lat = np.full(len(lon), idx.y0 + 300 * idx.dy)
    vertices = shapely.get_coordinates(c.layers.sovereignty["UK-TS"])[::50]
    lon = np.concatenate([lon, vertices[:, 0]])
    lat = np.concatenate([lat, vertices[:, 1]])
    got = classify(lon, lat, distances=False).sovereignty
    expected = np.full(len(lon), "OUTSIDE", dtype=object)
    for code, polygon in reversed(list(c.layers.sovereignty.items())):
        expected[shapely.contains_xy(polygon, lon, lat)] = code
    assert (got == expected.astype(str)).all()


def test_coast_distances_match_geodesics() -> None:
    """Against pyproj.Geod: the geodesic from each point to every vertex of the coast
    densified to 50 m; the minimum is within 0.1 % + 50 m of our planar UTM distance."""
    c = classifier()
    coast = c.layers.coast["UK"]
    from manche.geo.projection import to_lonlat, to_metric

    dense = shapely.get_coordinates(to_lonlat(shapely.segmentize(to_metric(coast), 50.0)))
    points = [(1.5, 51.0), (0.5, 50.5), (1.322528, 51.097722), (2.0, 51.3)]
    result = classify([p[0] for p in points], [p[1] for p in points])
    for (lon, lat), ours in zip(points, result.nm_to_coast_uk, strict=True):
        _, _, metres = GEOD.inv(
            np.full(len(dense), lon), np.full(len(dense), lat), dense[:, 0], dense[:, 1]
        )
        truth = metres.min() / METRES_PER_NM
        assert abs(ours - truth) <= 0.001 * truth + 50 / METRES_PER_NM


def test_nan_positions_are_outside_with_no_distance() -> None:
    result = classify([np.nan], [np.nan])
    assert result.record(0) == {
        "sovereignty": "OUTSIDE",
        "shipping": "NONE",
        "nm_to_median": None,
        "nm_to_coast": {"UK": None, "FR": None},
    }


def test_cli_classify_json() -> None:
    result = CliRunner().invoke(
        app, ["geo", "classify", "--lon", "1.322528", "--lat", "51.097722", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sovereignty"] == "UK-TS" and data["shipping"] == "UK-ITZ"
    assert set(data["nm_to_coast"]) == {"UK", "FR"}
    assert data["nm_to_coast"]["UK"] < 2.0 < data["nm_to_coast"]["FR"]


def test_cli_rejects_impossible_position() -> None:
    result = CliRunner().invoke(app, ["geo", "classify", "--lon", "200", "--lat", "51"])
    assert result.exit_code == 2
    assert "not a WGS84 position" in result.stderr


def test_cli_zones_writes_geojson(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "zones.geojson"
    result = CliRunner().invoke(app, ["geo", "zones", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection"
    assert json.loads(result.stdout)["features"]["shipping"] == 5
