"""The live picture in a real browser: the map draws, an incident posted to the API appears
without reloading, the incident page opens; French; access rules; accessibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from manche.storage import Database
from manche.users import UserStore
from tests.browser.conftest import axe, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_uk_operator_sees_the_map_and_a_new_incident_live(
    live_server: str, live_db: Database, page: Page
) -> None:
    sign_in(page, live_server, "uk-operator")
    expect(page.locator("h1")).to_have_text("Live picture of the Strait")
    expect(page.locator("#map[data-drawn=true]")).to_have_count(1)
    # the geography: land, both territorial seas, the treaty line, the median line as a proxy
    for code in ("UK-LAND", "FR-LAND", "UK-TS", "FR-TS", "SW-LANE", "NE-LANE"):
        assert page.locator(f"#map path[data-code='{code}']").count() == 1, code
    assert page.locator("#map path[data-layer='treaty_line']").count() == 1
    assert page.locator("#map path[data-proxy='proxy']").count() == 1
    expect(page.locator("#map text.label--proxy")).to_contain_text("PROXY")
    assert page.locator("#map [data-place='launch']").count() >= 5
    # the exercise day: 8 boats, each labelled exercise in the list and drawn on the map
    # (other tests sharing the server may have added real incidents: count the exercise ones)
    expect(page.locator("#incidents > li[data-ref^='EX-2025-04-29-']")).to_have_count(8)
    assert page.locator("#incidents .tag--exercise").count() == 8
    expect(page.locator("#map .boat-marker[data-ref^='EX-2025-04-29-']")).to_have_count(8)
    expect(page.locator("#live")).to_have_class("live live--on")
    expect(page.locator("#map .asset-marker").first).to_be_attached()  # authority assets
    screenshot(page, "picture-uk-operator")

    # an operator records a sighting through the API: it appears without a reload
    token = UserStore(live_db).issue_token("uk-operator", "browser test").token
    when = datetime.now(UTC) - timedelta(minutes=2)
    sighting = {
        "type": "sighting",
        "occurred_at": when.isoformat(),
        "source": "aircraft",
        "incident": "INC-LIVE-0001",
        "position": {"lon": 1.45, "lat": 51.02},
        "persons": {"total": 47},
        "releasability": "shared",
    }
    page.evaluate("window.__marker = 'same page'")
    posted = httpx.post(
        f"{live_server}/api/v1/events",
        json=sighting,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    new = page.locator("#incidents > li[data-ref='INC-LIVE-0001']")
    expect(new).to_have_count(1, timeout=5000)
    expect(new).to_contain_text("47")
    expect(page.locator("#map .boat-marker[data-ref='INC-LIVE-0001']")).to_have_count(1)
    assert page.evaluate("window.__marker") == "same page"  # no reload happened

    # a distress on it: DETRESFA, the list keeps it first
    distress = {
        "type": "distress",
        "occurred_at": (when + timedelta(minutes=1)).isoformat(),
        "incident": "INC-LIVE-0001",
        "kinds": ["people-in-water"],
        "position": {"lon": 1.452, "lat": 51.021},
    }
    posted = httpx.post(
        f"{live_server}/api/v1/events",
        json=distress,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    expect(new.locator(".tag--alert")).to_have_text("DETRESFA", timeout=5000)
    # the most urgent first: an open DETRESFA before anything else
    expect(page.locator("#incidents > li").first).to_have_attribute("data-ref", "INC-LIVE-0001")
    expect(page.locator("#map .boat-marker[data-ref='INC-LIVE-0001']")).to_have_attribute(
        "data-phase", "DETRESFA"
    )
    screenshot(page, "picture-live-distress")
    assert axe(page) == []

    # open it
    new.locator("a").click()
    page.wait_for_url(f"{live_server}/incidents/INC-LIVE-0001")
    expect(page.locator("h1")).to_contain_text("INC-LIVE-0001")
    expect(page.locator("#timeline li")).to_have_count(2)
    expect(page.locator("#timeline")).to_contain_text("uk-operator")
    expect(page.locator("#phases")).to_contain_text("DETRESFA")
    expect(page.locator("main")).to_contain_text("proxy")
    screenshot(page, "incident-uk-operator")
    assert axe(page) == []


def test_filters_narrow_the_list(live_server: str, page: Page) -> None:
    sign_in(page, live_server, "uk-analyst", next_="/picture?state=landed-uk")
    items = page.locator("#incidents > li[data-ref]")
    expect(page.locator("#map[data-drawn=true]")).to_have_count(1)
    assert items.count() >= 1
    for text in items.all_inner_texts():
        assert "Landed in the UK" in text


def test_french_analyst_in_french_and_no_uk_only_incident(
    live_server: str, live_db: Database, page: Page
) -> None:
    # a UK-only sighting, in its own incident
    token = UserStore(live_db).issue_token("uk-operator", "uk only").token
    uk_only = {
        "type": "sighting",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=3)).isoformat(),
        "source": "radar",
        "incident": "INC-UK-ONLY-0001",
        "position": {"lon": 1.3, "lat": 51.05},
        "persons": {"total": 12},
        "releasability": "uk-only",
    }
    posted = httpx.post(
        f"{live_server}/api/v1/events",
        json=uk_only,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    event_id = posted.json()["events"][0]["id"]

    page.context.set_extra_http_headers({"Accept-Language": "fr-FR,fr;q=0.9"})
    sign_in(page, live_server, "fr-analyst")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Situation en direct du détroit")
    expect(page.locator("#map[data-drawn=true]")).to_have_count(1)
    expect(page.locator("#incidents > li[data-ref]").first).to_be_visible()  # the exercise's
    assert page.locator("#incidents > li[data-ref='INC-UK-ONLY-0001']").count() == 0
    # states, tags and numbers in French, in the list drawn by the script too
    expect(page.locator("#incidents")).to_contain_text("Débarquée au Royaume-Uni")
    expect(page.locator("#incidents")).to_contain_text("EXERCICE")
    expect(page.locator(".legend")).to_contain_text("En détresse")
    screenshot(page, "picture-fr-analyst")
    assert axe(page) == []

    # the UK-only incident and event: 404 for the French analyst, page and API alike
    response = page.goto(f"{live_server}/incidents/INC-UK-ONLY-0001")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page introuvable")
    screenshot(page, "incident-404-fr")
    api = page.request.get(f"{live_server}/api/v1/events/{event_id}")
    assert api.status == 404
    api = page.request.get(f"{live_server}/api/v1/incidents/INC-UK-ONLY-0001")
    assert api.status == 404

    # the language switch overrides the browser
    page.goto(f"{live_server}/picture")
    page.locator(".langs a[lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Live picture of the Strait")


def test_pages_need_a_sign_in_and_the_right_role(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/picture")
    assert page.url.startswith(f"{live_server}/login?next=")
    screenshot(page, "login")
    assert axe(page) == []
    page.locator("#user").fill("uk-operator")
    page.locator("#password").fill("wrong password here")
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    screenshot(page, "login-error")
    assert axe(page) == []
    # an admin holds no reading role: 403 on the picture, as in the API
    sign_in(page, live_server, "uk-admin", next_="/")
    response = page.goto(f"{live_server}/picture")
    assert response is not None and response.status == 403
    assert page.request.get(f"{live_server}/api/v1/picture").status == 403


def test_picture_under_the_content_security_policy(live_server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        sign_in(page, live_server, "uk-analyst")
        expect(page.locator("#map[data-drawn=true]")).to_have_count(1)
        expect(page.locator("#live")).to_have_class("live live--on")
        expect(page.locator("#map .boat-marker").first).to_be_attached()
        page.goto(f"{live_server}/statistics")
        expect(page.locator("figure.chart img").first).to_be_visible()
        assert violations == []
    finally:
        context.close()


def test_a_hundred_live_incidents_stay_smooth(
    live_server: str, live_db: Database, page: Page
) -> None:
    """100 boats arrive in one batch while the page is open: all drawn, listed in the API's
    order, and redrawn without a visible stall. The redraw takes 1-13 ms here (docs/web.md); the
    bound below only catches a pathological redraw (e.g. quadratic in the incidents), not a
    slow moment of a shared 2-core machine: tests are not benchmarks."""
    sign_in(page, live_server, "uk-analyst")
    expect(page.locator("#live")).to_have_class("live live--on")
    token = UserStore(live_db).issue_token("uk-operator", "hundred").token
    start = datetime.now(UTC) - timedelta(minutes=30)
    batch = [
        {
            "type": "sighting",
            "occurred_at": (start + timedelta(seconds=10 * n)).isoformat(),
            "source": "radar",
            "incident": f"INC-LOAD-{n:04d}",
            "position": {"lon": 1.2 + (n % 10) * 0.08, "lat": 50.8 + (n // 10) * 0.04},
            "persons": {"total": 30 + n % 40},
        }
        for n in range(100)
    ]
    posted = httpx.post(
        f"{live_server}/api/v1/events",
        json=batch,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert posted.status_code == 201, posted.text
    # the map draws them all; the list shows the 100 most urgent (other tests sharing the
    # server may have left more urgent ones, a distress) and counts them all
    expect(page.locator("#map .boat-marker[data-ref^='INC-LOAD-']")).to_have_count(
        100, timeout=10000
    )
    api = page.evaluate("fetch('/api/v1/picture').then(r => r.json())")
    total = len(api["incidents"])
    assert total >= 100
    expect(page.locator("#count")).to_have_text(str(total))
    expect(page.locator("#incidents > li")).to_have_count(100)
    listed = page.locator("#incidents > li").evaluate_all("items => items.map(i => i.dataset.ref)")
    assert listed == [i["ref"] for i in api["incidents"][:100]]  # the API's order
    if total > 100:
        expect(page.locator("#list-limited")).to_be_visible()
    durations = page.evaluate("performance.getEntriesByName('manche-render').map(e => e.duration)")
    assert durations
    print(f"redraw of {total} incidents: {[round(d, 1) for d in durations[-3:]]} ms")
    assert sorted(durations[-3:])[len(durations[-3:]) // 2] < 100, (durations[-3:], total)
    screenshot(page, "picture-hundred-incidents")
    _zoom_and_pan_stay_smooth(page, total)


def _view_box(page: Page) -> list[float]:
    return [float(v) for v in str(page.locator("#map").get_attribute("viewBox")).split()]


def _zoom_and_pan_stay_smooth(page: Page, total: int) -> None:
    """With the hundred incidents drawn: zoom and pan by button, keyboard, wheel and drag; each
    redraw (markers at their on-screen size) stays within a frame; reset comes back."""
    full = _view_box(page)
    assert full[:3] == [0, 0, 1000]
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("#map")).to_have_attribute("data-zoom", "1.500")
    expect(page.locator("#zoom-status")).to_have_text("Map zoom: 1.5\u00d7")
    assert abs(_view_box(page)[2] - 1000 / 1.5) < 0.01
    # keyboard, on the focused map
    page.locator("#map").focus()
    page.keyboard.press("+")
    expect(page.locator("#map")).to_have_attribute("data-zoom", "2.250")
    x0 = _view_box(page)[0]
    page.keyboard.press("ArrowRight")
    assert _view_box(page)[0] > x0
    page.keyboard.press("-")
    expect(page.locator("#map")).to_have_attribute("data-zoom", "1.500")
    page.keyboard.press("0")
    expect(page.locator("#map")).to_have_attribute("data-zoom", "1.000")
    assert _view_box(page) == full
    # mouse wheel over the map, then drag to the left (the view moves right)
    box = page.locator("#map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -400)
    page.wait_for_function("Number(document.getElementById('map').dataset.zoom) > 1.5")
    x1 = _view_box(page)[0]
    page.mouse.down()
    page.mouse.move(cx - 60, cy, steps=6)
    page.mouse.up()
    assert _view_box(page)[0] > x1
    expect(page.locator("#map .boat-marker[data-ref^='INC-LOAD-']")).to_have_count(100)
    # each zoom resizes the markers (measured as manche-zoom); a pan only moves the viewBox
    redraws = page.evaluate("performance.getEntriesByName('manche-zoom').map(e => e.duration)")
    assert len(redraws) >= 5, redraws
    frame = page.evaluate("""() => new Promise((done) => {
        const start = performance.now();
        document.getElementById('zoom-in').click();
        requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
    })""")
    print(
        f"zoom with {total} incidents: {len(redraws)} marker resizes, max {max(redraws):.1f} ms; "
        f"a zoom click to the second next frame: {frame:.1f} ms"
    )
    assert sorted(redraws)[len(redraws) // 2] < 100, redraws  # a stall, not a slow moment
    # wall clock including the browser's paint: 45-150 ms here depending on the machine's load
    # (2 cores, load 10-15); the bound catches a pathological redraw, not a busy machine
    assert frame < 500, frame
    screenshot(page, "picture-zoomed")
    page.get_by_role("button", name="Reset the view").click()
    expect(page.locator("#map")).to_have_attribute("data-zoom", "1.000")
