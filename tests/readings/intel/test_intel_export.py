"""The exchange package: only what the partner may receive; nothing withheld leaks."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from manche.domain.events.base import Event
from manche.domain.values import Side
from manche.readings.intel.export import build_package

MakeEvent = Callable[..., Event]
NOW = datetime(2026, 9, 1, tzinfo=UTC)


def scenario(make_event: MakeEvent) -> tuple[list[Event], dict[str, str]]:
    """Events, and for each one FR must not receive, a marker string found only in it."""
    ok = make_event(
        "seizure",
        note="OK-shared-permitted",
        grading={"source": "1", "intelligence": "A", "handling": "P"},
    )
    released = make_event(
        "seizure",
        note="OK-released",
        grading={
            "source": "2",
            "intelligence": "B",
            "handling": "C",
            "conditions": "releasable-to:FR; no onward sharing",
        },
    )
    mapped = make_event("purchase-reported", note="OK-5x5x5-h1", grade_as_given="B21")
    secret = {
        "uk-only": make_event(
            "seizure", releasability="uk-only", note="LEAK-uk-only", boat={"hin": "GB-LEA12345K626"}
        ),
        "originator": make_event(
            "seizure",
            note="LEAK-originator",
            grading={
                "source": "1",
                "intelligence": "A",
                "handling": "C",
                "conditions": "releasable-to:FR originator-only",
            },
        ),
        # handling forbids it AND its other fields are odd: still withheld
        "forbidden-and-broken": make_event(
            "purchase-reported",
            note="LEAK-b25",
            grade_as_given="B25",
            price_eur=0,
            engines=[{"make": "???", "serial": "#@!"}],
        ),
        "bad-grade": make_event("purchase-reported", note="LEAK-bad-grade", grade_as_given="9ZZ"),
        # a seizure's grade kept as given outside both schemes: handling unknown, withheld
        "seizure-bad-grade": make_event(
            "seizure", note="LEAK-seizure-bad-grade", grade_as_given="4XZ", items=["fuel"]
        ),
        "vague": make_event(
            "seizure",
            note="LEAK-vague",
            grading={"source": "1", "intelligence": "A", "handling": "C", "conditions": "careful"},
        ),
        "exercise": make_event("seizure", note="LEAK-exercise", exercise=True),
        "retracted": make_event("seizure", note="LEAK-retracted"),
    }
    retraction = make_event(
        "correction", target=str(secret["retracted"].id), retract=True, changes={}, reason="twice"
    )
    decision = make_event(
        "link-split",
        note="LEAK-decision",
        a={"event": str(secret["uk-only"].id), "item": "boat"},
        b={"event": str(ok.id), "item": "boat"},
        reason="LEAK-reason",
    )
    events = [ok, released, mapped, *secret.values(), retraction, decision]
    markers = {str(e.id): e.note for e in (*secret.values(), decision)}
    return events, markers


def test_fr_package_has_only_what_fr_may_receive(make_event: MakeEvent) -> None:
    events, markers = scenario(make_event)
    package = build_package(events, Side.FR, NOW)
    notes = sorted(r["note"] for r in package.records)
    assert notes == ["OK-5x5x5-h1", "OK-released", "OK-shared-permitted"]
    assert {w["id"] for w in package.withheld} == set(markers)
    released = next(r for r in package.records if r["note"] == "OK-released")
    assert released["handling_conditions"].startswith("releasable-to:FR")
    mapped = next(r for r in package.records if r["note"] == "OK-5x5x5-h1")
    assert mapped["grading_code"] == "1AP" and mapped["grading_scheme_as_given"] == "5x5x5"
    assert all("author" not in r for r in package.records)
    reasons = {w["id"]: " ".join(w["reasons"]) for w in package.withheld}
    by_note = {markers[i]: reasons[i] for i in reasons}
    assert "forbids" in by_note["LEAK-b25"] and "originator-only" in by_note["LEAK-b25"]
    assert "outside 1-3" in by_note["LEAK-bad-grade"]
    assert "outside 1-3" in by_note["LEAK-seizure-bad-grade"]  # '4XZ': source 4
    assert "refers to a withheld record" in by_note["LEAK-decision"]


def test_nothing_withheld_leaks_into_the_package(make_event: MakeEvent) -> None:
    events, markers = scenario(make_event)
    package = build_package(events, Side.FR, NOW)
    sent = json.dumps([package.records, package.manifest(), package.csv_rows()])
    for event_id, note in markers.items():
        assert event_id not in sent
        assert note not in sent
    assert "GB-LEA12345K626" not in sent and "LEAK-reason" not in sent
    manifest = package.manifest()
    assert manifest["withheld"] == len(markers) and manifest["records"] == 3


def test_uk_package_includes_uk_only(make_event: MakeEvent) -> None:
    events, _ = scenario(make_event)
    package = build_package(events, Side.UK, NOW)
    notes = {r["note"] for r in package.records}
    assert "LEAK-uk-only" in notes and "OK-released" not in notes  # released to FR only


def test_a_grade_given_in_5x5x5_is_exported_by_its_mapping_and_says_so(
    make_event: MakeEvent,
) -> None:
    # docs/intelligence.md: E31 -> 2BP (sharing permitted); A14 -> 1AC originator-only
    permitted = make_event("seizure", note="OK-E31", grading={"scheme": "5x5x5", "code": "E31"})
    own_only = make_event("seizure", note="LEAK-A14", grading={"scheme": "5x5x5", "code": "A14"})
    package = build_package([permitted, own_only], Side.FR, NOW)
    assert [r["id"] for r in package.records] == [str(permitted.id)]
    record = package.records[0]
    assert record["grading_code"] == "2BP" and record["grading_scheme_as_given"] == "5x5x5"
    assert record["grading"]["as_given"] == {"scheme": "5x5x5", "code": "E31"}
    assert [w["id"] for w in package.withheld] == [str(own_only.id)]
    assert "originator-only" in package.withheld[0]["reasons"][0]
