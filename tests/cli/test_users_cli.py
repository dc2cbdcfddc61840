"""``manche users``: add, list (--json), token (shown once), revoke."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manche.cli import app
from manche.config import get_settings
from manche.errors import Unauthenticated
from manche.storage import Database
from manche.users import UserStore


@pytest.fixture
def cli(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MANCHE_DATABASE_URL", database.url)
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_users_add_list_token_revoke(cli: CliRunner, database: Database) -> None:
    added = cli.invoke(
        app, ["users", "add", "bf-op-0142", "--agency", "UK-BF", "--role", "operator,analyst",
              "--token", "--json"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    data = json.loads(added.stdout)
    assert data["roles"] == ["operator", "analyst"] and data["side"] == "UK"
    assert UserStore(database).authenticate(data["token"]).user_id == "bf-op-0142"

    listed = json.loads(cli.invoke(app, ["users", "list", "--json"]).stdout)
    assert [(u["id"], u["active_tokens"]) for u in listed] == [("bf-op-0142", 1)]
    assert "token" not in listed[0]  # a token is shown once, at issue, never again

    issued = cli.invoke(app, ["users", "token", "bf-op-0142", "--label", "laptop", "--json"])
    second = json.loads(issued.stdout)
    tokens = json.loads(
        cli.invoke(app, ["users", "token", "bf-op-0142", "--list", "--json"]).stdout
    )
    assert [t["label"] for t in tokens] == ["", "laptop"]
    assert all("token" not in t for t in tokens)

    revoked = cli.invoke(app, ["users", "revoke", "bf-op-0142", "--json"])
    assert json.loads(revoked.stdout)["revoked_at"] is not None
    for token in (data["token"], second["token"]):
        with pytest.raises(Unauthenticated):
            UserStore(database).authenticate(token)


def test_users_add_bad_input_exits_2_naming_the_field(cli: CliRunner) -> None:
    result = cli.invoke(
        app, ["users", "add", "bf-op-1", "--agency", "UK-NOWHERE", "--role", "operator"]
    )
    assert result.exit_code == 2
    assert "field 'agency'" in result.stderr and "UK-NOWHERE" in result.stderr
    result = cli.invoke(app, ["users", "add", "bf-op-1", "--agency", "UK-BF", "--role", "boss"])
    assert result.exit_code == 2 and "unknown role 'boss'" in result.stderr
    assert json.loads(cli.invoke(app, ["users", "list", "--json"]).stdout) == []
