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
    keys = KeyStore(database, tmp_path / "keys")
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
