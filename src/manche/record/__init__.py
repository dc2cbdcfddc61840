"""The record: the append-only, hash-chained, signed log of events and its keys.

Modules: ``canonical`` (RFC 8785 bytes), ``chain`` (SHA-256 hash chain), ``merkle`` (RFC 6962
tree and proofs), ``signing`` (Ed25519 statements), ``keys`` (agency keys), ``schema``
(tables), ``log`` (the store: append, read, proofs, checkpoints), ``verify``, ``replica``
(export/import). The scheme is described byte by byte in docs/record.md.
"""

from __future__ import annotations

from pathlib import Path

from manche.config import get_settings


def keys_dir() -> Path:
    """Where private keys are kept: ``MANCHE_DATA_DIR/keys``."""
    return get_settings().data_dir / "keys"
