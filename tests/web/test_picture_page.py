"""The live picture's list beside the map: the most urgent incidents only, the count of all."""

from __future__ import annotations

import pytest
from lxml import html

from manche.web import picture
from tests.api.conftest import World, sighting
from tests.web.conftest import sign_in


def test_the_list_shows_the_most_urgent_and_counts_them_all(
    web: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = web.client
    posted = client.post(
        "/api/v1/events",
        json=sighting(minutes_ago=5, incident="INC-NEWEST"),
        headers=web.auth("UK-operator"),
    )
    assert posted.status_code == 201
    sign_in(client, "uk-operator")
    api = client.get("/api/v1/picture").json()["incidents"]
    assert len(api) == 3  # shared, uk-only and the new one
    monkeypatch.setattr(picture, "LIST_LIMIT", 2)
    page = html.fromstring(client.get("/picture", headers={"accept": "text/html"}).text)
    listed = page.xpath("//ul[@id='incidents']/li/@data-ref")
    assert listed == [i["ref"] for i in api[:2]]  # the API's order: most urgent first
    assert page.xpath("string(//span[@id='count'])") == "3"
    hint = page.xpath("//p[@id='list-limited']")[0]
    assert hint.get("hidden") is None and "2" in hint.text_content()
    monkeypatch.setattr(picture, "LIST_LIMIT", 200)
    page = html.fromstring(client.get("/picture", headers={"accept": "text/html"}).text)
    assert len(page.xpath("//ul[@id='incidents']/li")) == 3
    assert page.xpath("//p[@id='list-limited']")[0].get("hidden") is not None
