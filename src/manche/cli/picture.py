"""``manche picture`` and ``manche incident REF``: the live picture from the command line, as
a given user sees it (the user's side decides which events count)."""

from __future__ import annotations

from dataclasses import asdict

import typer
from pydantic_core import to_jsonable_python
from rich.console import Group
from rich.table import Table
from rich.text import Text

from manche.cli.app import app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit
from manche.domain.access import Action, Principal, require
from manche.readings.incidents import Incident
from manche.service.picture import Picture, summary
from manche.storage import Database
from manche.users import UserStore

AS_OPTION = typer.Option(..., "--as", help="User whose view to show (their side applies).")
PROXY = "responsible centre by median line (proxy: the SAR demarcation is not published)"


def _principal(db: Database, user: str) -> Principal:
    principal = UserStore(db).principal(user)
    require(principal, Action.READ_EVENTS)
    return principal


@app.command("picture")
def picture_command(
    user: str = AS_OPTION,
    state: str = typer.Option(None, help="launched, at-sea, escorted, in-distress, ..."),
    phase: str = typer.Option(None, help="INCERFA, ALERFA, DETRESFA or -"),
    zone: str = typer.Option(None, help="sovereignty zone, e.g. FR-TS"),
    exercise: bool = typer.Option(None, "--exercise/--real", help="exercise or real only"),
    active: bool = typer.Option(None, "--active/--closed", help="open or closed only"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Incidents at sea, most urgent first."""
    db = database()
    try:
        principal = _principal(db, user)
        current = Picture(db)
        current.refresh()
        incidents = current.incidents(
            principal.side, state=state, phase=phase, zone=zone, exercise=exercise, active=active
        )
    finally:
        db.close()
    data = {"side": principal.side.value, "incidents": [summary(i) for i in incidents]}
    emit(data, as_json=as_json, render=lambda: _table(incidents, principal))


def _table(incidents: list[Incident], principal: Principal) -> Table:
    table = Table(
        title=f"Picture for {principal.side.value} ({len(incidents)} incidents)",
        caption=PROXY,
        caption_justify="left",
    )
    table.add_column("incident", no_wrap=True)
    for name in (
        "state",
        "SAR",
        "zone",
        "position",
        "responsible",
        "coordinating",
        "aboard",
        "on scene",
        "review",
    ):
        table.add_column(name, justify="right" if name == "aboard" else "left")
    for i in incidents:
        ref = Text(i.ref)
        if i.exercise:
            ref.append(" EXERCISE", style="bold yellow")
        sar = Text(i.sar_phase, style="bold red" if i.sar_phase == "DETRESFA" else "")
        position = f"{i.position.lat:.4f}, {i.position.lon:.4f}" if i.position else "-"
        review = f"{len(i.findings)} findings, {len(i.flags)} flags"
        table.add_row(
            ref,
            i.state.value if i.state else "-",
            sar,
            i.zone or "-",
            position,
            i.responsible_centre or "-",
            i.coordinating_centre or "-",
            str(i.persons_aboard if i.persons_aboard is not None else "-"),
            ", ".join(i.assets_on_scene) or "-",
            review,
        )
    return table


@app.command("incident")
def incident_command(
    ref: str = typer.Argument(..., help="Incident reference, e.g. INC-2026-0001"),
    user: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """One incident: states, SAR phases with reasons, coordination, findings, flags, timeline."""
    db = database()
    try:
        principal = _principal(db, user)
        current = Picture(db)
        current.refresh()
        found = current.incident(principal.side, ref)
        timeline = current.timeline(principal.side, ref)
    finally:
        db.close()
    data = to_jsonable_python(asdict(found))
    data["timeline"] = [e.to_json() for e in timeline]

    def render() -> Group:
        parts: list[Table | Text] = [
            Text(f"{ref}" + (" (EXERCISE)" if found.exercise else ""), style="bold")
        ]
        events = Table(title="Timeline", title_justify="left")
        for name in ("when (UTC)", "type", "agency", "author", "note"):
            events.add_column(name)
        for e in timeline:
            events.add_row(
                e.occurred_at.strftime("%Y-%m-%d %H:%M"), e.type, e.agency, e.author, e.note
            )
        parts.append(events)
        phases = Table(title="SAR phases", title_justify="left")
        for name in ("at", "phase", "rule", "reason"):
            phases.add_column(name)
        for p in found.phases:
            phases.add_row(p.at.strftime("%H:%M"), p.phase, p.rule, p.reason)
        parts.append(phases)
        review = Table(title="Review findings and flags", title_justify="left")
        for name in ("kind", "code", "detail"):
            review.add_column(name)
        for f in found.findings:
            review.add_row("finding", f.rule, f.detail)
        for flag in found.flags:
            review.add_row("flag", flag.code, flag.reason)
        parts.append(review)
        parts.append(
            Text(
                f"Coordinating: {found.coordinating_centre or '-'}; "
                f"{PROXY}: {found.responsible_centre or '-'}"
            )
        )
        return Group(*parts)

    emit(data, as_json=as_json, render=render)
