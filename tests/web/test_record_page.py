"""The Record page: checkpoints from each side, verification on demand (auditors, admins),
the latest entries filtered by releasability exactly as ``GET /api/v1/events``."""

from __future__ import annotations

from lxml import html

from manche.record.verify import verify
from tests.api.conftest import World
from tests.web.conftest import form_token, sign_in

HTML = {"accept": "text/html"}


def _incidents_listed(text: str) -> set[str]:
    page = html.fromstring(text)
    return {a.text_content() for a in page.xpath("//table[@id='recent']//a")}


def test_each_side_sees_the_entries_the_api_gives_it(web: World) -> None:
    for who, own, other in (("uk", "uk-only", "fr-only"), ("fr", "fr-only", "uk-only")):
        web.client.cookies.clear()
        sign_in(web.client, f"{who}-analyst")
        response = web.client.get("/record", headers=HTML)
        assert response.status_code == 200
        listed = _incidents_listed(response.text)
        api = web.client.get("/api/v1/events").json()["events"]
        assert listed == {e["event"]["incident"] for e in api}
        assert {"INC-shared", f"INC-{own}"} == listed and f"INC-{other}" not in listed
        # the world signed one checkpoint, with the UK Border Force key
        rows = html.fromstring(response.text).xpath("//table[@id='checkpoints']/tbody/tr")
        assert "UK-BF" in rows[0].text_content() and "No checkpoint" in rows[1].text_content()


def test_verification_for_auditors_with_the_form_token(web: World) -> None:
    sign_in(web.client, "uk-auditor")
    page = web.client.get("/record", headers=HTML)
    token = form_token(page.text)
    forged = web.client.post("/record/verify", data={"csrf": "forged"}, headers=HTML)
    assert forged.status_code == 403
    done = web.client.post("/record/verify", data={"csrf": token}, headers=HTML)
    assert done.status_code == 200
    notice = html.fromstring(done.text).xpath("//*[@id='verification']")[0].text_content()
    expected = verify(web.db)  # the library's own verification of the same database
    assert expected.ok and "Verified." in notice and expected.root in notice
    # counts in the right number: the world holds several entries and batches, one checkpoint
    assert expected.entries > 1 and expected.batches > 1 and expected.checkpoints == 1
    counts = f"{expected.entries} entries in {expected.batches} signed batches, 1 checkpoint."
    assert counts in " ".join(notice.split())
    web.client.cookies.set("manche_lang", "fr")
    page = web.client.get("/record", headers=HTML)
    done = web.client.post("/record/verify", data={"csrf": form_token(page.text)}, headers=HTML)
    notice = html.fromstring(done.text).xpath("//*[@id='verification']")[0].text_content()
    counts = f"{expected.entries} entrées dans {expected.batches} lots signés, 1 point de contrôle."
    assert counts in " ".join(notice.split())
    web.client.cookies.delete("manche_lang")
    web.client.cookies.clear()
    sign_in(web.client, "uk-analyst")
    assert web.client.post("/record/verify", data={"csrf": "x"}, headers=HTML).status_code == 403
    assert web.client.post("/api/v1/record/verify").status_code == 403
    web.client.cookies.clear()
    sign_in(web.client, "fr-admin")  # an admin verifies but reads no events
    page = web.client.get("/record", headers=HTML)
    assert page.status_code == 200 and not html.fromstring(page.text).xpath("//table[@id='recent']")
    # nor checkpoints: GET /api/v1/log/checkpoint needs a reading role, so the page hides them
    assert not html.fromstring(page.text).xpath("//table[@id='checkpoints']")
    assert web.client.get("/api/v1/log/checkpoint").status_code == 403
