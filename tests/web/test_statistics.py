"""The /statistics page: a real page with the year table, the summary, the chart and the CSV."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from lxml import html

from manche.api.app import create_app
from manche.storage import Database
from tests.stats_reference import LATEST, reference_sum


def test_statistics_page(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        response = client.get("/statistics")
        assert response.status_code == 200
        page = html.fromstring(response.text)
        ytd = reference_sum(LATEST, date(2026, 1, 1), date(2026, 8, 20))[0]
        lead = page.xpath("//p[@class='lead']")[0].text_content()
        assert f"{ytd:,}" in lead and "2026-08-20" in lead
        assert "page-2026-08-21" in page.xpath("//p[@class='meta']")[0].text_content()
        year_rows = {
            row.xpath("./th")[0].text_content(): row.xpath("./td")[0].text_content()
            for row in page.xpath("//h2[.='By year']/following-sibling::table[1]/tbody/tr")
        }
        assert year_rows["2022"] == "45,755"
        chart = page.xpath("//figure[@class='chart']/img/@src")[0]
        assert client.get(chart).headers["content-type"] == "image/svg+xml"
        csv_link = page.xpath("//a[@download]/@href")[0]
        assert client.get(csv_link).text.startswith("date,migrants,boats")
        nav = page.xpath("//nav//a[@href='/statistics']")
        assert len(nav) == 1


def test_statistics_page_for_an_older_vintage(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        response = client.get("/statistics", params={"vintage": "ods-2025-12-31"})
        assert response.status_code == 200
        page = html.fromstring(response.text)
        assert "2025-12-28" in page.xpath("//p[@class='lead']")[0].text_content()
        assert "vintage=ods-2025-12-31" in page.xpath("//figure//img/@src")[0]
