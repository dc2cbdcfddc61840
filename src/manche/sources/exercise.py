"""An exercise day: a plausible day of crossings, every event flagged ``exercise``.

``exercise_day(...)`` writes as many boats and people as the official figures give for the date,
launched from the beach nearest a real launch area (``places.csv``), heading out to sea and then
across at small-boat speeds (4.5-7.5 knots) through the traffic lanes, escorted by a French
vessel to the median line (the SAR proxy line; in the strait, the 1988 territorial-sea line),
with the monitoring handed over to MRCC Dover at the line (and accepted), intercepted by a
Border Force vessel in UK waters and landed at Dover, or landed on a Kent beach when the
official figures give uncontrolled landings. At least one boat signals distress in UK waters
and is rescued. The same
seed gives the same events (ids included), so an exercise can be replayed and compared.

Each boat has a described craft (:func:`crafts_of_day`, drawn from a generator of its own so the
journeys do not change with it): Border Force records the boat (colour, length, a hull number
for a quarter of them) and its engine (make, power, serial in the make's layout) at landing,
and the French border police note the engine at launch for two boats in five, so the
intelligence register has boats and engines seen by both sides. About one engine in six comes
from a pool of engines of the ISO week, so one engine recurs over several crossings of a week
(the supply-chain signature the register shows); nothing here is a real serial number.

Every event carries ``exercise: true`` and a note saying so: exercise data is labelled as such
wherever it appears.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from manche.domain.events import Event
from manche.domain.events.parse import parse_event
from manche.domain.identifiers.examples import ENGINE_MAKES, engine_serial, hin, manufacturer_codes
from manche.errors import InputError
from manche.geo.classify import classifier, classify
from manche.geo.projection import to_lonlat, to_metric

_GEOD = Geod(ellps="WGS84")
_NM = 1852.0

EXERCISE_NOTE = "EXERCISE - simulated event, not a real crossing"

FR_ESCORTS = ("FR-MN-FLAMANT", "FR-MN-CORMORAN", "FR-GM-ARAMIS", "FR-GM-SCARPE")
UK_INTERCEPTORS = (
    "UK-BF-TYPHOON",
    "UK-BF-RANGER",
    "UK-BF-VALIANT",
    "UK-BF-VIGILANT",
    "UK-BF-SEARCHER",
    "UK-BF-SEEKER",
    "UK-BF-PROTECTOR",
)
UK_LIFEBOATS = ("UK-RNLI-DOVER-ALB", "UK-RNLI-WALMER-ILB")


@dataclass(frozen=True)
class Spot:
    """A named place with its position (from places.csv)."""

    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class DayFigures:
    """The official figures the exercise reproduces for its date."""

    day: date
    migrants: int
    boats: int
    uncontrolled_boats: int = 0


def exercise_day(
    figures: DayFigures,
    *,
    launch_areas: Sequence[Spot],
    landing_port: Spot,
    beaches: Sequence[Spot],
    seed: int = 1,
    author: str = "exercise",
) -> list[Event]:
    """The events of one exercise day, in the order they would be recorded."""
    if figures.boats <= 0 or figures.migrants < figures.boats:
        raise InputError(
            f"no exercise for {figures.day}: the official figures give {figures.boats} boats "
            f"and {figures.migrants} people (need at least one boat and one person per boat)",
            field="date",
        )
    if figures.uncontrolled_boats > figures.boats:
        raise InputError("uncontrolled boats exceed boats", field="uncontrolled_boats")
    if not launch_areas or (figures.uncontrolled_boats and not beaches):
        raise InputError("an exercise needs launch areas (and beaches for uncontrolled landings)")
    rng = random.Random(seed)
    border = classifier().layers.median_line
    people = _split(figures.migrants, figures.boats, rng)
    uncontrolled = set(rng.sample(range(figures.boats), figures.uncontrolled_boats))
    controlled = [i for i in range(figures.boats) if i not in uncontrolled]
    distressed = rng.choice(controlled) if controlled else 0
    writer = _Writer(rng, seed, author)
    crafts = crafts_of_day(figures.day, figures.boats, seed)
    for index, persons in enumerate(people):
        ref = f"EX-{figures.day.isoformat()}-{index + 1:03d}"
        launch_at = datetime.combine(figures.day, time(0, 30), tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 6 * 60)
        )
        launch = rng.choice(launch_areas)
        destination = rng.choice(beaches) if index in uncontrolled else landing_port
        _journey(
            writer,
            ref,
            persons,
            launch,
            destination,
            border,
            launch_at,
            uncontrolled=index in uncontrolled,
            distress=index == distressed,
            craft=crafts[index],
        )
    return sorted(writer.events, key=lambda e: (e.recorded_at, e.occurred_at))


@dataclass(frozen=True)
class Craft:
    """One exercise boat as the two sides describe it (the event fields ``boat`` and
    ``engines``); ``seen_at_launch`` says whether the French border police note its engine."""

    boat: dict[str, Any]
    engine: dict[str, Any]
    seen_at_launch: bool


COLOURS = ("grey", "black", "white", "blue", "orange")
WEEK_POOL = 4  # engines of the week's pool (a few engines reused by one network)
POOL_SHARE = 1 / 6  # share of boats whose engine comes from the pool


def crafts_of_day(day: date, boats: int, seed: int) -> list[Craft]:
    """The described craft of each of the day's ``boats`` (reproducible from day and seed)."""
    year, week, _ = day.isocalendar()
    pool_rng = random.Random(f"exercise-engines-{year}-{week}")
    makes = list(ENGINE_MAKES)
    shares = [ENGINE_MAKES[m][0] for m in makes]

    def engine(rnd: random.Random) -> dict[str, Any]:
        make = rnd.choices(makes, weights=shares)[0]
        power = rnd.choice(ENGINE_MAKES[make][1])
        return {"make": make, "power_hp": power, "serial": engine_serial(rnd, make)}

    pool = [engine(pool_rng) for _ in range(WEEK_POOL)]
    mics = manufacturer_codes(pool_rng, 8)
    rnd = random.Random(f"exercise-crafts-{day.isoformat()}-{seed}")
    crafts = []
    for _ in range(boats):
        boat: dict[str, Any] = {
            "colour": rnd.choice(COLOURS),
            "length_m": round(rnd.uniform(7.0, 12.0), 1),
        }
        if rnd.random() < 0.25:
            boat["hin"] = hin(rnd, mics)
        chosen = rnd.choice(pool) if rnd.random() < POOL_SHARE else engine(rnd)
        crafts.append(Craft(boat, chosen, seen_at_launch=rnd.random() < 0.4))
    return crafts


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` people over ``parts`` boats, each at least one, summing exactly to total."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    spare = total - parts
    shares = [spare * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(parts), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [c + 1 for c in counts]


def _agency_of(asset: str) -> str:
    """Asset codes start with their agency's code: FR-MN-FLAMANT belongs to FR-MN."""
    return "-".join(asset.split("-")[:2])


def _move(lon: float, lat: float, azimuth: float, nm: float) -> tuple[float, float]:
    lon2, lat2, _ = _GEOD.fwd(lon, lat, azimuth, nm * _NM)
    return float(lon2), float(lat2)


def _bearing_distance(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    azimuth, _, metres = _GEOD.inv(a[0], a[1], b[0], b[1])
    return float(azimuth), float(metres) / _NM


class _Writer:
    def __init__(self, rng: random.Random, seed: int, author: str) -> None:
        self.rng = rng
        self.ids = random.Random(seed * 7919 + 1)
        self.author = author
        self.events: list[Event] = []

    def add(
        self,
        type_: str,
        agency: str,
        at: datetime,
        ref: str,
        where: tuple[float, float] | None = None,
        **fields: Any,
    ) -> Event:
        data: dict[str, Any] = {
            "type": type_,
            "id": str(uuid.UUID(int=self.ids.getrandbits(128), version=4)),
            "agency": agency,
            "author": self.author,
            "occurred_at": at.isoformat(),
            "recorded_at": (at + timedelta(minutes=self.rng.randint(1, 8))).isoformat(),
            "incident": ref,
            "exercise": True,
            "note": EXERCISE_NOTE,
            **fields,
        }
        if where is not None:
            data["position"] = {"lon": round(where[0], 5), "lat": round(where[1], 5)}
        event = parse_event(data)
        self.events.append(event)
        return event


def _journey(
    w: _Writer,
    ref: str,
    persons: int,
    launch: Spot,
    destination: Spot,
    border: shapely.LineString,
    launch_at: datetime,
    *,
    uncontrolled: bool,
    distress: bool,
    craft: Craft,
) -> None:
    rng = w.rng
    seen = {"engines": [craft.engine]} if craft.seen_at_launch else {}
    landed = {"boat": craft.boat, "engines": [craft.engine]}
    knots = rng.uniform(4.5, 7.5)
    end = _beach(destination, "UK") if uncontrolled else (destination.lon, destination.lat)
    beach = _beach(launch, "FR")
    start, crossing = _route_out(beach, end, border)
    mode = rng.choice(["beach", "beach", "taxi-boat"])
    w.add(
        "launch",
        "FR-PAF",
        launch_at,
        ref,
        beach,
        mode=mode,
        place=launch.name,
        persons={"total": persons},
        **seen,
    )
    _, out_nm = _bearing_distance(beach, start)
    escort_at = launch_at + timedelta(hours=out_nm / knots)

    def at_distance(nm: float) -> datetime:
        return escort_at + timedelta(hours=nm / knots)

    azimuth, to_line = _bearing_distance(start, crossing)
    escort = rng.choice(FR_ESCORTS)
    w.add("escort", _agency_of(escort), escort_at, ref, start, vessel=escort)
    travelled = 0.0
    while travelled + 3.0 < to_line:
        travelled += rng.uniform(2.0, 3.0)
        w.add(
            "sighting",
            "FR-CROSS-GN",
            at_distance(travelled),
            ref,
            _move(*start, azimuth, travelled),
            source=rng.choice(["aircraft", "radar", "vessel"]),
            speed_kn=round(knots, 1),
            course_deg=round(azimuth % 360, 0),
            persons={"total": persons},
        )
    line_at = at_distance(to_line)
    w.add("escort", _agency_of(escort), line_at, ref, crossing, vessel=escort, action="end")
    handover = w.add(
        "handover",
        "FR-CROSS-GN",
        line_at,
        ref,
        crossing,
        subject="monitoring",
        from_agency="FR-CROSS-GN",
        to_agency="UK-HMCG",
    )
    w.add(
        "handover-acceptance",
        "UK-HMCG",
        line_at + timedelta(minutes=2),
        ref,
        handover=str(handover.id),
    )
    azimuth2, onward = _bearing_distance(crossing, end)
    into_uk = min(rng.uniform(2.0, 4.0), onward / 2)
    met = _move(*crossing, azimuth2, into_uk)
    met_at = line_at + timedelta(hours=into_uk / knots)
    w.add(
        "sighting",
        "UK-HMCG",
        met_at - timedelta(minutes=10),
        ref,
        _move(*crossing, azimuth2, max(into_uk - knots / 6, 0.1)),
        source="radar",
        speed_kn=round(knots, 1),
        persons={"total": persons},
    )
    if uncontrolled:
        landed_at = met_at + timedelta(hours=(onward - into_uk) / knots)
        w.add(
            "landing",
            "UK-BF",
            landed_at,
            ref,
            end,
            kind="uncontrolled",
            place=destination.name,
            persons={"total": persons},
            **landed,
        )
        return
    cutter = rng.choice(UK_INTERCEPTORS)
    if distress:
        w.add(
            "distress",
            "UK-HMCG",
            met_at,
            ref,
            met,
            kinds=["engine-failure", "taking-water"],
            reported_by="999 call relayed",
            persons={"total": persons},
        )
        w.add(
            "rescue",
            "UK-BF",
            met_at + timedelta(minutes=25),
            ref,
            met,
            taken_aboard=cutter,
            persons={"total": persons},
            assets=[cutter, rng.choice(UK_LIFEBOATS)],
        )
    else:
        w.add("interception", "UK-BF", met_at, ref, met, by=cutter, persons={"total": persons})
    _, back = _bearing_distance(met, end)
    w.add(
        "landing",
        "UK-BF",
        met_at + timedelta(hours=back / 12.0, minutes=30),
        ref,
        end,
        kind="controlled",
        place=destination.name,
        persons={"total": persons},
        **landed,
    )


@lru_cache(maxsize=2)
def _open_sea(side: str) -> shapely.Geometry:
    """A side's territorial sea at least half a mile from any coast (no rivers, docks or
    canals), in metres (UTM 31N)."""
    return to_metric(classifier().layers.sovereignty[f"{side}-TS"]).buffer(-0.5 * _NM)


def _beach(place: Spot, side: str) -> tuple[float, float]:
    """The beach nearest a place, facing open sea: places are often given by a town centre,
    inland, and the nearest water may be a river or a dock. Find the open sea nearest the
    place, then the coast nearest that."""
    centre = to_metric(shapely.Point(place.lon, place.lat))
    offshore = shapely.shortest_line(centre, _open_sea(side)).boundary.geoms[1]
    coast = to_metric(classifier().layers.coast[side])
    beach = to_lonlat(shapely.shortest_line(offshore, coast).boundary.geoms[1])
    return float(beach.x), float(beach.y)


def _at_sea(points: Sequence[tuple[float, float]]) -> bool:
    if not points:
        return True
    lon, lat = np.array(points).T
    zones = classify(lon, lat, distances=False).sovereignty
    return all(not z.endswith("-LAND") and z != "OUTSIDE" for z in zones)


def _leg(
    a: tuple[float, float], b: tuple[float, float], step_nm: float = 0.25
) -> list[tuple[float, float]]:
    azimuth, nm = _bearing_distance(a, b)
    count = max(int(nm / step_nm), 1)
    return [_move(*a, azimuth, nm * k / count) for k in range(1, count + 1)]


def _away_from(
    points: list[tuple[float, float]], ends: Sequence[tuple[float, float]], nm: float = 0.6
) -> list[tuple[float, float]]:
    """Points further than ``nm`` from each end (harbours and beaches meet the coast there)."""
    return [p for p in points if all(_bearing_distance(p, e)[1] > nm for e in ends)]


def _route_out(
    beach: tuple[float, float], end: tuple[float, float], border: shapely.Geometry
) -> tuple[tuple[float, float], tuple[float, float]]:
    """An offshore point (where the escort joins) and the crossing of the border such that
    the route beach -> offshore -> crossing -> destination stays at sea."""
    toward, _ = _bearing_distance(beach, end)
    for nm in (1.0, 2.0, 3.0, 5.0, 7.0, 9.0):
        for turn in (0, -20, 20, -45, 45, -70, 70, -90, 90):
            out = _move(*beach, toward + turn, nm)
            crossing = _crossing(out, end, border)
            route = _leg(beach, out) + _leg(out, crossing) + _leg(crossing, end)
            if _at_sea(_away_from(route, (beach, end))):
                return out, crossing
    raise InputError(f"no route at sea from {beach} to {end}", field="launch_areas")


def _crossing(
    start: tuple[float, float], end: tuple[float, float], border: shapely.Geometry
) -> tuple[float, float]:
    """Where the straight route from start to end meets the border (or its midpoint)."""
    route = shapely.LineString([start, end])
    hit = route.intersection(border)
    if hit.is_empty:
        point = route.interpolate(0.5, normalized=True)
    else:
        point = shapely.get_geometry(hit, 0) if hit.geom_type.startswith("Multi") else hit
        point = point if point.geom_type == "Point" else point.centroid
    return float(point.x), float(point.y)
