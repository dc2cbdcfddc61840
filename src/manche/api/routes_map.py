"""What the web map draws: ``/api/v1/geo/layers`` (the bundled geography, simplified for
drawing) and ``/api/v1/picture/tracks`` (each visible incident's track).

The layers are :func:`manche.geo.export.layers_geojson` with every geometry simplified by
shapely (tolerance :data:`TOLERANCE_DEG`, about 40 m, topology preserved) and rounded to 5
decimals (about 1 m): small enough to draw quickly, far finer than a screen pixel at the map's
scale. They are public data (OpenStreetMap, the 1988 treaty): no sign-in. The median line is
labelled a proxy of the SAR-region boundary in the data itself.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import shapely
from fastapi import APIRouter, Depends, Query, Response

from manche.api.auth import authenticated
from manche.api.routes_picture import picture_hub
from manche.domain.access import Action, Principal, require
from manche.registry import RegistryStore
from manche.service.picture import PictureHub

router = APIRouter(tags=["map"])

TOLERANCE_DEG = 0.0004
DRAWN = ("sovereignty", "shipping", "median_line", "treaty_line", "place", "tss_extent")


@lru_cache(maxsize=1)
def drawing_layers() -> bytes:
    """The layers as compact JSON bytes, built once per process."""
    from manche.geo.export import layers_geojson
    from manche.geo.layers import build_layers

    collection = layers_geojson(build_layers(), precision=5)
    features = []
    for feature in collection["features"]:
        if feature["properties"]["layer"] not in DRAWN:
            continue
        geometry = shapely.geometry.shape(feature["geometry"])
        if geometry.geom_type != "Point":
            geometry = shapely.simplify(geometry, TOLERANCE_DEG, preserve_topology=True)
            geometry = shapely.set_precision(geometry, 1e-5)
        features.append({**feature, "geometry": shapely.geometry.mapping(geometry)})
    collection["features"] = features
    collection["simplified"] = f"shapely.simplify, tolerance {TOLERANCE_DEG} degrees"
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@router.get("/geo/layers")
def geo_layers() -> Response:
    """The geography of the Strait as GeoJSON (land, territorial seas, waters beyond, traffic
    lanes, the 1988 treaty line, the median line as SAR-region proxy, places)."""
    return Response(
        drawing_layers(),
        media_type="application/geo+json",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/picture/tracks")
async def tracks(
    principal: Principal = Depends(authenticated),
    hub: PictureHub = Depends(picture_hub),
    exercise: bool | None = Query(None),
) -> dict[str, Any]:
    """Each incident's track as the caller's side sees it: ``[lon, lat, at]`` in time order."""
    require(principal, Action.READ_EVENTS)
    current = await hub.current()
    return {
        "side": principal.side.value,
        "tracks": {
            incident.ref: [[p.lon, p.lat, p.at.isoformat()] for p in incident.track]
            for incident in current.incidents(principal.side, exercise=exercise)
        },
    }


@router.get("/picture/assets")
async def assets(
    principal: Principal = Depends(authenticated),
    hub: PictureHub = Depends(picture_hub),
) -> dict[str, Any]:
    """Authority assets for the map: each active asset's latest position reported to the
    caller's side (AIS, radar, manual), or its home base from the registry when none is."""
    require(principal, Action.READ_EVENTS)
    current = await hub.current()
    with current._lock:  # the picture's own lock: its refresh runs in a worker thread
        reported = dict(current.sides[principal.side].assets)
    rows = []
    for asset in RegistryStore(current.log.db).assets():
        if not asset.active:
            continue
        seen = reported.get(asset.code)
        basis: str
        if seen is not None and seen.position is not None:
            where, basis, at = seen.position, seen.source, seen.occurred_at.isoformat()
        elif asset.home is not None:
            where, basis, at = asset.home, "home base", None
        else:
            continue
        rows.append(
            {
                "asset": asset.code,
                "name": asset.name,
                "agency": asset.agency,
                "lon": where.lon,
                "lat": where.lat,
                "basis": basis,
                "at": at,
            }
        )
    return {"side": principal.side.value, "assets": rows}
