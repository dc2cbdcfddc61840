"""Canonical JSON: the fast encoder gives exactly the bytes of the `rfc8785` package (the
reference implementation of RFC 8785, tested by its authors against the RFC's vectors)."""

from __future__ import annotations

from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from manche.domain.events import parse_event
from manche.domain.events.examples import EXAMPLES, example_event
from manche.record.canonical import canonical_bytes, event_bytes

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
    for type_name in EXAMPLES:
        event = parse_event(example_event(type_name, position={"lon": 1.0, "lat": 51.0}))
        assert event_bytes(event) == rfc8785.dumps(event.to_json())
