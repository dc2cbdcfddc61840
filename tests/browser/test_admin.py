"""The Admin page in a real browser: an admin adds a user, is told the two passwords differ
(error summary linked to the field), sets the password, and the new user signs in with it.
axe-core on each page; screenshots ``admin-user-password-error`` and ``admin-user-added``."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe, screenshot, sign_in

NEW_USER = "bf-op-0199"
NEW_PASSWORD = "white cliffs at first light"


def test_an_admin_creates_a_user_who_then_signs_in(
    live_server: str, page: Page, browser: Browser
) -> None:
    sign_in(page, live_server, "uk-admin", next_="/admin")
    page.locator("#user").fill(NEW_USER)
    page.locator("#agency").select_option("UK-BF")
    page.locator("#role-operator").check()
    page.get_by_role("button", name="Add the user").click()
    page.wait_for_url(f"{live_server}/admin/users/{NEW_USER}*")
    expect(page.locator("h1")).to_have_text(NEW_USER)
    expect(page.locator("#done")).to_contain_text("User added.")
    # two passwords that differ: the summary links to the second field, nothing kept
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD + " at dawn")
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator(".error-summary a")).to_have_attribute("href", "#confirm")
    expect(page.locator("#confirm")).to_have_value("")  # never echoed back
    screenshot(page, "admin-user-password-error")
    assert axe(page) == []
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator("#done")).to_contain_text("Password set.")
    expect(page.locator("#changes")).to_contain_text("set-password")
    screenshot(page, "admin-user-added")
    assert axe(page) == []
    # the new user, in a browser of its own, signs in and sees the live picture
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.goto(f"{live_server}/login?next=/picture")
    other.locator("#user").fill(NEW_USER)
    other.locator("#password").fill(NEW_PASSWORD)
    other.locator("form[action='/login'] button[type=submit]").click()
    other.wait_for_url(f"{live_server}/picture*")
    me = other.evaluate("async () => (await fetch('/api/v1/me')).json()")
    assert me["user"] == NEW_USER and me["roles"] == ["operator"]
    context.close()
