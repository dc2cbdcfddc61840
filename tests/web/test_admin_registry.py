"""Editing the registries from the Admin page: own side only (403 otherwise, as the API), the
field named on bad input with nothing stored, every change in the registry's history."""

from __future__ import annotations

from lxml import html

from tests.api.conftest import World
from tests.web.conftest import form_token, sign_in

HTML = {"accept": "text/html"}


def _links(text: str) -> list[str]:
    return [
        str(a.get("href")) for a in html.fromstring(text).xpath("//div[@class='error-summary']//a")
    ]


def _form_fields(text: str) -> dict[str, str]:
    page = html.fromstring(text)
    fields = {str(i.get("name")): str(i.get("value") or "") for i in page.xpath("//form//input")
              if i.get("type") not in ("checkbox",)}  # fmt: skip
    for select in page.xpath("//form//select"):
        chosen = select.xpath("./option[@selected]") or select.xpath("./option")
        fields[str(select.get("name"))] = str(chosen[0].get("value"))
    for box in page.xpath("//form//input[@type='checkbox'][@checked]"):
        fields[str(box.get("name"))] = str(box.get("value"))
    return fields


def test_an_agency_is_edited_on_the_page_and_the_change_is_kept(web: World) -> None:
    sign_in(web.client, "uk-admin")
    form = web.client.get("/admin/agencies/UK-RNLI", headers=HTML)
    assert form.status_code == 200
    fields = _form_fields(form.text)
    before = web.client.get("/api/v1/registry/agencies/UK-RNLI").json()
    assert fields["name_en"] == before["name_en"]
    assert fields["mandate"] == " ".join(before["mandate"])
    # a misspelt event type: refused naming the mandate, nothing stored
    bad = web.client.post(
        "/admin/agencies/UK-RNLI", data={**fields, "mandate": "sighting rescu"}, headers=HTML
    )
    assert bad.status_code == 422 and _links(bad.text) == ["#mandate"]
    assert web.client.get("/api/v1/registry/agencies/UK-RNLI").json() == before
    empty = web.client.post("/admin/agencies/UK-RNLI", data={**fields, "name_fr": ""}, headers=HTML)
    assert empty.status_code == 422 and _links(empty.text) == ["#name_fr"]
    done = web.client.post(
        "/admin/agencies/UK-RNLI",
        data={**fields, "name_en": "RNLI (Dover and Walmer)"},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303 and "saved=UK-RNLI" in done.headers["location"]
    after = web.client.get("/api/v1/registry/agencies/UK-RNLI").json()
    assert after == {**before, "name_en": "RNLI (Dover and Walmer)"}  # nothing else changed
    [change] = web.client.get("/api/v1/registry/changes").json()
    assert (change["code"], change["changed_by"]) == ("UK-RNLI", "uk-admin")
    assert change["before"] == before and change["after"] == after


def test_the_other_sides_rows_are_refused_on_the_page_as_in_the_api(web: World) -> None:
    sign_in(web.client, "uk-admin")
    csrf = form_token(web.client.get("/admin", headers=HTML).text)
    for path, api in (
        ("/admin/agencies/FR-CROSS-GN", "/api/v1/registry/agencies/FR-CROSS-GN"),
        ("/admin/assets/FR-MN-FLAMANT", "/api/v1/registry/assets/FR-MN-FLAMANT"),
    ):
        row = web.client.get(api).json()
        assert web.client.get(path, headers=HTML).status_code == 403
        posted = web.client.post(path, data={"csrf": csrf, "name": "x"}, headers=HTML)
        assert posted.status_code == 403
        put = web.client.put(api, json=row, headers={"X-CSRF-Token": csrf})
        assert put.status_code == 403
    # moving an own asset to a French agency: refused too
    form = _form_fields(web.client.get("/admin/assets/UK-BF-SEEKER", headers=HTML).text)
    moved = web.client.post(
        "/admin/assets/UK-BF-SEEKER", data={**form, "agency": "FR-MN"}, headers=HTML
    )
    assert moved.status_code == 403
    assert web.client.get("/api/v1/registry/changes").json() == []


def test_an_asset_is_added_and_edited_with_the_field_named_on_bad_input(web: World) -> None:
    sign_in(web.client, "uk-admin")
    fields = _form_fields(web.client.get("/admin/assets/new", headers=HTML).text)
    new = {**fields, "code": "UK-BF-TESTER", "name": "HMC Tester", "kind": "cutter",
           "speed_kn": "22", "source": "a test", "active": "yes"}  # fmt: skip
    for bad, link, status in (
        ({"speed_kn": "fast"}, "#speed_kn", 422),
        ({"speed_kn": "95"}, "#speed_kn", 422),
        ({"code": "uk bf tester"}, "#code", 422),
        ({"source": ""}, "#source", 422),
        ({"code": "UK-BF-SEEKER"}, "#code", 409),  # exists: adding never overwrites
    ):
        page = web.client.post("/admin/assets/new", data={**new, **bad}, headers=HTML)
        assert page.status_code == status, (bad, page.text[:300])
        assert _links(page.text) == [link], bad
    assert web.client.get("/api/v1/registry/changes").json() == []
    done = web.client.post("/admin/assets/new", data=new, headers=HTML, follow_redirects=False)
    assert done.status_code == 303
    added = web.client.get("/api/v1/registry/assets/UK-BF-TESTER").json()
    assert (added["name"], added["agency"], added["speed_kn"], added["active"]) == (
        "HMC Tester", "UK-BF", 22.0, True,
    )  # fmt: skip
    # edit it: mark it inactive (no delete), the history keeps both versions
    form = _form_fields(web.client.get("/admin/assets/UK-BF-TESTER", headers=HTML).text)
    assert form["name"] == "HMC Tester" and form["active"] == "yes"
    del form["active"]
    web.client.post("/admin/assets/UK-BF-TESTER", data=form, headers=HTML)
    assert web.client.get("/api/v1/registry/assets/UK-BF-TESTER").json()["active"] is False
    changes = web.client.get("/api/v1/registry/changes?code=UK-BF-TESTER").json()
    assert [c["before"] is None for c in changes] == [True, False]
    assert changes[1]["before"]["active"] is True and changes[1]["after"]["active"] is False
