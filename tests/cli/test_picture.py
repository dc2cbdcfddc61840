"""``manche picture`` / ``manche incident`` end to end: events added with ``manche events add``
as a French operator, read back as a UK analyst."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manche.cli import app, output
from manche.config import get_settings
from manche.record.keys import KeyStore
from manche.storage import open_database
from manche.users import UserStore

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MANCHE_DATABASE_URL", f"sqlite:///{tmp_path / 'm.db'}")
    get_settings.cache_clear()
    db = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    users = UserStore(db)
    KeyStore(db, tmp_path / "data" / "keys").generate("FR-CROSS-GN")
    users.add("fr-op", "FR-CROSS-GN", ["operator"])
    users.add("uk-duty", "UK-HMCG", ["analyst"])
    users.add("uk-admin", "UK-HMCG", ["admin"])
    db.close()
    yield tmp_path
    get_settings.cache_clear()


def _engine_failure(incident: str, t: datetime, people: int) -> list[dict[str, object]]:
    """A boat of ``people`` sighted off Gravelines 40 minutes before ``t``, in distress
    (engine failure) 20 minutes later."""
    start = t - timedelta(minutes=40)
    return [
        {
            "type": "sighting",
            "occurred_at": start.isoformat(),
            "incident": incident,
            "source": "aircraft",
            "position": {"lon": 2.05, "lat": 51.05},
            "persons": {"total": people},
        },
        {
            "type": "distress",
            "occurred_at": (start + timedelta(minutes=20)).isoformat(),
            "incident": incident,
            "kinds": ["engine-failure"],
            "position": {"lon": 2.0, "lat": 51.06},
        },
    ]


def _add_as_france(env: Path, lines: list[dict[str, object]]) -> None:
    path = env / "events.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    added = runner.invoke(app, ["events", "add", str(path), "--as", "fr-op"])
    assert added.exit_code == 0, added.output


def test_events_added_by_france_show_in_the_uk_picture(env: Path) -> None:
    t = datetime.now(UTC) - timedelta(minutes=40)
    hidden = {
        "type": "sighting",
        "occurred_at": t.isoformat(),
        "incident": "INC-CLI-2",
        "source": "radar",
        "position": {"lon": 1.9, "lat": 51.02},
        "releasability": "fr-only",
    }
    _add_as_france(env, [*_engine_failure("INC-CLI-1", datetime.now(UTC), 52), hidden])

    shown = runner.invoke(app, ["picture", "--as", "uk-duty", "--json"])
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.stdout)
    assert body["side"] == "UK"
    assert [i["ref"] for i in body["incidents"]] == ["INC-CLI-1"]  # the fr-only one is not
    (incident,) = body["incidents"]
    assert (incident["state"], incident["sar_phase"]) == ("in-distress", "ALERFA")
    assert incident["zone"] == "FR-TS"  # 2.0E 51.06N: off Gravelines, French waters
    assert incident["responsible_centre"] == "CROSS Gris-Nez"

    detail = runner.invoke(app, ["incident", "INC-CLI-1", "--as", "uk-duty", "--json"])
    assert detail.exit_code == 0, detail.output
    data = json.loads(detail.stdout)
    assert [e["type"] for e in data["timeline"]] == ["sighting", "distress"]
    assert data["phases"][0]["rule"] == "SAR-ENGINE"

    table = runner.invoke(app, ["picture", "--as", "uk-duty"])
    assert "INC-CLI-1" in table.stdout and "proxy" in table.stdout


def test_unknown_incident_and_role_without_reading_exit_2(env: Path) -> None:
    missing = runner.invoke(app, ["incident", "INC-NONE", "--as", "uk-duty"])
    assert missing.exit_code == 2
    assert "no incident 'INC-NONE'" in missing.stderr
    admin = runner.invoke(app, ["picture", "--as", "uk-admin"])
    assert admin.exit_code == 2
    assert "read events" in admin.stderr


def test_the_picture_keeps_words_whole_in_narrow_and_wide_terminals(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nine columns need about 100 characters: an 80-column terminal gets fewer columns of
    several lines (state over SAR phase; zone, position, centre), not words broken in two."""
    _add_as_france(env, _engine_failure("INC-CLI-NARROW", datetime.now(UTC), 48))
    words = ["INC-CLI-NARROW", "in-distress", "ALERFA", "FR-TS", "51.060,", "2.000", "Gris-Nez"]
    for width in (80, 130):
        monkeypatch.setattr(output.stdout, "width", width)
        shown = runner.invoke(app, ["picture", "--as", "uk-duty"]).stdout
        assert max(len(line) for line in shown.splitlines()) <= width
        for word in words:
            assert any(word in line for line in shown.splitlines()), (width, word)
        assert "Picture for UK (1 incident)" in shown
        header = next(line for line in shown.splitlines() if "┃ incident" in line)
        assert ("SAR" in header) is (width == 130)  # its own column only when there is room
        assert "48 aboard" in shown if width == 80 else " 48 " in shown
