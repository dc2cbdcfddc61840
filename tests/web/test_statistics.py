"""The /statistics page: a real page with the year table, the summary, the chart and the CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from lxml import html
from python_calamine import CalamineWorkbook

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
        assert f"{ytd:,}" in lead and "20 August 2026" in lead  # en-GB long date
        assert "page-2026-08-21" in page.xpath("//p[@class='meta']")[0].text_content()
        year_rows = {
            row.xpath("./th")[0].text_content(): row.xpath("./td")[0].text_content()
            for row in page.xpath("//table[@id='years']/tbody/tr")
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
        assert "28 December 2025" in page.xpath("//p[@class='lead']")[0].text_content()
        assert "vintage=ods-2025-12-31" in page.xpath("//figure//img/@src")[0]


def test_statistics_page_draws_daily_and_weekly_charts(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        page = html.fromstring(client.get("/statistics").text)
        sources = page.xpath("//figure[@class='chart']/img/@src")
        for kind in ("cumulative", "daily", "weekly"):
            url = next(s for s in sources if f"/chart/{kind}.svg" in s)
            chart = client.get(url)
            assert chart.status_code == 200 and chart.text.lstrip().startswith("<?xml")


def test_statistics_page_preventions_and_revisions_match_the_api(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        page = html.fromstring(client.get("/statistics").text)
        rows = page.xpath("//table[@id='preventions']/tbody/tr")
        weeks = client.get("/api/v1/stats/preventions").json()["weeks"][-12:]
        assert len(rows) == 12
        newest = rows[0].xpath("./td")
        assert newest[0].text_content() == f"{weeks[-1]['migrants_arrived']:,}"
        revised = client.get("/api/v1/stats/revisions").json()
        numeric = [c for c in revised["weekly"]["changed"] if c["change"]]
        assert len(page.xpath("//table[@id='revisions']/tbody/tr")) == len(numeric)


def _svg_text(svg: str, tag: str) -> str:
    found = re.search(rf'<{tag} id="chart-{tag}">([^<]*)</{tag}>', svg)
    assert found, f"no <{tag}> in the chart"
    return found.group(1)


def test_the_five_charts_are_drawn_in_french_for_a_french_page(database: Database) -> None:
    french = {"accept-language": "fr-FR,fr;q=0.9"}
    with TestClient(create_app(database)) as client:
        page = html.fromstring(client.get("/statistics", headers=french).text)
        sources = page.xpath("//figure[@class='chart']/img/@src")
        assert len(sources) == 5 and all("lang=fr" in s for s in sources)
        charts = {s.split("/chart/")[1].split(".svg")[0]: client.get(s).text for s in sources}
        assert set(charts) == {"cumulative", "daily", "weekly", "preventions", "people-per-boat"}
        for kind, svg in charts.items():
            title = _svg_text(svg, "title")
            assert "Small boat" not in title and ("small boats" in title), (kind, title)
            assert "Source : Home Office" in svg and "Source: Home" not in svg, kind
            assert "People" not in svg and "people" not in svg.split("Home Office")[0], kind
        # numbers and months per locale: 2022's total from the bundled file, grouped the
        # French way (narrow no-break space), month names in French
        total_2022 = reference_sum(LATEST, date(2022, 1, 1), date(2022, 12, 31))[0]
        grouped = f"{total_2022:,}".replace(",", "\u202f")
        assert f"2022: {grouped}" in charts["cumulative"]
        assert ">janv.<" in charts["cumulative"] and ">Jan<" not in charts["cumulative"]
        english = client.get("/api/v1/stats/chart/cumulative.svg").text
        assert f"2022: {total_2022:,}" in english and ">Jan<" in english
        assert _svg_text(english, "title").startswith("Small boat arrivals")


def test_people_per_boat_chart_shows_each_years_figure(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        by_year = client.get("/api/v1/stats/chart/people-per-boat.svg").text
        french = client.get("/api/v1/stats/chart/people-per-boat.svg?lang=fr").text
        by_month = client.get("/api/v1/stats/chart/people-per-boat.svg?by=month").text
    for year in (2019, 2022, 2024):  # complete years, from the bundled file
        people, boats = reference_sum(LATEST, date(year, 1, 1), date(year, 12, 31))
        expected = f"{people / boats:.1f}"
        assert f">{expected}<" in by_year, year
        assert f">{expected.replace('.', ',')}<" in french, year
    people, boats = reference_sum(LATEST, date(2025, 9, 1), date(2025, 9, 30))
    assert ">Sept 2025<" in by_month and f">{people / boats:.1f}<" in by_month
    assert _svg_text(by_month, "title") == "Small boat arrivals: people per boat, by month"


def test_preventions_chart_and_its_table_match_the_api(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        weeks = client.get("/api/v1/stats/preventions").json()["weeks"][-52:]
        svg = client.get("/api/v1/stats/chart/preventions.svg").text
        page = html.fromstring(client.get("/statistics").text)
    arrived = sum(w["migrants_arrived"] or 0 for w in weeks)
    prevented = sum(w["migrants_prevented"] or 0 for w in weeks)
    assert f"In all: {arrived:,} people arrived, {prevented:,} prevented." in _svg_text(svg, "desc")
    rows = page.xpath("//table[@id='preventions-52']/tbody/tr")
    assert len(rows) == 52
    first = [c.text_content() for c in rows[0].xpath("./td")]  # the latest week first
    latest = weeks[-1]
    assert first == [f"{latest['migrants_arrived']:,}", f"{latest['migrants_prevented']:,}"]
    assert page.xpath("//figure/img[contains(@src, 'preventions.svg')]/@alt")[0]


def _cell(value: Any) -> Any:
    """A calamine cell as the CSV/JSON would give it: whole floats as int, '' as None."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def test_the_ods_download_holds_the_csv_and_the_apis_figures(database: Database) -> None:
    with TestClient(create_app(database)) as client:
        page = html.fromstring(client.get("/statistics").text)
        link = page.xpath("//a[@download][contains(@href, '.ods')]/@href")[0]
        response = client.get(link)
        assert response.headers["content-type"] == "application/vnd.oasis.opendocument.spreadsheet"
        csv_rows = list(csv.reader(io.StringIO(client.get("/api/v1/stats/daily.csv").text)))
        years = client.get("/api/v1/stats/years").json()
        weeks = client.get("/api/v1/stats/preventions").json()["weeks"]
        same_point = client.get("/api/v1/stats/summary").json()["same_point"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["Cover_sheet", "Daily", "Years", "Same_point", "Weekly"]

    def sheet(name: str) -> list[list[Any]]:
        return [[_cell(v) for v in row] for row in book.get_sheet_by_name(name).to_python()]

    daily = sheet("Daily")
    assert daily[0] == csv_rows[0] and len(daily) == len(csv_rows)
    as_csv = [["" if v is None else str(v) for v in row] for row in daily[1:]]
    assert as_csv == csv_rows[1:]
    # an independent figure: 2022 from the bundled Home Office file
    table = sheet("Years")
    row_2022 = dict(zip(table[0], next(r for r in table[1:] if r[0] == 2022), strict=True))
    people, boats = reference_sum(LATEST, date(2022, 1, 1), date(2022, 12, 31))
    assert (row_2022["migrants"], row_2022["boats"]) == (people, boats)
    assert [dict(zip(table[0], r, strict=True)) for r in table[1:]] == [
        {**y, "complete": str(y["complete"])} for y in years
    ]
    weekly = sheet("Weekly")
    assert [dict(zip(weekly[0], r, strict=True)) for r in weekly[1:]] == [
        {k: None if w[k] == "" else w[k] for k in weekly[0]}
        for w in weeks  # "" notes: empty
    ]
    same = sheet("Same_point")
    assert [dict(zip(same[0], r, strict=True)) for r in same[1:]] == same_point
