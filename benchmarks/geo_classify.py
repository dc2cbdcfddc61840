"""classify() against geopandas.sjoin and shapely's prepared contains_xy, same polygons.

    PYTHONPATH=src /work/venv/bin/python benchmarks/geo_classify.py [--points N] [--repeat R]

Random points uniformly in the area (lon -1.0..3.2, lat 49.8..51.9). Labels for sovereignty
and shipping zone; every method must give 100 % identical labels (asserted). Index build time
is reported apart (paid once per process). Distances are timed separately.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely

from manche.geo.classify import classifier, classify


def median_seconds(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.points
    rng = np.random.default_rng(2026)
    lon = rng.uniform(-1.0, 3.2, n)
    lat = rng.uniform(49.8, 51.9, n)

    start = time.perf_counter()
    c = classifier()
    print(f"layers + index build: {time.perf_counter() - start:.2f} s (once per process)")
    families = [(c.layers.sovereignty, "OUTSIDE"), (c.layers.shipping, "NONE")]

    # Every method answers "which polygon of the family (index in layer order), or none
    # (the default, index len(family))" for each point: integer labels, compared exactly.
    # classify() holds its labels this way; code strings are a lookup away (checked below).
    def ours() -> tuple[np.ndarray, np.ndarray]:
        r = classify(lon, lat, distances=False)
        return r.sovereignty_index, r.shipping_index

    def prepared() -> tuple[np.ndarray, ...]:
        out = []
        for polygons, _ in families:
            labels = np.full(n, len(polygons), dtype=np.int8)
            for k in range(len(polygons) - 1, -1, -1):  # the first layer wins
                polygon = list(polygons.values())[k]
                shapely.prepare(polygon)
                labels[shapely.contains_xy(polygon, lon, lat)] = k
            out.append(labels)
        return tuple(out)

    frames = [
        gpd.GeoDataFrame({"code": list(p)}, geometry=list(p.values()), crs="EPSG:4326")
        for p, _ in families
    ]

    def sjoin() -> tuple[np.ndarray, ...]:
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        out = []
        for frame in frames:
            joined = gpd.sjoin(points, frame, how="left", predicate="within")
            first = joined.groupby(level=0)["index_right"].min()  # first layer wins
            out.append(first.reindex(range(n)).fillna(len(frame)).to_numpy().astype(np.int8))
        return tuple(out)

    t_ours, r_ours = median_seconds(ours, args.repeat)
    t_prep, r_prep = median_seconds(prepared, args.repeat)
    t_sjoin, r_sjoin = median_seconds(sjoin, max(1, args.repeat - 2))
    for name, result in (("prepared contains_xy", r_prep), ("geopandas.sjoin", r_sjoin)):
        for a, b in zip(r_ours, result, strict=True):  # type: ignore[call-overload]
            assert (a == b).all(), f"labels differ from {name}"
    r = classify(lon[:1000], lat[:1000], distances=False)
    for (polygons, default), codes, index in (
        (families[0], r.sovereignty, r_ours[0][:1000]),  # type: ignore[index]
        (families[1], r.shipping, r_ours[1][:1000]),  # type: ignore[index]
    ):
        names = [*polygons, default]
        assert list(codes) == [names[i] for i in index]
    print(f"labels identical on {n:,} points (sovereignty and shipping)")
    print(f"classify (grid index)       {n / t_ours:>14,.0f} points/s  median {t_ours:.3f} s")
    print(f"shapely prepared contains_xy{n / t_prep:>14,.0f} points/s  median {t_prep:.3f} s")
    print(f"geopandas.sjoin             {n / t_sjoin:>14,.0f} points/s  median {t_sjoin:.3f} s")
    print(f"ratio vs prepared contains_xy: {t_prep / t_ours:.1f}x")
    print(f"ratio vs geopandas.sjoin:      {t_sjoin / t_ours:.1f}x")

    m = min(n, 200_000)
    c.distances_nm(lon[:1000], lat[:1000])  # build the segment trees
    t_dist, _ = median_seconds(lambda: c.distances_nm(lon[:m], lat[:m]), args.repeat)
    print(f"distances (median line, UK coast, FR coast) {m / t_dist:,.0f} points/s on {m:,}")


if __name__ == "__main__":
    main()
