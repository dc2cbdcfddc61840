"""Canonical JSON: the fast encoder gives exactly the bytes of the `rfc8785` package (the
reference implementation of RFC 8785, tested by its authors against the RFC's vectors)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import pytest
import rfc8785
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import Field, field_serializer

from manche.domain.events import Event, catalogue, parse_event
from manche.domain.events.examples import EXAMPLES, example_event
from manche.errors import InputError, MancheError
from manche.record import canonical
from manche.record.canonical import canonical_bytes, event_bytes, event_json_bytes

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_same_bytes_as_rfc8785(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        return  # e.g. lone surrogates: refused by the reference too
    assert canonical_bytes(value) == expected


def test_known_differences_from_python_json_are_handled() -> None:
    # ECMAScript number forms (RFC 8785 3.2.2.3), not Python's repr
    assert canonical_bytes([1.0, -0.0, 1e21, 1e-7, 123456789012345680.0]) == (
        b"[1,0,1e+21,1e-7,123456789012345680]"
    )
    # keys sorted by UTF-16 code units: U+1F600 (surrogates D83D...) sorts before U+FB33
    assert canonical_bytes({"\ufb33": 1, "\U0001f600": 2}) == (
        '{"\U0001f600":2,"\ufb33":1}'.encode()
    )
    big = b"[9007199254740992,100000000000000000000]"  # 2**53 and 1e20, ECMAScript forms
    assert canonical_bytes([9007199254740992.0, 1e20]) == big
    assert canonical_bytes({"b": "\u000f\n", "a": "é"}) == b'{"a":"\xc3\xa9","b":"\\u000f\\n"}'


def test_caller_value_not_changed() -> None:
    value = {"lon": 1.0}
    canonical_bytes(value)
    assert value == {"lon": 1.0} and isinstance(value["lon"], float)


def test_every_example_event() -> None:
    catalogue()  # loads every event module first (each adds its examples)
    for type_name in sorted(EXAMPLES):
        event = parse_event(example_event(type_name, position={"lon": 1.0, "lat": 51.0}))
        assert event_bytes(event) == rfc8785.dumps(event.to_json())


def test_event_bytes_with_awkward_values() -> None:
    tweaks: list[dict[str, Any]] = [
        {"position": {"lon": 1.0, "lat": -0.0}},
        {"position": {"lon": 1e-7, "lat": 51.123456789012345}},
        {"persons": {"total": 2**53 - 1}},
        {"note": "\U0001f6a4 zodiac \u2028 \u0007 «»"},
        {"nationalities": {"\U0001f600": 1, "\ufb33": 2, "Érythrée": 3}, "persons": {"total": 9}},
    ]
    for tweak in tweaks:
        event = parse_event(example_event("rescue", **tweak))
        assert event_bytes(event) == rfc8785.dumps(event.to_json()), tweak
    # I-JSON (RFC 7493) integers only: a count beyond 2**53 is refused, not rounded
    with pytest.raises(InputError, match="RFC 8785"):
        event_bytes(parse_event(example_event("rescue", persons={"total": 2**60})))
    sighting = parse_event(example_event("sighting", course_deg=0.0, speed_kn=12.5))
    assert event_bytes(sighting) == rfc8785.dumps(sighting.to_json())


def reference(event: Event) -> bytes | None:
    """What RFC 8785 makes of the event's stored form (``to_json``), or None if it refuses."""
    try:
        result: bytes = rfc8785.dumps(event.to_json())
    except rfc8785.CanonicalizationError:
        return None
    return result


def assert_reference_bytes(event: Event) -> None:
    expected = reference(event)
    if expected is None:
        with pytest.raises(InputError, match="RFC 8785"):
            event_bytes(event)
    else:
        assert event_bytes(event) == expected


def test_every_event_type_is_encoded_straight_from_the_model() -> None:
    # the fast path is taken for every type of the catalogue (else append speed silently drops)
    refused = [name for name, cls in catalogue().items() if canonical._plan(cls) is None]
    assert refused == []


coordinates = st.floats(min_value=-90, max_value=90, allow_nan=False) | st.sampled_from(
    [0.0, -0.0, 2.0, 1e-7, 5e-5, 51.123456789012345, -1.0000000000000002]
)


@settings(max_examples=300, deadline=None)
@given(
    type_name=st.sampled_from(sorted(EXAMPLES)),
    lon=coordinates,
    lat=coordinates,
    note=st.text(max_size=12),
    micro=st.integers(min_value=0, max_value=999_999),
)
def test_direct_encoding_is_rfc8785(
    type_name: str, lon: float, lat: float, note: str, micro: int
) -> None:
    catalogue()
    fields = {"position": {"lon": lon, "lat": lat}, "note": note, "releasability": "uk-only"}
    fields["occurred_at"] = f"2026-08-14T03:1{micro % 10}:00.{micro:06d}+00:00"
    if type_name in ("distress", "rescue"):
        del fields["releasability"]  # always shared
    try:
        event = parse_event(example_event(type_name, **fields))
    except MancheError:
        assume(False)  # refused by the type's own rules (e.g. a note shaped like an identity)
    assert_reference_bytes(event)


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=1, max_value=2**60),
    nationalities=st.dictionaries(
        st.text(min_size=1, max_size=6).filter(lambda t: t.strip() == t),
        st.integers(min_value=0, max_value=2**60),
        max_size=4,
    ),
    power=st.floats(min_value=0, max_value=1e17, allow_nan=False) | st.sampled_from([40.0, 2.5]),
)
def test_direct_encoding_of_numbers_and_keys(
    total: int, nationalities: dict[str, int], power: float
) -> None:
    rescue = {"persons": {"total": total}, "nationalities": nationalities}
    engines = [{"make": "Yamaha", "power_hp": power}]
    for event_json in (
        example_event("rescue", **rescue),
        example_event("seizure", engines=engines),
    ):
        try:
            event = parse_event(event_json)
        except MancheError:
            continue  # refused by the model's own rules (e.g. more nationals than people)
        assert_reference_bytes(event)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_direct_encoding_of_free_form_changes(value: Any) -> None:
    try:
        event = parse_event(example_event("correction", changes={"note": value, "x": [value]}))
    except MancheError:
        assume(False)  # refused by the type's own rules
    assert_reference_bytes(event)


def test_direct_encoding_leaves_the_event_unchanged() -> None:
    event = parse_event(example_event("seizure", engines=[{"make": "Yamaha", "power_hp": 40.0}]))
    before = event.model_dump()
    assert event_bytes(event) == rfc8785.dumps(event.to_json())
    assert b'"power_hp":40,' in event_bytes(event)
    assert event.model_dump() == before
    assert type(event.engines[0].power_hp) is float


class Serialized(Event):
    """Not registered: a type whose stored form pydantic writes through a serializer."""

    type: Literal["test-serialized"] = "test-serialized"
    amount: Decimal = Field(default=Decimal("1.50"))

    @field_serializer("note")
    def _shout(self, note: str) -> str:
        return note.upper()


class Aliased(Event):
    type: Literal["test-aliased"] = "test-aliased"
    depth: float = Field(default=2.5, serialization_alias="depth_m")


def test_types_the_direct_encoder_cannot_vouch_for_take_the_reference_path() -> None:
    common = example_event("arrest")
    for key in ("type", "role", "count", "case_ref"):
        common.pop(key)
    serialized = Serialized(**common, note="calm")
    aliased = Aliased(**common)
    assert canonical._plan(Serialized) is None and canonical._plan(Aliased) is None
    assert event_bytes(serialized) == rfc8785.dumps(serialized.to_json())
    assert b'"note":"CALM"' in event_bytes(serialized)
    assert b'"amount":"1.50"' in event_bytes(serialized)
    assert event_bytes(aliased) == event_json_bytes(aliased, aliased.to_json())
