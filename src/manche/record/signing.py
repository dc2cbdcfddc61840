"""Ed25519 signatures: who signs what, byte for byte.

Two kinds of statement are signed, each a short UTF-8 text of ``name=value`` lines, every line
ending in ``\\n``, hashes in lowercase hex, times as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC):

Batch (one per append, by the agency whose events it holds)::

    manche-batch-v1
    agency=<agency code>
    key_id=<key id>
    first_seq=<decimal>
    count=<decimal>
    root=<RFC 6962 root over the batch's leaf hashes, hex>
    last_entry_hash=<entry hash of the batch's last entry, hex>
    signed_at=<time>

Checkpoint (a signed tree head, by the agency issuing it)::

    manche-checkpoint-v1
    agency=<agency code>
    key_id=<key id>
    tree_size=<decimal>
    root=<RFC 6962 root over the whole log's first tree_size leaf hashes, hex>
    timestamp=<time>

The signature is Ed25519 (RFC 8032, pure) over exactly those bytes. A key's id is the first
16 hex digits of SHA-256 of its raw 32-byte public key.

Public API (stable): :class:`Signer`, :func:`key_id`, :func:`batch_message`,
:func:`checkpoint_message`, :func:`verify_signature`, :func:`format_time`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def key_id(public_key: bytes) -> str:
    """The id of a raw 32-byte Ed25519 public key."""
    return sha256(public_key).hexdigest()[:16]


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Signer:
    """An agency's private key, ready to sign."""

    agency: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return raw_public(self.private_key.public_key())

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def batch_message(
    *,
    agency: str,
    key_id: str,
    first_seq: int,
    count: int,
    root: bytes,
    last_entry_hash: bytes,
    signed_at: str,
) -> bytes:
    return (
        "manche-batch-v1\n"
        f"agency={agency}\n"
        f"key_id={key_id}\n"
        f"first_seq={first_seq}\n"
        f"count={count}\n"
        f"root={root.hex()}\n"
        f"last_entry_hash={last_entry_hash.hex()}\n"
        f"signed_at={signed_at}\n"
    ).encode()


def checkpoint_message(
    *, agency: str, key_id: str, tree_size: int, root: bytes, timestamp: str
) -> bytes:
    return (
        "manche-checkpoint-v1\n"
        f"agency={agency}\n"
        f"key_id={key_id}\n"
        f"tree_size={tree_size}\n"
        f"root={root.hex()}\n"
        f"timestamp={timestamp}\n"
    ).encode()


def verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
