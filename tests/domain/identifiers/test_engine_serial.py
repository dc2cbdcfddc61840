"""Engine serial readings: make-specific formats (sources in docs/intelligence.md), repairs of
reading confusions, partial serials, impossible characters, unknown makes."""

from __future__ import annotations

from manche.domain.identifiers import read_engine_serial, resolve_make


def codes(reading) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in reading.findings}


def test_yamaha_plate_layout() -> None:
    r = read_engine_serial("YAMAHA", "6AH-L-1012345")
    assert (r.make, r.canonical, r.template) == ("Yamaha", "6AHL1012345", "DAAHDDDDDDD")
    assert r.findings == ()


def test_ocr_confusion_repaired_where_the_format_needs_a_digit() -> None:
    r = read_engine_serial("Yamaha", "6AHL1O12345")
    assert r.canonical == "6AHL1012345"
    assert codes(r) == {"confusion_repaired"}


def test_mercury_brunswick_example() -> None:
    # Brunswick Marine's model-year lookup uses serial 0P096282 as its example
    r = read_engine_serial("Mercury", "0P096282")
    assert r.valid and r.template == "DLDDDDDD"
    # read with O for the leading zero: repaired (position 1 must be a digit)
    assert read_engine_serial("Mariner", "OP096282").canonical == "0P096282"


def test_honda_and_suzuki_formats() -> None:
    assert read_engine_serial("Honda", "BAAJ-1234567").canonical == "BAAJ1234567"
    assert read_engine_serial("Suzuki", "14003F-812345").template == "DDDDDLDDDDDD"
    assert read_engine_serial("Suzuki", "02002-512345").template == "DDDDDDDDDDD"


def test_impossible_character_flagged_and_record_kept() -> None:
    r = read_engine_serial("Yamaha", "6AHL10#12345")
    assert "impossible_character" in codes(r) and not r.valid
    assert r.raw == "6AHL10#12345" and r.canonical == "6AHL1012345"


def test_unknown_make_flagged_not_rejected() -> None:
    r = read_engine_serial("Zhejiang Marine", "ZX12345678")
    assert r.make is None and "unknown_make" in codes(r)
    assert r.canonical == "ZX12345678"


def test_misspelt_make_resolved_with_a_finding() -> None:
    make, findings = resolve_make("Yamahha")
    assert make == "Yamaha" and findings[0].code == "make_spelling"
    assert resolve_make("mercury")[0] == "Mercury" and resolve_make("mercury")[1] == ()


def test_unsourced_format_says_so() -> None:
    r = read_engine_serial("Parsun", "PS40-2231187")
    assert "format_unsourced" in codes(r) and r.valid


def test_partial_serials() -> None:
    start = read_engine_serial("Yamaha", "…12345")
    assert start.partial == "start" and start.canonical == "12345"
    end = read_engine_serial("Honda", "BAAJ12*")
    assert end.partial == "end" and end.canonical == "BAAJ12"
    short = read_engine_serial("Mercury", "96282")
    assert short.partial == "either"  # shorter than every Mercury format


def test_wrong_length_for_make() -> None:
    r = read_engine_serial("Mercury", "0P0962822")
    assert "length" in codes(r) and not r.valid


def test_question_mark_inside_is_an_unreadable_character_not_an_error() -> None:
    r = read_engine_serial("Yamaha", "6AHL10?2345")
    assert "unreadable_character" in codes(r) and "impossible_character" not in codes(r)
    assert r.canonical == "6AHL102345"
