"""The other pages in a real browser: statistics (public, chart, French), record and its event
form, intelligence, agreements, admin; axe-core on each."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_statistics_chart_in_english_and_french(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/statistics")
    expect(page.locator("h1")).to_have_text("Small boat arrivals")
    charts = page.locator("figure.chart img")
    expect(charts).to_have_count(5)  # cumulative, daily, weekly, preventions, people per boat
    # every SVG chart really loaded and decoded (an image that failed has naturalWidth 0)
    for n in range(5):
        chart = charts.nth(n)
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
        assert chart.evaluate("img => img.naturalWidth") > 500
    screenshot(page, "statistics-en")
    assert axe(page) == []

    page.locator(".langs a[lang=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Arrivées par small boats")
    # French number formatting (narrow no-break space as thousands separator)
    by_year = page.locator("table#years tbody tr", has_text="2022")
    expect(by_year.locator("td").first).to_have_text("45\u202f755")
    # the charts are drawn in French too, and load
    charts = page.locator("figure.chart img")
    expect(charts).to_have_count(5)
    for n in range(5):
        chart = charts.nth(n)
        assert "lang=fr" in str(chart.get_attribute("src"))
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
    page.locator("figure.chart").first.scroll_into_view_if_needed()
    screenshot(page, "statistics-fr")
    assert axe(page) == []


def test_home_page_is_accessible(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/")
    expect(page.locator("h1")).to_have_text("Manche")
    assert axe(page) == []


def test_record_page_verifies_for_an_auditor(live_server: str, page: Page) -> None:

    sign_in(page, live_server, "uk-auditor", next_="/record")
    expect(page.locator("h1")).to_have_text("The shared record")
    expect(page.locator("#recent")).to_contain_text("EXERCISE")
    page.get_by_role("button", name="Verify the whole record now").click()
    expect(page.locator("#verification")).to_contain_text("Verified.")
    screenshot(page, "record-uk-auditor")
    assert axe(page) == []


def test_intelligence_page(live_server: str, page: Page) -> None:

    sign_in(page, live_server, "uk-analyst", next_="/intelligence")
    expect(page.locator("h1")).to_have_text("Intelligence")
    assert page.locator("#quality tbody tr").count() >= 1
    for table in ("enforcement", "preventions", "nationalities", "nationalities-compared"):
        expect(page.locator(f"#{table} caption")).to_be_visible()
    # the exercise day (README): 422 people landed, no nationality recorded
    row = page.locator("#nationalities tbody tr td, #nationalities tbody tr th")
    expect(row).to_have_text(["2025-Q2", "(not recorded)", "422"])
    screenshot(page, "intelligence-uk-analyst")
    assert axe(page) == []


def test_agreements_page(live_server: str, page: Page) -> None:

    sign_in(page, live_server, "uk-caseworker", next_="/agreements")
    expect(page.locator("h1")).to_have_text("Agreements")
    expect(page.locator("#parity")).to_contain_text("Open")
    screenshot(page, "agreements-uk-caseworker")
    assert axe(page) == []


def test_admin_page(live_server: str, page: Page) -> None:

    sign_in(page, live_server, "uk-admin", next_="/admin")
    expect(page.locator("h1")).to_have_text("Administration")
    expect(page.locator("#users")).to_contain_text("uk-operator")
    assert page.locator("#users").inner_text().count("fr-") == 0
    screenshot(page, "admin-uk-admin")
    assert axe(page) == []


def test_operator_records_a_sighting_with_the_form(live_server: str, page: Page) -> None:

    sign_in(page, live_server, "uk-operator", next_="/record/new")
    expect(page.locator("h1")).to_have_text("Record an event")
    page.locator("#lat").fill("not a number")
    page.locator("#lon").fill("1.5")
    page.get_by_role("button", name="Record the event").click()
    expect(page.locator(".error-summary a")).to_have_attribute("href", "#lat")
    screenshot(page, "record-form-error")
    assert axe(page) == []
    page.locator("#lat").fill("51.0")
    page.locator("#incident").fill("INC-FORM-0001")
    page.locator("#persons-total").fill("33")
    page.locator("#source").select_option("drone")
    page.locator("#boat-hin").fill("FR-ZOD12345D626")
    page.get_by_role("button", name="Record the event").click()
    page.wait_for_url(f"{live_server}/incidents/INC-FORM-0001?recorded=*")
    expect(page.locator("#recorded")).to_contain_text("Event recorded.")
    expect(page.locator("#timeline")).to_contain_text("uk-operator (UK-BF)")
    # the hull number links to its grouped craft in the intelligence register
    link = page.locator("#crafts a")
    expect(link).to_have_attribute("href", re.compile(r"^/intelligence/crafts/"))
    screenshot(page, "incident-craft-links")
    link.click()
    expect(page.locator("main")).to_contain_text("FR-ZOD12345D626")


def test_caseworker_opens_a_return_case_with_the_form(live_server: str, page: Page) -> None:

    sign_in(page, live_server, "uk-caseworker", next_="/agreements")
    page.get_by_role("link", name="Return case opened").click()
    expect(page.locator("#type")).to_have_value("return-case-opened")
    page.locator("#case_number").fill("RET-2026-000301")
    page.get_by_role("button", name="Record the event").click()  # no arrival date, no basis
    expect(page.locator(".error-summary a")).to_have_attribute("href", "#arrived_at")
    expect(page.locator("#case_number")).to_have_value("RET-2026-000301")  # nothing lost
    screenshot(page, "record-form-case-error")
    assert axe(page) == []
    arrived = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#arrived_at").fill(arrived)
    page.locator("#basis").select_option("landed_after_rescue")
    page.locator("#age_category").select_option("adult")
    page.get_by_role("button", name="Record the event").click()
    page.wait_for_url(f"{live_server}/agreements/cases/RET-2026-000301?recorded=*")
    expect(page.locator("h1")).to_have_text("RET-2026-000301")
    expect(page.locator("#state")).to_contain_text("Opened: no request sent yet")
    expect(page.locator("#events")).to_contain_text("uk-caseworker (UK-HO)")
    expect(page.locator("#next")).to_contain_text("Readmission request sent")
    screenshot(page, "agreement-case")
    assert axe(page) == []


PHONE_PAGES = [
    ("uk-analyst", "/intelligence"),
    ("uk-analyst", "/statistics"),
    ("uk-analyst", "/record"),
    ("uk-operator", "/record/new"),
    ("uk-caseworker", "/agreements"),
    ("uk-admin", "/admin"),
    ("uk-operator", "/incidents/EX-2025-04-29-001"),
]


@pytest.mark.parametrize(("user", "path"), PHONE_PAGES)
def test_pages_fit_a_phone_screen(live_server: str, browser: Browser, user: str, path: str) -> None:
    """At 390 px wide (a phone) no page is wider than the screen: a wide table scrolls
    sideways in its own box, a summary's terms sit above their values, long ids wrap."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, user, next_=path)
        page.wait_for_load_state("networkidle")
        # for the message: what sticks out (a scroll box's own content does not count)
        wider = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .filter(e => !e.parentElement.closest('.table-scroll'))
                .map(e => e.tagName + (e.id ? '#' + e.id : ''))"""
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, wider
        assert axe(page) == []
    finally:
        context.close()
