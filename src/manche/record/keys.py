"""Agency signing keys: generated here, kept private on disk, public halves pinned in the DB.

Choice: **private keys live in files**, ``MANCHE_DATA_DIR/keys/<agency>/<key_id>.pem``
(PKCS#8 PEM, unencrypted, file mode 0600 in a 0700 folder), never in the database, so a copy
of the database (a replica, a backup, the other side) never holds a private key. The public
half of every key is **pinned** in ``log_keys`` with its agency; the log only trusts
signatures by pinned keys. The other side's public keys are imported from the JSON that
``export_public`` writes::

    {"agency": "FR-CROSS-GN", "key_id": "3f2a...", "algorithm": "ed25519",
     "public_key": "<raw 32 bytes, base64>"}

An agency may have several keys (rotation): the newest local key signs; older ones still verify.

Public API (stable): :class:`KeyStore`, :class:`PublicKey`, :func:`check_agency_code`.
"""

from __future__ import annotations

import base64
import builtins
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from manche.errors import ConfigurationError, Conflict, InputError, NotFound
from manche.record import schema
from manche.record.signing import Signer, format_time, key_id
from manche.storage import Database

_AGENCY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_agency_code(agency: str) -> str:
    """Agency codes appear in signed texts: letters, digits, ``.``, ``_``, ``-`` only."""
    if not _AGENCY.match(agency):
        raise InputError(
            f"agency code {agency!r}: use letters, digits, '.', '_' or '-' (at most 64)",
            field="agency",
        )
    return agency


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    agency: str
    public_key: bytes
    origin: str
    created_at: str
    has_private: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "key_id": self.key_id,
            "algorithm": "ed25519",
            "public_key": base64.b64encode(self.public_key).decode(),
        }


class KeyStore:
    """Keys of the log in ``db`` with private keys under ``keys_dir``."""

    def __init__(self, db: Database, keys_dir: Path) -> None:
        self.db = db
        self.keys_dir = keys_dir
        schema.ensure(db)

    def _private_path(self, agency: str, kid: str) -> Path:
        return self.keys_dir / agency / f"{kid}.pem"

    def generate(self, agency: str) -> PublicKey:
        """A new key for ``agency``: private file written 0600, public half pinned."""
        check_agency_code(agency)
        private = Ed25519PrivateKey.generate()
        signer = Signer(agency, private)
        folder = self.keys_dir / agency
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.keys_dir, 0o700)
        os.chmod(folder, 0o700)
        path = self._private_path(agency, signer.key_id)
        pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        created = format_time(datetime.now(UTC))
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO log_keys (key_id, agency, public_key, origin, created_at) "
                "VALUES (?, ?, ?, 'local', ?)",
                (signer.key_id, agency, signer.public_key, created),
            )
        return PublicKey(signer.key_id, agency, signer.public_key, "local", created, True)

    def list(self) -> builtins.list[PublicKey]:
        with self.db.transaction() as tx:
            rows = tx.all(
                "SELECT key_id, agency, public_key, origin, created_at FROM log_keys "
                "ORDER BY agency, created_at, key_id"
            )
        return [
            PublicKey(
                row[0], row[1], bytes(row[2]), row[3], row[4],
                self._private_path(row[1], row[0]).exists(),
            )
            for row in rows
        ]  # fmt: skip

    def pinned(self) -> dict[str, PublicKey]:
        """Every pinned public key by key id."""
        return {key.key_id: key for key in self.list()}

    def export_public(self, agency: str) -> builtins.list[dict[str, Any]]:
        keys = [key.to_json() for key in self.list() if key.agency == agency]
        if not keys:
            raise NotFound(f"no key for agency {agency!r}", field="agency")
        return keys

    def import_public(
        self, document: str | dict[str, Any] | builtins.list[Any]
    ) -> builtins.list[PublicKey]:
        """Pin the other side's public key(s) (JSON as written by ``export_public``)."""
        try:
            data = json.loads(document) if isinstance(document, str) else document
        except ValueError as exc:
            raise InputError(f"public key file is not JSON: {exc}") from exc
        items = data if isinstance(data, list) else [data]
        parsed: list[tuple[str, str, bytes]] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError("each key is a JSON object", row=index + 1)
            try:
                agency = check_agency_code(str(item["agency"]))
                raw = base64.b64decode(str(item["public_key"]), validate=True)
            except KeyError as exc:
                raise InputError("missing field", row=index + 1, field=str(exc.args[0])) from exc
            except ValueError as exc:
                raise InputError("not base64", row=index + 1, field="public_key") from exc
            if item.get("algorithm", "ed25519") != "ed25519" or len(raw) != 32:
                raise InputError(
                    "expected a raw 32-byte Ed25519 key", row=index + 1, field="public_key"
                )
            kid = key_id(raw)
            if "key_id" in item and item["key_id"] != kid:
                raise InputError(
                    f"key_id {item['key_id']!r} does not match the key (its id is {kid})",
                    row=index + 1,
                    field="key_id",
                )
            parsed.append((kid, agency, raw))
        created = format_time(datetime.now(UTC))
        done = []
        with self.db.transaction() as tx:
            for kid, agency, raw in parsed:
                row = tx.one("SELECT agency FROM log_keys WHERE key_id = ?", (kid,))
                if row is not None:
                    if row[0] != agency:
                        raise Conflict(f"key {kid} is already pinned for agency {row[0]!r}")
                    continue
                tx.execute(
                    "INSERT INTO log_keys (key_id, agency, public_key, origin, created_at) "
                    "VALUES (?, ?, ?, 'imported', ?)",
                    (kid, agency, raw, created),
                )
                done.append(PublicKey(kid, agency, raw, "imported", created))
        return done

    def signer(self, agency: str) -> Signer:
        """The newest local key of ``agency`` whose private file is here."""
        for key in reversed(self.list()):
            if key.agency == agency and key.origin == "local" and key.has_private:
                path = self._private_path(agency, key.key_id)
                if path.stat().st_mode & 0o077:
                    raise ConfigurationError(
                        f"private key {path} is readable by others; chmod 600 it"
                    )
                private = load_pem_private_key(path.read_bytes(), password=None)
                if not isinstance(private, Ed25519PrivateKey):
                    raise ConfigurationError(f"{path} is not an Ed25519 private key")
                return Signer(agency, private)
        raise NotFound(
            f"no private key for agency {agency!r} here; run `manche keys generate {agency}`",
            field="agency",
        )
