"""Reading the bundled geographic files (``manche/data/geo``)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from manche.errors import InputError

DATA_DIR = "data/geo"

_DMS = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+(?:\.\d+)?)\s*([NSEW])\s*$")


def read_text(name: str) -> str:
    """The text of one bundled file."""
    return resources.files("manche").joinpath(DATA_DIR, name).read_text(encoding="utf-8")


def read_json(name: str) -> Any:
    try:
        return json.loads(read_text(name))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc}", file=name) from exc


def dms_to_degrees(text: str, *, file: str | None = None, field: str | None = None) -> float:
    """``"50 49 30.95 N"`` -> 50.825263...; south and west are negative."""
    match = _DMS.match(text)
    if match is None:
        raise InputError(f"not a 'D M S H' angle: {text!r}", file=file, field=field)
    degrees, minutes, seconds, hemisphere = match.groups()
    if int(minutes) >= 60 or float(seconds) >= 60:
        raise InputError(f"minutes/seconds out of range: {text!r}", file=file, field=field)
    value = int(degrees) + int(minutes) / 60 + float(seconds) / 3600
    return -value if hemisphere in "SW" else value


@dataclass(frozen=True)
class Place:
    """One row of places.csv. ``approximate`` keeps the file's 'APPROX ... verify' flag."""

    name: str
    country: str
    role: str
    lon: float
    lat: float
    status: str
    source: str

    @property
    def approximate(self) -> bool:
        return "approx" in self.status.lower()


def read_places() -> list[Place]:
    name = "places.csv"
    rows = list(csv.DictReader(io.StringIO(read_text(name))))
    places: list[Place] = []
    for number, row in enumerate(rows, start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError) as exc:
            raise InputError("lat/lon is not a number", file=name, row=number) from exc
        places.append(
            Place(
                name=row["name"],
                country=row["country"],
                role=row["role"],
                lon=lon,
                lat=lat,
                status=row["status"],
                source=row["source"],
            )
        )
    return places
