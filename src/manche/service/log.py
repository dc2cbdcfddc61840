"""The one place the service layer touches the signed log of :mod:`manche.record`.

:class:`LogGateway` forwards to the record's public API (``Log``, ``KeyStore``) and turns its
results into JSON for the API and CLI, so a change in the record's API is absorbed here. The
signing key of an agency is loaded once (``MANCHE_DATA_DIR/keys``, see
:mod:`manche.record.keys`) and kept while it is the agency's newest local key: each append
asks the database for that key id (one indexed row), so a key generated since (rotation, from
the Admin page or ``manche keys generate``) signs from the next batch on, without a restart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from manche.config import get_settings
from manche.domain.events import Event
from manche.errors import ConfigurationError, NotFound
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

    def _newest_local_key(self, agency: str) -> str | None:
        with self.db.transaction() as tx:
            found = tx.scalar(
                "SELECT key_id FROM log_keys WHERE agency = ? AND origin = 'local'"
                " ORDER BY created_at DESC, key_id DESC LIMIT 1",
                (agency,),
            )
        return None if found is None else str(found)

    def signer(self, agency: str) -> Signer:
        signer = self._signers.get(agency)
        if signer is None or signer.key_id != self._newest_local_key(agency):
            try:
                signer = self._signers[agency] = self.keys.signer(agency)
            except NotFound as exc:
                # Not the caller's fault, and it must not read as "no such thing": the server
                # cannot sign for this agency until an admin gives it a key.
                raise ConfigurationError(
                    f"this server holds no signing key for {agency}, so it cannot append its "
                    f"events; an admin runs `manche keys generate {agency}` (nothing appended)"
                ) from exc
        return signer

    def append(self, events: Sequence[Event]) -> list[int]:
        """Append one batch, signed by its agency's key, all or nothing; the entries' seqs."""
        batch = self.log.append(events, self.signer(events[0].agency))
        return list(range(batch.first_seq, batch.first_seq + batch.count))

    def batch_span(self, seq: int) -> tuple[int, int]:
        """(first seq, count) of the signed batch that holds entry ``seq``."""
        batch = self.log.batch_of(seq)
        return batch.first_seq, batch.count

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
