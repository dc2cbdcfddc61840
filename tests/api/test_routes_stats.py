"""``/api/v1/stats/...``: the same JSON as the CLI, and the one error shape."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from manche.api.app import create_app
from manche.cli import app as cli_app
from manche.config import get_settings
from manche.storage import Database
from tests.stats_reference import LATEST, reference_daily, reference_sum


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(database)) as test_client:
        yield test_client


def test_summary_first_use_and_same_json_as_cli(
    client: TestClient,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    response = client.get("/api/v1/stats/summary", params={"as_of": "2026-08-21"})
    assert response.status_code == 200
    assert "importing the bundled Home Office files" in capfd.readouterr().err
    body = response.json()
    ytd = reference_sum(LATEST, date(2026, 1, 1), date(2026, 8, 20))
    assert (body["year_to_date"]["migrants"], body["year_to_date"]["boats"]) == ytd
    monkeypatch.setenv("MANCHE_DATABASE_URL", database.url)
    get_settings.cache_clear()
    try:
        cli = CliRunner().invoke(cli_app, ["stats", "summary", "--as-of", "2026-08-21", "--json"])
    finally:
        get_settings.cache_clear()
    assert json.loads(cli.stdout) == body


def test_one_route_per_figure(client: TestClient) -> None:
    day = client.get("/api/v1/stats/day/2022-09-03").json()
    assert (day["migrants"], day["boats"]) == reference_daily(LATEST)[date(2022, 9, 3)][:2]
    period = client.get("/api/v1/stats/period", params={"from": "2022-01-01", "to": "2022-12-31"})
    assert period.json()["migrants"] == 45_755
    assert client.get("/api/v1/stats/years").json()[0]["year"] == 2018
    assert client.get("/api/v1/stats/records", params={"top": 2}).json()["days"][0]["date"]
    prevent = client.get("/api/v1/stats/preventions", params={"year": 2025}).json()
    assert all(w["week_ending"].startswith("2025") for w in prevent["weeks"])
    nat = client.get("/api/v1/stats/nationalities", params={"year": 2022}).json()
    assert nat["total"] == 45_774
    rev = client.get("/api/v1/stats/revisions").json()
    assert (rev["from"], rev["to"]) == ("ods-2026-04-10", "ods-2026-08-21")
    assert len(client.get("/api/v1/stats/vintages").json()) == 8


def test_daily_csv(client: TestClient) -> None:
    response = client.get("/api/v1/stats/daily.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    reference = reference_daily(LATEST)
    assert len(table) == len(reference)
    first = table[0]
    assert first == {
        "date": "2018-01-01",
        "migrants": "0",
        "boats": "0",
        "uncontrolled_landings": "",  # '-' in the spreadsheet: not recorded
        "notes": "",
        "vintage": "ods-2026-08-21",
    }
    assert sum(int(r["migrants"]) for r in table if r["date"].startswith("2022")) == 45_755


def test_chart_svg(client: TestClient) -> None:
    response = client.get("/api/v1/stats/chart/cumulative.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "Vintage: ods-2026-08-21" in response.text
    assert client.get("/api/v1/stats/chart/weekly.svg").status_code == 200
    assert client.get("/api/v1/stats/chart/pie.svg").status_code == 422


def test_errors_have_the_one_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/stats/day/2031-01-01")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/stats/period", params={"from": "2022-13-01", "to": "2022-12-31"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "from"
    backwards = client.get(
        "/api/v1/stats/period", params={"from": "2022-02-01", "to": "2022-01-01"}
    )
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "to"
    vintage = client.get("/api/v1/stats/years", params={"vintage": "nope"})
    assert vintage.status_code == 404 and "no vintage 'nope'" in vintage.json()["error"]["message"]
