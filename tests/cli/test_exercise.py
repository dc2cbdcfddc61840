"""``manche exercise`` and ``manche stats consistency`` end to end on a fresh database.

Official figures quoted here were read from the bundled spreadsheet
small_boats_time_series_2026-08-21.ods, sheet SB_01: 29/04/2025 -> 422 migrants, 8 boats,
0 boats in uncontrolled landings; 06/09/2025 -> 1101, 18, 1 ('Revised'); 01/01/2025 -> 0, 0, 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manche.cli import app
from manche.config import get_settings
from manche.storage import open_database
from manche.users import UserStore

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MANCHE_DATABASE_URL", f"sqlite:///{tmp_path / 'm.db'}")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_exercise_day_matches_the_official_figures_and_is_idempotent(env: Path) -> None:
    first = runner.invoke(app, ["exercise", "--date", "2025-04-29", "--json"])
    assert first.exit_code == 0, first.output
    body = json.loads(first.stdout)
    assert (body["migrants"], body["boats"], body["uncontrolled_boats"]) == (422, 8, 0)
    assert body["batches_appended"] > 0 and not body["already_loaded"]
    assert "Imported" in first.stderr or "import" in first.stderr.lower()  # stats on first use

    again = runner.invoke(app, ["exercise", "--date", "2025-04-29", "--json"])
    assert again.exit_code == 0
    assert json.loads(again.stdout)["already_loaded"] is True
    assert "already in the record" in again.stderr

    check = runner.invoke(app, ["stats", "consistency", "--exercise", "--json"])
    assert check.exit_code == 0, check.output
    (day,) = json.loads(check.stdout)["days"]
    assert day["date"] == "2025-04-29"
    assert day["record"] == {"migrants": 422, "boats": 8, "uncontrolled_landings": 0}
    assert day["official"] == day["record"] and day["matches"] is True

    real_only = runner.invoke(app, ["stats", "consistency", "--json"])
    assert json.loads(real_only.stdout)["days"] == []  # exercise events are not real arrivals

    db = open_database(f"sqlite:///{env / 'm.db'}")
    UserStore(db).add("uk-duty", "UK-HMCG", ["analyst"])
    db.close()
    picture = runner.invoke(app, ["picture", "--as", "uk-duty", "--json"])
    incidents = json.loads(picture.stdout)["incidents"]
    assert len(incidents) == 8
    assert all(i["exercise"] and i["outcome"] == "landed-uk" for i in incidents)

    verify = runner.invoke(app, ["log", "verify", "--json"])
    assert verify.exit_code == 0, verify.output


def test_uncontrolled_landings_follow_the_official_day(env: Path) -> None:
    result = runner.invoke(app, ["exercise", "--date", "2025-09-06", "--seed", "5", "--json"])
    assert result.exit_code == 0, result.output
    assert "Generated a signing key for UK-BF" in result.stderr  # first exercise: new keys
    other = runner.invoke(app, ["exercise", "--date", "2025-04-29", "--json"])
    assert other.exit_code == 0, other.output
    assert "Generated" not in other.stderr  # the agencies' keys are reused
    check = runner.invoke(
        app, ["stats", "consistency", "--exercise", "--from", "2025-09-06", "--json"]
    )
    (day,) = json.loads(check.stdout)["days"]
    assert day["record"] == {"migrants": 1101, "boats": 18, "uncontrolled_landings": 1}
    assert day["matches"] is True


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "expected a date YYYY-MM-DD"),
        ("2025-01-01", "0 people in 0 boats"),
        ("2030-01-01", "no published figure"),
    ],
)
def test_bad_dates_exit_2_and_write_nothing(env: Path, value: str, message: str) -> None:
    result = runner.invoke(app, ["exercise", "--date", value])
    assert result.exit_code == 2
    assert message in result.stderr
    verify = runner.invoke(app, ["log", "verify", "--json"])
    assert json.loads(verify.stdout)["entries"] == 0
