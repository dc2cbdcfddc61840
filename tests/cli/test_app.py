"""The CLI's error boundary: a MancheError becomes a message on stderr and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from manche.cli import app
from manche.config import get_settings


def test_bad_database_url_exits_2_with_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MANCHE_DATABASE_URL", "mysql://nowhere/db")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["setup"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "error: MANCHE_DATABASE_URL 'mysql://nowhere/db'" in result.stderr


def test_setup_creates_sqlite_file_in_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MANCHE_DATABASE_URL", raising=False)
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["setup"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "manche.db").exists()
