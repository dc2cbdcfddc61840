"""Signing in to the pages: a signed, HttpOnly, SameSite=Strict cookie that the API accepts
with the same access rules as a token; CSRF tokens on forms; sign-out."""

from __future__ import annotations

from lxml import html

from manche.users.passwords import PasswordStore
from manche.web import session as web_session
from tests.api.conftest import World
from tests.web.conftest import PASSWORD, form_token, sign_in


def test_sign_in_sets_a_strict_httponly_signed_cookie(web: World) -> None:
    response = sign_in(web.client, "uk-operator", next_="/statistics")
    assert response.status_code == 303 and response.headers["location"] == "/statistics"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("manche_session=")
    )
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in attributes and "samesite=strict" in attributes and "path=/" in attributes
    assert PASSWORD not in cookie
    # the API takes the cookie as it takes a token: the same principal, the same rules
    body = web.client.get("/api/v1/picture").json()
    assert body["side"] == "UK"
    assert sorted(i["ref"] for i in body["incidents"]) == ["INC-shared", "INC-uk-only"]


def test_the_french_analyst_gets_404_for_uk_only_like_the_api(web: World) -> None:
    assert sign_in(web.client, "fr-analyst").status_code == 303
    uk_only = web.events["uk-only"]["id"]
    assert web.client.get(f"/api/v1/events/{uk_only}").status_code == 404
    assert web.client.get("/api/v1/incidents/INC-uk-only").status_code == 404
    assert web.client.get("/api/v1/incidents/INC-fr-only").status_code == 200


def test_wrong_password_shows_an_error_summary_and_no_cookie(web: World) -> None:
    response = sign_in(web.client, "uk-operator", "not the password")
    assert response.status_code == 401
    assert "manche_session=" not in response.headers.get("set-cookie", "")
    page = html.fromstring(response.text)
    summary = page.xpath("//div[@class='error-summary']//a")
    assert summary and summary[0].get("href") == "#password"
    assert web.client.get("/api/v1/picture").status_code == 401


def test_login_form_needs_its_csrf_token(web: World) -> None:
    web.client.get("/login")
    response = web.client.post(
        "/login",
        data={"user": "uk-operator", "password": PASSWORD, "csrf": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "manche_session=" not in response.headers.get("set-cookie", "")


def test_next_never_leaves_the_site(web: World) -> None:
    response = sign_in(web.client, "uk-operator", next_="https://evil.example/x")
    assert response.headers["location"] == "/picture"
    web.client.cookies.clear()
    response = sign_in(web.client, "uk-operator", next_="//evil.example/x")
    assert response.headers["location"] == "/picture"


def test_api_writes_with_the_cookie_need_the_csrf_header(web: World) -> None:
    sign_in(web.client, "uk-admin")
    session = web_session.decode(web.client.cookies["manche_session"])
    assert session is not None
    url = "/api/v1/registry/assets/UK-BF-TYPHOON"
    row = web.client.get(url).json()
    refused = web.client.put(url, json=row)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["error"]["message"]
    accepted = web.client.put(url, json=row, headers={"X-CSRF-Token": session.csrf})
    assert accepted.status_code == 200, accepted.text


def test_tampered_or_ended_sessions_are_refused(web: World) -> None:
    sign_in(web.client, "uk-analyst")
    good = web.client.cookies["manche_session"]
    packed, _, signature = good.partition(".")
    web.client.cookies.set("manche_session", packed + "." + "0" * len(signature))
    assert web.client.get("/api/v1/picture").status_code == 401
    web.client.cookies.set("manche_session", good)
    assert web.client.get("/api/v1/picture").status_code == 200
    PasswordStore(web.db).set("uk-analyst", "a brand new passphrase")  # ends the session
    assert web.client.get("/api/v1/picture").status_code == 401


def test_sign_out_needs_the_session_token_and_ends_the_session(web: World) -> None:
    sign_in(web.client, "uk-analyst")
    page = web.client.get("/", headers={"accept": "text/html"})
    token = form_token(page.text)
    forged = web.client.post("/logout", data={"csrf": "nope"}, follow_redirects=False)
    assert forged.status_code == 403
    out = web.client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert web.client.get("/api/v1/picture").status_code == 401


def test_pages_forbid_foreign_scripts_and_framing(web: World) -> None:
    response = web.client.get("/login")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def _summary(response_text: str) -> str:
    page = html.fromstring(response_text)
    return " ".join(a.text_content() for a in page.xpath("//div[@class='error-summary']//a"))


def test_five_failed_sign_ins_lock_the_user_id_with_one_message_for_any_id(web: World) -> None:
    for _ in range(5):
        assert sign_in(web.client, "uk-operator", "not the password").status_code == 401
        assert sign_in(web.client, "nobody-here", "not the password").status_code == 401
    # the sixth try is refused even with the right password, before it is checked
    right = sign_in(web.client, "uk-operator", PASSWORD)
    assert right.status_code == 429
    assert "manche_session=" not in right.headers.get("set-cookie", "")
    assert int(right.headers["retry-after"]) > 14 * 60
    unknown = sign_in(web.client, "nobody-here", "whatever it is")
    # an id that does not exist gets the very same answer: nothing tells them apart
    assert unknown.status_code == 429
    assert _summary(right.text) == _summary(unknown.text)
    assert "Too many failed sign-ins" in _summary(right.text)
    assert "15 minutes" in _summary(right.text)
    # another user id is not locked (the address limit is 20 failures; 10 so far)
    assert sign_in(web.client, "uk-analyst", PASSWORD).status_code == 303


def test_the_address_limit_stops_guessing_across_user_ids(web: World) -> None:
    for n in range(20):  # 20 ids, one failure each: no id reaches its own limit
        assert sign_in(web.client, f"guess-{n}", "not the password").status_code == 401
    assert sign_in(web.client, "uk-analyst", PASSWORD).status_code == 429


def test_a_successful_sign_in_forgets_earlier_failures(web: World) -> None:
    for _ in range(4):
        sign_in(web.client, "uk-operator", "not the password")
    assert sign_in(web.client, "uk-operator", PASSWORD).status_code == 303
    web.client.cookies.clear()
    for _ in range(4):
        sign_in(web.client, "uk-operator", "not the password")
    assert sign_in(web.client, "uk-operator", PASSWORD).status_code == 303
