"""`manche intel ...` end to end on a real SQLite log written by two agencies (UK and FR)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from manche.cli import app, output
from manche.config import get_settings
from manche.domain.events import parse_event
from manche.domain.events.examples import example_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import open_database


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("MANCHE_DATABASE_URL", raising=False)
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def ev(type_name: str, **overrides: Any) -> Any:
    return parse_event(example_event(type_name, **overrides))


SECRET_MARK = "LEAK-marker-7f3a"


def seed(data: Path) -> dict[str, str]:
    data.mkdir(parents=True, exist_ok=True)
    db = open_database(f"sqlite:///{data / 'manche.db'}")
    try:
        keys = KeyStore(db, data / "keys")
        ids: dict[str, str] = {}
        fr = [
            ev(
                "launch",
                agency="FR-PAF",
                incident="INC-1",
                place="Gravelines",
                engines=[{"make": "Yamaha", "power_hp": 40, "serial": "6AH-L-1012345"}],
            ),
            ev(
                "seizure",
                agency="FR-PAF",
                incident="INC-2",
                place="Dunkerque",
                engines=[{"make": "Yamaha", "power_hp": 40, "serial": "6AHL1O12345"}],
            ),
        ]
        uk = [
            ev("landing", incident="INC-1", nationalities={"Afghanistan": 20}),
            ev(
                "seizure",
                releasability="uk-only",
                note=SECRET_MARK,
                boat={"hin": "GB-SEC12345D505"},
            ),
            ev("purchase-reported", grade_as_given="B25", note=SECRET_MARK + "-b25"),
        ]
        for agency, events in (("FR-PAF", fr), ("UK-BF", uk)):
            keys.generate(agency)
            Log(db).append(events, keys.signer(agency))
        ids["secret"] = str(uk[1].id)
        ids["b25"] = str(uk[2].id)
        return ids
    finally:
        db.close()


def test_export_for_fr_writes_package_without_withheld(tmp_path: Path) -> None:
    ids = seed(tmp_path / "data")
    out = tmp_path / "to-fr"
    result = run("intel", "export", "--for", "fr", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "package" / "manifest.json").read_text())
    assert manifest["partner"] == "FR" and manifest["records"] == 3 and manifest["withheld"] == 2
    records = json.loads((out / "package" / "records.json").read_text())
    assert {r["type"] for r in records} == {"launch", "seizure", "landing"}
    for path in (out / "package").iterdir():
        text = path.read_text()
        assert SECRET_MARK not in text and ids["secret"] not in text and ids["b25"] not in text
        assert "GB-SEC12345D505" not in text
    audit = json.loads((out / "withheld.json").read_text())
    assert {w["id"] for w in audit["withheld"]} == {ids["secret"], ids["b25"]}
    assert (out / "package" / "records.csv").read_text().startswith("id,type,agency")


def test_export_for_people_lists_what_was_withheld_and_why(tmp_path: Path) -> None:
    seed(tmp_path / "data")  # withheld for FR: a uk-only seizure and a 5x5x5 handling-5 report
    out = tmp_path / "to-fr"
    printed = run("intel", "export", "--for", "fr", "--out", str(out)).stdout
    manifest = json.loads((out / "package" / "manifest.json").read_text())
    reasons = manifest["withheld_by_reason"]
    assert sum(reasons.values()) == 2 and "releasability uk-only" in reasons
    for reason, count in reasons.items():
        assert f"{count:>6,}  {reason}" in printed
    for name, digest in manifest["files_sha256"].items():
        assert f"{name:<13} {digest}" in printed
    assert "fields removed from every record: author" in printed


def test_export_bad_partner_exits_2(tmp_path: Path) -> None:
    seed(tmp_path / "data")
    result = run("intel", "export", "--for", "de", "--out", str(tmp_path / "x"))
    assert result.exit_code == 2 and "expected fr or uk" in result.output


def test_registry_quality_and_craft(tmp_path: Path) -> None:
    seed(tmp_path / "data")
    result = run("intel", "registry", "--json")
    assert result.exit_code == 0, result.output
    crafts = json.loads(result.output)["crafts"]
    engine = next(c for c in crafts if c["kind"] == "engine")
    assert engine["observations"] == 2 and engine["sides"] == ["FR"]
    detail = run("intel", "craft", engine["id"], "--json")
    assert detail.exit_code == 0 and json.loads(detail.output)["links"][0]["rule"] == (
        "ocr-equivalent"
    )
    assert run("intel", "craft", "nope").exit_code == 2
    canoe = run("intel", "registry", "--kind", "canoe")
    assert canoe.exit_code == 2 and "--kind 'canoe': expected boat or engine" in canoe.output
    quality = json.loads(run("intel", "quality", "--json").output)
    fr = next(r for r in quality if r["side"] == "FR")
    assert fr["events"] == 1  # the launch; a seizure is not a crossing event
    assert fr["departure_point"] == {"count": 1, "of": 1, "share": 1.0}
    assert fr["corroborated"] == {"count": 1, "of": 1, "share": 1.0}
    assert run("intel", "quality", "--period", "fortnight").exit_code == 2


def test_craft_for_people_numbers_the_observations_the_links_join(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(tmp_path / "data")  # one Yamaha engine: FR launch (INC-1), FR seizure read with O for 0
    crafts = json.loads(run("intel", "registry", "--json").output)["crafts"]
    engine = next(c for c in crafts if c["kind"] == "engine" and c["sides"] == ["FR"])
    detail = json.loads(run("intel", "craft", engine["id"], "--json").output)
    launch, seizure = detail["seen"]
    assert (launch["type"], seizure["type"]) == ("launch", "seizure")
    assert launch["power_hp"] == 40 and launch["length_m"] is None
    monkeypatch.setattr(output.stdout, "width", 100)
    view = run("intel", "craft", engine["id"])
    lines = view.output.splitlines()
    assert lines[0] == "engine Yamaha 6AHL1012345" and lines[1] == f"id {engine['id']}"
    assert "power 40 hp" in lines
    assert "seen 2 times by FR in 2 incidents (1 crossing): INC-1, INC-2" in lines
    rows = {line.split()[0]: line.split() for line in lines if " FR-PAF " in line}
    assert rows["1"][3:8] == ["FR-PAF", "launch", "INC-1", "Gravelines", "6AH-L-1012345"]
    assert rows["2"][3:8] == ["FR-PAF", "seizure", "INC-2", "Dunkerque", "6AHL1O12345"]
    assert "repaired: read 'O' as '0'" in view.output  # the seizure's finding, under its reading
    link = next(line.split() for line in lines if line.startswith("1-2 "))
    assert link[1:4] == ["ocr-equivalent", "100", "0.95"]
    assert f"1  event {launch['event']}, item engine/0" in lines
    assert f"2  event {seizure['event']}, item engine/0" in lines
    # an analyst's decision, recorded as an event, is shown under the links
    data = tmp_path / "data"
    db = open_database(f"sqlite:///{data / 'manche.db'}")
    try:
        pair = {"a": {"event": launch["event"], "item": "engine/0"},
                "b": {"event": seizure["event"], "item": "engine/0"}}  # fmt: skip
        decision = ev(
            "link-confirmed", agency="FR-PAF", author="fr-an-7", reason="plate photo", **pair
        )
        Log(db).append([decision], KeyStore(db, data / "keys").signer("FR-PAF"))
    finally:
        db.close()
    after = run("intel", "craft", engine["id"]).output
    assert "analysts' decisions (the latest about each pair stands):" in after
    assert "FR-PAF fr-an-7: observation 1 and observation 2 are the same engine: plate photo" in (
        " ".join(after.split())
    )


def test_registry_for_people_lists_possible_links_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    db = open_database(f"sqlite:///{data / 'manche.db'}")
    try:
        keys = KeyStore(db, data / "keys")
        keys.generate("UK-BF")
        # two neighbouring Mercury serials, each seen twice: not joined, offered for review
        events = [
            ev("seizure", engines=[{"make": "Mercury", "serial": serial}])
            for serial in ("0P096282", "0P096282", "0P096283", "0P096283")
        ]
        Log(db).append(events, keys.signer("UK-BF"))
    finally:
        db.close()
    monkeypatch.setattr(output.stdout, "width", 200)
    result = run("intel", "registry", "--kind", "engine")
    assert "2 engines" in result.output
    assert "1 possible link for an analyst to confirm or split" in result.output
    reported = json.loads(run("intel", "registry", "--json").output)["possible_links"]
    assert len(reported) == 1
    assert f"  {reported[0]['a']} - {reported[0]['b']}: " in result.output


def test_a_craft_seen_outside_any_incident_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    db = open_database(f"sqlite:///{data / 'manche.db'}")
    try:
        keys = KeyStore(db, data / "keys")
        keys.generate("UK-BF")
        seized = ev("seizure", incident=None, engines=[{"make": "Mercury", "serial": "0P096282"}])
        Log(db).append([seized], keys.signer("UK-BF"))
    finally:
        db.close()
    monkeypatch.setattr(output.stdout, "width", 100)
    view = run("intel", "craft", f"{seized.id}.engine.0").output.splitlines()
    assert "seen 1 time by UK in no incident" in view


def test_check_commands() -> None:
    result = run("intel", "check-hin", "UK-ABC12345M505", "--json")
    data = json.loads(result.output)
    assert data["valid"] is False
    assert {f["code"] for f in data["findings"]} >= {"country", "month_letter"}
    serial = json.loads(
        run("intel", "check-serial", "--make", "Mercury", "OP096282", "--json").output
    )
    assert serial["canonical"] == "0P096282"
    grade = json.loads(run("intel", "grade", "B24", "--json").output)
    assert grade["code"] == "1AC" and "originator-only" in grade["grading"]["conditions"]


def test_check_commands_for_people_say_what_was_read_then_each_problem() -> None:
    # ISO 10087: country, manufacturer code, serial, month letter A-L (B = February),
    # production year digit, model year
    clean = run("intel", "check-hin", "US-ABC12345B505", "--year", "2005").output.splitlines()
    assert clean[0] == "US-ABC12345B505 (iso-10087): valid"
    assert (
        clean[1] == "country US, MIC ABC, serial 12345, month 2, production 2005, model year 2005"
    )
    assert clean[2] == "no problems found"
    one = run("intel", "check-hin", "O").output
    assert "O (unrecognised): malformed\n1 problem:" in one
    assert "1 character; a CIN has 14" in one and "None" not in one
    # Yamaha templates: DAAHDDDDDDD, DAAHDDDDDD, DAADDDDDDD, DAADDDDDD (docs/intelligence.md §1)
    long = run("intel", "check-serial", "--make", "Yamaha", "63VL100774233").output
    assert "13 characters; Yamaha serials have 9, 10 or 11" in " ".join(long.split())
    bad = run("intel", "check-serial", "--make", "Yamahaa", "63V!L10#").output
    assert "4 problems:" in bad and bad.count("impossible_character") == 2


def test_tables_show_every_value_whole_in_an_80_column_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is cut short with an ellipsis: the craft id (given to `intel craft`) comes back
    whole from its folded cell, and the quality table fits with its period whole."""
    seed(tmp_path / "data")
    crafts = json.loads(run("intel", "registry", "--json").output)["crafts"]
    periods = {r["period"] for r in json.loads(run("intel", "quality", "--json").output)}
    monkeypatch.setenv("COLUMNS", "80")
    registry = run("intel", "registry").output
    assert "…" not in registry
    first_column = "".join(
        line.split("│")[1].strip() for line in registry.splitlines() if line.count("│") > 2
    )
    for craft in crafts:
        assert craft["id"] in first_column
    quality = run("intel", "quality").output
    assert "…" not in quality and "corrob." in quality
    assert max(len(line) for line in quality.splitlines()) <= 80
    for period in periods:
        assert period in quality


def test_nationalities_and_enforcement_print_tables_for_people(tmp_path: Path) -> None:
    seed(tmp_path / "data")
    data = json.loads(run("intel", "nationalities", "--json").output)
    assert data  # the seeded landing's nationalities
    people = run("intel", "nationalities").output
    assert not people.lstrip().startswith("{")  # a table, not the JSON
    for period, counts in data.items():
        for nationality, count in counts.items():
            row = next(line for line in people.splitlines() if nationality in line)
            assert period in row and f" {count} " in row
    compared = run("intel", "nationalities", "--compare").output
    assert "official" in compared and "no quarter of the record is covered" in compared
    enforcement = json.loads(run("intel", "enforcement", "--json").output)
    table = run("intel", "enforcement").output
    assert enforcement  # the seeded seizure
    for row in enforcement:
        assert row["place"] in table
