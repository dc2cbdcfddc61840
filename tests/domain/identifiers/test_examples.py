"""Drawn example identifiers read as valid by the project's own readers of each format."""

from __future__ import annotations

import random

import pytest

from manche.domain.identifiers import read_engine_serial, read_hin
from manche.domain.identifiers.examples import (
    ENGINE_MAKES,
    engine_serial,
    hin,
    manufacturer_codes,
)


@pytest.mark.parametrize("make", list(ENGINE_MAKES))
def test_an_engine_serial_follows_its_makes_layout(make: str) -> None:
    rnd = random.Random(make)
    for _ in range(200):
        reading = read_engine_serial(make, engine_serial(rnd, make))
        assert reading.partial is None
        if make in ("Tohatsu", "Parsun"):  # no sourced layout: the reader says so, no template
            assert reading.template is None
            assert [f.code for f in reading.findings] == ["format_unsourced"]
        else:
            assert reading.template is not None and not reading.findings, reading


def test_a_hin_is_a_well_formed_iso_10087_number() -> None:
    rnd = random.Random(5)
    mics = manufacturer_codes(rnd, 8)
    for _ in range(200):
        reading = read_hin(hin(rnd, mics), reference_year=2026)
        assert reading.format is not None and not reading.findings, reading
        assert reading.mic in mics
