"""Layers built from the bundled files: disjointness, median line, treaty split, TSS cross-check."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from manche.geo.data import read_json
from manche.geo.layers import build_layers
from manche.geo.projection import METRES_PER_NM, to_metric


@pytest.fixture(scope="module")
def layers():  # type: ignore[no-untyped-def]
    return build_layers()


@pytest.mark.parametrize("family", ["sovereignty", "shipping"])
def test_layers_share_no_area(layers, family) -> None:  # type: ignore[no-untyped-def]
    polygons = getattr(layers, family)
    for (a, ga), (b, gb) in itertools.combinations(polygons.items(), 2):
        # 1e-12 deg2 is about 0.01 m2: floating-point slivers of the overlays, nothing more
        assert shapely.intersection(ga, gb).area < 1e-12, (a, b)


def test_median_line_is_equidistant_from_the_two_coasts(layers) -> None:  # type: ignore[no-untyped-def]
    """Exact shapely distances at 200 points along the line; coast samples are 200 m apart,
    which bounds the error of the sampled equidistance line well under 5 m."""
    line = to_metric(layers.median_line)
    points = shapely.line_interpolate_point(line, np.linspace(0, 1, 200), normalized=True)
    uk = shapely.distance(points, to_metric(layers.coast["UK"]))
    fr = shapely.distance(points, to_metric(layers.coast["FR"]))
    assert np.max(np.abs(uk - fr)) < 5.0


def test_median_line_meets_the_treaty_line_in_the_strait(layers) -> None:  # type: ignore[no-untyped-def]
    """Points I-IV of the 1988 line lie on the equidistance line within 0.25 nm; V and VI
    depart from it (the treaty line bends east of the median, by about 2 and 3.5 nm)."""
    line = to_metric(layers.median_line)
    off = {
        p.name: shapely.distance(to_metric(shapely.Point(p.lon, p.lat)), line) / METRES_PER_NM
        for p in layers.treaty_points
    }
    assert all(off[name] < 0.25 for name in ("I", "II", "III", "IV")), off
    assert 1.0 < off["V"] < 3.0 and 2.5 < off["VI"] < 4.5, off


def test_territorial_seas_follow_the_treaty_line(layers) -> None:  # type: ignore[no-untyped-def]
    """The UK/FR territorial-sea border between I and VI is the treaty line (within 1 m)."""
    border = shapely.intersection(
        layers.sovereignty["UK-TS"].boundary, layers.sovereignty["FR-TS"].boundary
    )
    treaty = to_metric(layers.treaty_line)
    samples = shapely.line_interpolate_point(
        to_metric(shapely.line_merge(border)), np.linspace(0.05, 0.95, 50), normalized=True
    )
    assert np.max(shapely.distance(samples, treaty)) < 1.0


# -- the TSS against the hand-derived cross-check file ---------------------------------------

APPROX = {
    f["properties"]["name"]: shape(f["geometry"])
    for f in read_json("dover_tss_zones_derived_approx.geojson")["features"]
}


def _shared(mine, approx, land):  # type: ignore[no-untyped-def]
    return shapely.intersection(to_metric(mine), to_metric(shapely.difference(approx, land)))


@pytest.mark.parametrize(
    ("code", "name", "min_cover"),
    [
        # built from the same vertices: only the derived closures differ
        ("SEPARATION", "separation_zone_main_dover_strait", 0.999),
        ("SW-LANE", "SW_bound_lane_english_side", 0.98),
        ("NE-LANE", "NE_bound_lane_french_side_strait_section", 0.98),
        # landward edges in the cross-check file are "ROUGH placeholders": compare at sea only
        ("UK-ITZ", "english_inshore_traffic_zone", 0.90),
        ("FR-ITZ", "french_inshore_traffic_zone", 0.90),
    ],
)
def test_tss_agrees_with_the_derived_cross_check(layers, code, name, min_cover) -> None:  # type: ignore[no-untyped-def]
    """Tolerance: the cross-check polygons are sections (lanes cut at 51.17 N / the strait)
    and their inshore edges are rough, so we ask that (a) at least ``min_cover`` of the
    cross-check polygon's sea area is inside our zone, and (b) the centroid of the shared
    part is within 1 km of the cross-check centroid (lanes are 5-8 km wide)."""
    land = shapely.union_all([layers.sovereignty[c] for c in ("UK-LAND", "FR-LAND")])
    approx = shapely.difference(APPROX[name], land)
    shared = _shared(layers.shipping[code], APPROX[name], land)
    cover = shared.area / to_metric(approx).area
    assert cover >= min_cover, cover
    centroid_gap = shapely.distance(shared.centroid, to_metric(approx).centroid)
    assert centroid_gap < 1000.0, centroid_gap


def test_zones_geojson_labels_the_proxy(layers, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from manche.geo.export import layers_geojson

    collection = layers_geojson(layers)
    text = json.dumps(collection)
    median = [f for f in collection["features"] if f["properties"]["layer"] == "median_line"]
    assert median[0]["properties"]["sar_region_boundary"] == "proxy"
    assert "proxy" in median[0]["properties"]["name"]
    codes = {f["properties"].get("code") for f in collection["features"]}
    assert {
        "UK-TS",
        "FR-TS",
        "BE-TS",
        "UK-EEZ",
        "FR-EEZ",
        "SW-LANE",
        "NE-LANE",
        "SEPARATION",
        "UK-ITZ",
        "FR-ITZ",
    } <= codes
    places = [f for f in collection["features"] if f["properties"]["layer"] == "place"]
    calais = next(p for p in places if p["properties"]["name"].startswith("Calais"))
    assert calais["properties"]["approximate"] is True  # "APPROX from memory - verify"
    assert "OpenStreetMap" in text
