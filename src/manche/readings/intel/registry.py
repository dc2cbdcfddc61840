"""The registry of boats and engines: observations grouped by linking, with why (pure).

``build_registry(events)`` reads the record as it currently stands (corrections applied),
takes every boat and engine observation, links them (:mod:`.linking`) with the analysts'
``link-confirmed`` / ``link-split`` decisions applied (the latest decision about a pair wins),
and returns one :class:`Craft` per group: every event it appears in, both sides'
observations, the departure points of the incidents it was used in, and the links with their
rule, score and confidence. An engine seen on several crossings is flagged: it is the
signature of a supply chain.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from manche.domain.events.base import Event
from manche.domain.events.intel import LinkConfirmed, LinkSplit
from manche.errors import InputError
from manche.readings.intel.current import current
from manche.readings.intel.linking import Link, link_observations
from manche.readings.intel.observations import Observation, observations

CROSSING_TYPES = frozenset(
    {"launch", "sighting", "interception", "rescue", "landing", "return-to-france", "distress"}
)


KINDS = ("boat", "engine")


def craft_kind(value: str | None, shown: str = "kind") -> str | None:
    """The kind of craft asked for (None, or "" from a form, for both), or an InputError on
    the field ``kind`` naming the value; ``shown``: how the caller names the input
    (``--kind`` on the command line)."""
    if value in (None, ""):
        return None
    if value not in KINDS:
        raise InputError(f"{shown} {value!r}: expected boat or engine", field="kind")
    return value


@dataclass(frozen=True, slots=True)
class LinkView:
    a: str
    b: str
    rule: str
    score: float
    confidence: float
    detail: str


@dataclass(slots=True)
class Craft:
    id: str
    kind: str
    make: str | None
    identifier: str | None  # the most frequent canonical reading
    identifiers: dict[str, int]
    observations: list[Observation]
    links: list[LinkView]
    incidents: list[str]
    crossings: int  # incidents with a crossing event
    departure_points: list[str]
    sides: list[str]
    flags: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Decision:
    """An analyst's standing decision about two observations (the latest about the pair)."""

    decision: str  # "link-confirmed" | "link-split"
    a: str  # observation keys
    b: str
    craft_a: str  # the boat or engine each belongs to now
    craft_b: str
    reason: str
    event: str
    agency: str
    author: str
    occurred_at: datetime


@dataclass(slots=True)
class Registry:
    crafts: list[Craft]
    by_observation: dict[str, str]
    ambiguous: dict[str, int]  # partial observation -> number of candidate groups
    possible: list[LinkView]  # one edit apart, both seen several times: for analysts
    suppressed: list[LinkView]  # automatic links an analyst's split removed
    problems: list[str]

    def craft(self, craft_id: str) -> Craft | None:
        return next((c for c in self.crafts if c.id == craft_id), None)


def _view(link: Link, obs: list[Observation]) -> LinkView:
    return LinkView(
        obs[link.a].key, obs[link.b].key, link.rule, link.score, link.confidence, link.detail
    )


def _departures(events: list[Event]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for e in events:
        if e.type in ("launch", "prevention") and e.incident:
            place = getattr(e, "place", None)
            if place:
                out[e.incident].append(place)
            elif e.position is not None:
                out[e.incident].append(f"{e.position.lat:.4f},{e.position.lon:.4f}")
    return out


def build_registry(events: Iterable[Event]) -> Registry:
    record = current(events)
    evs = record.events
    obs = observations(evs)
    index = {o.key: i for i, o in enumerate(obs)}
    problems = list(record.problems)
    decisions: dict[frozenset[int], LinkConfirmed | LinkSplit] = {}
    for e in evs:
        if isinstance(e, LinkConfirmed | LinkSplit):
            a, b = index.get(e.a.key), index.get(e.b.key)
            if a is None or b is None:
                missing = e.a.key if a is None else e.b.key
                problems.append(f"{e.type} {e.id}: no boat or engine observation {missing}")
                continue
            decisions[frozenset((a, b))] = e  # the latest about a pair wins
    confirmed = [tuple(sorted(p)) for p, d in decisions.items() if d.type == "link-confirmed"]
    split = [tuple(sorted(p)) for p, d in decisions.items() if d.type == "link-split"]
    linkage = link_observations(
        [o.block for o in obs],
        [o.identifier or "" for o in obs],
        [o.attribute for o in obs],
        makes=[o.make for o in obs],
        hin=[o.kind == "boat" for o in obs],
        confirmed=[(a, b) for a, b in confirmed],
        split=[(a, b) for a, b in split],
        attribute_tolerance=0.1,
    )
    links_by_group: dict[int, list[LinkView]] = defaultdict(list)
    for link in linkage.all_links():
        links_by_group[int(linkage.group[link.a])].append(_view(link, obs))
    departures = _departures(evs)
    crossing_incidents = {e.incident for e in evs if e.incident and e.type in CROSSING_TYPES}
    crafts: list[Craft] = []
    by_observation: dict[str, str] = {}
    for group, members in sorted(linkage.members().items()):
        group_obs = [obs[i] for i in members]
        first = group_obs[0]
        # named after its first observation (stable while that observation stays first)
        craft_id = first.key.replace("/", ".")
        readings = Counter(
            o.reading.canonical for o in group_obs if o.reading is not None and o.reading.canonical
        )
        makes = Counter(o.make for o in group_obs if o.make)
        incidents = sorted({o.incident for o in group_obs if o.incident})
        crossings = sum(1 for i in incidents if i in crossing_incidents)
        flags = sorted(
            {f"{f.code}: {f.message}" for o in group_obs for f in o.findings if f.code != "partial"}
        )
        if first.kind == "engine" and crossings > 1:
            flags.insert(0, f"engine used on {crossings} crossings (supply-chain signature)")
        craft = Craft(
            id=craft_id,
            kind=first.kind,
            make=makes.most_common(1)[0][0] if makes else None,
            identifier=readings.most_common(1)[0][0] if readings else None,
            identifiers=dict(readings),
            observations=group_obs,
            links=links_by_group.get(group, []),
            incidents=incidents,
            crossings=crossings,
            departure_points=sorted({p for i in incidents for p in departures.get(i, [])}),
            sides=sorted({o.side.value for o in group_obs if o.side is not None}),
            flags=flags,
        )
        crafts.append(craft)
        for o in group_obs:
            by_observation[o.key] = craft_id
    by_id = {c.id: c for c in crafts}
    for d in decisions.values():
        craft_a, craft_b = by_observation[d.a.key], by_observation[d.b.key]
        decision = Decision(
            d.type,
            d.a.key,
            d.b.key,
            craft_a,
            craft_b,
            d.reason,
            str(d.id),
            d.agency,
            d.author,
            d.occurred_at,
        )
        for craft_id in dict.fromkeys((craft_a, craft_b)):
            by_id[craft_id].decisions.append(decision)
    return Registry(
        crafts=crafts,
        by_observation=by_observation,
        ambiguous={obs[i].key: n for i, n in linkage.ambiguous.items()},
        possible=[_view(link, obs) for link in linkage.possible],
        suppressed=[_view(link, obs) for link in linkage.suppressed],
        problems=problems,
    )


def craft_summary(craft: Craft) -> dict[str, Any]:
    return {
        "id": craft.id,
        "kind": craft.kind,
        "make": craft.make,
        "identifier": craft.identifier,
        "observations": len(craft.observations),
        "sides": craft.sides,
        "incidents": craft.incidents,
        "crossings": craft.crossings,
        "departure_points": craft.departure_points,
        "flags": craft.flags,
    }


def craft_detail(craft: Craft) -> dict[str, Any]:
    return craft_summary(craft) | {
        "identifiers": craft.identifiers,
        "seen": [
            {
                "observation": o.key,
                "event": o.event_id,
                "type": o.event_type,
                "agency": o.agency,
                "side": o.side.value if o.side else None,
                "occurred_at": o.occurred_at.isoformat(),
                "incident": o.incident,
                "place": o.place,
                "identifier_as_read": o.identifier,
                "make_as_read": o.make_written,
                "model": o.model,
                # engine power (hp) or boat length (m), as recorded
                "power_hp": o.attribute if o.kind == "engine" else None,
                "length_m": o.attribute if o.kind == "boat" else None,
                "colour": o.colour,
                "findings": [f"{f.severity.value}: {f.message}" for f in o.findings],
            }
            # in the order things happened (the log's order is the order they were recorded)
            for o in sorted(craft.observations, key=lambda o: o.occurred_at)
        ],
        "links": [
            {
                "a": lk.a,
                "b": lk.b,
                "rule": lk.rule,
                "score": lk.score,
                "confidence": lk.confidence,
                "detail": lk.detail,
            }
            for lk in craft.links
        ],
        # analysts' standing decisions about its observations (a split one names the other
        # boat or engine's observation)
        "decisions": [
            {
                "decision": d.decision,
                "a": d.a,
                "b": d.b,
                "craft_a": d.craft_a,
                "craft_b": d.craft_b,
                "reason": d.reason,
                "event": d.event,
                "agency": d.agency,
                "author": d.author,
                "occurred_at": d.occurred_at.isoformat(),
            }
            for d in craft.decisions
        ],
    }
