"""`manche keys ...` and `manche log ...` end to end: two sides (UK, FR) with their own data
folders; the FR side keeps a verified replica of the UK log."""

from __future__ import annotations

import json
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from manche.cli import app
from manche.config import get_settings
from manche.domain.events import parse_event
from manche.domain.events.examples import example_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import open_database


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MANCHE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(monkeypatch: pytest.MonkeyPatch, side: Path, *args: str) -> Result:
    monkeypatch.setenv("MANCHE_DATA_DIR", str(side))
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args))


def uk_log_with_events(monkeypatch: pytest.MonkeyPatch, uk: Path) -> None:
    assert run(monkeypatch, uk, "keys", "generate", "UK-BF").exit_code == 0
    db = open_database(f"sqlite:///{uk / 'manche.db'}")
    try:
        signer = KeyStore(db, uk / "keys").signer("UK-BF")
        Log(db).append([parse_event(example_event(t)) for t in ("launch", "rescue")], signer)
    finally:
        db.close()


def test_keys_generate_list_and_file_mode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    uk = tmp_path / "uk"
    result = run(monkeypatch, uk, "keys", "generate", "UK-BF", "--json")
    assert result.exit_code == 0, result.output
    key = json.loads(result.stdout)
    private = uk / "keys" / "UK-BF" / f"{key['key_id']}.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    listed = json.loads(run(monkeypatch, uk, "keys", "list", "--json").stdout)
    assert [(k["agency"], k["key_id"], k["private_key_here"]) for k in listed] == [
        ("UK-BF", key["key_id"], True)
    ]
    bad = run(monkeypatch, uk, "keys", "generate", "UK BF\nx")
    assert bad.exit_code == 2 and "agency code" in bad.stderr


def test_replica_round_trip(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    uk, fr = tmp_path / "uk", tmp_path / "fr"
    uk_log_with_events(monkeypatch, uk)
    checkpoint = run(monkeypatch, uk, "log", "checkpoint", "--json")
    assert checkpoint.exit_code == 0, checkpoint.output
    assert json.loads(checkpoint.stdout)["tree_size"] == 2
    export = tmp_path / "uk.jsonl"
    assert run(monkeypatch, uk, "log", "export", "--for", "FR", "-o", str(export)).exit_code == 0
    public = tmp_path / "uk.pub.json"
    assert run(monkeypatch, uk, "keys", "export-public", "UK-BF", "-o", str(public)).exit_code == 0

    refused = run(monkeypatch, fr, "log", "import", str(export))
    assert refused.exit_code == 2 and "not pinned here" in refused.stderr
    assert run(monkeypatch, fr, "keys", "import-public", str(public)).exit_code == 0
    imported = run(monkeypatch, fr, "log", "import", str(export), "--json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["entries_added"] == 2
    verified = run(monkeypatch, fr, "log", "verify", "--json")
    assert verified.exit_code == 0
    uk_verified = json.loads(run(monkeypatch, uk, "log", "verify", "--json").stdout)
    assert json.loads(verified.stdout)["root"] == uk_verified["root"]
    latest = run(monkeypatch, fr, "log", "checkpoint", "--latest", "--json")
    assert json.loads(latest.stdout) == json.loads(checkpoint.stdout)


def test_export_redacts_one_sided_entries_for_the_other_side(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    uk, fr = tmp_path / "uk", tmp_path / "fr"
    uk_log_with_events(monkeypatch, uk)  # two shared events
    db = open_database(f"sqlite:///{uk / 'manche.db'}")
    secret = example_event(
        "sighting", id=str(uuid.uuid4()), releasability="uk-only", note="source HUMINT-7",
        incident="INC-2026-0999",
    )  # fmt: skip
    try:
        signer = KeyStore(db, uk / "keys").signer("UK-BF")
        Log(db).append([parse_event(secret)], signer)
    finally:
        db.close()
    export = tmp_path / "for-fr.jsonl"
    done = run(monkeypatch, uk, "log", "export", "--for", "FR", "-o", str(export), "--json")
    assert done.exit_code == 0, done.output
    # 2 batches + 3 entries, no checkpoint; the uk-only sighting is the one redacted entry
    assert json.loads(done.stdout) | {"file": None} == {
        "lines": 5, "file": None, "since": 0, "for": "FR", "entries": 3, "redacted": 1,
    }  # fmt: skip
    assert done.stderr.startswith("3 entries exported, 1 of them redacted for FR (5 lines")
    text = export.read_text(encoding="utf-8")
    for withheld in (secret["id"], "HUMINT-7", "uk-only", "INC-2026-0999", "sighting"):
        assert withheld not in text
    assert json.loads(text.splitlines()[4]) == {
        "kind": "entry", "seq": 2, "entry_hash": json.loads(text.splitlines()[4])["entry_hash"],
        "redacted": True,
    }  # fmt: skip
    public = tmp_path / "uk.pub.json"
    assert run(monkeypatch, uk, "keys", "export-public", "UK-BF", "-o", str(public)).exit_code == 0
    assert run(monkeypatch, fr, "keys", "import-public", str(public)).exit_code == 0
    imported = run(monkeypatch, fr, "log", "import", str(export), "--json")
    assert imported.exit_code == 0, imported.output
    summary = json.loads(imported.stdout)
    assert (summary["entries_added"], summary["entries_redacted"]) == (3, 1)
    verified = run(monkeypatch, fr, "log", "verify")
    assert verified.exit_code == 0
    assert "OK: 3 entries (1 of them redacted) in 2 signed batches" in verified.stdout
    # the proof of a redacted entry still verifies on the replica
    assert run(monkeypatch, fr, "log", "proof", "2").exit_code == 0
    # a UK replica may hold everything: nothing redacted
    own = run(monkeypatch, uk, "log", "export", "--for", "UK", "-o", str(tmp_path / "uk.jsonl"))
    assert own.exit_code == 0 and own.stderr.startswith("3 entries exported, 0 of them redacted")
    bodies = [json.loads(line).get("body", "{}") for line in (tmp_path / "uk.jsonl").open()]
    assert [json.loads(b).get("releasability") for b in bodies].count("uk-only") == 1
    missing = run(monkeypatch, uk, "log", "export")
    assert missing.exit_code == 2  # the recipient must be named


def test_verify_failure_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    uk = tmp_path / "uk"
    uk_log_with_events(monkeypatch, uk)
    db = open_database(f"sqlite:///{uk / 'manche.db'}")
    with db.transaction() as tx:
        tx.execute("UPDATE log_entries SET body = body || ' ' WHERE seq = 1")
    db.close()
    result = run(monkeypatch, uk, "log", "verify", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["failure"]["where"] == "entry 1"
    assert "error: FAILED at entry 1" in result.stderr


def test_import_bad_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = run(monkeypatch, tmp_path / "fr", "log", "import", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "batch"}\n')
    result = run(monkeypatch, tmp_path / "fr", "log", "import", str(bad))
    assert result.exit_code == 2 and "row 1" in result.stderr


def test_proofs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    uk = tmp_path / "uk"
    uk_log_with_events(monkeypatch, uk)
    result = run(monkeypatch, uk, "log", "proof", "0", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tree_size"] == 2 and len(data["path"]) == 1
    db = open_database(f"sqlite:///{uk / 'manche.db'}")
    try:
        log = Log(db)
        # RFC 6962: the audit path of leaf 0 in a tree of 2 is the other leaf's hash
        assert data["path"] == [log.entry(1).leaf_hash.hex()]
        assert data["root"] == log.root().hex()
    finally:
        db.close()
    consistency = json.loads(run(monkeypatch, uk, "log", "consistency", "1", "--json").stdout)
    assert consistency["new_size"] == 2 and consistency["path"] == data["path"]
    missing = run(monkeypatch, uk, "log", "proof", "5")
    assert missing.exit_code == 2 and "not in a tree of 2" in missing.stderr
