"""``manche picture`` and ``manche incident REF``: the live picture from the command line, as
a given user sees it (the user's side decides which events count)."""

from __future__ import annotations

from typing import NamedTuple

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from manche.cli import output
from manche.cli.app import app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, words_fit
from manche.domain.access import Action, Principal, require
from manche.readings.incidents import Incident
from manche.service.picture import Picture, summary
from manche.storage import Database
from manche.users import UserStore
from manche.wording import counted

AS_OPTION = typer.Option(..., "--as", help="User whose view to show (their side applies).")
PROXY = (
    "EX = exercise. Centre: rescue centre responsible by position, median line as a proxy "
    "(the SAR demarcation is not published)"
)
PROXY_NARROW = (
    "EX = exercise. State: the boat's state, then its SAR phase. Where: zone, lat, lon, "
    "then the rescue centre responsible by position (median line as a proxy: the SAR "
    "demarcation is not published)"
)


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
    emit(data, as_json=as_json, render=lambda: _table(incidents, principal, output.stdout.width))


def _table(incidents: list[Incident], principal: Principal, width: int) -> Table:
    """One column per item; where the terminal is too narrow for that without breaking words
    (nine columns need about 100 characters), fewer columns of several lines each."""
    wide = _wide_table(incidents, principal)
    return wide if words_fit(wide, width) else _narrow_table(incidents, principal)


def _title(incidents: list[Incident], principal: Principal) -> str:
    return f"Picture for {principal.side.value} ({counted(len(incidents), 'incident')})"


def _sar_style(phase: str) -> str:
    return "bold red" if phase == "DETRESFA" else ""


EX_STYLE = "bold yellow"


class _Row(NamedTuple):
    """What the table shows of an incident, as text (each layout arranges it)."""

    ref: str
    exercise: bool
    state: str
    sar: str
    zone: str
    where: str
    centre: str
    aboard: str
    on_scene: str
    review: str


def _row(i: Incident) -> _Row:
    centre = i.responsible_centre or "-"
    if i.coordinating_centre and i.coordinating_centre != i.responsible_centre:
        centre += f" (coordinating: {i.coordinating_centre})"
    review = counted(len(i.findings), "finding") if i.findings else ""
    if i.flags:
        review = ", ".join(filter(None, [review, counted(len(i.flags), "flag")]))
    return _Row(
        ref=i.ref,
        exercise=i.exercise,
        state=i.state.value if i.state else "-",
        sar=i.sar_phase,
        zone=i.zone or "-",
        where=f"{i.position.lat:.3f}, {i.position.lon:.3f}" if i.position else "-",
        centre=centre,
        aboard="-" if i.persons_aboard is None else str(i.persons_aboard),
        on_scene=", ".join(i.assets_on_scene) or "-",
        review=review or "-",
    )


def _wide_table(incidents: list[Incident], principal: Principal) -> Table:
    table = Table(title=_title(incidents, principal), caption=PROXY, caption_justify="left")
    table.add_column("incident", no_wrap=True)
    for name in ("state", "SAR", "zone", "lat, lon", "centre", "aboard", "on scene", "review"):
        table.add_column(name, justify="right" if name == "aboard" else "left")
    for r in map(_row, incidents):
        ref = Text(r.ref)
        if r.exercise:
            ref.append(" EX", style=EX_STYLE)
        sar = Text(r.sar, style=_sar_style(r.sar))
        table.add_row(ref, r.state, sar, r.zone, r.where, r.centre, r.aboard, r.on_scene, r.review)
    return table


def _narrow_table(incidents: list[Incident], principal: Principal) -> Table:
    table = Table(
        title=_title(incidents, principal),
        caption=PROXY_NARROW,
        caption_justify="left",
        show_lines=True,  # each incident takes several lines: a rule between them
    )
    for name in ("incident", "state", "where", "on scene", "review"):
        table.add_column(name)
    for r in map(_row, incidents):
        ref = Text(r.ref)
        if r.aboard != "-":
            ref.append(f"\n{r.aboard} aboard")
        if r.exercise:
            ref.append("\nEX", style=EX_STYLE)
        state = Text(r.state)
        if r.sar != "-":
            state.append(f"\n{r.sar}", style=_sar_style(r.sar))
        where = "\n".join([r.zone, r.where, r.centre])
        table.add_row(ref, state, where, r.on_scene, r.review)
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
        data = current.detail(principal.side, ref)
        nearest = data["nearest_assets"]
    finally:
        db.close()

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
        parts.append(phases if found.phases else Text("SAR phases: none raised"))
        review = Table(title="Review findings and flags", title_justify="left")
        for name in ("kind", "code", "detail"):
            review.add_column(name)
        for f in found.findings:
            review.add_row("finding", f.rule, f.detail)
        for flag in found.flags:
            review.add_row("flag", flag.code, flag.reason)
        parts.append(review if found.findings or found.flags else Text("Review: no findings"))
        assets = Table(title="Nearest assets", title_justify="left")
        for name in ("asset", "nm", "minutes", "position"):
            assets.add_column(name)
        for a in nearest:
            assets.add_row(
                a["asset"],
                f"{a['distance_nm']:.1f}",
                f"{a['minutes_to_reach']:.0f}",
                a["position_basis"],
            )
        parts.append(assets if nearest else Text("Nearest assets: only for open incidents"))
        parts.append(
            Text(
                f"Coordinating centre: {found.coordinating_centre or '-'}. Responsible by the "
                f"last position: {found.responsible_centre or '-'} (median line as a proxy: "
                "the SAR demarcation is not published)."
            )
        )
        return Group(*parts)

    emit(data, as_json=as_json, render=render)
