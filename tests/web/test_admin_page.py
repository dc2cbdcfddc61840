"""The Admin page: the API's own-side user list, keys and registries; admins only."""

from __future__ import annotations

import json

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
            if r.xpath("./td")[-1].xpath(".//a[starts-with(@href, '/admin/agencies/')]")
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


def _summary_links(text: str) -> list[str]:
    page = html.fromstring(text)
    return [str(a.get("href")) for a in page.xpath("//div[@class='error-summary']//a")]


def _csrf(web: World) -> str:
    from tests.web.conftest import form_token

    return form_token(web.client.get("/admin", headers=HTML).text)


def test_admin_adds_a_user_of_its_side_with_the_apis_rules(web: World) -> None:
    sign_in(web.client, "uk-admin")
    csrf = _csrf(web)
    form = {"csrf": csrf, "user": "bf-op-0143", "agency": "UK-RNLI", "roles": ["operator"]}
    done = web.client.post("/admin/users", data=form, headers=HTML, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"].startswith("/admin/users/bf-op-0143?added=")
    listed = {u["user"]: u for u in web.client.get("/api/v1/users").json()}
    assert listed["bf-op-0143"]["agency"] == "UK-RNLI"
    assert listed["bf-op-0143"]["roles"] == ["operator"]
    landing = web.client.get(done.headers["location"], headers=HTML)
    assert landing.status_code == 200 and 'id="done"' in landing.text
    # a name instead of a pseudonymous id, no role, an id that exists: the field is named
    for bad, field, status in (
        ({"user": "Jean Dupont", "roles": ["analyst"]}, "#user", 422),
        ({"user": "bf-op-0144"}, "#roles", 422),
        ({"user": "bf-op-0143", "roles": ["analyst"]}, "#user", 409),
    ):
        page = web.client.post(
            "/admin/users", data={"csrf": csrf, "agency": "UK-BF", **bad}, headers=HTML
        )
        assert page.status_code == status, bad
        assert _summary_links(page.text) == [field]
    assert "bf-op-0144" not in {u["user"] for u in web.client.get("/api/v1/users").json()}
    # a French agency in a forged form: 403 as the API answers it, nothing stored
    forged = {"csrf": csrf, "user": "paf-an-09", "agency": "FR-PAF", "roles": ["analyst"]}
    assert web.client.post("/admin/users", data=forged, headers=HTML).status_code == 403
    api = web.client.post(
        "/api/v1/users",
        json={"user": "paf-an-09", "agency": "FR-PAF", "roles": ["analyst"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert api.status_code == 403
    assert (
        web.client.get("/api/v1/users/paf-an-09", headers=web.auth("FR-admin")).status_code == 404
    )


def test_admin_generates_a_key_and_pins_the_other_sides(web: World) -> None:
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    sign_in(web.client, "uk-admin")
    csrf = _csrf(web)
    before = {k["key_id"] for k in web.client.get("/api/v1/keys").json()}
    done = web.client.post(
        "/admin/keys", data={"csrf": csrf, "key_agency": "UK-RNLI"}, headers=HTML
    )
    assert done.status_code == 200
    after = web.client.get("/api/v1/keys").json()
    [new] = [k for k in after if k["key_id"] not in before]
    assert new["agency"] == "UK-RNLI" and new["private_key_here"]
    banner = html.fromstring(done.text).xpath("//div[@id='key-generated']//code")
    assert [c.text_content() for c in banner] == [new["key_id"]]
    # the key table shows it as the API lists it
    rows = html.fromstring(done.text).xpath("//table[@id='keys']/tbody/tr/td[2]")
    assert [r.text_content() for r in rows] == [k["key_id"] for k in after]
    # a French agency: refused as the API refuses it
    fr = web.client.post("/admin/keys", data={"csrf": csrf, "key_agency": "FR-PAF"}, headers=HTML)
    assert fr.status_code == 403
    # pin a French key pasted from its export file; the banner names its id
    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    theirs = json.dumps([{"agency": "FR-PAF", "algorithm": "ed25519",
                          "public_key": base64.b64encode(raw).decode()}])  # fmt: skip
    pinned = web.client.post(
        "/admin/keys/import", data={"csrf": csrf, "keys": theirs}, headers=HTML
    )
    assert pinned.status_code == 200
    fr_keys = [k for k in web.client.get("/api/v1/keys").json() if k["agency"] == "FR-PAF"]
    shown = html.fromstring(pinned.text).xpath("//div[@id='keys-pinned']//code")
    assert [c.text_content() for c in shown] == [k["key_id"] for k in fr_keys]
    # not JSON, and a UK key in the paste: the error summary links to the text box
    for paste, status in (("not json", 422), (theirs.replace("FR-PAF", "UK-HMCG"), 403)):
        bad = web.client.post(
            "/admin/keys/import", data={"csrf": csrf, "keys": paste}, headers=HTML
        )
        assert bad.status_code == status and _summary_links(bad.text) == ["#keys"]
    assert len(web.client.get("/api/v1/keys").json()) == len(after) + 1
    # the public keys file of the side, in the export-public format, for the other side
    download = web.client.get("/api/v1/keys/public")
    assert {k["agency"] for k in download.json()} == {"UK-BF", "UK-RNLI"}
    assert "PRIVATE" not in download.text


def test_admin_pages_in_french(web: World) -> None:
    sign_in(web.client, "fr-admin")
    french = {"accept": "text/html", "accept-language": "fr-FR"}
    page = html.fromstring(web.client.get("/admin", headers=french).text)
    headings = [h.text_content() for h in page.xpath("//h2")]
    assert "Ajouter un utilisateur" in headings and "Générer une nouvelle clé de signature" in [
        h.text_content() for h in page.xpath("//h3")
    ]
    user = html.fromstring(web.client.get("/admin/users/fr-analyst", headers=french).text)
    assert user.get("lang") == "fr"
    assert "Définir un mot de passe" in [h.text_content() for h in user.xpath("//h2")]
    asset = html.fromstring(web.client.get("/admin/assets/FR-MN-FLAMANT", headers=french).text)
    assert asset.xpath("//h1")[0].text_content() == "Modifier un moyen"
