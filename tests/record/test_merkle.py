"""RFC 6962 Merkle tree: the Trillian/CT conformance vectors, and proofs checked against an
independent transcription of RFC 6962 section 2.1 written here (recursive MTH, PATH, PROOF)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from manche.record import merkle

VECTORS = json.loads(
    (
        Path(__file__).parents[1] / "data" / "conformance" / "rfc6962_merkle_tree_vectors.json"
    ).read_text()
)
LEAF_INPUTS = [bytes.fromhex(h) for h in VECTORS["leaf_inputs_hex"]]


# --- RFC 6962 2.1, transcribed independently of the code under test -----------------------
def h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def k_of(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    if not d:
        return h(b"")
    if len(d) == 1:
        return h(b"\x00" + d[0])
    k = k_of(len(d))
    return h(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = k_of(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = k_of(len(d))
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    return subproof(m, d, True)


# -------------------------------------------------------------------------------------------

DATA = [bytes([i]) * (i % 5 + 1) for i in range(21)]  # 21 distinct leaf inputs
LEAVES = [merkle.leaf_hash(d) for d in DATA]


def test_leaf_hashes_match_vectors() -> None:
    assert [merkle.leaf_hash(d).hex() for d in LEAF_INPUTS] == VECTORS["leaf_hashes"]


@pytest.mark.parametrize("size", range(0, 9))
def test_roots_match_vectors(size: int) -> None:
    expected = VECTORS["root_hashes_by_tree_size"][str(size)]
    leaves = [merkle.leaf_hash(d) for d in LEAF_INPUTS[:size]]
    assert merkle.root(leaves).hex() == expected
    frontier = merkle.Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    assert frontier.root().hex() == expected


def test_roots_match_recursive_definition() -> None:
    frontier = merkle.Frontier()
    for n in range(1, len(DATA) + 1):
        frontier.append(LEAVES[n - 1])
        assert merkle.root(LEAVES[:n]) == mth(DATA[:n])
        assert frontier.root() == mth(DATA[:n])


def test_inclusion_proofs_match_and_verify() -> None:
    for n in range(1, len(DATA) + 1):
        tree_root = mth(DATA[:n])
        for m in range(n):
            produced = merkle.inclusion_proof(m, LEAVES[:n])
            assert produced == path(m, DATA[:n])
            assert merkle.verify_inclusion(LEAVES[m], m, n, produced, tree_root)
            # wrong leaf, wrong index, wrong root, tampered path all fail
            other = LEAVES[(m + 1) % n]
            if n > 1:
                assert not merkle.verify_inclusion(other, m, n, produced, tree_root)
            assert not merkle.verify_inclusion(LEAVES[m], m, n, produced, h(b"x"))
            assert not merkle.verify_inclusion(LEAVES[m], n, n, produced, tree_root)
            if produced:
                bad = [h(produced[0]), *produced[1:]]
                assert not merkle.verify_inclusion(LEAVES[m], m, n, bad, tree_root)
                assert not merkle.verify_inclusion(LEAVES[m], m, n, produced[:-1], tree_root)


def test_consistency_proofs_match_and_verify() -> None:
    for n in range(1, len(DATA) + 1):
        new_root = mth(DATA[:n])
        for m in range(1, n + 1):
            old_root = mth(DATA[:m])
            produced = merkle.consistency_proof(m, LEAVES[:n])
            assert produced == (proof(m, DATA[:n]) if m < n else [])
            assert merkle.verify_consistency(m, n, old_root, new_root, produced)
            if m < n:
                assert not merkle.verify_consistency(m, n, h(b"forged"), new_root, produced)
                assert not merkle.verify_consistency(m, n, old_root, h(b"forged"), produced)
                assert not merkle.verify_consistency(m, n, old_root, new_root, [])
                bad = [h(produced[-1]), *produced[1:]] if len(produced) > 1 else [h(b"y")]
                assert not merkle.verify_consistency(m, n, old_root, new_root, bad)


def test_a_rewritten_prefix_is_not_consistent() -> None:
    forked = [merkle.leaf_hash(b"other"), *LEAVES[1:10]]
    old_root = merkle.root(LEAVES[:4])
    new_root = merkle.root(forked)
    produced = merkle.consistency_proof(4, forked)
    assert not merkle.verify_consistency(4, 10, old_root, new_root, produced)
