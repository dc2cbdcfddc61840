"""AIS captures into the record: position reports of authority vessels become
``asset-position`` events, appended as one batch (all or nothing) by the ingesting user.

AIS identifies vessels by MMSI; the registry does not publish the MMSIs of authority vessels,
so the mapping MMSI -> asset code is given by the operator (``--map``). Reports of other
vessels are counted and left out; malformed sentences are counted and reported, never fatal
(:mod:`manche.sources.ais`). A position message carries only the second of the minute, not
the date: a report's time is the tag-block time when the capture has one, otherwise the
capture's reception time given by the operator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from manche.domain.access import Principal
from manche.errors import InputError
from manche.service.events import EventService
from manche.sources.ais import DecodeResult, decode_file


@dataclass
class IngestResult:
    file: str
    decoded: dict[str, Any]
    appended: int = 0
    per_asset: dict[str, int] = field(default_factory=dict)
    unmapped_reports: int = 0
    without_position: int = 0


def parse_mapping(pairs: list[str]) -> dict[int, str]:
    """``MMSI=ASSET`` pairs into a dict, each checked."""
    mapping: dict[int, str] = {}
    for pair in pairs:
        mmsi, sep, asset = pair.partition("=")
        if not sep or not mmsi.strip().isdigit() or not asset.strip():
            raise InputError(
                f"expected MMSI=ASSET (e.g. 235012345=UK-BF-VALIANT), got {pair!r}", field="map"
            )
        mapping[int(mmsi)] = asset.strip()
    return mapping


def ingest(
    service: EventService,
    principal: Principal,
    path: Path,
    mapping: dict[int, str],
    received_at: datetime,
) -> IngestResult:
    if not mapping:
        raise InputError("no MMSI=ASSET mapping given: nothing would be recorded", field="map")
    for code in mapping.values():
        service.registry.asset(code)  # NotFound names an unknown asset
    decoded: DecodeResult = decode_file(path)
    result = IngestResult(str(path), decoded.summary())
    items: list[dict[str, Any]] = []
    for report in decoded.positions:
        asset = mapping.get(report.mmsi)
        if asset is None:
            result.unmapped_reports += 1
            continue
        if report.lon is None or report.lat is None:
            result.without_position += 1
            continue
        items.append(
            {
                "type": "asset-position",
                "asset": asset,
                "mmsi": report.mmsi,
                "source": "ais",
                "occurred_at": (report.timestamp or received_at).isoformat(),
                "position": {"lon": report.lon, "lat": report.lat},
                "speed_kn": report.sog,
                "course_deg": None if report.cog is None or report.cog >= 360 else report.cog,
                "heading_deg": report.heading,
                "note": f"AIS message type {report.msg_type}, {path.name} line {report.line}",
            }
        )
        result.per_asset[asset] = result.per_asset.get(asset, 0) + 1
    if items:
        if len(items) > service.max_batch:
            raise InputError(
                f"{len(items)} reports in one capture; split it into files of at most "
                f"{service.max_batch}",
                file=str(path),
            )
        service.submit(principal, items)
        result.appended = len(items)
    return result
