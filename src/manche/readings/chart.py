"""The real chart for readings: :mod:`manche.geo`'s classifier behind the
:class:`manche.readings.incidents.Chart` protocol.

The search-and-rescue regions of MRCC Dover and CROSS Gris-Nez meet on a line that is not
published; Manche uses the median line as a *proxy*: the rescue centre of a point is the one
:func:`manche.geo.responsibility.responsibility` gives (rule ``rcc-by-position``).
"""

from __future__ import annotations

from functools import lru_cache

from manche.domain.values import Side
from manche.geo.classify import classify
from manche.geo.responsibility import responsibility
from manche.readings.incidents import RESCUE_CENTRES

_CENTRE_SIDE = {name: side for side, name in RESCUE_CENTRES.items()}


class GeoChart:
    """Zones of single points, from the bundled geography (built once per process)."""

    @lru_cache(maxsize=65536)  # noqa: B019 - one instance per process; positions repeat
    def sovereignty(self, lon: float, lat: float) -> str:
        return str(classify([lon], [lat], distances=False).sovereignty[0])

    @lru_cache(maxsize=65536)  # noqa: B019
    def rescue_region(self, lon: float, lat: float) -> Side | None:
        centre = responsibility(lon, lat).rescue_centre
        return None if centre is None else _CENTRE_SIDE[centre]


@lru_cache(maxsize=1)
def geo_chart() -> GeoChart:
    return GeoChart()
