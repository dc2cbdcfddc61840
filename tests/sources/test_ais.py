"""AIS decoding, checked against an independent decode of the 6-bit payload.

``_bits`` / ``_uint`` / ``_int`` below implement the AIVDM armouring and the type 1-3 field
layout straight from the public description (ITU-R M.1371-5 annex 8; Eric Raymond's
"AIVDM/AIVDO protocol decoding", catb.org/gpsd/AIVDM.html): payload character -> value
(ASCII - 48, minus 8 above 40), six bits each; MMSI bits 8-37, SOG 50-59 (/10 kn),
longitude 61-88 and latitude 89-115 (signed, /600000 deg), COG 116-127 (/10 deg),
heading 128-136. No pyais code is used for the expected values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manche.cli import app
from manche.sources.ais import decode_file, decode_lines

DATA = Path(__file__).resolve().parent.parent / "data" / "ais"


def _bits(payload: str) -> str:
    out = []
    for ch in payload:
        v = ord(ch) - 48
        if v > 40:
            v -= 8
        out.append(format(v, "06b"))
    return "".join(out)


def _uint(bits: str, start: int, length: int) -> int:
    return int(bits[start : start + length], 2)


def _int(bits: str, start: int, length: int) -> int:
    v = _uint(bits, start, length)
    return v - (1 << length) if bits[start] == "1" else v


def _hand_decode(sentence: str) -> dict[str, float | int]:
    bits = _bits(sentence.split(",")[5])
    return {
        "type": _uint(bits, 0, 6),
        "mmsi": _uint(bits, 8, 30),
        "sog": _uint(bits, 50, 10) / 10,
        "lon": _int(bits, 61, 28) / 600000,
        "lat": _int(bits, 89, 27) / 600000,
        "cog": _uint(bits, 116, 12) / 10,
        "heading": _uint(bits, 128, 9),
    }


def _class_a_sentences(path: Path) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        parts = line.split(",")
        if line.startswith("!AIVDM,1,1") and len(parts) > 5 and parts[5][:1] in "123":
            out.append((number, line))
    return out


@pytest.mark.parametrize("name", ["gpsd_ais-nmea.log", "nmea_data_sample_aegean.nmea"])
def test_class_a_positions_match_the_hand_decode(name: str) -> None:
    sentences = _class_a_sentences(DATA / name)[:40]
    assert len(sentences) >= 20
    result = decode_file(DATA / name)
    by_line = {p.line: p for p in result.positions}
    checked = 0
    for number, sentence in sentences:
        if number not in by_line:  # a sentence with a bad checksum is reported malformed
            assert any(m.line == number for m in result.malformed_examples) or (
                result.malformed_count > 0
            )
            continue
        got, want = by_line[number], _hand_decode(sentence)
        assert got.msg_type == want["type"] and got.mmsi == want["mmsi"]
        assert got.lon == pytest.approx(want["lon"], abs=1e-6) or want["lon"] == 181
        assert got.lat == pytest.approx(want["lat"], abs=1e-6) or want["lat"] == 91
        if want["sog"] != 102.3:
            assert got.sog == pytest.approx(want["sog"])
        if want["heading"] != 511:
            assert got.heading == want["heading"]
        else:
            assert got.heading is None
        checked += 1
    assert checked >= 20


def test_known_message_from_the_pyais_readme() -> None:
    # pyais README: this sentence is MMSI 367533950 at 37.808418 N 122.408232 W; the hand
    # decode must say the same (a check on the hand decoder itself)
    sentence = "!AIVDM,1,1,,A,15NPOOPP00o?b=bE`UNv4?w428D;,0*24"
    want = _hand_decode(sentence)
    assert want["mmsi"] == 367533950
    assert want["lat"] == pytest.approx(37.808418, abs=1e-6)
    report = decode_lines([sentence]).positions[0]
    assert report.mmsi == 367533950 and report.lon == pytest.approx(-122.408232, abs=1e-6)
    assert report.heading is None  # 511: not available


def test_malformed_lines_are_counted_with_line_numbers_and_never_fatal() -> None:
    good = "!AIVDM,1,1,,A,15NPOOPP00o?b=bE`UNv4?w428D;,0*24"
    lines = [
        good,
        "garbage that is not NMEA",
        "!AIVDM,1,1,,A,15NPOOPP00o?b=bE`UNv4?w428D;,0*25",  # checksum off by one
        "!AIVDM,1,1,,B,,0*25",  # no payload
        good,
    ]
    result = decode_lines(lines)
    assert len(result.positions) == 2
    assert result.malformed_count == 3
    assert [m.line for m in result.malformed_examples] == [2, 3, 4]
    assert result.malformed_examples[1].reason == "checksum mismatch"


def test_multipart_messages_are_assembled() -> None:
    # a two-fragment type 5 (static data), the multipart example of the pyais documentation
    part1 = "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C"
    part2 = "!AIVDM,2,2,1,A,88888888880,2*25"
    assert decode_lines([part1, part2]).other_messages == {5: 1}
    only_first = decode_lines([part1])
    assert only_first.other_messages == {} and only_first.incomplete_multipart == 1


def test_non_ais_nmea_is_skipped_not_malformed() -> None:
    result = decode_file(DATA / "gpsd_ais-nmea.log")
    assert result.other_nmea > 0
    assert result.positions


def test_cli_decode_json() -> None:
    result = CliRunner().invoke(
        app, ["ais", "decode", str(DATA / "nmea_data_sample_aegean.nmea"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # the file's own content: empty-payload sentences "!AIVDM,1,1,,B,,0*25" are malformed
    empty = sum(
        1
        for line in (DATA / "nmea_data_sample_aegean.nmea").read_text().splitlines()
        if line.strip() == "!AIVDM,1,1,,B,,0*25"
    )
    assert data["malformed"]["count"] >= empty > 0
    assert data["position_reports"] > 500


def test_cli_missing_file_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["ais", "decode", "/nonexistent/capture.nmea"])
    assert result.exit_code == 2
    assert "/nonexistent/capture.nmea" in result.stderr
