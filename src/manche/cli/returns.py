"""``manche returns ...``: the returns agreement's ledger (cases, deadlines, weekly balance).

Every command rebuilds the ledger from the record (``--as USER``) or from a file of events
(``--events FILE``); nothing is stored by these commands.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from manche.cli.app import sub_app
from manche.cli.ledger_source import AS_USER, EVENTS_FILE, EXERCISE, load, parse_day
from manche.cli.output import JSON_OPTION, emit, say
from manche.domain.agreements import RULES
from manche.errors import InputError, NotFound
from manche.readings.returns import ReturnsLedger, uk_date
from manche.readings.returns_report import COLUMNS, to_csv, to_ods, weekly_report
from manche.service.ledgers import RETURNS_TYPES, case_json, flag_json, now, parameters
from manche.wording import counted

returns_app = sub_app(
    "returns", "The UK-France returns agreement (2025): cases, deadlines, weekly balance."
)

_WEEK = re.compile(r"^\d{4}-W\d{2}$")


def _ledger(as_user: str | None, events_file: Path | None, exercise: bool) -> ReturnsLedger:
    events = load(as_user, events_file, RETURNS_TYPES)
    return ReturnsLedger.rebuild(events, parameters(), exercise=exercise)


@returns_app.command("rules")
def rules(as_json: bool = JSON_OPTION) -> None:
    """The rules applied, each with its article of the agreement."""
    data = [
        {
            "id": r.id,
            "article": r.article,
            "verified": r.verified,
            "severity": r.severity.value,
            "summary": r.summary,
            "words": r.words,
            "source": r.source,
        }
        for r in RULES
    ]

    def render() -> Table:
        table = Table("rule", "article", "severity", "summary")
        for r in RULES:
            mark = "" if r.verified else " (unverified)"
            table.add_row(r.id, r.article + mark, r.severity.value, r.summary)
        return table

    emit(data, as_json=as_json, render=render)


@returns_app.command("cases")
def cases(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    state: str = typer.Option(None, "--state", help="Only cases in this state."),
    kind: str = typer.Option(None, "--kind", help="return or admission"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every case with its state, deadlines and flags."""
    ledger = _ledger(as_user, events_file, exercise)
    if kind not in (None, "return", "admission"):
        raise InputError("--kind is return or admission", field="kind")
    rows = [case_json(c) for c in [*ledger.returns.values(), *ledger.admissions.values()]]
    rows = [r for r in rows if (state is None or r["state"] == state) and kind in (None, r["kind"])]
    rows.sort(key=lambda r: r["case_number"])

    def render() -> Table:
        table = Table("case", "state", "key date", "next deadline", "flags")
        for r in rows:
            if r["kind"] == "return":
                key = f"arrived {r['arrived_on']}"
                due = {
                    "opened": f"request by {r['request_due']}",
                    "requested": f"answer by {r['answer_due']}",
                    "accepted": f"transfer by {r['procedure_target']}",
                    "scheduled": f"removal {r['removal_on']}",
                }.get(r["state"], "")
                if not r["eligible"]:
                    due = "outside the agreement"
            else:
                key = f"received {r['received_on']}"
                due = f"arrive by {r['visa_expires']}" if r["state"] == "visa_issued" else ""
            table.add_row(r["case_number"], r["state"], key, due, str(len(r["flags"])))
        return table

    emit({"cases": rows}, as_json=as_json, render=render)


@returns_app.command("case")
def case(
    number: str = typer.Argument(..., help="Case number, e.g. RET-2025-000001"),
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    as_json: bool = JSON_OPTION,
) -> None:
    """One case in full."""
    ledger = _ledger(as_user, events_file, exercise)
    found = ledger.returns.get(number) or ledger.admissions.get(number)
    if found is None:
        raise NotFound(f"no case {number!r} in the record", field="case_number")
    data = case_json(found)

    def render() -> Table:
        table = Table("field", "value")
        for key, value in data.items():
            if key != "flags":
                table.add_row(key, "" if value is None else str(value))
        for f in data["flags"]:
            table.add_row("flag", f"{f['rule']} ({f['article']}): {f['message']}")
        return table

    emit(data, as_json=as_json, render=render)


@returns_app.command("overdue")
def overdue(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    as_of: str = typer.Option(None, "--as-of", help="Date to judge on (default: today, UK)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Cases past a deadline of the agreement, most overdue first."""
    ledger = _ledger(as_user, events_file, exercise)
    day = parse_day(as_of, "as_of") or uk_date(now())
    rows: list[dict[str, Any]] = [
        {
            "case_number": o.subject,
            "rule": o.rule,
            "article": o.article,
            "what": o.what,
            "due": o.due.isoformat(),
            "days_over": o.days_over,
        }
        for o in ledger.overdue(day)
    ]

    def render() -> Table:
        table = Table("case", "overdue", "due", "what", "rule (article)", title=f"as of {day}")
        for r in rows:
            table.add_row(
                str(r["case_number"]), f"{r['days_over']} d", str(r["due"]), str(r["what"]),
                f"{r['rule']} ({r['article']})",
            )  # fmt: skip
        return table

    emit({"as_of": day.isoformat(), "overdue": rows}, as_json=as_json, render=render)


@returns_app.command("balance")
def balance(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    week: str = typer.Option(None, "--week", help="One ISO week, e.g. 2025-W38."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The weekly balance of returns and admissions (the joint committee's figures)."""
    if week is not None and not _WEEK.match(week):
        raise InputError(f"--week is an ISO week like 2025-W38, not {week!r}", field="week")
    ledger = _ledger(as_user, events_file, exercise)
    report = weekly_report(ledger, now(), week)
    if week is not None and not report.rows:
        say(f"no activity recorded in {week}")
    data: dict[str, Any] = {
        "tolerance": ledger.parameters.parity_tolerance,
        "committed_returns": ledger.committed_returns,
        "committed_admissions": ledger.committed_admissions,
        "status": ledger.status(),
        "weeks": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
            for r in report.rows
        ],
    }

    def render() -> Table:
        keys = ["week", "returns_removed", "admissions_arrived", "cumulative_returns",
                "cumulative_admissions", "balance", "status", "flags"]  # fmt: skip
        titles = dict(COLUMNS)
        table = Table(*[titles[k] for k in keys])
        for r in data["weeks"]:
            table.add_row(*[str(r[k]) for k in keys])
        table.caption = (
            f"now: {data['committed_returns']} committed returns, "
            f"{data['committed_admissions']} committed admissions, status {data['status']} "
            f"(tolerance {data['tolerance']})"
        )
        return table

    emit(data, as_json=as_json, render=render)


@returns_app.command("report")
def report(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    csv_path: Path = typer.Option(None, "--csv", help="Write the weekly report as CSV here."),
    ods_path: Path = typer.Option(None, "--ods", help="Write it as ODS (Home Office layout)."),
    week: str = typer.Option(None, "--week", help="Only this ISO week."),
) -> None:
    """Export the weekly balance report for the joint committee (CSV and/or ODS)."""
    if csv_path is None and ods_path is None:
        raise InputError("give --csv PATH and/or --ods PATH")
    rep = weekly_report(_ledger(as_user, events_file, exercise), now(), week)
    for path, data in ((csv_path, to_csv), (ods_path, to_ods)):
        if path is not None:
            try:
                path.write_bytes(data(rep))
            except OSError as exc:
                raise InputError(f"cannot write: {exc}", file=str(path)) from exc
            say(f"wrote {path} ({counted(len(rep.rows), 'week')})")


@returns_app.command("flags")
def flags(
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    as_json: bool = JSON_OPTION,
) -> None:
    """Every event in the record that broke a rule, with the rule and its article."""
    ledger = _ledger(as_user, events_file, exercise)
    rows = [flag_json(f) for f in ledger.flags]

    def render() -> Table:
        table = Table("on", "case", "rule", "article", "severity", "message")
        for r in rows:
            table.add_row(
                str(r["on"]),
                str(r["subject"]),
                r["rule"],
                r["article"],
                r["severity"],
                r["message"],
            )
        return table

    emit({"flags": rows}, as_json=as_json, render=render)


@returns_app.command("check")
def check(
    file: Path = typer.Argument(..., help="JSON / JSON Lines events to check before recording."),
    as_user: str = AS_USER,
    events_file: Path = EVENTS_FILE,
    exercise: bool = EXERCISE,
    as_json: bool = JSON_OPTION,
) -> None:
    """Check events against the agreement before recording them: exit 2 naming the rule and
    article when one would be refused; warnings are printed. Nothing is stored."""
    from manche.service.ledgers import file_events

    ledger = _ledger(as_user, events_file, exercise)
    candidates = file_events(file, RETURNS_TYPES)
    if not candidates:
        raise InputError("no returns-agreement events in the file", file=str(file))
    results: list[dict[str, Any]] = []
    for event in candidates:
        raised = ledger.admit(event)  # raises RuleViolation (exit 2) on a refusing rule
        results.append(
            {"event": str(event.id), "type": event.type, "flags": [flag_json(f) for f in raised]}
        )
    emit(
        {"checked": len(results), "results": results, "status": ledger.status()},
        as_json=as_json,
        render=lambda: (
            f"{counted(len(results), 'event')} pass; "
            f"{counted(sum(len(r['flags']) for r in results), 'warning')}; "
            f"balance status {ledger.status()}"
        ),
    )
    for r in results:
        for f in r["flags"]:
            say(f"warning: {f['rule']} ({f['article']}): {f['message']}")
