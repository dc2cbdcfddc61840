"""The registry of boats and engines read off events, with analysts' decisions applied."""

from __future__ import annotations

from collections.abc import Callable

from manche.domain.events.base import Event
from manche.readings.intel.registry import build_registry, craft_detail

MakeEvent = Callable[..., Event]


def _engine(serial: str) -> list[dict[str, object]]:
    return [{"make": "Yamaha", "power_hp": 40, "serial": serial}]


def test_engine_on_two_crossings_from_both_sides(make_event: MakeEvent) -> None:
    launch1 = make_event(
        "launch",
        agency="FR-PAF",
        incident="INC-1",
        place="Gravelines",
        engines=_engine("6AH-L-1012345"),
    )
    landing1 = make_event("landing", incident="INC-1", engines=_engine("6AHL1O12345"))
    launch2 = make_event(
        "launch",
        agency="FR-PAF",
        incident="INC-2",
        place="Wimereux",
        occurred_at="2026-09-01T04:00:00Z",
        recorded_at="2026-09-01T05:00:00Z",
    )
    seizure2 = make_event(
        "seizure",
        incident="INC-2",
        place="Dover",
        boat=None,
        engines=_engine("…012345"),
        items=[],
        occurred_at="2026-09-01T06:00:00Z",
        recorded_at="2026-09-01T07:00:00Z",
    )
    other = make_event(
        "seizure",
        incident="INC-3",
        place="Dover",
        boat=None,
        engines=[{"make": "Suzuki", "serial": "14003F-812345"}],
        items=[],
    )
    registry = build_registry([launch1, landing1, launch2, seizure2, other])
    engines = [c for c in registry.crafts if c.kind == "engine"]
    assert len(engines) == 2
    yamaha = next(c for c in engines if c.make == "Yamaha")
    assert len(yamaha.observations) == 3
    assert yamaha.identifier == "6AHL1012345"
    assert yamaha.incidents == ["INC-1", "INC-2"] and yamaha.crossings == 2
    assert yamaha.departure_points == ["Gravelines", "Wimereux"]
    assert yamaha.sides == ["FR", "UK"]
    assert yamaha.flags[0].startswith("engine used on 2 crossings")
    rules = {link.b: link.rule for link in yamaha.links}
    assert rules == {
        f"{landing1.id}/engine/0": "ocr-equivalent",
        f"{seizure2.id}/engine/0": "partial",
    }
    assert all(0 < link.confidence <= 1 for link in yamaha.links)


def test_flags_name_the_problems(make_event: MakeEvent) -> None:
    seizure = make_event(
        "seizure",
        boat={"hin": "UK-ABC12345M505", "length_m": "about"},
        engines=[{"make": "Zhejiang", "serial": "ZX#123456"}],
    )
    registry = build_registry([seizure])
    flags = " ".join(f for c in registry.crafts for f in c.flags)
    assert "country" in flags and "month_letter" in flags
    assert "unknown_make" in flags and "impossible_character" in flags
    assert "measure" in flags  # "about" has no number: kept as written, flagged


def test_link_split_and_confirm_events(make_event: MakeEvent) -> None:
    a = make_event("seizure", boat={"hin": "FR-ABC12345D505", "colour": "grey"})
    b = make_event("seizure", boat={"hin": "FR-ABC12345D505", "colour": "black"}, agency="FR-GM")
    c = make_event("seizure", boat={"hin": "GB-XYZ99999A101"})
    before = build_registry([a, b, c])
    assert before.by_observation[f"{a.id}/boat"] == before.by_observation[f"{b.id}/boat"]
    split = make_event(
        "link-split",
        a={"event": str(a.id), "item": "boat"},
        b={"event": str(b.id), "item": "boat"},
        reason="cloned HIN",
    )
    confirm = make_event(
        "link-confirmed",
        a={"event": str(a.id), "item": "boat"},
        b={"event": str(c.id), "item": "boat"},
        reason="same hull photos",
    )
    after = build_registry([a, b, c, split, confirm])
    assert after.by_observation[f"{a.id}/boat"] != after.by_observation[f"{b.id}/boat"]
    assert after.by_observation[f"{a.id}/boat"] == after.by_observation[f"{c.id}/boat"]
    assert after.suppressed
    # each craft shows the standing decisions about its observations, naming both crafts
    craft_a = after.craft(after.by_observation[f"{a.id}/boat"])
    craft_b = after.craft(after.by_observation[f"{b.id}/boat"])
    assert craft_a is not None and craft_b is not None
    shown = {(d["decision"], d["reason"]) for d in craft_detail(craft_a)["decisions"]}
    assert shown == {("link-split", "cloned HIN"), ("link-confirmed", "same hull photos")}
    (only,) = craft_detail(craft_b)["decisions"]
    assert (only["decision"], only["craft_a"], only["craft_b"]) == (
        "link-split",
        craft_a.id,
        craft_b.id,
    )
    # a later decision about the same pair wins
    rejoin = make_event(
        "link-confirmed",
        a={"event": str(b.id), "item": "boat"},
        b={"event": str(a.id), "item": "boat"},
        reason="paint only",
    )
    again = build_registry([a, b, c, split, confirm, rejoin])
    assert again.by_observation[f"{a.id}/boat"] == again.by_observation[f"{b.id}/boat"]
    joined = again.craft(again.by_observation[f"{a.id}/boat"])
    assert joined is not None
    assert {d["reason"] for d in craft_detail(joined)["decisions"]} == {
        "paint only",
        "same hull photos",
    }


def test_decision_naming_an_unknown_observation_is_reported(make_event: MakeEvent) -> None:
    a = make_event("seizure")
    bad = make_event(
        "link-confirmed",
        a={"event": str(a.id), "item": "engine/5"},
        b={"event": str(a.id), "item": "boat"},
        reason="x",
    )
    registry = build_registry([a, bad])
    assert any("engine/5" in p for p in registry.problems)


def test_a_craft_shows_its_observations_in_the_order_they_happened(make_event: MakeEvent) -> None:
    # the seizure of 1 September is recorded before the launch of 14 August it belongs with
    seizure = make_event(
        "seizure",
        incident="INC-9",
        boat=None,
        engines=_engine("6AHL1012345"),
        items=[],
        occurred_at="2026-09-01T06:00:00Z",
        recorded_at="2026-09-01T07:00:00Z",
    )
    launch = make_event(
        "launch",
        agency="FR-PAF",
        incident="INC-8",
        engines=_engine("6AHL1012345"),
        occurred_at="2026-08-14T03:00:00Z",
        recorded_at="2026-09-02T08:00:00Z",
    )
    (craft,) = build_registry([seizure, launch]).crafts
    seen = craft_detail(craft)["seen"]
    assert [o["type"] for o in seen] == ["launch", "seizure"]
    assert craft.id == f"{seizure.id}.engine.0"  # still named after the first in the log


def test_a_grade_outside_the_scheme_is_kept_and_flagged(make_event: MakeEvent) -> None:
    """Issue 5, bad input: a grade outside the scheme keeps the record, the problem named.
    '4XZ': source 4 is outside 1-3, X outside A-E, Z neither P nor C (docs/intelligence.md
    section 3); 'B24' is a 5x5x5 code, read as 1AC (B -> 1, 2 -> A, 4 -> C originator-only)."""
    bad = make_event("seizure", engines=_engine("6AHL1012345"), items=[], grade_as_given="4XZ")
    mapped = make_event("seizure", engines=_engine("6BGL1012345"), items=[], grade_as_given="B24")
    registry = build_registry([bad, mapped])
    flags = {c.identifier: c.flags for c in registry.crafts}
    (unreadable,) = flags["6AHL1012345"]
    assert unreadable.startswith("grade_unreadable: grade '4XZ' as given: source evaluation '4'")
    assert unreadable.endswith("(never exchanged)")
    assert flags["6BGL1012345"] == ["grade_mapped: grade 'B24' given in 5x5x5, read as 1AC"]
