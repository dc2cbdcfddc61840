"""Registry edits over the API: adding an asset never overwrites one, a misspelt mandate is
refused, and every change is kept with the row before it."""

from __future__ import annotations

from tests.api.conftest import World

NEW = {"code": "UK-BF-TESTER", "name": "HMC Tester", "kind": "cutter", "agency": "UK-BF",
       "speed_kn": 20, "source": "a test"}  # fmt: skip


def test_adding_an_asset_refuses_an_existing_code(world: World) -> None:
    admin = world.auth("UK-admin")
    added = world.client.post("/api/v1/registry/assets", json=NEW, headers=admin)
    assert added.status_code == 201 and added.json()["name"] == "HMC Tester"
    again = world.client.post(
        "/api/v1/registry/assets", json={**NEW, "name": "Something else"}, headers=admin
    )
    assert again.status_code == 409 and again.json()["error"]["field"] == "code"
    row = world.client.get("/api/v1/registry/assets/UK-BF-TESTER", headers=admin).json()
    assert row["name"] == "HMC Tester"
    # an existing seed vessel cannot be replaced through "add" either
    seeded = world.client.post(
        "/api/v1/registry/assets", json={**NEW, "code": "UK-BF-SEEKER"}, headers=admin
    )
    assert seeded.status_code == 409
    # another side's agency, a bad speed: refused naming the field
    theirs = world.client.post(
        "/api/v1/registry/assets",
        json={**NEW, "code": "FR-MN-NEW", "agency": "FR-MN"},
        headers=admin,
    )
    assert theirs.status_code == 403
    fast = world.client.post(
        "/api/v1/registry/assets", json={**NEW, "code": "UK-BF-FAST", "speed_kn": 90},
        headers=admin,
    )  # fmt: skip
    assert fast.status_code == 422 and fast.json()["error"]["field"] == "speed_kn"
    changes = world.client.get("/api/v1/registry/changes", headers=admin).json()
    assert [(c["code"], c["before"], c["changed_by"]) for c in changes] == [
        ("UK-BF-TESTER", None, "uk-admin")
    ]


def test_a_misspelt_mandate_is_refused_and_nothing_changes(world: World) -> None:
    admin = world.auth("UK-admin")
    row = world.client.get("/api/v1/registry/agencies/UK-RNLI", headers=admin).json()
    bad = world.client.put(
        "/api/v1/registry/agencies/UK-RNLI",
        json={**row, "mandate": ["sighting", "rescue", "landng"]},
        headers=admin,
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "mandate"
    assert "'landng'" in bad.json()["error"]["message"]
    assert world.client.get("/api/v1/registry/agencies/UK-RNLI", headers=admin).json() == row
    good = world.client.put(
        "/api/v1/registry/agencies/UK-RNLI",
        json={**row, "mandate": ["sighting", "rescue", "landing"]},
        headers=admin,
    )
    assert good.status_code == 200
    [change] = world.client.get("/api/v1/registry/changes", headers=admin).json()
    assert change["before"] == row and change["after"]["mandate"] == [
        "sighting",
        "rescue",
        "landing",
    ]
