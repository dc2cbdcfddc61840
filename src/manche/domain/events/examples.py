"""One valid JSON example per event type of the sea, enforcement and correction modules.

Written by hand from the issue's description of each event; shown in docs/record.md and used
by tests (``example_event("rescue", persons={"total": 3})``). Other areas may add their own
examples with :func:`add_examples`.

Public API (stable): :data:`COMMON`, :data:`EXAMPLES`, :func:`example_event`, :func:`add_examples`.
"""

from __future__ import annotations

from typing import Any

COMMON: dict[str, Any] = {
    "agency": "UK-BF",
    "author": "op-0042",
    "occurred_at": "2026-08-14T05:12:00+02:00",
    "recorded_at": "2026-08-14T03:20:00Z",
    "incident": "INC-2026-0001",
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "launch": {"mode": "taxi-boat", "place": "Gravelines, Aa estuary", "persons": {"total": 61}},
    "prevention": {"setting": "inland", "place": "Dunkerque", "persons": {"total": 12}},
    "sighting": {
        "source": "drone",
        "position": {"lon": 1.62, "lat": 50.95},
        "persons": {"total": 55, "adults": 50, "minors": 5},
        "boat": {"make": "unknown", "length_m": "9 m approx", "colour": "grey"},
    },
    "escort": {"vessel": "FR-FLAMANT", "mode": "shadowing", "action": "start"},
    "distress": {
        "kinds": ["engine-failure", "people-in-water"],
        "persons": {"total": 60},
        "persons_in_water": 4,
        "reported_by": "CROSS Gris-Nez",
    },
    "rescue": {
        "taken_aboard": "UK-BF-TYPHOON",
        "position": {"lon": 1.45, "lat": 51.05},
        "persons": {"total": 60, "minors": 8},
        "nationalities": {"Afghanistan": 20, "Eritrea": 15, "Iran": 10},
    },
    "interception": {"by": "UK-BF-RANGER", "persons": {"total": 48}},
    "handover": {
        "subject": "coordination",
        "from_agency": "FR-CROSS-GN",
        "to_agency": "UK-HMCG",
        "position": {"lon": 1.48, "lat": 51.01},
    },
    "handover-acceptance": {"handover": "0b9a3c1e-2f43-4e5a-9d8c-1a2b3c4d5e6f", "accepted": True},
    "landing": {
        "kind": "controlled",
        "place": "Dover Western Docks",
        "persons": {"total": 60},
        "nationalities": {"Afghanistan": 20},
    },
    "return-to-france": {"how": "landed-by-french-asset", "place": "Boulogne-sur-Mer"},
    "seizure": {
        "boat": {"make": "Zodiac", "hin": "FR-ZOD12345D626"},
        "engines": [{"make": "Yamaha", "model": "F40", "power_hp": 40, "serial": "6BGL-1012345"}],
        "items": ["30 life jackets"],
    },
    "arrest": {"role": "pilot", "count": 1, "case_ref": "CASE-7731"},
    "fatality": {"dead": 2, "missing": 1},
    "correction": {
        "target": "0b9a3c1e-2f43-4e5a-9d8c-1a2b3c4d5e6f",
        "changes": {"note": "48 not 84"},
        "reason": "typo in count note",
    },
}


def example_event(type_name: str, **overrides: Any) -> dict[str, Any]:
    """A valid event JSON of ``type_name`` (common fields included) with ``overrides`` applied."""
    return {"type": type_name, **COMMON, **EXAMPLES[type_name], **overrides}


def add_examples(examples: dict[str, dict[str, Any]]) -> None:
    """Register example bodies (without the common fields) for more event types."""
    EXAMPLES.update(examples)
