"""The Admin page: the API's own-side user list, keys and registries; admins only."""

from __future__ import annotations

from lxml import html

from tests.api.conftest import World
from tests.web.conftest import sign_in

HTML = {"accept": "text/html"}


def test_admin_sees_own_side_users_as_the_api_lists_them(web: World) -> None:
    for side in ("uk", "fr"):
        web.client.cookies.clear()
        sign_in(web.client, f"{side}-admin")
        response = web.client.get("/admin", headers=HTML)
        assert response.status_code == 200
        page = html.fromstring(response.text)
        listed = [
            r.xpath("./th")[0].text_content() for r in page.xpath("//table[@id='users']/tbody/tr")
        ]
        api = [u["user"] for u in web.client.get("/api/v1/users").json()]
        assert listed == api and all(u.startswith(side) or u == "rnli-op" for u in listed)
        # keys of the world's three signing agencies, no secret shown
        keys = page.xpath("//table[@id='keys']/tbody/tr/td[1]")
        assert {k.text_content() for k in keys} == {"UK-BF", "FR-CROSS-GN", "UK-RNLI"}
        editable = {
            r.xpath("./th")[0].text_content()
            for r in page.xpath("//table[@id='agencies']/tbody/tr")
            if r.xpath("./td")[-1].text_content() in ("yes",)
        }
        assert editable and all(code.startswith(side.upper() + "-") for code in editable)


def test_admin_page_is_for_admins(web: World) -> None:
    sign_in(web.client, "uk-analyst")
    assert web.client.get("/admin", headers=HTML).status_code == 403
    assert web.client.get("/api/v1/users").status_code == 403


def test_admin_revokes_own_side_users_only(web: World) -> None:
    from tests.web.conftest import form_token

    sign_in(web.client, "uk-admin")
    token = form_token(web.client.get("/admin", headers=HTML).text)
    # a French user: refused (403) on the page as in the API, nothing changed
    page = web.client.post("/admin/users/fr-analyst/revoke", data={"csrf": token}, headers=HTML)
    assert page.status_code == 403
    session = web.client.cookies["manche_session"]
    from manche.web import session as web_session

    csrf = web_session.decode(session).csrf  # type: ignore[union-attr]
    api = web.client.post("/api/v1/users/fr-analyst/revoke", headers={"X-CSRF-Token": csrf})
    assert api.status_code == 403
    # own side: revoked, and the user's token stops working at once
    assert web.client.get("/api/v1/picture", headers=web.auth("UK-analyst")).status_code == 200
    done = web.client.post(
        "/admin/users/uk-analyst/revoke", data={"csrf": token}, headers=HTML, follow_redirects=False
    )
    assert done.status_code == 303
    assert web.client.get("/api/v1/picture", headers=web.auth("UK-analyst")).status_code == 401
    forged = web.client.post("/admin/users/uk-auditor/revoke", data={"csrf": "x"}, headers=HTML)
    assert forged.status_code == 403
    fr = web.client.get("/api/v1/picture", headers=web.auth("FR-analyst"))
    assert fr.status_code == 200
