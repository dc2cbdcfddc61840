"""Passwords for the web login: scrypt with a random salt, never stored in clear."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manche.cli import app
from manche.config import get_settings
from manche.errors import InputError, Unauthenticated
from manche.storage import Database
from manche.users import UserStore
from manche.users.passwords import PasswordStore

SECRET = "correct horse battery staple"


@pytest.fixture
def store(database: Database) -> PasswordStore:
    users = UserStore(database)
    users.add("bf-op-0142", "UK-BF", ["operator"])
    users.add("gn-an-0007", "FR-CROSS-GN", ["analyst"])
    return PasswordStore(database, users)


def test_set_and_check(store: PasswordStore, database: Database) -> None:
    store.set("bf-op-0142", SECRET)
    store.set("gn-an-0007", SECRET)
    login = store.check("bf-op-0142", SECRET)
    assert login.principal.user_id == "bf-op-0142" and login.principal.side.value == "UK"
    with database.transaction() as tx:
        rows = tx.all("SELECT user_id, hash, salt, n FROM user_passwords ORDER BY user_id")
    # salted: the same password gives two different hashes; the password is nowhere in clear
    assert bytes(rows[0][1]) != bytes(rows[1][1]) and bytes(rows[0][2]) != bytes(rows[1][2])
    assert all(SECRET.encode() not in bytes(r[1]) + bytes(r[2]) for r in rows)
    # an independent recomputation with hashlib.scrypt and the stored parameters matches
    uk = rows[0]
    expected = hashlib.scrypt(SECRET.encode(), salt=bytes(uk[2]), n=int(uk[3]), r=8, p=1, dklen=32)
    assert expected == bytes(uk[1]) and int(uk[3]) >= 2**14


def test_refusals_look_the_same(store: PasswordStore) -> None:
    store.set("bf-op-0142", SECRET)
    messages = set()
    for user, password in (("bf-op-0142", "wrong password!"), ("nobody-here", SECRET)):
        with pytest.raises(Unauthenticated) as refused:
            store.check(user, password)
        messages.add(refused.value.message)
    assert len(messages) == 1
    with pytest.raises(Unauthenticated):
        store.check("gn-an-0007", SECRET)  # no password set yet


def test_weak_password_refused_and_revoked_user_cannot_log_in(store: PasswordStore) -> None:
    with pytest.raises(InputError) as short:
        store.set("bf-op-0142", "short")
    assert short.value.field == "password"
    assert not store.has_password("bf-op-0142")
    store.set("bf-op-0142", SECRET)
    store.users.revoke("bf-op-0142")
    with pytest.raises(Unauthenticated):
        store.check("bf-op-0142", SECRET)


def test_new_password_ends_old_sessions(store: PasswordStore) -> None:
    store.set("bf-op-0142", SECRET)
    first = store.check("bf-op-0142", SECRET).password_version
    assert store.session_principal("bf-op-0142", first).user_id == "bf-op-0142"
    store.set("bf-op-0142", SECRET + " again")
    with pytest.raises(Unauthenticated):
        store.session_principal("bf-op-0142", first)


@pytest.fixture
def cli(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MANCHE_DATABASE_URL", database.url)
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_reads_the_password_from_stdin(cli: CliRunner, database: Database) -> None:
    UserStore(database).add("bf-op-0142", "UK-BF", ["operator"])
    result = cli.invoke(app, ["users", "password", "bf-op-0142", "--json"], input=SECRET + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"user": "bf-op-0142", "password_set": True}
    assert PasswordStore(database).check("bf-op-0142", SECRET).principal.agency == "UK-BF"
    weak = cli.invoke(app, ["users", "password", "bf-op-0142"], input="abc\n")
    assert weak.exit_code == 2 and "at least 12 characters" in weak.output
