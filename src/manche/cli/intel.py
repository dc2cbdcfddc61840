"""``manche intel``: boats and engines, identifiers, grades, exchange packages, quality."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from manche.cli.app import sub_app
from manche.cli.context import database
from manche.cli.output import JSON_OPTION, emit, say
from manche.domain.events.base import Event
from manche.domain.grading_5x5x5 import read_grade
from manche.domain.identifiers import read_engine_serial, read_hin
from manche.domain.values import Side
from manche.errors import InputError, NotFound
from manche.readings.intel.enforcement import compare_preventions
from manche.readings.intel.enforcement import enforcement as enforcement_reading
from manche.readings.intel.export import CSV_COLUMNS, Package, build_package
from manche.readings.intel.nationalities import by_period, compare_with_official, per_incident
from manche.readings.intel.periods import Period
from manche.readings.intel.quality import quality as quality_reading
from manche.readings.intel.registry import (
    build_registry,
    craft_detail,
    craft_kind,
    craft_summary,
)
from manche.record.log import Log
from manche.sources.nationality_quarterly import load as load_official
from manche.sources.sb02_preventions import load as load_sb02
from manche.wording import counted

intel_app = sub_app("intel", "Intelligence: boats, engines, links, grading, exchange, quality.")

PERIOD_OPTION = typer.Option("month", "--period", help="week, month, quarter or year")


def _period(value: str) -> Period:
    if value not in ("week", "month", "quarter", "year"):
        raise InputError(
            f"--period {value!r}: expected week, month, quarter or year", field="period"
        )
    return value  # type: ignore[return-value]


def record_events() -> list[Event]:
    """Every event of the configured log, in order."""
    db = database()
    try:
        return [entry.event() for entry in Log(db).entries()]
    finally:
        db.close()


def _findings(heading: str, findings: list[dict[str, Any]]) -> Group:
    """What was read, on its own lines, then the problems found as a table, or a line that
    says there are none (a table of headers alone squeezed the heading into its width)."""
    if not findings:
        return Group(Text(heading), Text("no problems found"))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("severity", "code", "message"):
        table.add_column(column)
    for f in findings:
        table.add_row(f["severity"], f["code"], f["message"])
    return Group(Text(heading), Text(counted(len(findings), "problem") + ":"), table)


@intel_app.command("check-hin")
def check_hin(
    value: str = typer.Argument(..., help="the HIN/CIN as read"),
    year: int | None = typer.Option(
        None, "--year", help="year of the sighting (model-year century)"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Read a hull identification number: canonical form, decoding, every problem found."""
    reading = read_hin(value, reference_year=year)
    data = reading.model_dump(mode="json") | {"valid": reading.valid}

    def render() -> Group:
        parts = {
            "country": reading.country,
            "MIC": reading.mic,
            "serial": reading.serial,
            "month": reading.production_month,
            "production": reading.production_year,
            "model year": reading.model_year,
        }
        decoded = ", ".join(f"{name} {value}" for name, value in parts.items() if value)
        return _findings(
            f"{reading.canonical} ({reading.format or 'unrecognised'}): "
            f"{'valid' if reading.valid else 'malformed'}" + (f"\n{decoded}" if decoded else ""),
            data["findings"],
        )

    emit(data, as_json=as_json, render=render)


@intel_app.command("check-serial")
def check_serial(
    value: str = typer.Argument(..., help="the engine serial as read"),
    make: str | None = typer.Option(None, "--make", help="the make as read"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Read an engine serial for its make: canonical form, format and source, problems."""
    reading = read_engine_serial(make, value)
    data = reading.model_dump(mode="json") | {"valid": reading.valid}
    emit(
        data,
        as_json=as_json,
        render=lambda: _findings(
            f"{reading.make or '?'} {reading.canonical} (format {reading.template or 'none'}; "
            f"{'valid' if reading.valid else 'malformed'})",
            data["findings"],
        ),
    )


@intel_app.command("grade")
def grade(
    code: str = typer.Argument(..., help="3x5x2 (1AP, 2BC) or 5x5x5 (B24) code"),
    conditions: str | None = typer.Option(None, "--conditions", help="handling conditions"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Read a grade: 3x5x2 as is, 5x5x5 mapped, anything else named as a problem."""
    reading = read_grade(code, conditions)
    data = {
        "given": reading.given,
        "scheme": reading.scheme,
        "grading": reading.grading.model_dump(mode="json") if reading.grading else None,
        "code": reading.grading.code if reading.grading else None,
        "problems": list(reading.problems),
    }

    def render() -> str:
        if reading.grading is None:
            return f"{code!r}: " + "; ".join(reading.problems)
        text = f"{code!r} ({reading.scheme}) -> {reading.grading.code}"
        return text + (
            f"  conditions: {reading.grading.conditions}" if reading.grading.conditions else ""
        )

    emit(data, as_json=as_json, render=render)


@intel_app.command("registry")
def registry(
    kind: str | None = typer.Option(None, "--kind", help="boat or engine"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Boats and engines in the record, grouped by linking (why: `manche intel craft ID`)."""
    kind = craft_kind(kind, "--kind")
    reg = build_registry(record_events())
    crafts = [c for c in reg.crafts if kind is None or c.kind == kind]
    data = {
        "crafts": [craft_summary(c) for c in crafts],
        "ambiguous_partials": reg.ambiguous,
        "possible_links": [{"a": p.a, "b": p.b, "detail": p.detail} for p in reg.possible],
        "problems": reg.problems,
    }

    def render() -> Group:
        title = (
            counted(len(crafts), kind)
            if kind
            else counted(len(crafts), "boat or engine", "boats and engines")
        )
        table = Table(title=title)
        for column in ("id", "kind", "make", "identifier", "seen", "sides", "crossings", "flags"):
            table.add_column(column)
        for c in crafts:
            table.add_row(
                c.id,
                c.kind,
                c.make or "",
                c.identifier or "",
                str(len(c.observations)),
                "/".join(c.sides),
                str(c.crossings),
                str(len(c.flags)),
            )
        notes: list[str] = []
        if reg.possible:
            notes.append(
                counted(len(reg.possible), "possible link")
                + " for an analyst to confirm or split (one edit apart, each seen several times):"
            )
            notes += [f"  {p.a} - {p.b}: {p.detail}" for p in reg.possible]
        if reg.ambiguous:
            notes.append(
                counted(len(reg.ambiguous), "partial reading")
                + " left alone, near several boats or engines:"
            )
            notes += [f"  {key}: {n} candidates" for key, n in reg.ambiguous.items()]
        notes += [f"problem: {problem}" for problem in reg.problems]
        return Group(table, *(Text(line) for line in notes))

    emit(data, as_json=as_json, render=render)


@intel_app.command("craft")
def craft(craft_id: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """One boat or engine: every event it appears in, both sides, departures, links and why."""
    found = build_registry(record_events()).craft(craft_id)
    if found is None:
        raise NotFound(f"no boat or engine {craft_id!r} (see `manche intel registry`)")
    data = craft_detail(found)
    emit(data, as_json=as_json, render=lambda: _craft_view(data))


def _described(seen: list[dict[str, Any]]) -> str:
    """What the observations say of the craft (model, power or length, colour): each value
    with how many said it when they disagree."""
    parts = []
    for key, label, unit in (
        ("model", "model", ""),
        ("power_hp", "power", " hp"),
        ("length_m", "length", " m"),
        ("colour", "colour", ""),
    ):
        values = Counter(f"{o[key]:g}" if isinstance(o[key], float) else o[key] for o in seen)
        values.pop(None, None)
        if len(values) == 1:
            parts.append(f"{label} {next(iter(values))}{unit}")
        elif values:
            said = ", ".join(f"{v}{unit} ({n})" for v, n in values.most_common())
            parts.append(f"{label} {said}")
    return "; ".join(parts)


def _craft_view(data: dict[str, Any]) -> Group:
    """One boat or engine for people: what it is, where and by whom it was seen, each
    observation in time order, and the links that put them together (by row number)."""
    seen = data["seen"]
    row = {o["observation"]: str(i) for i, o in enumerate(seen, 1)}
    lines = [
        " ".join(x for x in (data["kind"], data["make"], data["identifier"]) if x),
        f"id {data['id']}",
        f"seen {counted(len(seen), 'time')} by {' and '.join(data['sides'])} "
        + (
            f"in {counted(len(data['incidents']), 'incident')} "
            f"({counted(data['crossings'], 'crossing')}): {', '.join(data['incidents'])}"
            if data["incidents"]
            else "in no incident"
        ),
        f"departure points: {'; '.join(data['departure_points']) or '-'}",
        "read as: " + ", ".join(f"{text} x{n}" for text, n in data["identifiers"].items()),
    ]
    if described := _described(seen):
        lines.insert(2, described)
    lines += [f"flag: {flag}" for flag in data["flags"]]
    history = Table(
        title="seen",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in ("#", "when (UTC)", "agency", "event", "incident", "place", "as read"):
        history.add_column(column, no_wrap=column == "when (UTC)")
    for o in seen:
        when = datetime.fromisoformat(o["occurred_at"]).astimezone(UTC)
        read = o["identifier_as_read"] or "-"
        history.add_row(
            row[o["observation"]],
            when.strftime("%Y-%m-%d %H:%M"),
            o["agency"],
            o["type"],
            o["incident"] or "-",
            o["place"] or "-",
            "\n".join([read, *o["findings"]]),
        )
    parts: list[RenderableType] = [Text("\n".join(lines)), Text(""), history]
    if data["links"]:
        links = Table(
            title="why these observations are one " + data["kind"],
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
        )
        for column in ("link", "rule", "score", "confidence", "detail"):
            links.add_column(
                column, justify="right" if column in ("score", "confidence") else "left"
            )
        for lk in data["links"]:
            links.add_row(
                f"{row.get(lk['a'], '?')}-{row.get(lk['b'], '?')}",
                lk["rule"],
                f"{lk['score']:g}",
                f"{lk['confidence']:g}",
                lk["detail"] or "-",
            )
        parts += [Text(""), links]
    if data["decisions"]:

        def named(key: str, craft_id: str) -> str:
            if key in row:
                return f"observation {row[key]}"
            event, item = key.split("/", 1)
            return f"event {event} item {item} (in {craft_id})"

        lines = ["analysts' decisions (the latest about each pair stands):"]
        for d in data["decisions"]:
            when = datetime.fromisoformat(d["occurred_at"]).astimezone(UTC)
            verdict = "are the same" if d["decision"] == "link-confirmed" else "are not the same"
            lines.append(
                f"- {when:%Y-%m-%d %H:%M} {d['agency']} {d['author']}: "
                f"{named(d['a'], d['craft_a'])} and {named(d['b'], d['craft_b'])} {verdict} "
                f"{data['kind']}: {d['reason']}"
            )
        parts += [Text(""), Text("\n".join(lines))]
    refs = [
        f"{row[o['observation']]}  event {o['event']}, item {o['observation'].split('/', 1)[1]}"
        for o in seen
    ]
    parts += [
        Text(""),
        Text(
            "to confirm or split a link, record a link-confirmed or link-split event naming "
            "two of these (docs/intelligence.md, section 2):\n" + "\n".join(refs)
        ),
    ]
    return Group(*parts)


def write_package(package: Package, out: Path) -> dict[str, Any]:
    """Write the package (records.json, records.csv, manifest.json under out/package) and the
    exporting side's audit list of withheld records (out/withheld.json, not to be sent)."""
    target = out / "package"
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    records = json.dumps(package.records, indent=2, ensure_ascii=False) + "\n"
    (target / "records.json").write_text(records, encoding="utf-8")
    with (target / "records.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(package.csv_rows())
    for name in ("records.json", "records.csv"):
        files[name] = hashlib.sha256((target / name).read_bytes()).hexdigest()
    manifest = package.manifest() | {"files_sha256": files}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    audit = {"partner": package.partner.value, "withheld": package.withheld}
    (out / "withheld.json").write_text(json.dumps(audit, indent=2) + "\n", encoding="utf-8")
    return manifest


@intel_app.command("export")
def export(
    partner: str = typer.Option(..., "--for", help="fr or uk: the partner receiving the package"),
    out: Path = typer.Option(..., "--out", help="directory to write the package into"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the exchange package for a partner: only what it may receive (JSON and CSV), a
    manifest of how much was withheld and why, and an audit list kept by the exporting side."""
    try:
        side = Side(partner.upper())
    except ValueError as exc:
        raise InputError(f"--for {partner!r}: expected fr or uk", field="for") from exc
    package = build_package(record_events(), side, datetime.now(UTC))
    manifest = write_package(package, out)
    say(
        f"{counted(manifest['records'], 'record')} for {side.value} in {out / 'package'}; "
        f"{manifest['withheld']} withheld (reasons in {out / 'withheld.json'})"
    )

    def render() -> Text:
        lines = [f"withheld, by reason ({out / 'withheld.json'} lists each, kept here):"]
        lines += [f"  {n:>6,}  {reason}" for reason, n in manifest["withheld_by_reason"].items()]
        if not manifest["withheld_by_reason"]:
            lines.append("  nothing")
        removed = ", ".join(manifest["fields_removed"]) or "none"
        lines.append(f"fields removed from every record: {removed}")
        lines.append("files of the package, with their SHA-256 (also in its manifest.json):")
        lines += [f"  {name:<13} {digest}" for name, digest in manifest["files_sha256"].items()]
        return Text("\n".join(lines))

    emit(manifest, as_json=as_json, render=render)


@intel_app.command("quality")
def quality(period: str = PERIOD_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Completeness and corroboration of each side's crossing events, per period."""
    rows = quality_reading(record_events(), _period(period))
    data = [row.to_json() for row in rows]

    def render() -> Table:
        # short headers, explained under the table, and each share over its count on two
        # lines: the ten columns fit an 80-column terminal
        table = Table(
            title="Share of each side's crossing events with ...",
            caption=(
                "boat: a boat identifier; engine: an engine serial; depart.: a departure "
                "point; nation.: nationalities; people: a count of people; corrob.: "
                "corroborated by the other side; delay: median minutes from the event to its "
                "record. Under each share, count/of: 'of' is the events whose type can carry "
                "the field"
            ),
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            collapse_padding=True,
        )
        for column in ("side", "period", "events", "boat", "engine", "depart.", "nation.",
                       "people", "corrob.", "delay"):  # fmt: skip
            table.add_column(column, justify="left" if column in ("side", "period") else "right")
        for r in rows:
            cells = [
                r.boat_identifier,
                r.engine_serial,
                r.departure_point,
                r.nationalities,
                r.persons_count,
                r.corroborated,
            ]
            table.add_row(
                r.side,
                r.period,
                str(r.events),
                *("-" if c.share is None else f"{c.share:.0%}\n{c.count}/{c.of}" for c in cells),
                "-" if r.median_delay_minutes is None else f"{r.median_delay_minutes:g}",
            )
        return table

    emit(data, as_json=as_json, render=render)


@intel_app.command("nationalities")
def nationalities(
    period: str = typer.Option("quarter", "--period", help="week, month, quarter or year"),
    compare: bool = typer.Option(False, "--compare", help="against the Home Office final table"),
    as_json: bool = JSON_OPTION,
) -> None:
    """People by nationality in arrivals (one count per incident), optionally compared with
    the Home Office final quarterly table (2018-2023)."""
    items = per_incident(record_events())
    if compare:
        rows = compare_with_official(by_period(items, "quarter"), load_official())
        data: Any = [
            {
                "period": r.period,
                "nationality": r.nationality,
                "recorded": r.recorded,
                "official": r.official,
                "difference": r.difference,
            }
            for r in rows
        ]
        if not rows:
            say("no quarter of the record is covered by the official table (2018 Q1 - 2023 Q4)")

        def render() -> Table:
            table = Table(title="People by nationality: record against the Home Office table")
            for column in ("period", "nationality", "recorded", "official", "difference"):
                table.add_column(column, justify="right" if column != "nationality" else "left")
            for r in rows:
                table.add_row(
                    r.period,
                    r.nationality,
                    *("-" if v is None else str(v) for v in (r.recorded, r.official, r.difference)),
                )
            return table

    else:
        data = by_period(items, _period(period))
        if not data:
            say("no arrival with people recorded")

        def render() -> Table:
            table = Table(title="People by nationality in arrivals (one count per incident)")
            for column in ("period", "nationality", "people"):
                table.add_column(column, justify="right" if column == "people" else "left")
            for label, counts in sorted(data.items()):
                for nationality, people in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                    table.add_row(label, nationality, str(people))
            return table

    emit(data, as_json=as_json, render=render)


@intel_app.command("enforcement")
def enforcement(
    period: str = typer.Option("week", "--period", help="week, month, quarter or year"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Seizures (boats, engines, items) and arrests (by role), by period and place."""
    rows = enforcement_reading(record_events(), _period(period))
    data = [r.to_json() for r in rows]
    if not rows and not as_json:
        say("no seizure or arrest in the record")

    def render() -> Table:
        table = Table(title="Seizures and arrests")
        for column in ("period", "place", "seizures", "boats", "engines", "items", "arrests"):
            table.add_column(column, justify="left" if column in ("period", "place") else "right")
        for r in rows:
            table.add_row(
                r.period,
                r.place,
                str(r.seizures),
                str(r.boats_seized),
                str(r.engines_seized),
                str(r.other_items),
                ", ".join(f"{k} {v}" for k, v in sorted(r.arrests.items())) or "0",
            )
        return table

    emit(data, as_json=as_json, render=render)


@intel_app.command("preventions")
def preventions(as_json: bool = JSON_OPTION) -> None:
    """Prevention events per ISO week against the official weekly preventions (SB_02)."""
    rows = compare_preventions(record_events(), load_sb02())
    data = [
        {
            "week_ending": r.week_ending,
            "recorded_events": r.recorded_events,
            "recorded_persons": r.recorded_persons,
            "official_events": r.official_events,
            "official_persons": r.official_persons,
        }
        for r in rows
    ]
    if not rows and not as_json:
        say("no week of the record holds a prevention or a crossing event")

    def render() -> Table:
        table = Table(title="Preventions per week: record against Home Office SB_02")
        for column in (
            "week ending",
            "events (record)",
            "people (record)",
            "events (SB_02)",
            "people (SB_02)",
        ):
            table.add_column(column, justify="left" if column == "week ending" else "right")
        for r in rows:
            table.add_row(
                r.week_ending,
                str(r.recorded_events),
                str(r.recorded_persons),
                "-" if r.official_events is None else str(r.official_events),
                "-" if r.official_persons is None else str(r.official_persons),
            )
        return table

    emit(data, as_json=as_json, render=render)
