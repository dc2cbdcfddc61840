"""The CLI's error boundary: a MancheError becomes a message on stderr and exit status 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
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


def _commands(group: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, [*path, name])
        else:
            yield path, command


def test_command_lists_print_each_summary_unbroken() -> None:
    """Typer's rich help kept a docstring's source line breaks, so `manche intel --help`
    printed "... (JSON and CSV), a" and went on with "manifest ..." on the next line. On a
    terminal wide enough, every command's summary (its help up to the first blank line) is one
    line of its group's list."""
    root = typer.main.get_command(app)
    checked = 0
    for path, command in _commands(root, []):
        listing = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "400"})
        assert listing.exit_code == 0, listing.output
        summary = " ".join((command.help or "").split("\n\n")[0].split())
        assert summary, f"manche {' '.join(path)} {command.name} has no help"
        lines = [line for line in listing.output.splitlines() if f" {command.name} " in line]
        assert any(summary in line for line in lines), (path, command.name, summary, lines)
        checked += 1
    assert checked > 50
