"""The form generated from the catalogue: an input for every field, each labelled and
translated, and the API's error fields mapped back to the inputs."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from manche.domain.events import catalogue
from manche.web import event_labels
from manche.web.event_form import FormError, event_body, form_field_for, form_fields
from manche.web.i18n import catalogue_path

REGISTRY = {"agencies": (("UK-BF", "UK-BF"),), "assets": (("UK-BF-VALIANT", "UK-BF-VALIANT"),)}
SERVER = {"type", "id", "agency", "author", "recorded_at", "exercise"}


def _french() -> dict[str, str]:
    with catalogue_path("fr").open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id and not m.fuzzy}


@pytest.mark.parametrize("type_name", sorted(catalogue()))
def test_every_field_has_a_labelled_translated_input(type_name: str) -> None:
    specs = form_fields(type_name, REGISTRY)
    tops = {"position" if s.name in ("lat", "lon") else s.name.split(".")[0] for s in specs}
    expected = set(catalogue()[type_name].model_fields) - SERVER
    if "lat" not in {s.name for s in specs}:  # casework, corrections, link decisions
        expected -= {"position", "incident", "assets", "grading"}
    assert tops == expected
    french = _french()
    for spec in specs:
        assert spec.label in event_labels.LABELS.values(), spec.name
        assert french.get(spec.label), f"no French for {spec.label!r}"
        assert spec.hint is None or french.get(spec.hint), f"no French for {spec.hint!r}"
        for code, name in spec.options if spec.translate_options else ():
            words = event_labels.VALUES.get(code, name)
            assert words != code and french.get(words), f"{spec.name}: no words for {code!r}"


def test_nested_inputs_and_lists_become_the_api_body() -> None:
    specs = form_fields("rescue", REGISTRY)
    body = event_body(
        "rescue",
        specs,
        {"persons.total": "60", "persons.minors": "8", "nationalities": "Eritrea: 15\nIran: 10",
         "taken_aboard": "UK-BF-VALIANT", "lat": "51,05", "lon": "1.45", "note": ""},
        {},
    )  # fmt: skip
    assert body == {
        "type": "rescue",
        "persons": {"total": 60, "minors": 8},
        "nationalities": {"Eritrea": 15, "Iran": 10},
        "taken_aboard": "UK-BF-VALIANT",
        "position": {"lon": 1.45, "lat": 51.05},
    }
    engines = event_body(
        "seizure",
        form_fields("seizure", REGISTRY),
        {"engines.1.serial": "6BGL-1012345", "engines.1.power_hp": "40 hp", "items": "a\n\nb"},
        {},
    )
    assert engines["engines"] == [{"serial": "6BGL-1012345", "power_hp": "40 hp"}]
    assert engines["items"] == ["a", "b"]


def test_what_the_form_cannot_read_names_its_input() -> None:
    specs = form_fields("landing", REGISTRY)
    with pytest.raises(FormError) as bad:
        event_body("landing", specs, {"persons.total": "sixty"}, {})
    assert bad.value.field == "persons.total"
    with pytest.raises(FormError) as half:
        event_body("landing", specs, {"lat": "51"}, {})
    assert half.value.field == "lat"


def test_api_fields_map_back_to_inputs() -> None:
    specs = form_fields("sighting", REGISTRY)
    assert form_field_for("position.lat", specs) == "lat"
    assert form_field_for("position", specs) == "lat"
    assert form_field_for("persons", specs) == "persons.total"
    assert form_field_for("engines.0.serial", specs) == "engines.0.serial"
    assert form_field_for(None, specs) == "type"
    correction = form_fields("correction", REGISTRY)
    assert form_field_for("changes.persons.total", correction) == "changes"
