"""HIN/CIN readings. Expected decodings follow the published format descriptions:
ISO 10087 CIN as described by yacht-ce-marking.com and fr.wikipedia "Numéro CIN" (country,
MIC, 5-character serial without I/O/Q, month A-L, year digit, model year) and the US HIN of
33 CFR 181.25 (12 characters, the same without country code)."""

from __future__ import annotations

from manche.domain.identifiers import Severity, read_hin


def codes(reading) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in reading.findings}


def test_iso_cin_decoded() -> None:
    # fr.wikipedia's example FR-AAAC9171G210: MIC AAA, serial C9171, July (G), year digit 2
    r = read_hin("FR-AAAC9171G210")
    assert r.format == "iso-10087"
    assert (r.country, r.mic, r.serial, r.production_month) == ("FR", "AAA", "C9171", 7)
    assert r.model_year == 2010
    assert r.valid


def test_consistent_cin_has_no_findings() -> None:
    r = read_hin("GB-ABC12345D505", reference_year=2006)
    assert r.canonical == "GB-ABC12345D505"
    assert (r.production_month, r.production_year, r.model_year) == (4, 2005, 2005)
    assert r.findings == ()


def test_us_hin_12_characters() -> None:
    r = read_hin("ABC12345D505")
    assert r.format == "us-33cfr181" and r.country is None and r.serial == "12345"
    assert r.valid


def test_serial_letters_i_o_q_are_read_as_digits_and_flagged() -> None:
    r = read_hin("FR-ABCI2O45D505")
    assert r.serial == "12045"
    repaired = [f for f in r.findings if f.code == "confusion_repaired"]
    assert len(repaired) == 2 and all(f.severity is Severity.REPAIRED for f in repaired)
    assert r.valid  # repaired, not malformed


def test_month_outside_a_to_l_is_an_error_but_kept() -> None:
    r = read_hin("FR-ABC12345M505")
    assert "month_letter" in codes(r) and not r.valid
    assert r.raw == "FR-ABC12345M505" and r.production_month is None


def test_uk_is_not_an_iso_country_code() -> None:
    r = read_hin("UK-ABC12345D505")
    assert "country" in codes(r)
    assert any("GB" in f.message for f in r.findings)


def test_wrong_length_and_impossible_character_are_named() -> None:
    r = read_hin("FR-ABC12#45D505")
    assert {"impossible_character", "length"} <= codes(r)
    assert r.format is None and not r.valid


def test_model_year_far_from_production_year_is_a_warning() -> None:
    # yacht-ce-marking.com: the model year is the 12-month period the craft is first placed on
    # the market, so it lies within a year of production; 2 vs 99 is implausible
    r = read_hin("GB-ABC00042A399")
    assert "year_mismatch" in codes(r)
    assert all(f.severity is not Severity.ERROR for f in r.findings)


def test_reference_year_resolves_century() -> None:
    assert read_hin("FR-ABC12345D595", reference_year=2026).model_year == 1995
    assert read_hin("FR-ABC12345D525", reference_year=2026).model_year == 2025
    # never after the reference year + 1: "30" read in 2026 is 1930 (and flagged implausible)
    late = read_hin("FR-ABC12345D530", reference_year=2026)
    assert late.model_year == 1930 and "year_mismatch" in codes(late)
