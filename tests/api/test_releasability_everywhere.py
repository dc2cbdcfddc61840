"""Releasability on the other areas' reading routes too: a uk-only event recorded through the
API never reaches a French caller through the live picture or an incident page, and a fr-only
one never reaches a British caller (the area's own suites test the rest of their behaviour)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from manche.api.app import create_app
from manche.domain.values import Side
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.replica import export_lines, import_lines
from manche.storage import open_database
from manche.users import UserStore
from manche.users.passwords import PasswordStore
from tests.api.conftest import World
from tests.web.conftest import PASSWORD, sign_in

OTHER = {"UK": "fr-only", "FR": "uk-only"}


def test_the_live_picture_and_incident_pages_respect_releasability(world: World) -> None:
    for side in ("UK", "FR"):
        headers = world.auth(f"{side}-analyst")
        hidden = world.events[OTHER[side]]
        incident = f"INC-{OTHER[side]}"
        picture = world.client.get("/api/v1/picture", headers=headers)
        assert picture.status_code == 200, picture.text
        assert hidden["id"] not in picture.text and incident not in picture.text, side
        page = world.client.get(f"/api/v1/incidents/{incident}", headers=headers)
        assert page.status_code == 404, (side, page.text)
        own = world.client.get(f"/api/v1/incidents/INC-{OTHER['FR' if side == 'UK' else 'UK']}",
                               headers=headers)  # fmt: skip
        assert own.status_code == 200, (side, own.text)


def test_a_redacted_replica_serves_each_reading_as_the_full_log_does(
    world: World, data_dir: Path, tmp_path: Path
) -> None:
    """The FR replica of the world's log (its uk-only entry redacted) answers an FR analyst
    exactly as the full log does, on the API and on the Record page, and knows nothing of the
    uk-only event."""
    replica = open_database(f"sqlite:///{tmp_path / 'fr-replica.db'}")
    try:
        pinned = KeyStore(replica, tmp_path / "replica-keys")
        source_keys = KeyStore(world.db, data_dir / "keys")
        for agency in ("UK-BF", "FR-CROSS-GN"):
            pinned.import_public(source_keys.export_public(agency))
        summary = import_lines(Log(replica), export_lines(Log(world.db), for_side=Side.FR))
        assert (summary.entries_added, summary.entries_redacted) == (3, 1)
        UserStore(replica).add("fr-analyst", "FR-CROSS-GN", ["analyst"])
        token = UserStore(replica).issue_token("fr-analyst").token
        PasswordStore(replica).set("fr-analyst", PASSWORD)
        hidden = world.events["uk-only"]
        with TestClient(create_app(replica)) as client:
            headers = {"Authorization": f"Bearer {token}"}
            for path in ("/api/v1/events", "/api/v1/intel/quality", "/api/v1/intel/crafts",
                         "/api/v1/intel/nationalities"):  # fmt: skip
                mine = client.get(path, headers=headers)
                full = world.client.get(path, headers=world.auth("FR-analyst"))
                assert mine.status_code == full.status_code == 200, (path, mine.text)
                assert mine.json() == full.json(), path
            listed = client.get("/api/v1/events", headers=headers).json()["events"]
            assert {e["event"]["incident"] for e in listed} == {"INC-shared", "INC-fr-only"}
            picture = client.get("/api/v1/picture", headers=headers)
            assert picture.status_code == 200 and "INC-shared" in picture.text
            assert hidden["id"] not in picture.text and "INC-uk-only" not in picture.text
            gone = client.get(f"/api/v1/events/{hidden['id']}", headers=headers)
            assert gone.status_code == 404
            proof = client.get(f"/api/v1/log/proof/inclusion/{hidden['seq']}", headers=headers)
            assert proof.status_code == 404
            sign_in(client, "fr-analyst")
            page = client.get("/record", headers={"accept": "text/html"})
            assert page.status_code == 200
            assert "INC-fr-only" in page.text and "INC-uk-only" not in page.text
            assert hidden["id"] not in page.text
    finally:
        replica.close()
