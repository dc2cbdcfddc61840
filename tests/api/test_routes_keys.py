"""Signing keys over the API: generate (rotation), export in the CLI's format, pin the other
side's keys; private keys never leave the data folder."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from manche.record.keys import KeyStore
from manche.record.log import Log
from tests.api.conftest import World, sighting


def _public(raw_private: Ed25519PrivateKey) -> str:
    raw = raw_private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def test_a_new_key_signs_from_then_on_and_the_old_one_still_verifies(
    world: World, data_dir: Path
) -> None:
    admin = world.auth("UK-admin")
    before = {k["key_id"] for k in world.client.get("/api/v1/keys", headers=admin).json()}
    made = world.client.post("/api/v1/keys", json={"agency": "UK-BF"}, headers=admin)
    assert made.status_code == 201
    key = made.json()
    assert key["key_id"] not in before and key["private_key_here"] is True
    # the private key is a 0600 file in the data folder, never in an answer
    pem = (data_dir / "keys" / "UK-BF" / f"{key['key_id']}.pem").read_text()
    assert (data_dir / "keys" / "UK-BF" / f"{key['key_id']}.pem").stat().st_mode & 0o077 == 0
    assert "PRIVATE" in pem and pem.splitlines()[1] not in made.text
    posted = world.client.post("/api/v1/events", json=sighting(), headers=world.auth("UK-operator"))
    assert posted.status_code == 201
    report = world.client.post("/api/v1/record/verify", headers=world.auth("UK-auditor")).json()
    assert report["ok"] and report["failure"] is None, report
    signed = {b.key_id for b in Log(world.db).batches() if b.agency == "UK-BF"}
    assert key["key_id"] in signed and signed - {key["key_id"]}  # old batches: the old key


def test_public_keys_download_is_the_export_public_format(world: World, data_dir: Path) -> None:
    admin = world.auth("UK-admin")
    one = world.client.get("/api/v1/keys/public?agency=UK-BF", headers=admin)
    assert one.status_code == 200 and "attachment" in one.headers["content-disposition"]
    assert one.json() == KeyStore(world.db, data_dir / "keys").export_public("UK-BF")
    side = world.client.get("/api/v1/keys/public", headers=admin).json()
    assert {k["agency"] for k in side} == {"UK-BF", "UK-RNLI"}
    assert all(set(k) == {"agency", "key_id", "algorithm", "public_key"} for k in side)


def test_pinning_takes_the_other_sides_keys_only_all_or_nothing(world: World) -> None:
    admin = world.auth("UK-admin")
    theirs = [{"agency": "FR-PAF", "algorithm": "ed25519",
               "public_key": _public(Ed25519PrivateKey.generate())}]  # fmt: skip
    mine = {"agency": "UK-HMCG", "algorithm": "ed25519",
            "public_key": _public(Ed25519PrivateKey.generate())}  # fmt: skip
    count = len(world.client.get("/api/v1/keys", headers=admin).json())
    refused = world.client.post("/api/v1/keys/import", json=[*theirs, mine], headers=admin)
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "keys"
    bad = world.client.post(
        "/api/v1/keys/import", json=[*theirs, {"agency": "FR-PAF", "public_key": "abc"}],
        headers=admin,
    )  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "public_key"
    assert len(world.client.get("/api/v1/keys", headers=admin).json()) == count
    pinned = world.client.post("/api/v1/keys/import", json=theirs, headers=admin)
    assert pinned.status_code == 200
    [added] = pinned.json()
    assert added["origin"] == "imported" and added["private_key_here"] is False
    assert len(added["key_id"]) == 16
    again = world.client.post("/api/v1/keys/import", json=theirs, headers=admin)
    assert again.json() == []  # already pinned: nothing new


def test_a_key_for_the_other_sides_agency_is_refused(world: World) -> None:
    refused = world.client.post(
        "/api/v1/keys", json={"agency": "FR-CROSS-GN"}, headers=world.auth("UK-admin")
    )
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "agency"
    unknown = world.client.post(
        "/api/v1/keys", json={"agency": "UK-NOPE"}, headers=world.auth("UK-admin")
    )
    assert unknown.status_code == 404
