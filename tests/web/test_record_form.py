"""The operators' event form: the API's rules through a form, errors linked to their field,
nothing stored on a refusal, one event for a double submit."""

from __future__ import annotations

from typing import Any

from lxml import html

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
        "persons": "40",
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


def test_only_operators_and_only_with_the_form_token(web: World) -> None:
    sign_in(web.client, "uk-analyst")
    assert web.client.get("/record/new", headers=HTML).status_code == 403
    web.client.cookies.clear()
    sign_in(web.client, "uk-operator")
    forged = web.client.post(
        "/record/new", data={"csrf": "forged", "type": "sighting"}, headers=HTML
    )
    assert forged.status_code == 403
