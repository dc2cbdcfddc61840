"""The sea, enforcement and correction event catalogue: parsing, refusals naming the field,
frozen models, versions and upcasting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from manche.domain.craft import BoatDescription, EngineDescription
from manche.domain.events import catalogue, parse_event
from manche.domain.events.correction import Correction, apply_correction
from manche.domain.events.examples import EXAMPLES, example_event
from manche.domain.events.sea import CraftFields, Landing, Rescue, Sighting
from manche.errors import InputError

# The issue's list of event kinds this module must cover, by type name.
REQUIRED = {
    "launch", "prevention", "sighting", "escort", "distress", "rescue", "interception",
    "handover", "handover-acceptance", "landing", "return-to-france", "seizure", "arrest",
    "fatality", "correction",
}  # fmt: skip


def refused(data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        parse_event(data)
    return info.value


def test_catalogue_covers_the_issue_list() -> None:
    assert set(catalogue()) >= REQUIRED


@pytest.mark.parametrize("type_name", sorted(REQUIRED))
def test_every_example_parses_and_round_trips(type_name: str) -> None:
    event = parse_event(example_event(type_name))
    assert event.type == type_name
    assert type(event) is catalogue()[type_name]
    again = parse_event(event.to_json())
    assert again == event
    assert event.to_json()["version"] == type(event).version


def test_occurred_at_converted_to_utc() -> None:
    event = parse_event(example_event("launch"))
    # 05:12 at +02:00 is 03:12 UTC
    assert event.occurred_at == datetime(2026, 8, 14, 3, 12, tzinfo=UTC)
    assert event.to_json()["occurred_at"] == "2026-08-14T03:12:00Z"


def test_models_are_frozen() -> None:
    event = parse_event(example_event("rescue"))
    with pytest.raises(ValidationError):
        event.note = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("type_name", ["distress", "rescue"])
@pytest.mark.parametrize("releasability", ["uk-only", "fr-only"])
def test_distress_and_rescue_must_be_shared(type_name: str, releasability: str) -> None:
    error = refused(example_event(type_name, releasability=releasability))
    assert error.field == "releasability"
    assert "always shared" in error.message
    assert "MRCC Dover and CROSS Gris-Nez" in error.message


def test_other_events_may_be_restricted() -> None:
    assert parse_event(example_event("arrest", releasability="fr-only")).releasability == "fr-only"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred_at": "2026-08-14T03:12:00"}, "occurred_at"),  # naive timestamp
        ({"position": {"lon": 1.5, "lat": 95}}, "position.lat"),
        ({"position": {"lon": 181, "lat": 50}}, "position.lon"),
        ({"position": {"lon": "nan", "lat": 50}}, "position.lon"),
        ({"persons": {"total": -1}}, "persons.total"),
        ({"persons": {"total": 3, "adults": 2, "minors": 2}}, "persons"),
        ({"nationalities": {"Iran": 61}}, "nationalities"),  # more than persons.total (60)
        ({"taken_aboard": ""}, "taken_aboard"),
        ({"grading": "4AP"}, "grading"),
        ({"grading": "2BC"}, "grading"),  # C without conditions
        ({"unexpected": 1}, "unexpected"),
        ({"releasability": "secret"}, "releasability"),
    ],
)
def test_bad_fields_are_named(change: dict[str, Any], field: str) -> None:
    data = example_event("rescue", **change)
    error = refused(data)
    assert error.field is not None
    assert error.field.startswith(field), (error.field, error.message)


def test_missing_field_is_named() -> None:
    data = example_event("landing")
    del data["place"]
    error = refused(data)
    assert error.field == "place"
    assert "required" in error.message.lower()


def test_future_event_beyond_clock_skew_refused() -> None:
    error = refused(example_event("launch", occurred_at="2026-08-14T03:26:00Z"))
    assert "clock skew" in error.message
    assert error.field == "occurred_at"
    # within five minutes of recorded_at (03:20Z) is accepted
    assert parse_event(example_event("launch", occurred_at="2026-08-14T03:24:59Z"))


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"type": "boarding"}, "type", "unknown event type"),
        ({"agency": "UK-BF"}, "type", "missing event type"),
        ({"type": "sighting", "version": 9}, "version", "newer"),
        ({"type": "sighting", "version": "1"}, "version", "positive integer"),
    ],
)
def test_type_and_version_errors(data: dict[str, Any], field: str, words: str) -> None:
    error = refused(data)
    assert error.field == field
    assert words in error.message


def test_not_json_and_not_object() -> None:
    assert "not valid JSON" in refused("{oops").message  # type: ignore[arg-type]
    assert "JSON object" in refused("[1]").message  # type: ignore[arg-type]


def test_sighting_needs_position() -> None:
    data = example_event("sighting")
    del data["position"]
    error = refused(data)
    assert "needs a position" in error.message
    assert error.field == "position"


def test_sighting_v1_is_upcast_to_the_current_version() -> None:
    v1 = example_event("sighting", version=1, persons_estimate=40)
    del v1["persons"]
    event = parse_event(v1)
    assert isinstance(event, Sighting)
    assert Sighting.version == 3  # v2: persons; v3: grade_as_given
    assert event.persons is not None and event.persons.total == 40
    assert event.to_json()["version"] == 3
    assert "persons_estimate" not in event.to_json()
    assert event.grade_as_given is None
    # v2 does not know the old field
    v2 = dict(v1, version=2)
    assert refused(v2).field == "persons_estimate"


@pytest.mark.parametrize(
    ("type_name", "before"),
    [("launch", 1), ("prevention", 1), ("sighting", 2), ("interception", 1), ("landing", 1),
     ("seizure", 1)],
)  # fmt: skip
def test_records_from_before_grade_as_given_read_as_ungraded(type_name: str, before: int) -> None:
    """The version that added grade_as_given to the types about a boat or engine: a record
    of the version before reads back with every field it had, the new one None."""
    old = example_event(type_name, version=before)
    event = parse_event(old)
    assert isinstance(event, CraftFields)
    assert event.version == before + 1 and event.grade_as_given is None
    current = parse_event(dict(old, version=before + 1)).to_json()
    assert event.to_json() == {**current, "id": event.to_json()["id"]}
    graded = parse_event(dict(old, version=before + 1, grade_as_given="4XZ"))
    assert isinstance(graded, CraftFields) and graded.grade_as_given == "4XZ"


def test_craft_recorded_as_given() -> None:
    boat = BoatDescription.model_validate({"length_m": "7,5 m", "hin": "not-a-hin"})
    assert boat.length_m == "7,5 m"
    assert BoatDescription.model_validate({"length_m": 9.5}).length_m == 9.5
    engine = EngineDescription.model_validate({"power_hp": "40cv", "serial": "??"})
    assert engine.power_hp == "40cv"
    event = parse_event(example_event("seizure"))
    assert event.engines[0].serial == "6BGL-1012345"  # type: ignore[attr-defined]


def test_grading_parses_code_and_conditions() -> None:
    event = parse_event(
        example_event("sighting", grading={"source": "2", "intelligence": "B", "handling": "C",
                                           "conditions": "not for onward disclosure"})
    )  # fmt: skip
    assert event.grading is not None and event.grading.code == "2BC"
    assert parse_event(example_event("sighting", grading="1ap")).grading.code == "1AP"  # type: ignore[union-attr]
    p_with_conditions = {"source": "1", "intelligence": "A", "conditions": "x"}
    assert refused(example_event("sighting", grading=p_with_conditions)).field == "grading"


def test_handover_acceptance_points_at_handover() -> None:
    handover = parse_event(example_event("handover"))
    answer = parse_event(example_event("handover-acceptance", handover=str(handover.id)))
    assert answer.handover == handover.id  # type: ignore[attr-defined]
    declined = example_event("handover-acceptance", accepted=False)
    assert refused(declined).field == "reason"


def test_correction_amends_or_retracts() -> None:
    landing = parse_event(example_event("landing"))
    assert isinstance(landing, Landing)
    fix = parse_event(
        example_event("correction", target=str(landing.id), changes={"persons": {"total": 62}})
    )
    assert isinstance(fix, Correction)
    corrected = apply_correction(landing, fix)
    assert isinstance(corrected, Landing)
    assert corrected.persons.total == 62
    assert corrected.id == landing.id
    assert landing.persons.total == 60  # the original is untouched
    retraction = parse_event(
        example_event("correction", target=str(landing.id), changes={}, retract=True)
    )
    assert apply_correction(landing, retraction) is None  # type: ignore[arg-type]


def test_correction_cannot_produce_invalid_event() -> None:
    rescue = parse_event(example_event("rescue"))
    assert isinstance(rescue, Rescue)
    fix = parse_event(
        example_event("correction", target=str(rescue.id), changes={"releasability": "uk-only"})
    )
    with pytest.raises(InputError) as info:
        apply_correction(rescue, fix)  # type: ignore[arg-type]
    assert info.value.field == "changes.releasability"
    bad = example_event("correction", changes={"id": str(UUID(int=1))})
    assert "cannot change" in refused(bad).message
    assert "needs changes" in refused(example_event("correction", changes={})).message
    assert refused(example_event("fatality", dead=0, missing=0)).field == "dead"
    assert refused(example_event("seizure", boat=None, engines=[], items=[])).field == "items"


def test_examples_cover_exactly_the_required_types() -> None:
    assert set(EXAMPLES) >= REQUIRED
