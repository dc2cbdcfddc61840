"""The Merkle tree of RFC 6962 (Certificate Transparency), section 2.1, over the log's entries.

- leaf hash  = SHA-256(0x00 || leaf input)
- node hash  = SHA-256(0x01 || left || right)
- the root of n leaves splits at k, the largest power of two smaller than n; the empty tree's
  root is SHA-256 of the empty string.

In Manche the leaf input of entry ``seq`` is its 32-byte chain hash (see
:mod:`manche.record.chain`). Proofs are the RFC 6962 audit path (``PATH(m, D[n])``) and
consistency proof (``PROOF(m, D[n])``); the verifiers follow RFC 9162 sections 2.1.3.2 and
2.1.4.2. Proof generation here reads every leaf hash of the tree (O(n)); nothing else is stored.

Public API (stable): :func:`leaf_hash`, :func:`node_hash`, :func:`root`, :class:`Frontier`,
:func:`inclusion_proof`, :func:`consistency_proof`, :func:`verify_inclusion`,
:func:`verify_consistency`, :data:`EMPTY_ROOT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

EMPTY_ROOT = sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def root(leaves: Sequence[bytes]) -> bytes:
    """Root of the tree over ``leaves`` (already leaf-hashed), bottom-up; equal to RFC 6962's
    recursive definition (an odd node at the end of a level is carried up unchanged)."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:
        paired = [
            sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


class Frontier:
    """The roots of the perfect subtrees covering the leaves appended so far (a compact range):
    append in O(1) amortised, the root of the whole tree at any moment in O(log n)."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), heights strictly decreasing

    def append(self, leaf: bytes) -> None:
        height, node = 0, leaf
        stack = self._stack
        while stack and stack[-1][0] == height:
            node = sha256(b"\x01" + stack.pop()[1] + node).digest()
            height += 1
        stack.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = sha256(b"\x01" + left + node).digest()
        return node


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path for leaf ``index`` in the tree over ``leaves`` (RFC 6962 2.1.1)."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of size {len(leaves)}")
    return _path(index, leaves, 0, len(leaves))


def _path(m: int, leaves: Sequence[bytes], start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(m, leaves, start, start + k), root(leaves[start + k : end])]
    return [*_path(m - k, leaves, start + k, end), root(leaves[start : start + k])]


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Proof that the tree of ``old_size`` leaves is a prefix of the tree over ``leaves``
    (RFC 6962 2.1.2). Empty when old_size is 0 or equals the new size."""
    new_size = len(leaves)
    if not 0 <= old_size <= new_size:
        raise ValueError(f"cannot prove size {old_size} against size {new_size}")
    if old_size in (0, new_size):
        return []
    return _subproof(old_size, leaves, 0, new_size, True)


def _subproof(m: int, leaves: Sequence[bytes], start: int, end: int, complete: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [root(leaves[start:end])]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves, start, start + k, complete), root(leaves[start + k : end])]
    return [*_subproof(m - k, leaves, start + k, end, False), root(leaves[start : start + k])]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does ``proof`` show leaf hash ``leaf`` at ``index`` under the root?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: does ``proof`` show the old tree is a prefix of the new one?"""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
