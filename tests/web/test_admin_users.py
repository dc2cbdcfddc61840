"""A user's admin page: the same user, roles and tokens as ``GET /api/v1/users/{user}``;
roles, password and token forms with the API's rules; no self-lock-out; the other side 403."""

from __future__ import annotations

from lxml import html

from tests.api.conftest import World
from tests.web.conftest import form_token, sign_in

HTML = {"accept": "text/html"}
NEW_PASSWORD = "the tide turns at dover"


def _links(text: str) -> list[str]:
    return [
        str(a.get("href")) for a in html.fromstring(text).xpath("//div[@class='error-summary']//a")
    ]


def _page(web: World, user: str) -> tuple[int, str]:
    response = web.client.get(f"/admin/users/{user}", headers=HTML)
    return response.status_code, response.text


def test_the_page_shows_the_user_as_the_api_does_and_the_other_side_is_403(web: World) -> None:
    web.client.post(
        "/api/v1/users/uk-operator/tokens",
        json={"label": "ops laptop"},
        headers=web.auth("UK-admin"),
    )
    sign_in(web.client, "uk-admin")
    status, text = _page(web, "uk-operator")
    api = web.client.get("/api/v1/users/uk-operator").json()
    assert status == 200
    page = html.fromstring(text)
    rows = page.xpath("//table[@id='tokens']/tbody/tr")
    shown = [
        (r.xpath("./td[1]")[0].text_content(), r.xpath("./td[2]")[0].text_content()) for r in rows
    ]
    assert shown == [(t["prefix"], t["label"] or "\u2013") for t in api["tokens"]]
    assert ("ops laptop" in dict(shown).values()) and len(shown) == 2
    assert [c.get("value") for c in page.xpath("//input[@name='roles'][@checked]")] == api["roles"]
    # side by side: the French user is refused on the page and in the API alike
    for user in ("fr-operator", "fr-admin"):
        assert _page(web, user)[0] == 403
        assert web.client.get(f"/api/v1/users/{user}").status_code == 403
    assert _page(web, "nobody")[0] == web.client.get("/api/v1/users/nobody").status_code == 404
    # not an admin: 403 on both
    web.client.cookies.clear()
    sign_in(web.client, "uk-auditor")
    assert _page(web, "uk-operator")[0] == 403
    assert web.client.get("/api/v1/users/uk-operator").status_code == 403


def test_roles_form_changes_roles_and_refuses_self_demotion(web: World) -> None:
    sign_in(web.client, "uk-admin")
    csrf = form_token(_page(web, "uk-analyst")[1])
    done = web.client.post(
        "/admin/users/uk-analyst/roles",
        data={"csrf": csrf, "roles": ["analyst", "caseworker"]},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?roles=1")
    assert web.client.get("/api/v1/users/uk-analyst").json()["roles"] == ["analyst", "caseworker"]
    none = web.client.post("/admin/users/uk-analyst/roles", data={"csrf": csrf}, headers=HTML)
    assert none.status_code == 422 and _links(none.text) == ["#roles"]
    # taking admin off oneself: refused with the reason, in the form, roles unchanged
    self_demote = web.client.post(
        "/admin/users/uk-admin/roles", data={"csrf": csrf, "roles": ["auditor"]}, headers=HTML
    )
    assert self_demote.status_code == 403 and _links(self_demote.text) == ["#roles"]
    assert web.client.get("/api/v1/me").json()["roles"] == ["admin"]
    # and no revoke button on one's own page; the route refuses it as the API does
    assert "/admin/users/uk-admin/revoke" not in _page(web, "uk-admin")[1]
    own = web.client.post("/admin/users/uk-admin/revoke", data={"csrf": csrf}, headers=HTML)
    assert own.status_code == 403
    assert web.client.get("/api/v1/me").status_code == 200


def test_password_form_twice_never_echoed_and_the_user_signs_in(web: World) -> None:
    sign_in(web.client, "uk-admin")
    csrf = form_token(_page(web, "uk-caseworker")[1])
    cases = (
        ({"password": "short", "confirm": "short"}, "#password"),
        ({"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "s"}, "#confirm"),
        ({"password": "", "confirm": ""}, "#password"),
    )
    for fields, link in cases:
        page = web.client.post(
            "/admin/users/uk-caseworker/password", data={"csrf": csrf, **fields}, headers=HTML
        )
        assert page.status_code == 422 and _links(page.text) == [link]
        assert NEW_PASSWORD not in page.text  # never put back in the page
    done = web.client.post(
        "/admin/users/uk-caseworker/password",
        data={"csrf": csrf, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303
    landing = web.client.get(done.headers["location"], headers=HTML).text
    assert NEW_PASSWORD not in landing and 'id="done"' in landing
    history = web.client.get("/api/v1/users/uk-caseworker").json()["changes"]
    assert (history[-1]["action"], history[-1]["changed_by"]) == ("set-password", "uk-admin")
    web.client.cookies.clear()
    assert sign_in(web.client, "uk-caseworker", NEW_PASSWORD).status_code == 303
    assert web.client.get("/api/v1/me").json()["user"] == "uk-caseworker"


def test_token_form_shows_the_token_once_and_it_works(web: World) -> None:
    sign_in(web.client, "uk-admin")
    csrf = form_token(_page(web, "uk-auditor")[1])
    issued = web.client.post(
        "/admin/users/uk-auditor/tokens", data={"csrf": csrf, "label": "audit box"}, headers=HTML
    )
    assert issued.status_code == 201 and issued.headers["cache-control"] == "no-store"
    token = html.fromstring(issued.text).xpath("//code[@id='token']")[0].text_content()
    assert token.startswith("mch_")
    me = web.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["user"] == "uk-auditor"
    # never shown again, in the page or the API; only its prefix
    again = _page(web, "uk-auditor")[1]
    assert token not in again and token[:10] in again
    assert token not in web.client.get("/api/v1/users/uk-auditor").text
