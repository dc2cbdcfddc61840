"""The home page in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_page_renders_with_navigation(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    assert page.title() == "Manche · Manche"
    heading = page.locator("h1").inner_text()
    assert heading == "Manche"
    # keyboard users reach the skip link first
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert screenshot(page, "home").stat().st_size > 10_000
