"""``manche geo``: zones of the Dover Strait (classify a point, export the layers)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.output import JSON_OPTION, emit, say
from manche.errors import InputError

geo = sub_app("geo", "Zones of the Dover Strait: classify positions, export the layers.")


@geo.command("classify")
def classify_command(
    lon: float = typer.Option(..., "--lon", help="longitude, decimal degrees WGS84 (east +)"),
    lat: float = typer.Option(..., "--lat", help="latitude, decimal degrees WGS84 (north +)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Sovereignty zone, shipping zone and distances (nm) for one position."""
    if not (-180.0 <= lon <= 180.0) or not (-90.0 <= lat <= 90.0):
        raise InputError(f"not a WGS84 position: lon {lon}, lat {lat}", field="lon/lat")
    from manche.geo.classify import classify

    record = classify([lon], [lat]).record(0)

    def render() -> Table:
        table = Table(title=f"{lat:.5f} N, {lon:.5f} E", show_header=False)
        table.add_row("sovereignty", str(record["sovereignty"]))
        table.add_row("shipping zone", str(record["shipping"]))
        table.add_row("nm to median line (SAR proxy)", str(record["nm_to_median"]))
        coast = record["nm_to_coast"]
        assert isinstance(coast, dict)
        table.add_row("nm to UK coast", str(coast["UK"]))
        table.add_row("nm to FR coast", str(coast["FR"]))
        return table

    emit(record, as_json=as_json, render=render)


@geo.command("zones")
def zones_command(
    out: Path = typer.Option(..., "--out", help="GeoJSON file to write"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Export every built layer (zones, lines, places) as one GeoJSON file."""
    from manche.geo.export import layers_geojson
    from manche.geo.layers import build_layers

    collection = layers_geojson(build_layers())
    try:
        out.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=str(out)) from exc
    counts: dict[str, int] = {}
    for feature in collection["features"]:
        layer = feature["properties"]["layer"]
        counts[layer] = counts.get(layer, 0) + 1
    say(f"wrote {len(collection['features'])} features to {out}")
    summary = {"file": str(out), "features": counts}

    def render() -> Table:
        table = Table("layer", "features", title=str(out))
        for layer, n in counts.items():
            table.add_row(layer, str(n))
        return table

    emit(summary, as_json=as_json, render=render)
