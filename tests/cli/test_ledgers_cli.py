"""``manche returns`` and ``manche equipment`` on the real signed log (SQLite and PostgreSQL).

The demo scenario (tests/data/ledgers/demo.jsonl, synthetic) is appended to the log in signed
batches, one per agency, with keys generated here; the commands then rebuild the ledgers from
the log as a caseworker of each side. Expected figures are worked out by hand from
make_demo.py:

- returns removed: RET-101 on 18 Sep (ISO week 38), RET-102 on 25 Sep (week 39);
- admissions arrived: ADM-201 (1 person) on 20 Sep (week 38), ADM-202 (2 persons) on 27 Sep
  (week 39): cumulative at week 39 is 2 returns against 3 admissions (balance -1);
- committed: returns 101 and 102 (106 is excluded on the UK side by a ``uk-only`` event, which
  France cannot see, so France counts 3); admissions 1 + 2 + 1 visa (ADM-205) = 4;
- life jackets: FR-MN at Calais 100 - 60 + 148 = 188; UK-BF at Dover 180 - 150 - 50 = -20.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from manche.cli import app
from manche.config import get_settings
from manche.domain.events import Event, parse_event
from manche.record.keys import KeyStore
from manche.record.log import Log
from manche.storage import Database
from manche.users import UserStore

DEMO = Path(__file__).resolve().parent.parent / "data" / "ledgers" / "demo.jsonl"


def demo_events() -> list[Event]:
    return [parse_event(line) for line in DEMO.read_text().splitlines() if line.strip()]


@pytest.fixture
def recorded(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The demo appended to the log (one signed batch per agency); caseworkers on both sides."""
    keys = KeyStore(database, tmp_path / "data" / "keys")
    by_agency: dict[str, list[Event]] = defaultdict(list)
    for event in demo_events():
        by_agency[event.agency].append(event)
    log = Log(database)
    for agency, events in by_agency.items():
        keys.generate(agency)
        log.append(events, keys.signer(agency))
    users = UserStore(database)
    users.add("cw-uk-0007", "UK-HO", ["caseworker"])
    users.add("cw-fr-0003", "FR-PAF", ["caseworker"])
    users.add("an-uk-0001", "UK-HO", ["analyst"])
    users.add("op-bf-0001", "UK-BF", ["operator", "caseworker"])
    monkeypatch.setenv("MANCHE_DATABASE_URL", database.url)
    monkeypatch.setenv("MANCHE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield database
    get_settings.cache_clear()


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    return result


def run_json(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_balance_from_the_log(recorded: Database) -> None:
    data = run_json("returns", "balance", "--as", "cw-uk-0007")
    weeks = {w["week"]: w for w in data["weeks"]}
    assert (weeks["2025-W38"]["returns_removed"], weeks["2025-W38"]["admissions_arrived"]) == (1, 1)
    assert (
        weeks["2025-W39"]["cumulative_returns"],
        weeks["2025-W39"]["cumulative_admissions"],
    ) == (2, 3)
    assert weeks["2025-W39"]["balance"] == -1
    assert (data["committed_returns"], data["committed_admissions"]) == (2, 4)
    one = run_json("returns", "balance", "--as", "cw-uk-0007", "--week", "2025-W39")
    assert [w["week"] for w in one["weeks"]] == ["2025-W39"]


def test_each_side_sees_what_is_releasable_to_it(recorded: Database) -> None:
    """The UK-only exclusion of RET-106 is invisible to France: the French caseworker sees the
    case accepted (3 committed returns), the UK caseworker sees it excluded (2)."""
    uk = run_json("returns", "case", "RET-2025-000106", "--as", "cw-uk-0007")
    fr = run_json("returns", "case", "RET-2025-000106", "--as", "cw-fr-0003")
    assert (uk["state"], uk["exclusions"]) == ("excluded", ["suspensive_appeal"])
    assert (fr["state"], fr["exclusions"]) == ("accepted", [])
    assert run_json("returns", "balance", "--as", "cw-fr-0003")["committed_returns"] == 3


def test_same_reading_from_the_log_and_from_the_file(recorded: Database) -> None:
    from_log = run_json("returns", "cases", "--as", "cw-uk-0007")
    from_file = run_json("returns", "cases", "--events", str(DEMO))
    assert from_log == from_file


def test_overdue_and_flags(recorded: Database) -> None:
    """On 10 October: RET-107's request went on 24 Sep, answer due 8 Oct (2 days over); RET-108
    arrived 25 Sep, request due 9 Oct (1 day over)."""
    data = run_json("returns", "overdue", "--as", "cw-uk-0007", "--as-of", "2025-10-10")
    assert [(o["case_number"], o["days_over"]) for o in data["overdue"]] == [
        ("RET-2025-000107", 2),
        ("RET-2025-000108", 1),
    ]
    flags = run_json("returns", "flags", "--as", "cw-uk-0007")["flags"]
    assert {(f["subject"], f["rule"]) for f in flags} == {
        ("RET-2025-000104", "return.adult_or_accompanied_minor"),
        ("RET-2025-000105", "return.request_within_14_days"),
        ("ADM-2025-000204", "admission.voluntary_in_france"),
    }


def test_report_files_read_back(recorded: Database, tmp_path: Path) -> None:
    ods, csv_path = tmp_path / "balance.ods", tmp_path / "balance.csv"
    result = run(
        "returns", "report", "--as", "cw-uk-0007", "--ods", str(ods), "--csv", str(csv_path)
    )
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(ods))
    assert book.sheet_names == ["Cover_sheet", "Notes", "RB_01"]
    rows = book.get_sheet_by_name("RB_01").to_python()
    header, last = rows[0], dict(zip(rows[0], rows[-1], strict=True))
    assert header[0] == "Week (ISO)"
    assert last["Week (ISO)"] == "2025-W40"
    assert (last["Cumulative returns"], last["Cumulative admissions"]) == (2.0, 3.0)
    assert csv_path.read_text().splitlines()[0].startswith("Week (ISO),Week starting")


def test_check_refuses_a_day_15_request_and_stores_nothing(
    recorded: Database, tmp_path: Path
) -> None:
    """RET-2025-000108 arrived on 25 September: a request on 10 October is day 15."""
    size = Log(recorded).size()
    candidate = tmp_path / "request.jsonl"
    candidate.write_text(json.dumps({
        "type": "return-request-sent", "agency": "UK-HO", "author": "cw-uk-0007",
        "occurred_at": "2025-10-10T09:00:00Z", "recorded_at": "2025-10-10T09:00:00Z",
        "case_number": "RET-2025-000108",
    }) + "\n")  # fmt: skip
    result = run("returns", "check", str(candidate), "--as", "cw-uk-0007")
    assert result.exit_code == 2
    assert "day 15" in result.stderr and "return.request_within_14_days" in result.stderr
    assert Log(recorded).size() == size


def test_ledgers_need_the_caseworker_role(recorded: Database) -> None:
    result = run("returns", "balance", "--as", "an-uk-0001")
    assert result.exit_code == 2
    assert "caseworker" in result.stderr


def test_equipment_stock_and_reconcile(recorded: Database) -> None:
    stock = run_json("equipment", "stock", "--as", "op-bf-0001")["stock"]
    assert {(s["agency"], s["location"], s["equipment"], s["quantity"]) for s in stock} == {
        ("FR-MN", "calais", "life_jacket", 188),
        ("UK-BF", "dover", "life_jacket", -20),
        ("UK-BF", "dover", "thermal_blanket", 0),
    }
    rec = run_json("equipment", "reconcile", "--as", "op-bf-0001", "--as-of", "2025-10-10")
    statuses = {h["reference"]: (h["status"], h["overdue"]) for h in rec["handovers"]}
    assert statuses == {
        "ho-2025-09-10-dover": ("mismatch", False),
        "ho-2025-09-24-dover": ("awaiting_receipt", True),
        "ho-2025-09-26-dover": ("awaiting_receipt", True),
    }
    assert {f["rule"] for f in rec["flags"]} == {
        "equipment.handover_mismatch",
        "equipment.stock_negative",
    }


def test_statement_signed_with_the_record_key(recorded: Database, tmp_path: Path) -> None:
    from manche.service.ledgers import verify_statement

    result = run("equipment", "statement", "--between", "UK-BF", "--and", "FR-MN", "--from",
                 "2025-09-01", "--to", "2025-09-30", "--as", "op-bf-0001", "--sign")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["statement"]["totals"]["UK-BF->FR-MN"]["life_jacket"] == {
        "sent": 200,
        "received": 148,
    }
    assert data["signature"]["agency"] == "UK-BF"
    pinned = KeyStore(recorded, tmp_path / "data" / "keys").pinned()
    assert verify_statement(data["statement"], data["signature"], pinned)
    tampered = json.loads(json.dumps(data["statement"]))
    tampered["totals"]["UK-BF->FR-MN"]["life_jacket"]["received"] = 150
    assert not verify_statement(tampered, data["signature"], pinned)
    assert data["endorsement_event"]["statement_sha256"] == data["sha256"]
    assert parse_event({**data["endorsement_event"], "author": "op-bf-0001",
                        "recorded_at": data["endorsement_event"]["occurred_at"]})  # fmt: skip


def test_bad_week_and_missing_source(recorded: Database) -> None:
    bad = run("returns", "balance", "--as", "cw-uk-0007", "--week", "38")
    assert bad.exit_code == 2 and "ISO week" in bad.stderr
    none = run("returns", "balance")
    assert none.exit_code == 2 and "--as USER" in none.stderr
