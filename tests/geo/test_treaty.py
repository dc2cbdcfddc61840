"""The 1988 treaty points, ED50 -> WGS84.

Independent check: the 3-parameter EPSG:1133 "ED50 to WGS 84 (1)" shift (dX=-87, dY=-98,
dZ=-121 m; EPSG-stated accuracy 10 m), implemented here by hand through geocentric
coordinates (International 1924 -> WGS84 ellipsoids). The transformation the code uses is the
more precise UK-offshore one, so the two agree within the 10 m accuracy of EPSG:1133.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from pyproj import Geod

from manche.errors import InputError
from manche.geo.data import dms_to_degrees
from manche.geo.treaty import transformation_name, treaty_points

GEOD = Geod(ellps="WGS84")


def _geocentric(lat: float, lon: float, a: float, f: float) -> tuple[float, float, float]:
    e2 = f * (2 - f)
    phi, lam = math.radians(lat), math.radians(lon)
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    return (
        n * math.cos(phi) * math.cos(lam),
        n * math.cos(phi) * math.sin(lam),
        n * (1 - e2) * math.sin(phi),
    )


def _geodetic(x: float, y: float, z: float, a: float, f: float) -> tuple[float, float]:
    e2 = f * (2 - f)
    lon = math.atan2(y, x)
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1 - e2))
    for _ in range(10):
        n = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
        lat = math.atan2(z + e2 * n * math.sin(lat), p)
    return math.degrees(lat), math.degrees(lon)


def _epsg1133(lat: float, lon: float) -> tuple[float, float]:
    x, y, z = _geocentric(lat, lon, 6378388.0, 1 / 297.0)  # International 1924
    return _geodetic(x - 87.0, y - 98.0, z - 121.0, 6378137.0, 1 / 298.257223563)


def test_dms_parsing_matches_the_treaty_text() -> None:
    # point I: 50 49 30.95 N = 50 + 49/60 + 30.95/3600
    assert dms_to_degrees("50 49 30.95 N") == pytest.approx(50.825263889, abs=1e-9)
    assert dms_to_degrees("1 15 53.43 W") == pytest.approx(-1.264841667, abs=1e-9)
    with pytest.raises(InputError):
        dms_to_degrees("50 61 00 N")


def test_six_points_in_order() -> None:
    assert [p.name for p in treaty_points()] == ["I", "II", "III", "IV", "V", "VI"]


@pytest.mark.parametrize("point", treaty_points(), ids=lambda p: p.name)
def test_shift_is_about_100_m_to_the_south_west(point) -> None:  # type: ignore[no-untyped-def]
    azimuth, _, metres = GEOD.inv(point.lon_ed50, point.lat_ed50, point.lon, point.lat)
    assert 100.0 < metres < 170.0
    assert -170.0 < azimuth < -100.0  # towards the south-west


@pytest.mark.parametrize("point", treaty_points(), ids=lambda p: p.name)
def test_agrees_with_hand_computed_epsg_1133(point) -> None:  # type: ignore[no-untyped-def]
    lat, lon = _epsg1133(point.lat_ed50, point.lon_ed50)
    _, _, metres = GEOD.inv(lon, lat, point.lon, point.lat)
    assert metres < 10.0


def test_transformation_is_named() -> None:
    assert "ED50 to WGS 84" in transformation_name()


def test_treaty_line_follows_the_loxodromes() -> None:
    """Rhumb line: constant azimuth. Every piece of the drawn line between two treaty points
    has (to 0.01 deg) the rhumb bearing computed from the Mercator formula
    atan2(dlon, dy_mercator) - written here independently."""
    from manche.geo.treaty import treaty_line

    line = np.asarray(treaty_line().coords)
    pts = treaty_points()
    assert tuple(line[0]) == (pts[0].lon, pts[0].lat)
    assert tuple(line[-1]) == (pts[-1].lon, pts[-1].lat)
    for a, b in itertools.pairwise(pts):
        ya = math.log(math.tan(math.pi / 4 + math.radians(a.lat) / 2))
        yb = math.log(math.tan(math.pi / 4 + math.radians(b.lat) / 2))
        bearing = math.degrees(math.atan2(math.radians(b.lon - a.lon), yb - ya))
        inside = line[(line[:, 0] >= a.lon) & (line[:, 0] <= b.lon)]
        for (x0, y0), (x1, y1) in itertools.pairwise(inside):
            m0 = math.log(math.tan(math.pi / 4 + math.radians(y0) / 2))
            m1 = math.log(math.tan(math.pi / 4 + math.radians(y1) / 2))
            piece = math.degrees(math.atan2(math.radians(x1 - x0), m1 - m0))
            assert piece == pytest.approx(bearing, abs=0.01)
