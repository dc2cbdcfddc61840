"""The Intelligence page: craft search and history, quality per partner; the same readings as
``/api/v1/intel/...`` for the same user, so a UK-only boat never reaches a French user."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from manche.domain.events import parse_event
from manche.domain.events.examples import example_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from tests.api.conftest import World
from tests.web.conftest import sign_in

HTML = {"accept": "text/html"}
HULL = "GB-UKS12345D505"


def _record(web: World, data_dir: Path) -> None:
    keys = KeyStore(web.db, data_dir / "keys")
    engine = [{"make": "Yamaha", "power_hp": 40, "serial": "6AHL1012345"}]
    seizure = example_event(
        "seizure", releasability="uk-only", incident="INC-S", engines=engine, boat={"hin": HULL}
    )
    landing = example_event("landing", incident="INC-S", engines=engine)
    Log(web.db).append([parse_event(seizure), parse_event(landing)], keys.signer("UK-BF"))


def test_search_history_and_quality_match_the_api(web: World, data_dir: Path) -> None:
    _record(web, data_dir)
    sign_in(web.client, "uk-analyst")
    page = html.fromstring(web.client.get("/intelligence?q=uks 12345", headers=HTML).text)
    rows = page.xpath("//table[@id='crafts']/tbody/tr")
    assert len(rows) == 1 and HULL in rows[0].text_content()
    craft_id = rows[0].xpath(".//a")[0].text_content()
    api = web.client.get(f"/api/v1/intel/crafts/{craft_id}").json()
    history = html.fromstring(
        web.client.get(f"/intelligence/crafts/{craft_id}", headers=HTML).text
    ).xpath("//table[@id='seen']/tbody/tr")
    assert len(history) == len(api["seen"]) >= 1
    # quality: one row per side and period, as the API computes it
    quality_api = web.client.get("/api/v1/intel/quality").json()
    quality_rows = page.xpath("//table[@id='quality']/tbody/tr")
    assert len(quality_rows) == len(quality_api) >= 1
    assert [r.xpath("./th")[0].text_content() for r in quality_rows] == [
        r["side"] for r in quality_api
    ]

    web.client.cookies.clear()
    sign_in(web.client, "fr-analyst")
    page = html.fromstring(web.client.get(f"/intelligence?q={HULL}", headers=HTML).text)
    assert page.xpath("//table[@id='crafts']") == []
    assert HULL not in web.client.get("/intelligence", headers=HTML).text
    hidden = web.client.get(f"/intelligence/crafts/{craft_id}", headers=HTML)
    assert hidden.status_code == web.client.get(f"/api/v1/intel/crafts/{craft_id}").status_code
    web.client.cookies.clear()
    sign_in(web.client, "uk-admin")
    assert web.client.get("/intelligence", headers=HTML).status_code == 403


def _craft_ids(web: World, kind: str) -> list[str]:
    return [c["id"] for c in web.client.get(f"/api/v1/intel/crafts?kind={kind}").json()["crafts"]]


def test_incident_page_links_its_boat_and_engine_to_their_grouped_crafts(
    web: World, data_dir: Path
) -> None:
    _record(web, data_dir)
    sign_in(web.client, "uk-analyst")
    # the register holds one boat (the hull) and one engine (the same serial on both events)
    (boat,), (engine,) = _craft_ids(web, "boat"), _craft_ids(web, "engine")
    page = html.fromstring(web.client.get("/incidents/INC-S", headers=HTML).text)
    links = page.xpath("//ul[@id='crafts']//a/@href")
    assert sorted(links) == sorted(
        [f"/intelligence/crafts/{boat}", f"/intelligence/crafts/{engine}"]
    )
    twin = web.client.get("/api/v1/incidents/INC-S").json()["crafts"]
    assert {(c["kind"], c["identifier"], c["craft"]) for c in twin} == {
        ("boat", HULL, boat),
        ("engine", "6AHL1012345", engine),
    }
    assert web.client.get(links[0], headers=HTML).status_code == 200
    # the French analyst sees the landing (shared) but not the UK-only seizure's hull number;
    # the engine links to the craft the French side's register groups
    web.client.cookies.clear()
    sign_in(web.client, "fr-analyst")
    assert _craft_ids(web, "boat") == []
    (fr_engine,) = _craft_ids(web, "engine")
    text = web.client.get("/incidents/INC-S", headers=HTML).text
    assert HULL not in text and "6AHL1012345" in text
    fr_links = html.fromstring(text).xpath("//ul[@id='crafts']//a/@href")
    assert fr_links == [f"/intelligence/crafts/{fr_engine}"]
    fr_twin = web.client.get("/api/v1/incidents/INC-S").json()["crafts"]
    assert [(c["kind"], c["craft"]) for c in fr_twin] == [("engine", fr_engine)]
