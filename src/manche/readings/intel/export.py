"""The exchange package for one partner: what it may receive, and a manifest (pure).

:func:`build_package` applies :func:`manche.domain.sharing.decide` to every event of the
record as it currently reads (corrections applied; corrections themselves are not sent, the
amended events are). Included events are sanitised: the ``author`` (a user's pseudonymous id)
is removed, the handling conditions travel with the event. The package's manifest says how
many events were withheld and for which reasons *without naming them*; the list of withheld
events (ids and reasons) is for the exporting side's own audit and is not part of the package.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from manche.domain.events.base import Event
from manche.domain.events.correction import Correction
from manche.domain.grading import Grading
from manche.domain.grading_5x5x5 import read_grade
from manche.domain.sharing import decide
from manche.domain.values import Side
from manche.readings.intel.current import current
from manche.readings.intel.observations import side_of

REMOVED_FIELDS = ("author",)

CSV_COLUMNS = (
    "id",
    "type",
    "agency",
    "side",
    "occurred_at",
    "recorded_at",
    "lat",
    "lon",
    "incident",
    "releasability",
    "grading",
    "handling_conditions",
    "persons_total",
    "boat_hin",
    "engine_serials",
    "place",
)


def grading_of(event: Event) -> tuple[Grading | None, tuple[str, ...], str | None]:
    """The event's 3x5x2 grading, the problems with a grade as given, and the scheme it came in."""
    if event.grading is not None:
        return event.grading, (), event.grading.scheme_as_given
    given = getattr(event, "grade_as_given", None)
    if given is None:
        return None, (), None
    reading = read_grade(given)
    return reading.grading, reading.problems, reading.scheme


@dataclass(slots=True)
class Package:
    partner: Side
    generated_at: datetime
    records: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[dict[str, Any]] = field(default_factory=list)
    corrections_applied: int = 0

    def manifest(self) -> dict[str, Any]:
        reasons = Counter(
            reason.split(":")[0] for item in self.withheld for reason in item["reasons"]
        )
        return {
            "partner": self.partner.value,
            "generated_at": self.generated_at.isoformat(),
            "records": len(self.records),
            "withheld": len(self.withheld),
            "withheld_by_reason": dict(sorted(reasons.items())),
            "corrections_applied": self.corrections_applied,
            "fields_removed": list(REMOVED_FIELDS),
            "rules": "releasability AND handling (docs/intelligence.md, sharing rules)",
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        rows = []
        for r in self.records:
            position = r.get("position") or {}
            boat = r.get("boat") or {}
            rows.append(
                {
                    "id": r["id"],
                    "type": r["type"],
                    "agency": r["agency"],
                    "side": r.get("side"),
                    "occurred_at": r["occurred_at"],
                    "recorded_at": r["recorded_at"],
                    "lat": position.get("lat"),
                    "lon": position.get("lon"),
                    "incident": r.get("incident"),
                    "releasability": r["releasability"],
                    "grading": r.get("grading_code"),
                    "handling_conditions": r.get("handling_conditions"),
                    "persons_total": (r.get("persons") or {}).get("total"),
                    "boat_hin": boat.get("hin"),
                    "engine_serials": ";".join(
                        e.get("serial") or "" for e in r.get("engines") or []
                    ),
                    "place": r.get("place"),
                }
            )
        return rows


def build_package(events: Iterable[Event], partner: Side, generated_at: datetime) -> Package:
    record = current(list(events))
    package = Package(partner, generated_at, corrections_applied=len(record.corrections))
    for event, retracted in [
        *((e, False) for e in record.events),
        *((e, True) for e in record.retracted.values()),
    ]:
        if isinstance(event, Correction):
            continue
        grading, problems, scheme = grading_of(event)
        decision = decide(
            partner,
            releasability=event.releasability,
            grading=grading,
            grade_problems=problems,
            exercise=event.exercise,
            retracted=retracted,
        )
        if not decision.include:
            package.withheld.append(
                {
                    "id": str(event.id),
                    "type": event.type,
                    "agency": event.agency,
                    "reasons": list(decision.reasons),
                }
            )
            continue
        data = event.to_json()
        for name in REMOVED_FIELDS:
            data.pop(name, None)
        side = side_of(event.agency)
        data["side"] = side.value if side else None
        data["grading_code"] = grading.code if grading else None
        data["grading_scheme_as_given"] = scheme
        data["handling_conditions"] = decision.conditions
        package.records.append(data)
    # a record that names a withheld one (a link decision, a handover acceptance) would reveal
    # it: withhold it too, until nothing changes
    while True:
        hidden = {item["id"] for item in package.withheld}
        leaking = [r for r in package.records if _references(r) & hidden]
        if not leaking:
            return package
        for r in leaking:
            package.records.remove(r)
            package.withheld.append(
                {
                    "id": r["id"],
                    "type": r["type"],
                    "agency": r["agency"],
                    "reasons": ["refers to a withheld record"],
                }
            )


def _references(record: dict[str, Any]) -> set[str]:
    refs = set()
    for name in ("a", "b"):
        value = record.get(name)
        if isinstance(value, dict) and "event" in value:
            refs.add(str(value["event"]))
    for name in ("handover", "target"):
        if isinstance(record.get(name), str):
            refs.add(record[name])
    return refs
