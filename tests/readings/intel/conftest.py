"""Events for the intelligence readings' tests, built from the record's JSON examples."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manche.domain.events.base import Event
from manche.domain.events.examples import example_event
from manche.domain.events.parse import parse_event

MakeEvent = Callable[..., Event]


@pytest.fixture
def make_event() -> MakeEvent:
    def make(type_name: str, **overrides: Any) -> Event:
        return parse_event(example_event(type_name, **overrides))

    return make
