"""The real chart for readings: :mod:`manche.geo`'s classifier behind the
:class:`manche.readings.incidents.Chart` protocol.

The search-and-rescue regions of MRCC Dover and CROSS Gris-Nez meet on a line that is not
published; Manche uses the median line as a *proxy* (in the strait it coincides with the 1988
territorial-sea line), so the SAR side of a point is the side of its sovereignty zone
(UK-TS/UK-EEZ/UK-LAND: UK; FR-*: FR). Belgian waters and points outside the area have no side.
"""

from __future__ import annotations

from functools import lru_cache

from manche.domain.values import Side
from manche.geo.classify import classify


class GeoChart:
    """Zones of single points, from the bundled geography (built once per process)."""

    @lru_cache(maxsize=65536)  # noqa: B019 - one instance per process; positions repeat
    def sovereignty(self, lon: float, lat: float) -> str:
        return str(classify([lon], [lat], distances=False).sovereignty[0])

    def rescue_region(self, lon: float, lat: float) -> Side | None:
        head = self.sovereignty(lon, lat).split("-", 1)[0]
        return Side(head) if head in ("UK", "FR") else None


@lru_cache(maxsize=1)
def geo_chart() -> GeoChart:
    return GeoChart()
