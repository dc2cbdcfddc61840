"""Draw the built layers of the Strait to docs/img/geography.png (for docs/geography.md).

PYTHONPATH=src /work/venv/bin/python scripts/geo_map.py [OUT.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import shapely
from matplotlib.patches import Patch

from manche.geo.layers import build_layers

COLOURS = {
    "UK-LAND": "#d8cbb3",
    "FR-LAND": "#d8cbb3",
    "BE-LAND": "#d8cbb3",
    "UK-TS": "#f4b6b6",
    "FR-TS": "#b6c4f4",
    "BE-TS": "#c6ecc0",
    "UK-EEZ": "#fbe3e3",
    "FR-EEZ": "#e3e9fb",
    "SW-LANE": "#e06666",
    "NE-LANE": "#6d8ce0",
    "SEPARATION": "#f1c232",
    "UK-ITZ": "#93c47d",
    "FR-ITZ": "#76d7d7",
}


def fill(ax, geometry, colour, alpha=1.0):  # type: ignore[no-untyped-def]
    for polygon in shapely.get_parts(geometry):
        path = shapely.get_coordinates(polygon.exterior)
        ax.fill(path[:, 0], path[:, 1], color=colour, alpha=alpha, lw=0)
        for ring in polygon.interiors:  # holes: draw over with the background
            hole = shapely.get_coordinates(ring)
            ax.fill(hole[:, 0], hole[:, 1], color="white", lw=0)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/img/geography.png")
    layers = build_layers()
    fig, ax = plt.subplots(figsize=(10, 7.5))
    seas = [c for c in layers.sovereignty if "LAND" not in c]
    lands = [c for c in layers.sovereignty if "LAND" in c]
    for code in seas + lands:  # land last: islands sit in holes of the sea polygons
        fill(ax, layers.sovereignty[code], COLOURS[code])
    for code, geometry in layers.shipping.items():
        fill(ax, geometry, COLOURS[code], alpha=0.85)
    for line in shapely.get_parts(layers.median_line):
        xy = shapely.get_coordinates(line)
        ax.plot(xy[:, 0], xy[:, 1], "k--", lw=1)
    xy = shapely.get_coordinates(layers.treaty_line)
    ax.plot(xy[:, 0], xy[:, 1], color="darkgreen", lw=2)
    for line in layers.reporting_lines:
        xy = shapely.get_coordinates(line.line)
        ax.plot(xy[:, 0], xy[:, 1], color="purple", lw=1, ls=":")
    for place in layers.places:
        ax.plot(place.lon, place.lat, "o", ms=3, color="grey" if place.approximate else "black")
    handles = [Patch(color=c, label=k) for k, c in COLOURS.items() if "LAND" not in k]
    handles += [
        plt.Line2D([], [], color="k", ls="--", label="median line (SAR PROXY)"),
        plt.Line2D([], [], color="darkgreen", lw=2, label="1988 treaty line"),
        plt.Line2D([], [], color="purple", ls=":", label="CALDOVREP lines"),
        plt.Line2D([], [], color="black", marker="o", ls="", label="place (grey: approx)"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=7, ncol=2)
    ax.set_xlim(-0.3, 2.9)
    ax.set_ylim(50.2, 51.65)
    ax.set_aspect(1 / 0.63)
    ax.set_title("Manche: zones of the Dover Strait (built from the bundled data)", fontsize=10)
    ax.text(-0.28, 50.21, "(c) OpenStreetMap contributors, ODbL", fontsize=6)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=90)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
