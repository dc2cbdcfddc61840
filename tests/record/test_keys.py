"""Agency keys: private files 0600, public halves pinned, exchange with the other side."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from manche.errors import ConfigurationError, Conflict, InputError, NotFound
from manche.record.keys import KeyStore
from manche.storage import Database


def test_generate_pins_public_and_keeps_private_0600(keystore: KeyStore) -> None:
    key = keystore.generate("UK-BF")
    path = keystore.keys_dir / "UK-BF" / f"{key.key_id}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key.key_id == hashlib.sha256(key.public_key).hexdigest()[:16]
    signer = keystore.signer("UK-BF")
    assert signer.public_key == key.public_key
    assert [k.key_id for k in keystore.list()] == [key.key_id]


def test_private_key_readable_by_others_refused(keystore: KeyStore) -> None:
    key = keystore.generate("UK-BF")
    os.chmod(keystore.keys_dir / "UK-BF" / f"{key.key_id}.pem", 0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        keystore.signer("UK-BF")


def test_newest_key_signs(keystore: KeyStore) -> None:
    keystore.generate("UK-BF")
    newer = keystore.generate("UK-BF")
    assert keystore.signer("UK-BF").key_id == newer.key_id
    assert len(keystore.list()) == 2


def test_export_import_between_sides(database: Database, tmp_path: Path) -> None:
    fr = KeyStore(database, tmp_path / "fr-keys")
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    document = json.dumps(
        {"agency": "UK-BF", "algorithm": "ed25519", "public_key": base64.b64encode(other).decode()}
    )
    added = fr.import_public(document)
    assert [(k.agency, k.origin) for k in added] == [("UK-BF", "imported")]
    assert fr.import_public(document) == []  # idempotent
    assert fr.export_public("UK-BF")[0]["public_key"] == base64.b64encode(other).decode()
    with pytest.raises(NotFound, match="no private key"):
        fr.signer("UK-BF")  # a public key alone cannot sign
    clash = json.dumps({"agency": "FR-CROSS-GN", "public_key": base64.b64encode(other).decode()})
    with pytest.raises(Conflict, match="already pinned for agency 'UK-BF'"):
        fr.import_public(clash)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ('{"agency": "UK-BF"}', "public_key"),
        ('{"agency": "UK-BF", "public_key": "!!"}', "public_key"),
        ('{"agency": "UK-BF", "public_key": "AAAA"}', "public_key"),
        ('{"agency": "bad agency", "public_key": "AAAA"}', "agency"),
        (
            json.dumps(
                {
                    "agency": "UK-BF",
                    "key_id": "0000",
                    "public_key": base64.b64encode(bytes(32)).decode(),
                }
            ),
            "key_id",
        ),
    ],
)
def test_bad_public_key_documents(keystore: KeyStore, document: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        keystore.import_public(document)
    assert info.value.field == field
    assert keystore.list() == []
