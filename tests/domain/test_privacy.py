"""Keeping identities out of the record (Art. 16: « la France ne transfère en aucun cas des
données à caractère personnel au Royaume-Uni »): case numbers and the note screen."""

from __future__ import annotations

import pytest

from manche.domain.privacy import identity_findings, screen_note, validate_case_number
from manche.errors import RuleViolation


@pytest.mark.parametrize("number", ["RET-2025-000001", "ADM-2026-123456"])
def test_case_numbers_accepted(number: str) -> None:
    assert validate_case_number(number) == number


@pytest.mark.parametrize(
    "number",
    [
        "John Smith",
        "RET-25-000001",
        "RET-2025-1",
        "ret-2025-000001",
        "RET-2025-0000012",
        "12AB34567",
    ],
)
def test_anything_else_refused(number: str) -> None:
    with pytest.raises(ValueError, match="pseudonymous"):
        validate_case_number(number)


def test_kind_must_match() -> None:
    with pytest.raises(ValueError, match="should start with ADM-"):
        validate_case_number("RET-2025-000001", "ADM")


@pytest.mark.parametrize(
    ("note", "finding"),
    [
        ("P<FRADUPONT<<JEAN<<<<<<<<<<<<", "machine-readable passport zone"),
        ("doc 12AB34567 checked", "document number"),  # French passport number shape
        ("BRP ZU1234567", "document number"),
        ("born 03/04/1998", "date of birth"),
        ("né le 3.4.1998", "date of birth"),
        ("Nom : Dupont", "identity label"),
        ("surname withheld", "identity label"),
        ("contact avocat@example.fr", "e-mail"),
        ("tel +33 6 12 34 56 78", "phone"),
        ("tel 07700 900123", "phone"),
    ],
)
def test_identity_shapes_are_refused(note: str, finding: str) -> None:
    assert any(finding in f for f in identity_findings(note))
    with pytest.raises(RuleViolation) as info:
        screen_note(note)
    assert info.value.field == "note"
    assert "data.no_personal_data: Art. 16" in info.value.rule


@pytest.mark.parametrize(
    "note",
    [
        "",
        "interpreter booked for the interview",
        "removal on 12/10/2025 via Roissy, flight AF1234",
        "case RET-2025-000123 linked (same boat)",
        "handed over at Dover Western Docks, 45 life jackets, vessel UK-BF-VALIANT",
    ],
)
def test_procedural_notes_pass(note: str) -> None:
    assert screen_note(note) == note
