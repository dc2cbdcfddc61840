"""The operators' event form: the API's rules through a form, errors linked to their field,
nothing stored on a refusal, one event for a double submit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from lxml import html

from manche.domain.access import CASEWORK_TYPES
from manche.domain.events import catalogue
from manche.domain.events.examples import EXAMPLES
from manche.record.log import Log
from tests.api.conftest import World
from tests.web.conftest import form_token, sign_in

HTML = {"accept": "text/html"}


def _post(web: World, **fields: Any) -> Any:
    page = web.client.get("/record/new", headers=HTML)
    assert page.status_code == 200
    data = {
        "csrf": form_token(page.text),
        "key": form_token(page.text, "key"),
        "type": "sighting",
        "occurred_at": "2026-11-23T09:45",
        "source": "drone",
        "lat": "50.95",
        "lon": "1.62",
        "persons.total": "40",
        "releasability": "shared",
        **fields,
    }
    return web.client.post("/record/new", data=data, headers=HTML, follow_redirects=False), data


def test_an_operator_records_a_sighting_and_a_distress(web: World) -> None:
    sign_in(web.client, "uk-operator")
    before = Log(web.db).size()
    response, data = _post(web, incident="INC-FORM-1")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/incidents/INC-FORM-1?recorded=")
    # a double submit of the same form (same key) records nothing more
    again = web.client.post("/record/new", data=data, headers=HTML, follow_redirects=False)
    assert again.status_code == 303 and Log(web.db).size() == before + 1
    events = web.client.get("/api/v1/events", params={"incident": "INC-FORM-1"}).json()["events"]
    assert [e["event"]["type"] for e in events] == ["sighting"]
    stored = events[0]["event"]
    assert stored["author"] == "uk-operator" and stored["agency"] == "UK-BF"
    assert stored["position"] == {"lon": 1.62, "lat": 50.95} and stored["persons"]["total"] == 40
    distress, _ = _post(web, type="distress", incident="INC-FORM-1", kinds="people-in-water")
    assert distress.status_code == 303
    summary = web.client.get("/api/v1/incidents/INC-FORM-1").json()["summary"]
    assert summary["sar_phase"] == "DETRESFA"


def test_refusals_name_the_field_and_store_nothing(web: World) -> None:
    sign_in(web.client, "fr-operator")
    before = Log(web.db).size()
    bad, _ = _post(web, lat="fifty")
    assert bad.status_code == 400 or bad.status_code == 422
    link = html.fromstring(bad.text).xpath("//div[@class='error-summary']//a/@href")
    assert link == ["#lat"]
    # a distress is always shared: the rule refuses a French-only one, linked to the field
    rule, _ = _post(web, type="distress", kinds="signalled", releasability="fr-only")
    assert rule.status_code == 422
    assert html.fromstring(rule.text).xpath("//div[@class='error-summary']//a/@href") == [
        "#releasability"
    ]
    assert Log(web.db).size() == before


def test_who_records_what_and_only_with_the_form_token(web: World) -> None:
    sign_in(web.client, "uk-auditor")
    assert web.client.get("/record/new", headers=HTML).status_code == 403
    web.client.cookies.clear()
    # an analyst records the intelligence registry's link decisions, and nothing else
    sign_in(web.client, "uk-analyst")
    page = html.fromstring(web.client.get("/record/new", headers=HTML).text)
    assert page.xpath("//select[@id='type']/option/@value") == ["link-confirmed", "link-split"]
    web.client.cookies.clear()
    sign_in(web.client, "uk-operator")
    forged = web.client.post(
        "/record/new", data={"csrf": "forged", "type": "sighting"}, headers=HTML
    )
    assert forged.status_code == 403


# ------------------------------------------------------------------ every type of the catalogue

DATETIME_FIELDS = ("arrived_at", "removal_on")


def _utc_minute(text: str) -> str:
    """An ISO timestamp as the form's datetime-local input holds it (UTC, to the minute)."""
    return (
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        .astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M")
    )


def form_of(example: dict[str, Any]) -> list[tuple[str, str]]:
    """The form inputs an officer fills in to record ``example`` (an API body)."""
    out: list[tuple[str, str]] = []
    for key, value in example.items():
        if key == "position":
            out += [("lat", str(value["lat"])), ("lon", str(value["lon"]))]
        elif key == "nationalities":
            out.append((key, "\n".join(f"{n}: {c}" for n, c in value.items())))
        elif key == "changes":
            out.append((key, json.dumps(value)))
        elif key == "engines":
            for slot, engine in enumerate(value):
                out += [(f"engines.{slot}.{k}", str(v)) for k, v in engine.items()]
        elif isinstance(value, dict):
            out += [(f"{key}.{k}", str(v)) for k, v in value.items()]
        elif key == "kinds":
            out += [(key, v) for v in value]
        elif isinstance(value, list):
            out.append((key, "\n".join(value)))
        elif isinstance(value, bool):
            out.append((key, "yes" if value else "no"))
        elif key in DATETIME_FIELDS:
            out.append((key, _utc_minute(value)))
        else:
            out.append((key, str(value)))
    return out


def _same(given: Any, stored: Any) -> bool:
    if isinstance(given, str) and isinstance(stored, str) and given[:4].isdigit() and "T" in given:
        return _utc_minute(given) == _utc_minute(stored)
    if isinstance(given, dict):
        return isinstance(stored, dict) and all(_same(v, stored.get(k)) for k, v in given.items())
    if isinstance(given, list):
        return (
            isinstance(stored, list)
            and len(given) == len(stored)
            and all(_same(a, b) for a, b in zip(given, stored, strict=True))
        )
    return bool(given == stored)


def _submit(web: World, type_name: str, fields: list[tuple[str, str]], when: str) -> Any:
    page = web.client.get("/record/new", params={"type": type_name}, headers=HTML)
    assert page.status_code == 200, page.text
    data = [
        ("csrf", form_token(page.text)),
        ("key", form_token(page.text, "key")),
        ("type", type_name),
        ("occurred_at", when),
        ("releasability", "shared"),
        *fields,
    ]
    return web.client.post(
        "/record/new",
        content=urlencode(data),
        headers={**HTML, "content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def _stored(web: World, event_id: str) -> dict[str, Any]:
    found = web.client.get(f"/api/v1/events/{event_id}")
    assert found.status_code == 200, found.text
    return dict(found.json()["event"])


def _recorded_id(response: Any) -> str:
    assert response.status_code == 303, response.text
    return str(parse_qs(urlsplit(response.headers["location"]).query)["recorded"][0])


catalogue()  # loads every module, so every module's examples are registered
FORM_EXAMPLES = {  # the catalogue's examples, and one written here for the type without one
    "asset-position": {
        "asset": "UK-BF-VALIANT",
        "source": "manual",
        "position": {"lon": 1.35, "lat": 51.1},
    },
    **EXAMPLES,
}
OPERATIONAL = sorted(set(FORM_EXAMPLES) - CASEWORK_TYPES)
SEQUENCES = {  # casework: each case's events in the order a caseworker records them (UTC)
    "RET-2026-000101": [
        ("return-case-opened", "2026-08-14T06:00"),
        ("return-request-sent", "2026-08-15T09:00"),
        ("return-request-answered", "2026-08-20T09:00"),
        ("return-removal-scheduled", "2026-08-21T09:00"),
        ("return-removed", "2026-08-28T09:00"),
    ],
    "RET-2026-000102": [
        ("return-case-opened", "2026-08-14T06:00"),
        ("return-case-excluded", "2026-08-16T10:00"),
    ],
    "ADM-2026-000042": [
        ("admission-application-received", "2026-08-14T06:00"),
        ("admission-checks-completed", "2026-08-15T09:00"),
        ("admission-visa-issued", "2026-08-16T09:00"),
        ("admission-arrived", "2026-08-20T09:00"),
    ],
    "ADM-2026-000043": [
        ("admission-application-received", "2026-08-14T06:00"),
        ("admission-withdrawn", "2026-08-15T09:00"),
    ],
    "equipment": [
        ("equipment-recovered", "2026-08-19T09:00"),
        ("equipment-stock-count", "2026-08-19T10:00"),
        ("equipment-issued", "2026-08-19T11:00"),
        ("equipment-handed-over", "2026-08-20T09:00"),
        ("equipment-received", "2026-08-20T10:00"),
        ("equipment-statement-endorsed", "2026-09-01T09:00"),
    ],
}

EQUIPMENT_CHANGES: dict[str, dict[str, Any]] = {  # one holder's stock that never goes below zero
    "equipment-recovered": {"quantity": 38},
    "equipment-stock-count": {"quantity": 38, "location": "dover"},
    "equipment-issued": {"quantity": 10, "location": "dover", "vessel": "UK-BF-VALIANT"},
    "equipment-handed-over": {"quantity": 20},
    "equipment-received": {"quantity": 20, "from_agency": "UK-BF"},
}


def test_every_type_is_on_the_form() -> None:
    """The form offers the whole catalogue between operators and caseworkers."""
    offered = {t for seq in SEQUENCES.values() for t, _ in seq} | set(OPERATIONAL)
    assert offered == set(catalogue())


@pytest.mark.parametrize("type_name", OPERATIONAL)
def test_an_operator_records_each_type_through_the_form(web: World, type_name: str) -> None:
    sign_in(web.client, "uk-operator")
    example = dict(FORM_EXAMPLES[type_name])
    if type_name not in ("correction", "link-confirmed", "link-split"):
        example["incident"] = f"INC-FORM-{type_name.upper()}"
    response = _submit(web, type_name, form_of(example), "2026-08-14T03:12")
    stored = _stored(web, _recorded_id(response))
    assert stored["type"] == type_name and stored["author"] == "uk-operator"
    assert _utc_minute(stored["occurred_at"]) == "2026-08-14T03:12"
    for key, value in example.items():
        assert _same(value, stored.get(key)), (key, value, stored.get(key))


@pytest.mark.parametrize("case", sorted(SEQUENCES))
def test_a_caseworker_records_each_casework_type(web: World, case: str) -> None:
    sign_in(web.client, "uk-caseworker")
    for type_name, when in SEQUENCES[case]:
        example = dict(EXAMPLES[type_name])
        if "case_number" in example:
            example["case_number"] = case
        example.update(EQUIPMENT_CHANGES.get(type_name, {}))
        response = _submit(web, type_name, form_of(example), when)
        stored = _stored(web, _recorded_id(response))
        assert stored["type"] == type_name and stored["agency"] == "UK-BF"
        for key, value in example.items():
            assert _same(value, stored.get(key)), (type_name, key, value, stored.get(key))
        if case != "equipment":
            assert response.headers["location"].startswith(f"/agreements/cases/{case}?")


@pytest.mark.parametrize(
    ("type_name", "field", "value", "anchor"),
    [
        ("rescue", "persons.total", "sixty", "persons-total"),
        ("rescue", "persons.minors", "90", "persons-total"),  # minors > total: the model's rule
        ("fatality", "dead", "-1", "dead"),
        ("landing", "nationalities", "Afghanistan twenty", "nationalities"),
        ("escort", "vessel", "", "vessel"),
        ("return-request-sent", "case_number", "Ahmed Karimi", "case_number"),
    ],
)
def test_a_bad_value_is_shown_on_its_field_and_nothing_is_stored(
    web: World, type_name: str, field: str, value: str, anchor: str
) -> None:
    sign_in(web.client, "uk-operator")
    example = dict(EXAMPLES[type_name])
    if "case_number" in example:
        example["case_number"] = "RET-2026-000101"
    fields = [(k, v) for k, v in form_of(example) if k != field] + [(field, value)]
    before = Log(web.db).size()
    response = _submit(web, type_name, fields, "2026-08-14T03:12")
    assert response.status_code in (400, 422), response.text
    page = html.fromstring(response.text)
    assert page.xpath("//div[@class='error-summary']//a/@href") == [f"#{anchor}"]
    assert page.xpath(f"//*[@id='{anchor}-error']"), "the field itself shows the error"
    # what was typed is still there
    typed = page.xpath(f"//*[@name='{field}']")[0]
    assert (typed.text if typed.tag == "textarea" else typed.get("value") or "") == value or (
        typed.tag == "select"
    )
    assert Log(web.db).size() == before


def test_a_return_request_after_day_14_is_refused_with_the_rule(web: World) -> None:
    sign_in(web.client, "uk-caseworker")
    opened = form_of({**EXAMPLES["return-case-opened"], "case_number": "RET-2026-000201"})
    _recorded_id(_submit(web, "return-case-opened", opened, "2026-08-14T06:00"))
    before = Log(web.db).size()
    late = _submit(
        web, "return-request-sent", [("case_number", "RET-2026-000201")], "2026-09-02T09:00"
    )
    assert late.status_code == 422
    summary = html.fromstring(late.text).xpath("//div[@class='error-summary']")[0]
    assert "14" in summary.text_content()
    assert Log(web.db).size() == before


def test_a_caseworker_sees_only_casework_types(web: World) -> None:
    sign_in(web.client, "uk-caseworker")
    page = html.fromstring(web.client.get("/record/new", headers=HTML).text)
    offered = set(page.xpath("//select[@id='type']/option/@value"))
    assert offered == set(CASEWORK_TYPES)


def test_correct_this_entry_fills_in_the_target_and_records_a_correction(web: World) -> None:
    sign_in(web.client, "uk-operator")
    target = web.events["shared"]["id"]
    record = web.client.get("/record", headers=HTML)
    assert f"/record/new?type=correction&amp;target={target}" in record.text
    page = web.client.get(
        "/record/new", params={"type": "correction", "target": target}, headers=HTML
    )
    tree = html.fromstring(page.text)
    assert tree.xpath("//input[@name='target']/@value") == [target]
    assert "drone" in tree.xpath("//table[@id='target']")[0].text_content()
    response = _submit(
        web,
        "correction",
        [("target", target), ("changes", '{"persons": {"total": 41}}'), ("reason", "recount")],
        "2026-11-23T09:00",
    )
    stored = _stored(web, _recorded_id(response))
    assert stored["target"] == target and stored["changes"] == {"persons": {"total": 41}}


def test_a_seizure_is_graded_on_the_form_or_left_ungraded(web: World) -> None:
    """The 3x5x2 grade's parts are offered on the form; left empty, the record is ungraded;
    handling C without its conditions is refused naming the grade (nothing stored)."""
    sign_in(web.client, "uk-operator")
    place = [("place", "Dover"), ("items", "2 fuel cans")]
    graded = _submit(
        web,
        "seizure",
        [*place, ("grading.source", "2"), ("grading.intelligence", "B"),
         ("grading.handling", "C"), ("grading.conditions", "originator-only")],
        "2026-08-14T03:12",
    )  # fmt: skip
    stored = _stored(web, _recorded_id(graded))
    assert stored["grading"] == {
        "source": "2", "intelligence": "B", "handling": "C", "conditions": "originator-only"
    }  # fmt: skip
    plain = _stored(web, _recorded_id(_submit(web, "seizure", place, "2026-08-14T03:13")))
    assert plain["grading"] is None
    before = Log(web.db).size()
    refused = _submit(
        web,
        "seizure",
        [*place, ("grading.source", "1"), ("grading.intelligence", "A"),
         ("grading.handling", "C")],
        "2026-08-14T03:14",
    )  # fmt: skip
    assert refused.status_code == 422
    page = html.fromstring(refused.text)
    assert page.xpath("//div[contains(@class,'error-summary')]//a/@href")[0].startswith("#grading")
    assert "conditions" in page.xpath("string(//div[contains(@class,'error-summary')])")
    assert Log(web.db).size() == before
