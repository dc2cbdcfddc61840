"""The one place the service layer touches the signed log of :mod:`manche.record`.

:class:`LogGateway` forwards to the record's public API (``Log``, ``KeyStore``) and turns its
results into JSON for the API and CLI, so a change in the record's API is absorbed here. The
signing key of an agency is looked up once (``MANCHE_DATA_DIR/keys``, see
:mod:`manche.record.keys`) and kept for the life of the gateway.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from manche.config import get_settings
from manche.domain.events import Event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.record.signing import Signer
from manche.storage import Database


class LogGateway:
    def __init__(self, db: Database, keys_dir: Path | None = None) -> None:
        self.db = db
        self.log = Log(db)
        self.keys = KeyStore(db, keys_dir or get_settings().data_dir / "keys")
        self._signers: dict[str, Signer] = {}

    def signer(self, agency: str) -> Signer:
        signer = self._signers.get(agency)
        if signer is None:
            signer = self._signers[agency] = self.keys.signer(agency)
        return signer

    def append(self, events: Sequence[Event]) -> list[int]:
        """Append one batch, signed by its agency's key, all or nothing; the entries' seqs."""
        batch = self.log.append(events, self.signer(events[0].agency))
        return list(range(batch.first_seq, batch.first_seq + batch.count))

    def entries_after(self, after: int, *, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """Up to ``limit`` entries with seq > ``after``, in order, as (seq, event JSON)."""
        return [
            (entry.seq, json.loads(entry.body))
            for entry in islice(self.log.entries(since=after + 1), limit)
        ]

    def checkpoint(self) -> dict[str, Any]:
        """The latest signed checkpoint, and the log's current size."""
        data = self.log.latest_checkpoint().to_json()
        return {"checkpoint": data, "log_size": self.log.size()}

    def inclusion_proof(self, seq: int, tree_size: int | None) -> dict[str, Any]:
        entry = self.log.entry(seq)
        size = tree_size if tree_size is not None else self.log.size()
        path = self.log.inclusion_proof(seq, size)
        batch, batch_path = self.log.batch_inclusion_proof(seq)
        return {
            "seq": seq,
            "tree_size": size,
            "leaf_hash": entry.leaf_hash.hex(),
            "entry_hash": entry.entry_hash.hex(),
            "root": self.log.root(size).hex(),
            "audit_path": [h.hex() for h in path],
            "batch": batch.to_json(),
            "batch_audit_path": [h.hex() for h in batch_path],
        }

    def consistency_proof(self, first: int, second: int) -> dict[str, Any]:
        path = self.log.consistency_proof(first, second)
        return {
            "first": first,
            "second": second,
            "first_root": self.log.root(first).hex(),
            "second_root": self.log.root(second).hex(),
            "proof": [h.hex() for h in path],
        }
