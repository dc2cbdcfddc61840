"""``manche ais ingest``: AIS position reports of mapped authority vessels become
asset-position events in the record; the picture uses them for the nearest assets.

Expected counts come from decoding the capture directly with pyais in the test (not through
manche.sources.ais)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyais.stream import FileReaderStream
from typer.testing import CliRunner

from manche.cli import app
from manche.config import get_settings
from manche.record.keys import KeyStore
from manche.storage import open_database
from manche.users import UserStore

CAPTURE = Path(__file__).resolve().parents[1] / "data" / "ais" / "gpsd_ais-nmea.log"
VESSEL = 269057061  # the MMSI with the most position reports in the capture
runner = CliRunner()


def _independent_count(mmsi: int) -> tuple[int, tuple[float, float]]:
    count, first = 0, None
    for message in FileReaderStream(str(CAPTURE)):
        try:
            data = message.decode().asdict()
        except Exception:
            continue
        if data.get("mmsi") == mmsi and data.get("msg_type") in (1, 2, 3, 18, 19, 27):
            count += 1
            first = first or (data["lon"], data["lat"])
    assert first is not None
    return count, first


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MANCHE_DATABASE_URL", f"sqlite:///{tmp_path / 'm.db'}")
    get_settings.cache_clear()
    db = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    KeyStore(db, tmp_path / "data" / "keys").generate("UK-HMCG")
    users = UserStore(db)
    users.add("uk-cg", "UK-HMCG", ["operator"])
    users.add("uk-duty", "UK-HMCG", ["analyst"])
    db.close()
    yield tmp_path
    get_settings.cache_clear()


def test_positions_of_a_mapped_vessel_are_recorded_and_used(env: Path) -> None:
    expected, (lon, lat) = _independent_count(VESSEL)
    received = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    result = runner.invoke(
        app,
        [
            "ais",
            "ingest",
            str(CAPTURE),
            "--as",
            "uk-cg",
            "--map",
            f"{VESSEL}=UK-BF-VALIANT",
            "--received-at",
            received,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["appended"] == expected == body["per_asset"]["UK-BF-VALIANT"]
    assert body["unmapped_reports"] > 0  # every other vessel is counted, not recorded

    # a boat in distress right where the vessel reported itself: it is the nearest asset
    sos = env / "sos.json"
    sos.write_text(
        json.dumps(
            {
                "type": "distress",
                "occurred_at": received,
                "incident": "INC-AIS",
                "kinds": ["signalled"],
                "position": {"lon": lon, "lat": lat},
            }
        )
    )
    assert runner.invoke(app, ["events", "add", str(sos), "--as", "uk-cg"]).exit_code == 0
    detail = runner.invoke(app, ["incident", "INC-AIS", "--as", "uk-duty", "--json"])
    assert detail.exit_code == 0, detail.output
    nearest = json.loads(detail.stdout)["nearest_assets"]
    assert nearest[0]["asset"] == "UK-BF-VALIANT"
    assert nearest[0]["position_basis"].startswith("ais position at")
    assert nearest[1]["position_basis"].startswith("home base")  # no AIS for the others


def test_malformed_sentences_are_counted_never_fatal(env: Path) -> None:
    lines = CAPTURE.read_text().splitlines()[:200]
    mixed = env / "mixed.nmea"
    mixed.write_text(
        "\n".join([*lines[:50], "!AIVDM,1,1,,A,garbage*00", "not nmea at all", *lines[50:]]) + "\n"
    )
    result = runner.invoke(
        app,
        [
            "ais",
            "ingest",
            str(mixed),
            "--as",
            "uk-cg",
            "--map",
            f"{VESSEL}=UK-BF-VALIANT",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decoded"]["malformed"]["count"] >= 1


@pytest.mark.parametrize(
    ("mapping", "message"),
    [("269057061", "expected MMSI=ASSET"), ("269057061=UK-BF-NOSUCH", "UK-BF-NOSUCH")],
)
def test_bad_mappings_exit_2_and_record_nothing(env: Path, mapping: str, message: str) -> None:
    result = runner.invoke(app, ["ais", "ingest", str(CAPTURE), "--as", "uk-cg", "--map", mapping])
    assert result.exit_code == 2
    assert message in result.stderr
    verify = runner.invoke(app, ["log", "verify", "--json"])
    assert json.loads(verify.stdout)["entries"] == 0
