"""Responsibility rules: each rule has its source; answers by position; nearest assets."""

from __future__ import annotations

import pytest

from manche.errors import InputError
from manche.geo.responsibility import (
    PROXY,
    RULES,
    Asset,
    may_respond_to_distress,
    nearest_assets,
    responsibility,
)


def test_every_rule_has_text_and_source() -> None:
    assert set(RULES) >= {
        "rcc-by-position",
        "fr-acts-in-fr-waters",
        "bf-acts-in-uk-waters",
        "distress-whoever-can-help",
        "first-alerted-keeps-coordination",
    }
    for rule in RULES.values():
        assert rule.text and rule.source
    assert "PROXY" in RULES["rcc-by-position"].text


def test_off_boulogne_is_gris_nez_french_authorities_landing_in_france() -> None:
    # 0.3 nm west of the Digue Carnot light (boulogne-marina.com): French territorial sea
    r = responsibility(1.5604, 50.741667)
    assert (r.rescue_centre, r.waters, r.acting_authority, r.landing_country) == (
        "CROSS Gris-Nez",
        "FR-TS",
        "French authorities",
        "FR",
    )
    assert r.basis == PROXY


def test_off_dover_is_mrcc_dover_and_border_force() -> None:
    r = responsibility(1.322528, 51.097722)  # 1 nm south of the Dover tide gauge
    assert (r.rescue_centre, r.waters, r.acting_authority, r.landing_country) == (
        "MRCC Dover",
        "UK-TS",
        "Border Force",
        None,
    )


def test_mid_channel_beyond_12_nm_follows_the_median_proxy() -> None:
    # 0.0 E 50.15 N: about 30 nm from the French coast, 45 from the English one
    r = responsibility(0.0, 50.15)
    assert r.rescue_centre == "CROSS Gris-Nez" and r.waters == "FR-EEZ"


def test_distress_is_never_blocked() -> None:
    for side in ("UK", "FR"):
        for waters in ("UK-TS", "FR-TS", "UK-EEZ", "FR-EEZ", "BE-TS", "OUTSIDE"):
            assert may_respond_to_distress(side, waters)


def test_nearest_assets_sorted_by_time_with_great_circle_distances() -> None:
    # one minute of latitude is 1 nautical mile to within 0.6 % (WGS84: 1853 m at 51 N)
    target = (1.5, 51.0)
    assets = [
        Asset("slow-near", 1.5, 51.0 + 5 / 60, 5.0),  # 5 nm north at 5 kn -> ~60 min
        Asset("fast-far", 1.5, 51.0 - 10 / 60, 20.0),  # 10 nm south at 20 kn -> ~30 min
    ]
    recs = nearest_assets(*target, assets)
    assert [r.asset for r in recs] == ["fast-far", "slow-near"]
    assert recs[0].distance_nm == pytest.approx(10.0, rel=0.006)
    assert recs[0].minutes_to_reach == pytest.approx(30.0, rel=0.006)
    assert recs[1].minutes_to_reach == pytest.approx(60.0, rel=0.006)


def test_asset_without_speed_is_rejected() -> None:
    with pytest.raises(InputError, match="speed"):
        nearest_assets(1.5, 51.0, [Asset("drifting", 1.4, 51.0, 0.0)])
