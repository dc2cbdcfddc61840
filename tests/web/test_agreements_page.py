"""The Agreements page for caseworkers, on the ledgers' demo record (tests/data/ledgers): the
same figures as the API's JSON, and the same 403 for an analyst."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html

from manche.api.app import create_app
from manche.config import get_settings
from manche.domain.events import Event, parse_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import Database
from manche.users import UserStore
from manche.users.passwords import PasswordStore
from tests.web.conftest import PASSWORD, sign_in

DEMO = Path(__file__).resolve().parent.parent / "data" / "ledgers" / "demo.jsonl"
HTML = {"accept": "text/html"}


@pytest.fixture
def client(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    keys = KeyStore(database, tmp_path / "data" / "keys")  # where the app signs from
    by_agency: dict[str, list[Event]] = defaultdict(list)
    for line in DEMO.read_text().splitlines():
        event = parse_event(line)
        by_agency[event.agency].append(event)
    for agency, events in by_agency.items():
        keys.generate(agency)
        Log(database).append(events, keys.signer(agency))
    users, passwords = UserStore(database), PasswordStore(database)
    for user, agency, role in (("cw-uk-0007", "UK-HO", "caseworker"),
                               ("an-uk-0001", "UK-HO", "analyst")):  # fmt: skip
        users.add(user, agency, [role])
        passwords.set(user, PASSWORD)
    with TestClient(create_app(database)) as c:
        yield c
    get_settings.cache_clear()


def test_agreements_page_shows_the_api_figures(client: TestClient) -> None:
    sign_in(client, "cw-uk-0007")
    response = client.get("/agreements", headers=HTML)
    assert response.status_code == 200
    page = html.fromstring(response.text)
    balance = client.get("/api/v1/returns/balance").json()
    assert page.xpath("//*[@id='committed-returns']")[0].text_content() == str(
        balance["committed_returns"]
    )
    assert page.xpath("//*[@id='committed-admissions']")[0].text_content() == str(
        balance["committed_admissions"]
    )
    assert len(page.xpath("//table[@id='weeks']/tbody/tr")) == len(balance["weeks"])
    stock = page.xpath("//table[@id='stock']/tbody/tr")
    api_stock = client.get("/api/v1/equipment/stock").json()["stock"]
    assert len(stock) == len(api_stock)
    below = [r for r in stock if r.xpath(".//strong[contains(@class, 'tag--alert')]")]
    assert [r.xpath("./td")[0].text_content() for r in below] == [
        s["agency"] for s in api_stock if s["negative"]
    ]
    handovers = client.get("/api/v1/equipment/reconcile").json()["handovers"]
    assert len(page.xpath("//table[@id='reconcile']/tbody/tr")) == len(handovers)


def test_agreements_need_the_caseworker_role(client: TestClient) -> None:
    sign_in(client, "an-uk-0001")
    assert client.get("/agreements", headers=HTML).status_code == 403
    assert client.get("/api/v1/returns/balance").status_code == 403


def _rows(page: html.HtmlElement, table: str) -> dict[str, str]:
    rows = page.xpath(f"//table[@id='{table}']/tbody/tr")
    return {r.xpath("./th")[0].text_content(): r.xpath("./td")[0].text_content() for r in rows}


def test_a_refused_case_shows_its_deadlines_reason_rule_and_events(client: TestClient) -> None:
    """RET-2025-000103 in tests/data/ledgers/demo.jsonl: arrived 3 Sep 2025, request sent
    8 Sep, refused 15 Sep (transit zone only)."""
    sign_in(client, "cw-uk-0007")
    response = client.get("/agreements/cases/RET-2025-000103", headers=HTML)
    assert response.status_code == 200
    page = html.fromstring(response.text)
    dates = _rows(page, "deadlines")
    assert dates["Request due (14 days after arrival)"] == "17 September 2025"  # 3 Sep + 14
    assert dates["Answer due (14 days after the request)"] == "22 September 2025"  # 8 Sep + 14
    assert dates["Answer due, exceptional limit (28 days)"] == "6 October 2025"  # 8 Sep + 28
    assert dates["Transfer due (three months after arrival)"] == "3 December 2025"
    state = page.xpath("//*[@id='state']")[0].text_content()
    assert "Refused by France" in state and "Transit zone only" in state
    assert "return.exclusion.transit_zone" in state
    events = page.xpath("//table[@id='events']/tbody/tr")
    assert [e.xpath("./td")[1].text_content() for e in events] == [
        "Return case opened",
        "Readmission request sent",
        "France's answer to the request",
    ]
    # the JSON twin: the same case, its events, the rule behind the refusal
    twin = client.get("/api/v1/returns/cases/RET-2025-000103").json()
    assert twin["state"] == "refused" and len(twin["events"]) == 3
    assert twin["refusal_rule"]["rule"] == "return.exclusion.transit_zone"
    assert twin["refusal_rule"]["article"] in state


def test_every_overdue_case_links_to_its_page_with_the_same_rules(client: TestClient) -> None:
    sign_in(client, "cw-uk-0007")
    overdue = client.get("/api/v1/returns/overdue").json()
    page = html.fromstring(client.get("/agreements", headers=HTML).text)
    links = page.xpath("//table[@id='overdue']//a/@href")
    cases = sorted({o["case_number"] for o in overdue["overdue"]})
    assert cases and sorted(set(links)) == [f"/agreements/cases/{c}" for c in cases]
    for case in cases:
        detail = html.fromstring(client.get(f"/agreements/cases/{case}", headers=HTML).text)
        shown = detail.xpath("//ul[@id='overdue']/li//code/text()")
        assert sorted(shown) == sorted(
            o["rule"] for o in overdue["overdue"] if o["case_number"] == case
        )


def test_a_caseworker_records_the_next_step_from_the_case_page(
    client: TestClient, database: Database
) -> None:
    """RET-2025-000108 arrived on 25 Sep 2025: a request sent on 20 Oct is refused (day 25),
    one sent on 1 Oct is recorded."""
    sign_in(client, "cw-uk-0007")
    page = html.fromstring(client.get("/agreements/cases/RET-2025-000108", headers=HTML).text)
    (link,) = [
        a.get("href") for a in page.xpath("//ul[@id='next']//a") if "request-sent" in a.get("href")
    ]
    form_page = client.get(link, headers=HTML)
    form = html.fromstring(form_page.text)
    assert form.xpath("//input[@name='case_number']/@value") == ["RET-2025-000108"]
    data = {
        "csrf": form.xpath("//input[@name='csrf']/@value")[0],
        "key": form.xpath("//input[@name='key']/@value")[0],
        "type": "return-request-sent",
        "case_number": "RET-2025-000108",
        "releasability": "shared",
        "occurred_at": "2025-10-20T09:00",
    }
    before = Log(database).size()
    late = client.post("/record/new", data=data, headers=HTML, follow_redirects=False)
    assert late.status_code == 422
    summary = html.fromstring(late.text).xpath("//div[@class='error-summary']")[0].text_content()
    assert "return.request_within_14_days" in summary and "Art. 4(1)" in summary
    assert Log(database).size() == before
    in_time = client.post(
        "/record/new",
        data={**data, "occurred_at": "2025-10-01T09:00"},
        headers=HTML,
        follow_redirects=False,
    )
    assert in_time.status_code == 303
    assert in_time.headers["location"].startswith("/agreements/cases/RET-2025-000108?recorded=")
    assert client.get("/api/v1/returns/cases/RET-2025-000108").json()["state"] == "requested"


def test_case_pages_answer_as_the_api_does(client: TestClient) -> None:
    sign_in(client, "cw-uk-0007")
    assert client.get("/agreements/cases/RET-2099-999999", headers=HTML).status_code == 404
    assert client.get("/api/v1/returns/cases/RET-2099-999999").status_code == 404
    found = client.get("/agreements/case?case=ADM-2025-000201", follow_redirects=False)
    assert found.headers["location"] == "/agreements/cases/ADM-2025-000201"
    client.cookies.clear()
    sign_in(client, "an-uk-0001")
    assert client.get("/agreements/cases/ADM-2025-000201", headers=HTML).status_code == 403
    assert client.get("/api/v1/returns/cases/ADM-2025-000201").status_code == 403
