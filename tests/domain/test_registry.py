"""The bundled registries: every agency and vessel the issue names is there, with a source."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pydantic import ValidationError

from manche.domain.events import catalogue
from manche.domain.registry import Agency
from manche.registry.store import bundled_agencies, bundled_assets

DATA = Path(__file__).resolve().parents[2] / "src" / "manche" / "data"

# Named in issue 3 ("Seed registries of real agencies and assets").
ISSUE_AGENCIES = {
    "UK-BF", "UK-HMCG", "UK-RNLI", "UK-NCA", "UK-HO",
    "FR-PREMAR-MANCHE", "FR-CROSS-GN", "FR-MN", "FR-GM", "FR-PAF", "FR-SNSM",
}  # fmt: skip
ISSUE_VESSELS = {
    "Typhoon", "Ranger", "Valiant", "Vigilant", "Searcher", "Seeker", "Protector",
    "Flamant", "Cormoran", "Aramis", "Scarpe",
}  # fmt: skip
ISSUE_RNLI_STATIONS = {"Dover", "Walmer", "Dungeness", "Littlestone", "Ramsgate"}


def test_every_agency_of_the_issue_is_seeded_on_its_side() -> None:
    agencies = {a.code: a for a in bundled_agencies()}
    assert set(agencies) >= ISSUE_AGENCIES
    for agency in agencies.values():
        assert agency.code.startswith(agency.side.value + "-")
        assert agency.source and agency.name_en and agency.name_fr


def test_every_vessel_and_station_of_the_issue_is_seeded_with_a_source() -> None:
    assets = bundled_assets()
    names = " ".join(a.name for a in assets)
    for vessel in ISSUE_VESSELS:
        assert vessel in names, vessel
    for station in ISSUE_RNLI_STATIONS:
        assert any(a.agency == "UK-RNLI" and station in a.home_base for a in assets), station
    agencies = {a.code for a in bundled_agencies()}
    for asset in assets:
        assert asset.agency in agencies and asset.source


def test_published_speeds_match_the_cited_pages() -> None:
    # wikimili 'UKBF 42m Customs Cutter': 26 kn; fr.wikipedia 'Flamant (bateau)': 22 noeuds;
    # meretmarine 2020-04: Aramis up to 28 kn.
    speeds = {a.code: (a.speed_kn, a.speed_approx) for a in bundled_assets()}
    assert speeds["UK-BF-VALIANT"] == (26, False)
    assert speeds["FR-MN-FLAMANT"] == (22, False)
    assert speeds["FR-GM-ARAMIS"] == (28, False)
    assert speeds["UK-BF-TYPHOON"][1] is True  # class figure: marked approximate


def test_cross_gris_nez_position_is_the_places_csv_one() -> None:
    with (DATA / "geo" / "places.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["name"] == "CROSS Gris-Nez")
    cross = next(a for a in bundled_agencies() if a.code == "FR-CROSS-GN")
    assert cross.position is not None
    assert (cross.position.lat, cross.position.lon) == (float(row["lat"]), float(row["lon"]))


def test_mandates_name_only_catalogue_types() -> None:
    types = set(catalogue())
    for agency in bundled_agencies():
        assert set(agency.mandate) - {"*"} <= types, agency.code


def test_agency_code_must_match_its_side() -> None:
    with pytest.raises(ValidationError, match="must start with FR-"):
        Agency(code="UK-X", side="FR", name_en="x", name_fr="x", kind="police", source="s")
