"""AIS NMEA 0183 sentences (AIVDM/AIVDO) -> position reports, with pyais.

One pass over the lines of a capture: multipart messages are assembled (keyed by fragment
count, sequential id and channel), each complete message is decoded by pyais, and position
reports (message types 1, 2, 3 class A; 9 SAR aircraft; 18, 19 class B; 27 long range) are
kept. Anything that cannot be read is counted as malformed with its line number and the
reason; a malformed line never stops the pass.

"Not available" values of the standard become ``None``: longitude 181, latitude 91, speed
102.3, course 360, heading 511 (ITU-R M.1371-5, table 48).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyais import NMEAMessage
from pyais.exceptions import AISBaseException

from manche.errors import InputError

POSITION_TYPES = frozenset({1, 2, 3, 9, 18, 19, 27})
MAX_EXAMPLES = 10


@dataclass(frozen=True)
class PositionReport:
    line: int  # line number of the (last) sentence of the message
    msg_type: int
    mmsi: int
    lon: float | None
    lat: float | None
    sog: float | None  # knots (SAR aircraft, type 9: knots as well)
    cog: float | None  # degrees true
    heading: int | None  # degrees true
    second: int | None  # UTC second of the report (0-59), from the message
    timestamp: datetime | None  # from an NMEA 4.0 tag block (c:), when present


@dataclass(frozen=True)
class Malformed:
    line: int
    text: str
    reason: str


@dataclass
class DecodeResult:
    positions: list[PositionReport] = field(default_factory=list)
    other_messages: dict[int, int] = field(default_factory=dict)  # type -> count
    malformed_count: int = 0
    malformed_examples: list[Malformed] = field(default_factory=list)
    lines: int = 0
    incomplete_multipart: int = 0
    other_nmea: int = 0  # well-formed NMEA that is not AIS ($GPRMC...): skipped, not an error

    def _malformed(self, line: int, text: str, reason: str) -> None:
        self.malformed_count += 1
        if len(self.malformed_examples) < MAX_EXAMPLES:
            self.malformed_examples.append(Malformed(line, text[:120], reason))

    def summary(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "position_reports": len(self.positions),
            "vessels": len({p.mmsi for p in self.positions}),
            "position_reports_by_type": _count(p.msg_type for p in self.positions),
            "other_messages_by_type": dict(sorted(self.other_messages.items())),
            "incomplete_multipart": self.incomplete_multipart,
            "other_nmea_sentences": self.other_nmea,
            "malformed": {
                "count": self.malformed_count,
                "examples": [
                    {"line": m.line, "text": m.text, "reason": m.reason}
                    for m in self.malformed_examples
                ],
            },
        }


def _count(values: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def _none_if(value: Any, missing: float) -> Any:
    if value is None:
        return None
    return None if abs(float(value) - missing) < 1e-9 else value


def _position(line: int, data: dict[str, Any], timestamp: datetime | None) -> PositionReport:
    speed = data.get("speed")
    return PositionReport(
        line=line,
        msg_type=int(data["msg_type"]),
        mmsi=int(data["mmsi"]),
        lon=_none_if(data.get("lon"), 181.0),
        lat=_none_if(data.get("lat"), 91.0),
        sog=_none_if(speed, 102.3) if data["msg_type"] != 9 else _none_if(speed, 1023),
        cog=_none_if(data.get("course"), 360.0),
        heading=_none_if(data.get("heading"), 511),
        second=data.get("second") if (data.get("second") or 0) < 60 else None,
        timestamp=timestamp,
    )


def _tag_time(message: NMEAMessage) -> datetime | None:
    block = message.tag_block
    if block is None:
        return None
    try:
        block.init()
        receiver = block.receiver_timestamp
    except (AISBaseException, ValueError):
        return None
    if not receiver:
        return None
    seconds = int(receiver)
    if seconds > 10**11:  # milliseconds
        seconds //= 1000
    return datetime.fromtimestamp(seconds, tz=UTC)


def decode_lines(lines: Iterable[str], *, mmsis: set[int] | None = None) -> DecodeResult:
    """Decode NMEA lines; keep position reports (of ``mmsis`` only, when given)."""
    result = DecodeResult()
    pending: dict[tuple[int, Any, Any], list[tuple[int, str, NMEAMessage]]] = {}
    for number, raw in enumerate(lines, start=1):
        result.lines += 1
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        head = text.split(",", 1)[0]
        if text.startswith("$") and not head.endswith(("VDM", "VDO")):
            result.other_nmea += 1
            continue
        try:
            sentence = NMEAMessage.from_string(text)
        except (AISBaseException, ValueError, IndexError) as exc:
            result._malformed(number, text, f"{type(exc).__name__}: {exc}")
            continue
        if not sentence.is_valid:
            result._malformed(number, text, "checksum mismatch")
            continue
        if sentence.fragment_count > 1:
            key = (sentence.fragment_count, sentence.seq_id, sentence.channel)
            parts = pending.setdefault(key, [])
            if sentence.frag_num == 1 and parts:
                result.incomplete_multipart += 1
                parts.clear()
            parts.append((number, text, sentence))
            if len(parts) < sentence.fragment_count:
                continue
            del pending[key]
            try:
                message = NMEAMessage.assemble_from_iterable([p[2] for p in parts])
            except (AISBaseException, ValueError) as exc:
                result._malformed(number, text, f"multipart: {type(exc).__name__}: {exc}")
                continue
            first = parts[0][2]
        else:
            message, first = sentence, sentence
        try:
            data: dict[str, Any] = message.decode().asdict()
        except (AISBaseException, ValueError, IndexError, KeyError, TypeError) as exc:
            result._malformed(number, text, f"{type(exc).__name__}: {exc}")
            continue
        msg_type = int(data["msg_type"])
        if msg_type not in POSITION_TYPES:
            result.other_messages[msg_type] = result.other_messages.get(msg_type, 0) + 1
            continue
        if mmsis is not None and int(data["mmsi"]) not in mmsis:
            continue
        result.positions.append(_position(number, data, _tag_time(first)))
    result.incomplete_multipart += len(pending)
    return result


def decode_file(path: Path, *, mmsis: set[int] | None = None) -> DecodeResult:
    try:
        with path.open(encoding="ascii", errors="replace") as handle:
            return decode_lines(handle, mmsis=mmsis)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from exc
