"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a live server.

``live_server`` serves the real application under uvicorn on a free loopback port, on a fresh
SQLite database holding what ``manche setup`` loads (the bundled official statistics and the
exercise day 2025-04-29) and one user per (side, role) with a password (``USERS``);
``page`` is a new Chromium page; ``sign_in`` logs in through the form. Screenshots go to
``test-artifacts/screenshots``. ``axe`` runs axe-core (from node_modules, installed by
``npm ci`` from the lock file) on the page and returns its violations.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from manche.api.app import create_app
from manche.config import get_settings
from manche.record.keys import KeyStore
from manche.service.exercise import load_exercise_day
from manche.storage import Database, open_database, stats_store
from manche.users import UserStore
from manche.users.passwords import PasswordStore

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
EXERCISE_DAY = date(2025, 4, 29)
PASSWORD = "a long enough passphrase for tests"
USERS = {
    "uk-operator": ("UK-BF", "operator"),
    "uk-analyst": ("UK-HMCG", "analyst"),
    "fr-analyst": ("FR-CROSS-GN", "analyst"),
    "fr-operator": ("FR-CROSS-GN", "operator"),
    "uk-admin": ("UK-BF", "admin"),
    "uk-auditor": ("UK-BF", "auditor"),
    "uk-caseworker": ("UK-HO", "caseworker"),
}
CHROMIUM = os.environ.get("MANCHE_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _world(db: Database, data_dir: Path) -> None:
    stats_store.import_bundled(db, lambda _: None)
    load_exercise_day(db, EXERCISE_DAY, keys_dir=data_dir / "keys")
    KeyStore(db, data_dir / "keys").generate("UK-HO")  # the caseworker's agency signs too
    users = UserStore(db)
    passwords = PasswordStore(db, users)
    for user, (agency, role) in USERS.items():
        users.add(user, agency, [role])
        passwords.set(user, PASSWORD)


@pytest.fixture(scope="session")
def live_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("live")
    saved = os.environ.get("MANCHE_DATA_DIR")
    os.environ["MANCHE_DATA_DIR"] = str(folder / "data")
    get_settings.cache_clear()
    db = open_database(f"sqlite:///{folder / 'manche.db'}")
    _world(db, folder / "data")
    yield db
    db.close()
    if saved is None:
        os.environ.pop("MANCHE_DATA_DIR", None)
    else:
        os.environ["MANCHE_DATA_DIR"] = saved
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def live_server(live_db: Database) -> Iterator[str]:
    db = live_db
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the live server did not start within 15 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/system-packages")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp: axe-core is injected as an inline script, which the pages' policy forbids;
    # test_picture_under_the_content_security_policy checks the pages under the real policy
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, base: str, user: str, next_: str = "/picture") -> None:
    """Sign in through the login form, as a person would."""
    page.goto(f"{base}/login?next={next_}")
    page.locator("#user").fill(user)
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(f"{base}{next_}*")


def axe(page: Page) -> list[dict[str, object]]:
    """axe-core's serious and critical violations on the current page (WCAG 2.1 A/AA)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag",
             values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})).violations"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
