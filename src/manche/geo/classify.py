"""Classify arrays of points: sovereignty, shipping zone, distances (nm).

Labels come from a grid index that gives exactly the answer of the plain test "the first
layer (in layer order) whose polygon contains the point, by ``shapely.contains_xy``, else the
default" (OUTSIDE / NONE):

- The bounding box of the layers is cut into cells. A cell is *mixed* if some polygon
  boundary may pass through it: every boundary is cut into pieces no longer than half a cell,
  and each piece marks every cell its bounding box (widened by ``EPS`` degrees) overlaps.
  That over-marks, never under-marks.
- A cell that is not mixed holds no boundary point, so every polygon either contains all of
  it or none of it: its label is the label of its centre, computed exactly once at build time.
- Points in mixed cells are tested exactly, with ``contains_xy``, against the polygons that
  intersect the cell (found with an STRtree), in layer order.
- Points outside the grid (which covers every polygon) get the default label.

Distances are exact planar distances in UTM 31N (see :mod:`manche.geo.projection` for the
error bound, under 0.06 %) from an STRtree of the coast and median-line segments
(``STRtree.query_nearest`` with ``return_distance``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from manche.errors import InputError
from manche.geo.layers import SHIPPING_DEFAULT, SOVEREIGNTY_DEFAULT, Layers, build_layers
from manche.geo.projection import METRES_PER_NM, to_metric, to_metric_xy

EPS = 1e-9
"""Widening of boundary pieces (degrees, about 0.1 mm) against rounding in cell lookup."""


class ZoneIndex:
    """Exact point-in-polygon labelling through a grid of cells, for one family of layers."""

    def __init__(
        self,
        polygons: dict[str, shapely.Geometry],
        default: str,
        *,
        bounds: tuple[float, float, float, float] | None = None,
        cells_x: int = 1024,
        cells_y: int = 512,
    ) -> None:
        self.codes: tuple[str, ...] = (*polygons, default)
        self.default_index = len(polygons)
        self.polygons = list(polygons.values())
        for polygon in self.polygons:
            shapely.prepare(polygon)
        x0, y0, x1, y1 = bounds if bounds is not None else shapely.total_bounds(self.polygons)
        margin = 1e-6
        self.x0, self.y0 = x0 - margin, y0 - margin
        self.nx, self.ny = cells_x, cells_y
        self.dx = (x1 + margin - self.x0) / cells_x
        self.dy = (y1 + margin - self.y0) / cells_y
        mixed = self._mixed_cells()
        self.cell_label = self._centre_labels().astype(np.int8)
        self.cell_label[mixed] = -1  # resolved per point
        self.mixed_cells = np.flatnonzero(mixed)
        self._cell_candidates = self._candidates(self.mixed_cells)

    # -- building -------------------------------------------------------------------------

    def _mixed_cells(self) -> NDArray[np.bool_]:
        boundaries = shapely.union_all([shapely.boundary(p) for p in self.polygons])
        pieces = shapely.segmentize(boundaries, min(self.dx, self.dy) / 2)
        coords = shapely.get_coordinates(pieces)
        index = shapely.get_parts(pieces)
        # consecutive vertices of each part form a piece
        counts = shapely.get_num_coordinates(index)
        ends = np.cumsum(counts)
        starts = ends - counts
        a = np.ones(len(coords), dtype=bool)
        a[ends - 1] = False  # a vertex followed by another of the same part
        first = np.flatnonzero(a)
        del starts
        p, q = coords[first], coords[first + 1]
        lo = np.minimum(p, q) - EPS
        hi = np.maximum(p, q) + EPS
        ix0 = np.floor((lo[:, 0] - self.x0) / self.dx).astype(np.int64)
        ix1 = np.floor((hi[:, 0] - self.x0) / self.dx).astype(np.int64)
        iy0 = np.floor((lo[:, 1] - self.y0) / self.dy).astype(np.int64)
        iy1 = np.floor((hi[:, 1] - self.y0) / self.dy).astype(np.int64)
        if np.any(ix1 - ix0 > 1) or np.any(iy1 - iy0 > 1):
            raise AssertionError("a boundary piece spans more than two cells")
        mixed = np.zeros(self.nx * self.ny, dtype=bool)
        for ix in (ix0, ix1):
            for iy in (iy0, iy1):
                ok = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
                mixed[iy[ok] * self.nx + ix[ok]] = True
        return mixed

    def _exact(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.int64]:
        label = np.full(len(x), self.default_index, dtype=np.int64)
        for k in range(len(self.polygons) - 1, -1, -1):  # the first layer wins
            label[shapely.contains_xy(self.polygons[k], x, y)] = k
        return label

    def _centre_labels(self) -> NDArray[np.int64]:
        iy, ix = np.divmod(np.arange(self.nx * self.ny), self.nx)
        return self._exact(self.x0 + (ix + 0.5) * self.dx, self.y0 + (iy + 0.5) * self.dy)

    def _candidates(self, cells: NDArray[np.int64]) -> NDArray[np.bool_]:
        """candidates[i, k]: polygon k intersects mixed cell i (widened by EPS)."""
        iy, ix = np.divmod(cells, self.nx)
        boxes = shapely.box(
            self.x0 + ix * self.dx - EPS,
            self.y0 + iy * self.dy - EPS,
            self.x0 + (ix + 1) * self.dx + EPS,
            self.y0 + (iy + 1) * self.dy + EPS,
        )
        tree = shapely.STRtree(self.polygons)
        box_i, poly_k = tree.query(boxes, predicate="intersects")
        out = np.zeros((len(cells), len(self.polygons)), dtype=bool)
        out[box_i, poly_k] = True
        return out

    # -- lookup ---------------------------------------------------------------------------

    def cells(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.int64]:
        """The cell of every point; -1 outside the grid (and for NaN)."""
        fx = (lon - self.x0) * (1.0 / self.dx)
        fy = (lat - self.y0) * (1.0 / self.dy)
        inside = (fx >= 0) & (fx < self.nx) & (fy >= 0) & (fy < self.ny)  # False for NaN
        fx[~inside] = 0
        fy[~inside] = 0
        cell = fy.astype(np.int64) * self.nx + fx.astype(np.int64)
        cell[~inside] = -1
        return cell

    def same_grid(self, other: ZoneIndex) -> bool:
        return (self.x0, self.y0, self.dx, self.dy, self.nx, self.ny) == (
            other.x0,
            other.y0,
            other.dx,
            other.dy,
            other.nx,
            other.ny,
        )

    def labels(
        self,
        lon: NDArray[np.float64],
        lat: NDArray[np.float64],
        cell: NDArray[np.int64] | None = None,
    ) -> NDArray[np.int8]:
        """Index into ``self.codes`` for every point (``cell`` from :meth:`cells`, if known)."""
        if cell is None:
            cell = self.cells(lon, lat)
        out = self.cell_label[cell]  # cell -1 reads the last cell: fixed just below
        out[cell < 0] = self.default_index
        todo = np.flatnonzero(out < 0)
        if len(todo):
            out[todo] = self.default_index
            row = np.searchsorted(self.mixed_cells, cell[todo])
            candidates = self._cell_candidates[row]
            for k in range(len(self.polygons) - 1, -1, -1):
                sel = todo[candidates[:, k]]
                if len(sel):
                    hit = shapely.contains_xy(self.polygons[k], lon[sel], lat[sel])
                    out[sel[hit]] = k
        return out


@dataclass(frozen=True)
class Classification:
    """Per point: zone codes and distances in nautical miles (arrays of equal length).

    Zones are held as small integers into the code tuples (like a categorical column);
    ``sovereignty`` and ``shipping`` give the code strings.
    """

    sovereignty_index: NDArray[np.int8]
    sovereignty_codes: tuple[str, ...]
    shipping_index: NDArray[np.int8]
    shipping_codes: tuple[str, ...]
    nm_to_median: NDArray[np.float64]
    nm_to_coast_uk: NDArray[np.float64]
    nm_to_coast_fr: NDArray[np.float64]

    @property
    def sovereignty(self) -> NDArray[np.str_]:
        return np.asarray(self.sovereignty_codes)[self.sovereignty_index]

    @property
    def shipping(self) -> NDArray[np.str_]:
        return np.asarray(self.shipping_codes)[self.shipping_index]

    def __len__(self) -> int:
        return len(self.sovereignty_index)

    def record(self, i: int) -> dict[str, object]:
        """Point ``i`` as the JSON shape of ``manche geo classify``."""
        return {
            "sovereignty": self.sovereignty_codes[self.sovereignty_index[i]],
            "shipping": self.shipping_codes[self.shipping_index[i]],
            "nm_to_median": _rounded(self.nm_to_median[i]),
            "nm_to_coast": {
                "UK": _rounded(self.nm_to_coast_uk[i]),
                "FR": _rounded(self.nm_to_coast_fr[i]),
            },
        }


def _rounded(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 3)


class DistanceIndex:
    """Exact planar distance (UTM 31N) to a set of lines, through an STRtree of segments."""

    def __init__(self, lines: shapely.Geometry) -> None:
        metric = to_metric(lines)
        coords = []
        for part in shapely.get_parts(metric):
            c = shapely.get_coordinates(part)
            coords.append(np.stack([c[:-1], c[1:]], axis=1))
        segments = np.concatenate(coords)
        self.segments = shapely.linestrings(segments)
        self.tree = shapely.STRtree(self.segments)

    def metres(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.full(len(x), np.nan)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.any():
            (i, _), dist = self.tree.query_nearest(
                shapely.points(x[ok], y[ok]), return_distance=True, all_matches=False
            )
            out[np.flatnonzero(ok)[i]] = dist
        return out


class Classifier:
    def __init__(self, layers: Layers) -> None:
        self.layers = layers
        bounds = shapely.total_bounds(list(layers.sovereignty.values()))
        self.sovereignty = ZoneIndex(layers.sovereignty, SOVEREIGNTY_DEFAULT, bounds=bounds)
        self.shipping = ZoneIndex(layers.shipping, SHIPPING_DEFAULT, bounds=bounds)
        assert self.sovereignty.same_grid(self.shipping)
        self._distances: dict[str, DistanceIndex] = {}

    def distance_index(self, name: str) -> DistanceIndex:
        if name not in self._distances:
            lines = {
                "median": self.layers.median_line,
                "UK": self.layers.coast["UK"],
                "FR": self.layers.coast["FR"],
            }[name]
            self._distances[name] = DistanceIndex(lines)
        return self._distances[name]

    def zones(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64]
    ) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        """Indices into ``sovereignty.codes`` and ``shipping.codes`` (one shared grid)."""
        cell = self.sovereignty.cells(lon, lat)
        return self.sovereignty.labels(lon, lat, cell), self.shipping.labels(lon, lat, cell)

    def distances_nm(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        x, y = to_metric_xy(lon, lat)
        return (
            self.distance_index("median").metres(x, y) / METRES_PER_NM,
            self.distance_index("UK").metres(x, y) / METRES_PER_NM,
            self.distance_index("FR").metres(x, y) / METRES_PER_NM,
        )


@lru_cache(maxsize=1)
def classifier() -> Classifier:
    """The classifier over the bundled layers (built once per process)."""
    return Classifier(build_layers())


def _arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    try:
        x = np.atleast_1d(np.asarray(lon, dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
    except (TypeError, ValueError) as exc:
        raise InputError(f"lon/lat must be numbers: {exc}", field="lon/lat") from exc
    if x.shape != y.shape or x.ndim != 1:
        raise InputError(f"lon and lat must be 1-d and of equal length ({x.shape} vs {y.shape})")
    return x, y


def classify(lon: ArrayLike, lat: ArrayLike, *, distances: bool = True) -> Classification:
    """Sovereignty, shipping zone and distances (nm) for arrays of WGS84 lon/lat."""
    x, y = _arrays(lon, lat)
    c = classifier()
    sov, ship = c.zones(x, y)
    if distances:
        median, uk, fr = c.distances_nm(x, y)
    else:
        median = uk = fr = np.full(len(x), np.nan)
    return Classification(sov, c.sovereignty.codes, ship, c.shipping.codes, median, uk, fr)
