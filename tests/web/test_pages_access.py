"""The pages enforce the API's rules with the same principal: what the API answers 403 or 404
for a user, the page answers 403 or 404 too (tested side by side, for every side and role)."""

from __future__ import annotations

import pytest
from lxml import html

from tests.api.conftest import World
from tests.web.conftest import sign_in

HTML = {"accept": "text/html"}
PAIRS = [
    ("/picture", "/api/v1/picture"),
    ("/incidents/INC-shared", "/api/v1/incidents/INC-shared"),
    ("/incidents/INC-uk-only", "/api/v1/incidents/INC-uk-only"),
    ("/incidents/INC-fr-only", "/api/v1/incidents/INC-fr-only"),
    ("/incidents/INC-nothing", "/api/v1/incidents/INC-nothing"),
]


@pytest.mark.parametrize("side", ["uk", "fr"])
def test_pages_answer_as_the_api_does(web: World, side: str) -> None:
    for role in ("operator", "analyst", "caseworker", "auditor", "admin"):
        web.client.cookies.clear()
        assert sign_in(web.client, f"{side}-{role}").status_code == 303
        for page_url, api_url in PAIRS:
            page = web.client.get(page_url, headers=HTML)
            api = web.client.get(api_url)
            assert page.status_code == api.status_code, (side, role, page_url)
            assert page.headers["content-type"].startswith("text/html")
    # spot checks of the expected answers themselves (docs/access.md)
    web.client.cookies.clear()
    sign_in(web.client, f"{side}-analyst")
    other = "fr" if side == "uk" else "uk"
    assert web.client.get(f"/incidents/INC-{side}-only", headers=HTML).status_code == 200
    hidden = web.client.get(f"/incidents/INC-{other}-only", headers=HTML)
    assert hidden.status_code == 404
    assert html.fromstring(hidden.text).xpath("//h1")[0].text_content() == "Page not found"
    web.client.cookies.clear()
    sign_in(web.client, f"{side}-admin")
    assert web.client.get("/picture", headers=HTML).status_code == 403


def test_signed_out_pages_go_to_the_login_and_back(web: World) -> None:
    response = web.client.get("/incidents/INC-shared", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fincidents%2FINC-shared"
    assert web.client.get("/api/v1/incidents/INC-shared").status_code == 401
    signed = sign_in(web.client, "uk-analyst", next_="/incidents/INC-shared")
    assert signed.headers["location"] == "/incidents/INC-shared"


def test_incident_page_shows_who_recorded_each_event(web: World) -> None:
    sign_in(web.client, "fr-analyst")
    page = html.fromstring(web.client.get("/incidents/INC-fr-only", headers=HTML).text)
    items = page.xpath("//ol[@id='timeline']/li")
    assert len(items) == 1 and items[0].get("data-type") == "sighting"
    assert "fr-operator (FR-CROSS-GN)" in items[0].text_content()
    assert "PROXY" in page.xpath("//dl")[0].text_content()


def test_geo_layers_are_public_and_label_the_proxy(web: World) -> None:
    layers = web.client.get("/api/v1/geo/layers").json()
    kinds = {(f["properties"]["layer"], f["properties"].get("code")) for f in layers["features"]}
    for code in ("UK-LAND", "FR-LAND", "UK-TS", "FR-TS"):
        assert ("sovereignty", code) in kinds
    for code in ("SW-LANE", "NE-LANE", "SEPARATION"):
        assert ("shipping", code) in kinds
    median = [f for f in layers["features"] if f["properties"]["layer"] == "median_line"]
    assert median[0]["properties"]["sar_region_boundary"] == "proxy"
    assert any(f["properties"]["layer"] == "treaty_line" for f in layers["features"])


def test_assets_for_the_map_by_side(web: World) -> None:
    from datetime import UTC, datetime, timedelta

    position = {
        "type": "asset-position",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "asset": "UK-BF-TYPHOON",
        "source": "ais",
        "position": {"lon": 1.4, "lat": 51.0},
        "releasability": "uk-only",
    }
    posted = web.client.post("/api/v1/events", json=position, headers=web.auth("UK-operator"))
    assert posted.status_code == 201, posted.text
    uk = web.client.get("/api/v1/picture/assets", headers=web.auth("UK-analyst")).json()
    fr = web.client.get("/api/v1/picture/assets", headers=web.auth("FR-analyst")).json()
    typhoon_uk = next(a for a in uk["assets"] if a["asset"] == "UK-BF-TYPHOON")
    typhoon_fr = next(a for a in fr["assets"] if a["asset"] == "UK-BF-TYPHOON")
    assert (typhoon_uk["lon"], typhoon_uk["lat"], typhoon_uk["basis"]) == (1.4, 51.0, "ais")
    assert typhoon_fr["basis"] == "home base"  # the UK-only report never reaches France
    assert web.client.get("/api/v1/picture/assets", headers=web.auth("UK-admin")).status_code == 403
