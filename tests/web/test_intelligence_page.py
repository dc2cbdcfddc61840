"""The Intelligence page: craft search and history, quality per partner; the same readings as
``/api/v1/intel/...`` for the same user, so a UK-only boat never reaches a French user."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from lxml import html

from manche.domain.events import parse_event
from manche.domain.events.examples import example_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.web import labels
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


def test_craft_page_says_which_observations_each_link_joins(web: World, data_dir: Path) -> None:
    _record(web, data_dir)  # one engine, read alike at a seizure and a landing (same incident)
    sign_in(web.client, "uk-analyst")
    (engine,) = _craft_ids(web, "engine")
    api = web.client.get(f"/api/v1/intel/crafts/{engine}").json()
    page = html.fromstring(web.client.get(f"/intelligence/crafts/{engine}", headers=HTML).text)
    rows = page.xpath("//table[@id='seen']/tbody/tr")
    numbers = {row.get("id"): row.xpath("./td")[0].text_content() for row in rows}
    assert numbers == {"seen-1": "1", "seen-2": "2"}
    named = [labels.EVENT_TYPES[o["type"]] for o in api["seen"]]  # English names of the types
    assert [row.xpath("./td")[2].text_content() for row in rows] == named
    assert all("40 hp" in row.xpath("./td")[6].text_content() for row in rows)  # as recorded
    (link,) = page.xpath("//table[@aria-labelledby='links-title']/tbody/tr")
    assert link.xpath("./td[1]/a/@href") == ["#seen-1", "#seen-2"]
    assert link.xpath("./td[2]")[0].text_content() == api["links"][0]["rule"]


def test_an_analyst_splits_a_link_from_the_craft_page(web: World, data_dir: Path) -> None:
    """The craft page's Split link opens the event form with the two observations filled in;
    the analyst gives a reason and records it; the register then holds two engines."""
    _record(web, data_dir)
    sign_in(web.client, "uk-analyst")
    (engine,) = _craft_ids(web, "engine")
    page = html.fromstring(web.client.get(f"/intelligence/crafts/{engine}", headers=HTML).text)
    (split,) = page.xpath("//a[starts-with(@href, '/record/new?type=link-split')]/@href")
    form_page = web.client.get(split, headers=HTML)
    assert form_page.status_code == 200
    (form,) = html.fromstring(form_page.text).xpath("//form[@id='event-form']")
    fields = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input[@name]")}
    fields["releasability"] = "shared"
    api = web.client.get(f"/api/v1/intel/crafts/{engine}").json()
    link = api["links"][0]
    assert f"{fields['a.event']}/{fields['a.item']}" == link["a"]
    assert f"{fields['b.event']}/{fields['b.item']}" == link["b"]
    fields["reason"] = "two engines: the plates differ"
    recorded = web.client.post("/record/new", data=fields, headers=HTML, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    assert len(_craft_ids(web, "engine")) == 2
    after = html.fromstring(web.client.get(f"/intelligence/crafts/{engine}", headers=HTML).text)
    (decision,) = after.xpath("//ul[@id='decisions']/li")
    assert "not the same" in decision.text_content()
    assert "two engines: the plates differ" in decision.text_content()
    # a user who may not record link decisions is not offered the links
    web.client.cookies.clear()
    sign_in(web.client, "uk-auditor")
    text = web.client.get(f"/intelligence/crafts/{engine}", headers=HTML).text
    assert "type=link-split" not in text


def test_links_waiting_for_an_analyst_are_listed_with_their_decisions(
    web: World, data_dir: Path
) -> None:
    # two neighbouring Mercury serials, each seen twice: not joined, offered for review
    engines = [[{"make": "Mercury", "serial": s}] for s in ("0P096282", "0P096283")] * 2
    events = [parse_event(example_event("seizure", engines=e)) for e in engines]
    Log(web.db).append(events, KeyStore(web.db, data_dir / "keys").signer("UK-BF"))
    sign_in(web.client, "uk-analyst")
    api = web.client.get("/api/v1/intel/crafts").json()["possible_links"]
    page = html.fromstring(web.client.get("/intelligence", headers=HTML).text)
    rows = page.xpath("//table[@id='review']/tbody/tr")
    assert len(rows) == len(api) == 1
    crafts = rows[0].xpath("./td[position() <= 2]/a/@href")
    assert crafts == [
        f"/intelligence/crafts/{k.replace('/', '.')}" for k in (api[0]["a"], api[0]["b"])
    ]
    (confirm,) = rows[0].xpath(".//a[starts-with(@href, '/record/new?type=link-confirmed')]/@href")
    assert f"a.event={api[0]['a'].split('/')[0]}" in confirm
    web.client.cookies.clear()
    sign_in(web.client, "uk-auditor")
    page = html.fromstring(web.client.get("/intelligence", headers=HTML).text)
    assert len(page.xpath("//table[@id='review']/tbody/tr")) == 1
    assert "type=link-confirmed" not in html.tostring(page).decode()


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


NATIONALITY_CSV = (
    Path(__file__).resolve().parents[2]
    / "src/manche/data/homeoffice/irregular_migration_small_boats_by_nationality_2018-2023.csv"
)


def _official_arrivals(year: int, quarter: int, nationality: str) -> int:
    """Summed straight from the Home Office CSV (every sex and age group), not by Manche."""
    with NATIONALITY_CSV.open(encoding="utf-8") as handle:
        return sum(
            int(row["Number of detections"])
            for row in csv.DictReader(handle)
            if (row["Year"], row["Quarter"], row["Nationality"]) == (str(year), str(quarter),
                                                                    nationality)
        )  # fmt: skip


def _record_enforcement(web: World, data_dir: Path) -> None:
    keys = KeyStore(web.db, data_dir / "keys")
    engines = [{"make": "Yamaha", "serial": "6AHL1012345"}, {"make": "Tohatsu", "serial": "3B24"}]
    events = [
        example_event(
            "seizure", incident="INC-W", place="Wimereux", engines=engines, items=["life jackets"]
        ),
        example_event("arrest", incident="INC-W", role="pilot", count=2),
        example_event("arrest", incident="INC-NOPLACE", role="facilitator", count=1),
        example_event("prevention", incident="INC-P1", place="Gravelines", persons={"total": 12}),
        example_event("prevention", incident="INC-P2", place="Dunkerque", persons={"total": 30}),
        example_event(
            "landing",
            incident="INC-2022",
            occurred_at="2022-08-10T04:00:00Z",
            recorded_at="2022-08-10T05:00:00Z",
            persons={"total": 30},
            nationalities={"Afghanistan": 20, "Eritrea": 5},
        ),
    ]
    Log(web.db).append([parse_event(e) for e in events], keys.signer("UK-BF"))


def _cells(page: Any, table: str) -> list[list[str]]:
    rows = page.xpath(f"//table[@id='{table}']/tbody/tr")
    return [[cell.text_content().strip() for cell in row.xpath("./th|./td")] for row in rows]


def _number(text: str) -> int:
    return int(text.replace(",", "").replace("\u202f", "").replace("\xa0", "").replace(" ", ""))


def test_enforcement_preventions_and_nationalities_match_the_api(
    web: World, data_dir: Path
) -> None:
    _record_enforcement(web, data_dir)
    sign_in(web.client, "uk-analyst")
    page = html.fromstring(web.client.get("/intelligence", headers=HTML).text)

    # seizures and arrests: what the events above say (2026-08-14 is in ISO week 33) ...
    enforcement = _cells(page, "enforcement")
    assert ["2026-W33", "Wimereux", "1", "1", "2", "1", "0", "2", "0"] in enforcement
    assert ["2026-W33", "(not recorded)", "0", "0", "0", "0", "1", "0", "0"] in enforcement
    # ... and exactly the API's rows
    api = web.client.get("/api/v1/intel/enforcement").json()
    assert [
        [r["period"], r["place"], *(str(r[k]) for k in ("seizures", "boats_seized",
         "engines_seized", "other_items")),
         *(str(r["arrests"].get(role, 0)) for role in ("facilitator", "pilot", "other"))]
        for r in api
    ] == enforcement  # fmt: skip

    # preventions: 2 events, 12 + 30 people in the week ending Sunday 16 August 2026
    # (the other weeks of the record, such as the 2022 landing's, show 0 recorded)
    preventions = _cells(page, "preventions")
    api_preventions = web.client.get("/api/v1/intel/preventions").json()
    assert len(preventions) == len(api_preventions) >= 2
    assert "2022-08-14" in [w["week_ending"] for w in api_preventions]
    (at,) = [i for i, w in enumerate(api_preventions) if w["week_ending"] == "2026-08-16"]
    assert all(w["recorded_events"] == 0 for i, w in enumerate(api_preventions) if i != at)
    week = api_preventions[at]
    assert (week["recorded_events"], week["recorded_persons"]) == (2, 42)
    assert week["official_events"] is not None and week["official_persons"] is not None
    assert preventions[at][0] == "16 August 2026"
    assert [_number(c) for c in preventions[at][1:]] == [
        2, 42, week["official_events"], week["official_persons"]
    ]  # fmt: skip

    # nationalities of the 2022 landing: 20 + 5 recorded, 5 of 30 people without one
    rows = _cells(page, "nationalities")
    assert rows == [["2022-Q3", "Afghanistan", "20"], ["2022-Q3", "Eritrea", "5"],
                    ["2022-Q3", "(not recorded)", "5"]]  # fmt: skip
    api_nat = web.client.get("/api/v1/intel/nationalities").json()
    assert {(p, n, str(c)) for p, counts in api_nat.items() for n, c in counts.items()} == {
        tuple(r) for r in rows
    }
    # compared with the Home Office final table, summed here from the CSV itself
    compared = {r[1]: r for r in _cells(page, "nationalities-compared")}
    afghans = _official_arrivals(2022, 3, "Afghanistan")
    assert afghans > 1000
    assert compared["Afghanistan"][2:] == ["20", f"{afghans:,}", f"{20 - afghans:,}"]
    api_compared = web.client.get("/api/v1/intel/nationalities/compare").json()
    assert len(api_compared) == len(compared)
    for r in api_compared:
        assert [_number(c) for c in compared[r["nationality"]][2:]] == [
            r["recorded"], r["official"], r["difference"]
        ]  # fmt: skip

    # in French: translated captions, numbers grouped the French way
    french = html.fromstring(
        web.client.get("/intelligence", headers={**HTML, "accept-language": "fr"}).text
    )
    captions = french.xpath("//table[@id='enforcement']/caption")[0].text_content()
    assert captions == "Saisies et interpellations par période et par lieu"
    afghan_fr = {r[1]: r for r in _cells(french, "nationalities-compared")}["Afghanistan"]
    assert afghan_fr[3] == f"{afghans:,}".replace(",", "\u202f")
    assert ["2022-Q3", "(non renseigné)", "5"] in _cells(french, "nationalities")
    assert _cells(french, "preventions")[at][0] == "16 août 2026"


def test_a_bad_period_on_the_page_names_the_parameter(web: World) -> None:
    sign_in(web.client, "uk-analyst")
    for name in ("eperiod", "nperiod"):
        page = web.client.get(f"/intelligence?{name}=fortnight", headers=HTML)
        api = web.client.get("/api/v1/intel/enforcement?period=fortnight")
        assert page.status_code == api.status_code == 422
        assert name in page.text
    page = web.client.get("/intelligence?kind=canoe", headers=HTML)
    assert page.status_code == web.client.get("/api/v1/intel/crafts?kind=canoe").status_code
    assert page.status_code == 422 and "canoe" in page.text


def test_a_long_register_lists_the_first_rows_and_counts_them_all(
    web: World, data_dir: Path, monkeypatch: Any
) -> None:
    """The page lists at most LISTED boats and engines (a year holds over a thousand) and says
    how many match; lowered to 1 here so that two grouped crafts exceed it."""
    from manche.web import intelligence

    _record(web, data_dir)
    monkeypatch.setattr(intelligence, "LISTED", 1)
    sign_in(web.client, "uk-analyst")
    total = len(web.client.get("/api/v1/intel/crafts").json()["crafts"])
    assert total == 2  # the boat and the engine of _record
    page = html.fromstring(web.client.get("/intelligence", headers=HTML).text)
    assert len(page.xpath("//table[@id='crafts']/tbody/tr")) == 1
    count = page.xpath("//*[@id='craft-count']")[0].text_content()
    assert "2 of 2" in count and "The first 1 are listed" in count
