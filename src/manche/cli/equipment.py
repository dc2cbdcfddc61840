"""``manche equipment ...``: the equipment ledger (stock, movements, reconciliation, statement).

Every command rebuilds the ledger from the record (``--as USER``) or a file of events
(``--events FILE``); nothing is stored by these commands. ``statement --sign`` signs with the
agency key the record uses for the user's agency, and prints the endorsement event to record
with ``manche events add``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.ledger_source import AS_USER, EVENTS_FILE, EXERCISE, load, parse_day
from manche.cli.output import JSON_OPTION, emit, say
from manche.config import get_settings
from manche.errors import InputError
from manche.readings.equipment import EquipmentLedger
from manche.readings.equipment_statement import handover_statement, statement_digest
from manche.service.ledgers import EQUIPMENT_TYPES, file_events, flag_json, sign_statement
from manche.wording import counted

equipment_app = sub_app(
    "equipment", "Equipment ledger: life jackets, blankets, pumps; stock, handovers, statements."
)


def _ledger(as_user: str | None, events_file: Path | None, exercise: bool) -> EquipmentLedger:
    return EquipmentLedger.rebuild(load(as_user, events_file, EQUIPMENT_TYPES), exercise=exercise)


@equipment_app.command("stock")
def stock(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    agency: str = typer.Option(None, "--agency", help="Only this agency."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Stock per agency, location and equipment type (negative stock is flagged)."""
    ledger = _ledger(as_user, events_file, exercise)
    rows = ledger.stock_rows(agency)

    def render() -> Table:
        table = Table("agency", "location", "equipment", "quantity")
        for r in rows:
            q = str(r["quantity"]) + (" (negative: see flags)" if r["negative"] else "")
            table.add_row(r["agency"], r["location"], r["equipment"], q)
        return table

    emit({"stock": rows, "flags": len(ledger.flags)}, as_json=as_json, render=render)


@equipment_app.command("movements")
def movements(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    agency: str = typer.Option(None, "--agency", help="Only this agency."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every movement with the running balance of its holder."""
    ledger = _ledger(as_user, events_file, exercise)
    rows = [
        {
            "on": m.on.isoformat(),
            "agency": m.agency,
            "location": m.location,
            "equipment": m.equipment,
            "delta": m.delta,
            "balance": m.balance,
            "kind": m.kind,
            "reference": m.reference,
            "vessel": m.vessel,
            "event": str(m.event_id),
        }
        for m in ledger.movements
        if agency is None or m.agency == agency
    ]

    def render() -> Table:
        table = Table("on", "agency", "location", "equipment", "change", "balance", "kind", "ref")
        for r in rows:
            cells = [r["on"], r["agency"], r["location"], r["equipment"], f"{r['delta']:+d}",
                     r["balance"], r["kind"], r["reference"] or ""]  # fmt: skip
            table.add_row(*[str(c) for c in cells])
        return table

    emit({"movements": rows}, as_json=as_json, render=render)


@equipment_app.command("reconcile")
def reconcile(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    as_of: str = typer.Option(None, "--as-of", help="Judge unconfirmed handovers on this date."),
    grace_days: int = typer.Option(
        7, "--grace-days", min=0, help="Days to wait for the other side."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Each handover: what one side says it handed over against what the other received."""
    ledger = _ledger(as_user, events_file, exercise)
    day = parse_day(as_of, "as_of") or datetime.now(UTC).date()
    rows = ledger.reconcile(day, grace_days)
    flags = [flag_json(f) for f in ledger.flags]

    def render() -> Table:
        table = Table("ref", "status", "equipment", "from", "to", "sent", "received", "diff")
        for r in rows:
            status = r["status"] + (" (overdue)" if r["overdue"] else "")
            table.add_row(
                r["reference"], status, r["equipment"], str(r["from_agency"]), str(r["to_agency"]),
                str(r["sent_quantity"] if r["sent_quantity"] is not None else "-"),
                str(r["received_quantity"] if r["received_quantity"] is not None else "-"),
                "" if r["difference"] is None else f"{r['difference']:+d}",
            )  # fmt: skip
        return table

    emit(
        {"as_of": day.isoformat(), "handovers": rows, "flags": flags},
        as_json=as_json,
        render=render,
    )


@equipment_app.command("statement")
def statement(
    between: str = typer.Option(..., "--between", help="One agency of the statement."),
    and_: str = typer.Option(..., "--and", help="The other agency."),
    start: str = typer.Option(..., "--from", help="First day of the period (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="Last day of the period (YYYY-MM-DD)."),
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    sign: bool = typer.Option(False, "--sign", help="Sign as --as USER's agency (its log key)."),
    out: Path = typer.Option(None, "--out", help="Write the statement (canonical JSON) here."),
) -> None:
    """The periodic handover statement both agencies sign (canonical JSON, RFC 8785)."""
    first, last = parse_day(start, "from"), parse_day(end, "to")
    assert first is not None and last is not None
    events = load(as_user, events_file, EQUIPMENT_TYPES)
    doc = handover_statement(events, between, and_, first, last, exercise=exercise)
    digest = statement_digest(doc)
    result: dict[str, Any] = {"statement": doc, "sha256": digest}
    if sign:
        if as_user is None:
            raise InputError("--sign needs --as USER (the user's agency signs)", field="as")
        from manche.record.keys import KeyStore
        from manche.users import UserStore

        db = database()
        try:
            principal = UserStore(db).principal(as_user)
            signer = KeyStore(db, get_settings().data_dir / "keys").signer(principal.agency)
            result["signature"] = sign_statement(doc, signer)
        finally:
            db.close()
        counterpart = and_ if principal.agency == between else between
        result["endorsement_event"] = {
            "type": "equipment-statement-endorsed",
            "agency": principal.agency,
            "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "period_start": first.isoformat(),
            "period_end": last.isoformat(),
            "counterpart": counterpart,
            "statement_sha256": digest,
        }
        say("record the endorsement with: manche events add FILE --as USER "
            "(FILE holding endorsement_event)")  # fmt: skip
    if out is not None:
        from manche.readings.equipment_statement import canonical_bytes

        try:
            out.write_bytes(canonical_bytes(doc))
        except OSError as exc:
            raise InputError(f"cannot write: {exc}", file=str(out)) from exc
        say(f"wrote {out} (sha256 {digest})")
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


@equipment_app.command("check")
def check(
    file: Path = typer.Argument(..., help="JSON / JSON Lines events to check before recording."),
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    as_json: bool = JSON_OPTION,
) -> None:
    """Check equipment events before recording them: exit 2 naming the rule when one would take
    a stock below zero (or reuse a handover reference); warnings are printed."""
    ledger = _ledger(as_user, events_file, exercise)
    candidates = file_events(file, EQUIPMENT_TYPES)
    if not candidates:
        raise InputError("no equipment events in the file", file=str(file))
    results: list[dict[str, Any]] = []
    for event in candidates:
        raised = ledger.admit(event)
        results.append(
            {"event": str(event.id), "type": event.type, "flags": [flag_json(f) for f in raised]}
        )
    emit({"checked": len(results), "results": results}, as_json=as_json,
         render=lambda: f"{counted(len(results), 'event')} pass")  # fmt: skip
    for r in results:
        for f in r["flags"]:
            say(f"warning: {f['rule']}: {f['message']}")


@equipment_app.command("verify-statement")
def verify_statement_command(
    statement_file: Path = typer.Argument(..., help="The statement (JSON, e.g. from --out)."),
    signature_file: Path = typer.Argument(..., help="The signature JSON printed by --sign."),
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
) -> None:
    """Check the other side's signature on a statement against the keys pinned in the record,
    and (with --as or --events) that our own record gives the very same statement."""
    from datetime import date as _date

    from manche.errors import IntegrityError
    from manche.record.keys import KeyStore
    from manche.service.ledgers import verify_statement

    def read(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read JSON: {exc}", file=str(path)) from exc
        if not isinstance(data, dict):
            raise InputError("expected a JSON object", file=str(path))
        return data

    doc = read(statement_file)
    if isinstance(doc.get("statement"), dict):  # the whole output of `statement`
        doc = doc["statement"]
    signature = read(signature_file)
    if isinstance(signature.get("signature"), dict):
        signature = signature["signature"]
    db = database()
    try:
        pinned = KeyStore(db, get_settings().data_dir / "keys").pinned()
    finally:
        db.close()
    if not verify_statement(doc, signature, pinned):
        raise IntegrityError(
            f"the signature of {signature.get('agency')!r} (key {signature.get('key_id')!r}) does "
            "not verify over this statement with the keys pinned here"
        )
    say(f"signature by {signature['agency']} (key {signature['key_id']}) verifies")
    if as_user is not None or events_file is not None:
        a, b = doc["parties"]
        ours = handover_statement(
            load(as_user, events_file, EQUIPMENT_TYPES), a, b,
            _date.fromisoformat(doc["period"]["start"]), _date.fromisoformat(doc["period"]["end"]),
            exercise=exercise,
        )  # fmt: skip
        if statement_digest(ours) != statement_digest(doc):
            raise IntegrityError(
                f"our record gives a different statement (sha256 {statement_digest(ours)}, "
                f"theirs {statement_digest(doc)}): compare with `manche equipment statement`"
            )
        say(f"our record gives the same statement (sha256 {statement_digest(doc)})")
