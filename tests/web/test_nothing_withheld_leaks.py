"""Nothing one side may not see reaches it through ANY path the web application serves.

Events the French side may not see (UK-only, and shared ones whose handling code forbids
passing them on: 5x5x5 handling 4, 3x5x2 ``C`` with ``originator-only`` or without a release
to France) carry a distinctive marker in every free-text and identifier field (notes, places,
departure points, hull numbers, engine serials and makes, case references, nationalities,
incident references); so do their French mirror images. Then a user of the other side holding
every role (so every page any role may open) signs in and fetches **every GET route the
application declares** (read from the app itself, so a new route is crawled without editing
this test): pages, their JSON twins,
CSV and ODS downloads (unzipped), with path parameters filled from the lists the user sees and
from the hidden ids themselves, and every same-site link found in the pages. No marker and no
hidden event id may appear in any answer. As a control, the owning side's crawl finds every
marker, so the markers are ones the crawl would see.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from manche.domain.events import parse_event
from manche.domain.events.base import catalogue
from manche.domain.events.examples import example_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.users import UserStore
from manche.users.passwords import PasswordStore
from tests.api.conftest import World
from tests.web.conftest import PASSWORD, sign_in

ROLES = ("operator", "analyst", "caseworker", "auditor", "admin")
# the statistics pages, routes and charts are drawn from the official files only, the same for
# everyone: fetched in the first crawl only (the charts take seconds to draw)
PUBLIC = ("/api/v1/stats/", "/statistics")
PUBLIC_DONE: set[str] = set()  # across the tests of this module
# the live picture's stream never ends; its filter is the picture's (checked through
# /api/v1/picture here, and by tests/api/test_picture_stream.py)
ENDLESS = {"/api/v1/picture/stream"}
SKIP = {"/api/v1/docs", "/docs/oauth2-redirect"}


def _markers(side: str, n: int) -> list[str]:
    # upper-case letters that no reading folds as a look-alike digit (not O Q D I L Z S G B)
    return [f"{side}XKW{i:03d}" for i in range(n)]


def _withheld_events(side: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Events ``side`` records that the other side may not see, each field with a marker."""
    agency = {"UK": "UK-BF", "FR": "FR-CROSS-GN"}[side]
    own_only = {"UK": "uk-only", "FR": "fr-only"}[side]
    m = iter(_markers(side, 200))
    used: list[str] = []

    def mark() -> str:
        used.append(next(m))
        return used[-1]

    def event(type_name: str, **fields: Any) -> dict[str, Any]:
        incident = f"INC-{mark()}"
        return example_event(type_name, agency=agency, incident=incident, note=mark(), **fields)

    def engines() -> list[dict[str, Any]]:
        return [{"make": f"Make{mark()}", "model": mark(), "serial": f"73{mark()}59"}]

    case = {"UK": "RET-2026-731101", "FR": "RET-2026-731202"}[side]  # digits only, by rule
    used.append(case)
    forbidding = [
        {"scheme": "5x5x5", "code": "B24"},  # handling 4: originating agency only
        {"code": "1AC", "conditions": f"originator-only {mark()}"},
        {"code": "2BC", "conditions": f"national use {mark()}"},  # not released to the partner
    ]
    events = [
        event("launch", releasability=own_only, place=f"Beach {mark()}", engines=engines(),
              boat={"hin": f"FR-{mark()}", "colour": mark()}),
        event("seizure", releasability=own_only, place=mark(), engines=engines(),
              boat={"hin": f"GB-{mark()}", "make": mark()}, items=[mark()]),
        event("landing", releasability=own_only, place=mark(), persons={"total": 9},
              nationalities={f"Land{mark()}": 4}, engines=engines()),
        event("arrest", releasability=own_only, role="pilot", case_ref=mark()),
        event("prevention", releasability=own_only, place=mark(), persons={"total": 7}),
        event("purchase-reported", releasability=own_only, place=mark(), case_ref=mark(),
              engines=engines(), grade_as_given="1AP"),
        event("return-case-opened", releasability=own_only, case_number=case),
        event("sighting", releasability=own_only, source="radar",
              position={"lon": 1.5, "lat": 51.0}),
        # shared, but handling forbids passing them on
        event("seizure", grading=forbidding[0], place=mark(), engines=engines(),
              boat={"hin": f"GB-{mark()}"}),
        event("launch", grading=forbidding[1], place=f"Dune {mark()}", engines=engines()),
        event("landing", grading=forbidding[2], place=mark(), persons={"total": 5},
              nationalities={f"Land{mark()}": 5}),
        event("purchase-reported", place=mark(), case_ref=mark(), engines=engines(),
              grade_as_given="B25"),
    ]  # fmt: skip
    return events, used


@pytest.fixture
def scenario(web: World, data_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Per side: (markers, ids) of what the other side must never see."""
    catalogue()
    keys = KeyStore(web.db, data_dir / "keys")
    out = {}
    for side, agency in (("UK", "UK-BF"), ("FR", "FR-CROSS-GN")):
        bodies, markers = _withheld_events(side)
        events = [parse_event(body) for body in bodies]
        # a visible event of the same side too, so the pages have something to show
        visible = parse_event(example_event("landing", agency=agency, incident=f"INC-OK-{side}"))
        Log(web.db).append([*events, visible], keys.signer(agency))
        out[side] = (markers, [str(e.id) for e in events])
    return out


def _get_routes(app: FastAPI) -> list[str]:
    """Every GET route the application declares (routers included lazily are expanded)."""
    paths = set()
    for route in app.routes:
        expand = getattr(route, "effective_route_contexts", None)
        for r in expand() if expand else [route]:
            if "GET" in (getattr(r, "methods", None) or set()):
                paths.add(r.path)
    return sorted(paths - SKIP - ENDLESS)


def _text(response: Any) -> str:
    if response.content[:2] == b"PK":  # ODS (zip): what a spreadsheet would show
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return str(response.text)


def _values(data: Any, key: str) -> Iterable[str]:
    """Every string under ``key`` anywhere in a JSON answer."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key and isinstance(v, str | int):
                yield str(v)
            yield from _values(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _values(item, key)


def _crawl(
    client: TestClient, app: FastAPI, hidden_ids: list[str], public_done: set[str]
) -> dict[str, str]:
    """Fetch every GET route, filling parameters; then follow same-site links. url -> text."""
    seen: dict[str, str] = {}

    def fetch(url: str) -> Any:
        if url in seen or url in public_done:
            return None
        if url.startswith(PUBLIC):
            public_done.add(url)
        response = client.get(url, headers={"accept": "text/html"}, follow_redirects=False)
        seen[url] = _text(response)
        return response

    def listed(url: str, key: str) -> list[str]:
        response = client.get(url)
        seen[url] = _text(response)
        if response.status_code != 200 or "json" not in response.headers.get("content-type", ""):
            return []
        return sorted(set(_values(response.json(), key)))

    refs = listed("/api/v1/picture", "incident") + listed("/api/v1/events?limit=500", "incident")
    events = listed("/api/v1/events?limit=500", "id")
    crafts = listed("/api/v1/intel/crafts", "id")
    size = int(client.get("/api/v1/log/checkpoint").json().get("tree_size") or 1)
    hidden_crafts = [f"{i}.boat" for i in hidden_ids] + [f"{i}.engine.0" for i in hidden_ids]
    codes = listed("/api/v1/registry/agencies", "code") + listed("/api/v1/registry/assets", "code")
    fill = {
        "event_id": events + hidden_ids,
        "craft_id": crafts + hidden_crafts,
        "ref": refs,
        "case_number": listed("/api/v1/returns/cases", "case_number"),
        "code": codes[:6],
        "seq": [str(n) for n in range(size)],
        "first": ["1"],
        "second": [str(size)],
        "when": ["2026-08-14"],
        "kind": ["daily", "weekly", "cumulative"],
        "user": listed("/api/v1/users", "user_id")[:3],
    }  # fmt: skip
    for path in _get_routes(app):
        names = re.findall(r"{(\w+)}", path)
        if not names:
            fetch(path)
            continue
        for i in range(max(len(fill.get(n, [])) for n in names)):
            url = path
            for n in names:
                values = fill.get(n) or ["x"]
                url = url.replace(f"{{{n}}}", values[min(i, len(values) - 1)])
            fetch(url)
    # follow every same-site link of the pages (incident and craft pages, downloads, filters)
    queue = [u for u in seen if not u.startswith("/api/")]
    while queue:
        page = seen[queue.pop()]
        for href in re.findall(r'href="([^"#]+)', page):
            parts = urlsplit(href.replace("&amp;", "&"))
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static"):
                continue
            url = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path in ("/logout", "/language") or url in seen:
                continue
            if fetch(url) is not None and not url.startswith("/api/"):
                queue.append(url)
    return seen


@pytest.fixture
def every_role(web: World) -> dict[str, str]:
    """One user per side holding every role, so one crawl reaches every page any role may."""
    users, passwords = UserStore(web.db), PasswordStore(web.db)
    for side, agency in (("UK", "UK-BF"), ("FR", "FR-CROSS-GN")):
        users.add(f"{side.lower()}-every-role", agency, list(ROLES))
        passwords.set(f"{side.lower()}-every-role", PASSWORD)
    return {"UK": "uk-every-role", "FR": "fr-every-role"}


@pytest.mark.parametrize(("reader_side", "owner_side"), [("FR", "UK"), ("UK", "FR")])
def test_nothing_withheld_reaches_the_other_side_through_any_route(
    web: World,
    scenario: dict[str, tuple[list[str], list[str]]],
    every_role: dict[str, str],
    reader_side: str,
    owner_side: str,
) -> None:
    markers, ids = scenario[owner_side]
    app = web.client.app
    assert isinstance(app, FastAPI)
    public_done = PUBLIC_DONE
    assert sign_in(web.client, every_role[reader_side]).status_code == 303
    pages = _crawl(web.client, app, ids, public_done)
    print(f"{every_role[reader_side]}: {len(pages)} answers, {len(markers)} markers")
    assert len(pages) > 80  # the crawl really went through the application
    assert "/intelligence" in pages and "/agreements" in pages and "/admin" in pages
    for url, text in pages.items():
        # a 404 may repeat the id the URL asked for (as for an id that never existed)
        leaked = [m for m in markers + ids if m in text and m not in url]
        assert not leaked, f"{every_role[reader_side]} sees {leaked[:3]} at {url}"

    # control: the owning side finds every marker somewhere in the same crawl
    web.client.cookies.clear()
    sign_in(web.client, every_role[owner_side])
    everything = "\n".join(_crawl(web.client, app, ids, public_done).values())
    missing = [m for m in markers if m not in everything]
    assert not missing, f"markers the crawl never shows even to their own side: {missing}"
