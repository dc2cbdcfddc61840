"""``/api/v1/returns/...`` and ``/api/v1/equipment/...`` over the real signed log (SQLite and
PostgreSQL), with the demo scenario (tests/data/ledgers/demo.jsonl). Expected figures are the
hand-worked ones of tests/cli/test_ledgers_cli.py."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

from manche.api.app import create_app
from manche.domain.events import Event, parse_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import Database
from manche.users import UserStore

DEMO = Path(__file__).resolve().parent.parent / "data" / "ledgers" / "demo.jsonl"


@pytest.fixture
def client(database: Database, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    keys = KeyStore(database, tmp_path / "keys")
    by_agency: dict[str, list[Event]] = defaultdict(list)
    for line in DEMO.read_text().splitlines():
        event = parse_event(line)
        by_agency[event.agency].append(event)
    for agency, events in by_agency.items():
        keys.generate(agency)
        Log(database).append(events, keys.signer(agency))
    users = UserStore(database)
    tokens = {}
    for user, agency, roles in (
        ("cw-uk-0007", "UK-HO", ["caseworker"]),
        ("cw-fr-0003", "FR-PAF", ["caseworker"]),
        ("an-uk-0001", "UK-HO", ["analyst"]),
    ):
        users.add(user, agency, roles)
        tokens[user] = users.issue_token(user).token
    with TestClient(create_app(database)) as c:
        yield c, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_balance_and_cases(client: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = client
    uk = auth(tokens["cw-uk-0007"])
    data = c.get("/api/v1/returns/balance", headers=uk).json()
    assert (data["committed_returns"], data["committed_admissions"]) == (2, 4)
    w39 = next(w for w in data["weeks"] if w["week"] == "2025-W39")
    assert (w39["cumulative_returns"], w39["cumulative_admissions"], w39["balance"]) == (2, 3, -1)
    case = c.get("/api/v1/returns/cases/RET-2025-000105", headers=uk).json()
    assert case["state"] == "refused" and case["refusal_reason"] == "deadline_expired"
    assert [f["rule"] for f in case["flags"]] == ["return.request_within_14_days"]
    fr = c.get("/api/v1/returns/cases/RET-2025-000106", headers=auth(tokens["cw-fr-0003"])).json()
    assert fr["state"] == "accepted"  # the UK-only exclusion is not releasable to France


def test_errors_have_the_one_shape(client: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = client
    assert c.get("/api/v1/returns/balance").status_code == 401
    denied = c.get("/api/v1/returns/balance", headers=auth(tokens["an-uk-0001"]))
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    missing = c.get("/api/v1/returns/cases/RET-2099-000001", headers=auth(tokens["cw-uk-0007"]))
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "case_number"
    bad = c.get("/api/v1/returns/balance?week=38", headers=auth(tokens["cw-uk-0007"]))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "week"


def test_check_refuses_with_rule_and_article(client: tuple[TestClient, dict[str, str]]) -> None:
    """A request on 10 October for RET-108 (arrived 25 September) is day 15: 422, rule named."""
    c, tokens = client
    body = {"type": "return-request-sent", "occurred_at": "2025-10-10T09:00:00Z",
            "case_number": "RET-2025-000108"}  # fmt: skip
    response = c.post("/api/v1/returns/check", json=body, headers=auth(tokens["cw-uk-0007"]))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "rule_violation"
    assert "return.request_within_14_days" in error["message"] and "day 15" in error["message"]
    ok = c.post("/api/v1/returns/check", json={**body, "occurred_at": "2025-10-09T09:00:00Z"},
                headers=auth(tokens["cw-uk-0007"]))  # fmt: skip
    assert ok.status_code == 200 and ok.json()["flags"] == []


def test_report_ods(client: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = client
    response = c.get("/api/v1/returns/report.ods", headers=auth(tokens["cw-uk-0007"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.oasis.opendocument.spreadsheet"
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["Cover_sheet", "Notes", "RB_01"]


def test_equipment(client: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = client
    uk = auth(tokens["cw-uk-0007"])
    stock = c.get("/api/v1/equipment/stock", headers=uk).json()["stock"]
    assert {(s["agency"], s["equipment"], s["quantity"]) for s in stock} == {
        ("FR-MN", "life_jacket", 188),
        ("UK-BF", "life_jacket", -20),
        ("UK-BF", "thermal_blanket", 0),
    }
    st = c.get("/api/v1/equipment/statement?between=UK-BF&and=FR-MN&from=2025-09-01&to=2025-09-30",
               headers=uk).json()  # fmt: skip
    assert st["statement"]["open_differences"] == [
        "ho-2025-09-10-dover", "ho-2025-09-24-dover", "ho-2025-09-26-dover",
    ]  # fmt: skip
    assert st["endorsed_by"] == {}
    too_many = {"type": "equipment-handed-over", "agency": "UK-BF",
                "occurred_at": "2025-10-01T10:00:00Z", "equipment": "thermal_blanket",
                "quantity": 5, "location": "dover",
                "handover_ref": "ho-x", "to_agency": "FR-MN", "to_location": "calais"}  # fmt: skip
    refused = c.post("/api/v1/equipment/check", json=too_many, headers=uk)
    assert refused.status_code == 422
    assert "equipment.stock_negative" in refused.json()["error"]["message"]


def test_rules_are_public_and_cite_articles(client: tuple[TestClient, dict[str, str]]) -> None:
    c, _ = client
    rules = {r["id"]: r for r in c.get("/api/v1/returns/rules").json()["rules"]}
    assert rules["admission.visa_valid_3_months"]["article"] == "Art. 12(4)"
    assert rules["balance.weekly_committee"]["article"] == "Art. 17(1)(d)"


def test_recorded_through_the_events_api_end_to_end(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path: an admin adds the returns events to UK-HO's mandate (the bundled registry
    does not list them), a UK-HO user with the operator and caseworker roles records a case
    through POST /api/v1/events (signed by UK-HO's key), checks the next step first, and reads
    the case back from the ledger."""
    from manche.config import get_settings
    from manche.service.ledgers import RETURNS_TYPES

    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        KeyStore(database, tmp_path / "keys").generate("UK-HO")
        users = UserStore(database)
        users.add("adm-0001", "UK-HO", ["admin"])
        users.add("cw-uk-0009", "UK-HO", ["operator", "caseworker"])
        admin, cw = (auth(users.issue_token(u).token) for u in ("adm-0001", "cw-uk-0009"))
        with TestClient(create_app(database)) as c:
            agency = c.get("/api/v1/registry/agencies/UK-HO", headers=admin).json()
            agency["mandate"] = sorted({*agency["mandate"], *RETURNS_TYPES})
            put = c.put("/api/v1/registry/agencies/UK-HO", json=agency, headers=admin)
            assert put.status_code == 200, put.text
            opened = {"type": "return-case-opened", "occurred_at": "2025-09-02T09:00:00Z",
                      "case_number": "RET-2025-000901", "arrived_at": "2025-09-02T04:00:00Z",
                      "basis": "apprehended", "age_category": "adult"}  # fmt: skip
            posted = c.post("/api/v1/events", json=opened, headers=cw)
            assert posted.status_code == 201, posted.text
            late = {"type": "return-request-sent", "occurred_at": "2025-09-17T09:00:00Z",
                    "case_number": "RET-2025-000901"}  # fmt: skip
            assert c.post("/api/v1/returns/check", json=late, headers=cw).status_code == 422
            in_time = {**late, "occurred_at": "2025-09-16T09:00:00Z"}
            assert c.post("/api/v1/returns/check", json=in_time, headers=cw).status_code == 200
            assert c.post("/api/v1/events", json=in_time, headers=cw).status_code == 201
            case = c.get("/api/v1/returns/cases/RET-2025-000901", headers=cw).json()
    finally:
        get_settings.cache_clear()
    assert (case["state"], case["request_sent_on"], case["flags"]) == (
        "requested",
        "2025-09-16",
        [],
    )
