"""``manche events add FILE --as USER`` (JSON or JSON Lines, all or nothing, exit 2 naming the
line and field) and ``manche events list`` with the API's filters and releasability."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from manche.cli import app, output
from manche.config import get_settings
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import Database
from manche.users import UserStore


def _sighting(**fields: Any) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=10)
    return {"type": "sighting", "occurred_at": moment.isoformat(), "source": "radar",
            "position": {"lon": 1.5, "lat": 51.0}, **fields}  # fmt: skip


@pytest.fixture
def cli(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MANCHE_DATABASE_URL", database.url)
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    users = UserStore(database)
    users.add("bf-op-1", "UK-BF", ["operator", "analyst"])
    users.add("cross-an-1", "FR-CROSS-GN", ["analyst"])
    KeyStore(database, tmp_path / "data" / "keys").generate("UK-BF")
    yield CliRunner()
    get_settings.cache_clear()


def test_add_json_lines_then_list_with_filters_and_releasability(
    cli: CliRunner, database: Database, tmp_path: Path
) -> None:
    lines = [
        _sighting(incident="INC-CLI-1"),
        _sighting(incident="INC-CLI-1", releasability="uk-only"),
        _sighting(incident="INC-CLI-2"),
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in lines) + "\n\n", encoding="utf-8")
    added = cli.invoke(app, ["events", "add", str(path), "--as", "bf-op-1", "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["accepted"] == 3
    assert Log(database).size() == 3

    def listed(user: str, *args: str) -> list[dict[str, Any]]:
        result = cli.invoke(app, ["events", "list", "--as", user, "--json", *args])
        assert result.exit_code == 0, result.output
        return [item["event"] for item in json.loads(result.stdout)["events"]]

    assert [e["incident"] for e in listed("bf-op-1", "--incident", "INC-CLI-1")] == [
        "INC-CLI-1"
    ] * 2
    assert all(e["agency"] == "UK-BF" and e["author"] == "bf-op-1" for e in listed("bf-op-1"))
    # the FR analyst never sees the uk-only one
    assert [e["releasability"] for e in listed("cross-an-1")] == ["shared", "shared"]
    assert listed("cross-an-1", "--bbox", "1.4,50.9,1.6,51.1", "--type", "sighting")
    assert listed("cross-an-1", "--since", datetime.now(UTC).isoformat()) == []


def test_bad_line_exits_2_naming_line_and_field_and_stores_nothing(
    cli: CliRunner, database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "events.jsonl"
    lines = [_sighting(), _sighting(), _sighting(position={"lon": 1.5, "lat": 95})]
    path.write_text("\n".join(json.dumps(e) for e in lines), encoding="utf-8")
    result = cli.invoke(app, ["events", "add", str(path), "--as", "bf-op-1"])
    assert result.exit_code == 2
    assert f"{path}, line 3, field 'position.lat'" in result.stderr
    assert result.stderr.count("'position.lat'") == 1  # named once
    assert Log(database).size() == 0

    array = tmp_path / "events.json"
    array.write_text(json.dumps([_sighting(), _sighting(agency="FR-CROSS-GN")]), encoding="utf-8")
    result = cli.invoke(app, ["events", "add", str(array), "--as", "bf-op-1"])
    assert result.exit_code == 2
    assert "item 2, field 'agency'" in result.stderr
    assert Log(database).size() == 0

    result = cli.invoke(app, ["events", "add", str(array), "--as", "cross-an-1"])
    assert result.exit_code == 2 and Log(database).size() == 0


def test_add_says_how_many_events_and_where_they_went_in_the_log(
    cli: CliRunner, database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(_sighting()) for _ in range(2)), encoding="utf-8")
    two = cli.invoke(app, ["events", "add", str(path), "--as", "bf-op-1"])
    assert two.stdout.strip() == "2 events appended as UK-BF; seq 0-1"  # an empty log: 0 first
    path.write_text(json.dumps(_sighting()), encoding="utf-8")
    one = cli.invoke(app, ["events", "add", str(path), "--as", "bf-op-1"])
    assert one.stdout.strip() == "1 event appended as UK-BF; seq 2"
    assert Log(database).size() == 3


def test_a_5x5x5_grade_is_mapped_kept_as_given_or_refused_naming_the_line(
    cli: CliRunner, database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "graded.jsonl"
    bad = [_sighting(grading={"scheme": "5x5x5", "code": "A11"}),
           _sighting(grading={"scheme": "5x5x5", "code": "A16"})]  # fmt: skip
    path.write_text("\n".join(json.dumps(e) for e in bad), encoding="utf-8")
    result = cli.invoke(app, ["events", "add", str(path), "--as", "bf-op-1"])
    assert result.exit_code == 2
    assert f"{path}, line 2, field 'grading'" in result.stderr
    assert "'A16' is not a 5x5x5 code" in result.stderr
    assert Log(database).size() == 0

    # docs/intelligence.md: A -> 1 (reliable), 1 -> A (known directly), handling 1 -> P
    path.write_text(json.dumps(bad[0]), encoding="utf-8")
    assert cli.invoke(app, ["events", "add", str(path), "--as", "bf-op-1"]).exit_code == 0
    listed = cli.invoke(app, ["events", "list", "--as", "bf-op-1", "--json"])
    grading = json.loads(listed.stdout)["events"][0]["event"]["grading"]
    assert grading == {"source": "1", "intelligence": "A", "handling": "P", "conditions": None,
                       "as_given": {"scheme": "5x5x5", "code": "A11"}}  # fmt: skip


def test_the_list_keeps_words_whole_and_marks_a_shortened_note(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An 80-column terminal gets four columns of several lines; a note longer than the
    preview ends with an ellipsis in the table and is whole in --json."""
    note = "Boat seen drifting north of the Sandettie bank, engine cover missing, " * 2
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_sighting(incident="INC-CLI-LIST-0001", note=note)))
    assert cli.invoke(app, ["events", "add", str(path), "--as", "bf-op-1"]).exit_code == 0
    data = json.loads(cli.invoke(app, ["events", "list", "--as", "bf-op-1", "--json"]).stdout)
    (item,) = data["events"]
    assert item["event"]["note"] == note  # the store keeps it whole, as written
    date, time = item["event"]["occurred_at"].split("T")
    for width in (80, 160):
        monkeypatch.setattr(output.stdout, "width", width)
        shown = cli.invoke(app, ["events", "list", "--as", "bf-op-1"]).stdout
        lines = shown.splitlines()
        assert max(len(line) for line in lines) <= width
        for word in ("sighting", "UK-BF", "shared", "INC-CLI-LIST-0001", date, time):
            assert any(word in line for line in lines), (width, word)
        assert "…" in shown and "Sandettie" in shown
        header = next(line for line in lines if "┃ seq" in line)
        assert ("releasability" in header) is (width == 160)
