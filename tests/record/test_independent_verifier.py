"""The other side's view: verify an export with nothing but hashlib, json and cryptography,
following docs/record.md ("The log"), without importing Manche's record code."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from manche.domain.events import Event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.replica import export_lines
from manche.record.signing import Signer

MakeEvents = Callable[..., list[Event]]


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 2.1 over already leaf-hashed inputs."""
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def independent_verify(lines: list[str], public_keys: dict[str, bytes]) -> int:
    prev = bytes(32)
    all_leaves: list[bytes] = []
    records = [json.loads(line) for line in lines]
    batches = [r for r in records if r["kind"] == "batch"]
    entries = [r for r in records if r["kind"] == "entry"]
    for batch in batches:
        mine = entries[batch["first_seq"] : batch["first_seq"] + batch["count"]]
        leaves = []
        for entry in mine:
            body = entry["body"].encode("utf-8")
            assert json.loads(body)["agency"] == batch["agency"]
            h = sha(prev + entry["seq"].to_bytes(8, "big") + body)
            assert h.hex() == entry["entry_hash"]
            leaves.append(sha(b"\x00" + h))
            prev = h
        all_leaves += leaves
        statement = (
            f"manche-batch-v1\nagency={batch['agency']}\nkey_id={batch['key_id']}\n"
            f"first_seq={batch['first_seq']}\ncount={batch['count']}\n"
            f"root={mth(leaves).hex()}\nlast_entry_hash={prev.hex()}\n"
            f"signed_at={batch['signed_at']}\n"
        ).encode()
        Ed25519PublicKey.from_public_bytes(public_keys[batch["key_id"]]).verify(
            bytes.fromhex(batch["signature"]), statement
        )
    for cp in (r for r in records if r["kind"] == "checkpoint"):
        statement = (
            f"manche-checkpoint-v1\nagency={cp['agency']}\nkey_id={cp['key_id']}\n"
            f"tree_size={cp['tree_size']}\nroot={mth(all_leaves[: cp['tree_size']]).hex()}\n"
            f"timestamp={cp['timestamp']}\n"
        ).encode()
        Ed25519PublicKey.from_public_bytes(public_keys[cp["key_id"]]).verify(
            bytes.fromhex(cp["signature"]), statement
        )
    return len(entries)


def test_export_verifies_with_independent_code(
    log: Log, signer: Signer, keystore: KeyStore, make_events: MakeEvents, tmp_path: Path
) -> None:
    log.append(make_events(5), signer)
    log.checkpoint(signer)
    log.append(make_events(3), signer)
    log.checkpoint(signer)
    keys = {k["key_id"]: base64.b64decode(k["public_key"]) for k in keystore.export_public("UK-BF")}
    assert independent_verify(list(export_lines(log)), keys) == 8
