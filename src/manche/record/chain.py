"""The hash chain: each entry's hash covers the previous entry's hash and the event.

    entry_hash(seq) = SHA-256( prev_hash || uint64_be(seq) || body )

- ``prev_hash`` is the 32-byte ``entry_hash`` of entry ``seq - 1``; for entry 0 it is
  :data:`GENESIS`, 32 zero bytes;
- ``seq`` is the entry's position in the log, from 0, as 8 bytes big-endian;
- ``body`` is the event's canonical JSON (RFC 8785) in UTF-8, see :mod:`manche.record.canonical`.

The entry hash is also the entry's leaf input in the Merkle tree
(leaf hash = SHA-256(0x00 || entry_hash)).

Public API (stable): :data:`GENESIS`, :func:`entry_hash`, :func:`chain`.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha256

GENESIS = bytes(32)


def entry_hash(prev_hash: bytes, seq: int, body: bytes) -> bytes:
    return sha256(prev_hash + seq.to_bytes(8, "big") + body).digest()


def chain(prev_hash: bytes, first_seq: int, bodies: Iterable[bytes]) -> list[bytes]:
    """Entry hashes of consecutive bodies starting at ``first_seq`` after ``prev_hash``."""
    hashes = []
    seq = first_seq
    for body in bodies:
        prev_hash = sha256(prev_hash + seq.to_bytes(8, "big") + body).digest()
        hashes.append(prev_hash)
        seq += 1
    return hashes
