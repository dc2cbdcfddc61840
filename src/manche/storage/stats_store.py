"""The statistics store: every imported vintage kept, never overwritten (SQLite and PostgreSQL).

Tables: ``stats_vintages`` (one row per publication, with its file name and SHA-256),
``stats_daily`` / ``stats_weekly`` / ``stats_nationality`` (the figures, keyed by vintage).
NULL in a count means *not recorded* ('-').

- One transaction per import command: all its files are stored, or none.
- A file whose SHA-256 is already stored is a duplicate: the import is refused, naming the
  vintage it was imported as, and nothing changes. A different file claiming a vintage already
  stored (same kind and publication time) is refused the same way.
- :func:`load` reads everything once into :class:`~manche.readings.stats.StatsData` and keeps it
  in memory, per database, until another import changes the store.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from manche.domain.stats import NationalityFigure, ParsedFile, WeeklyFigure
from manche.errors import Conflict
from manche.readings.stats import EPOCH, NULL, StatsData, Vintage, VintageDaily
from manche.storage.database import Database, Transaction

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS stats_vintages (
        id SERIAL_PK,
        label TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        published_at TEXT,
        imported_at TEXT NOT NULL,
        first_day TEXT,
        last_day TEXT,
        row_count INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS stats_daily (
        vintage_id INTEGER NOT NULL REFERENCES stats_vintages(id),
        day TEXT NOT NULL,
        migrants INTEGER,
        boats INTEGER,
        uncontrolled_landings INTEGER,
        notes TEXT NOT NULL,
        PRIMARY KEY (vintage_id, day)
    )""",
    """CREATE TABLE IF NOT EXISTS stats_weekly (
        vintage_id INTEGER NOT NULL REFERENCES stats_vintages(id),
        week_ending TEXT NOT NULL,
        migrants INTEGER,
        boats INTEGER,
        uncontrolled_landings INTEGER,
        migrants_prevented INTEGER,
        events_prevented INTEGER,
        notes TEXT NOT NULL,
        PRIMARY KEY (vintage_id, week_ending)
    )""",
    """CREATE TABLE IF NOT EXISTS stats_nationality (
        vintage_id INTEGER NOT NULL REFERENCES stats_vintages(id),
        line INTEGER NOT NULL,
        year INTEGER NOT NULL,
        quarter INTEGER NOT NULL,
        nationality TEXT NOT NULL,
        region TEXT NOT NULL,
        sex TEXT NOT NULL,
        age_group TEXT NOT NULL,
        detections INTEGER NOT NULL,
        PRIMARY KEY (vintage_id, line)
    )""",
]

Progress = Callable[[ParsedFile], None]


_schema_ready: set[str] = set()
_schema_lock = threading.Lock()


def ensure_schema(db: Database) -> None:
    """Create the tables once per database and process (threads wait for the first)."""
    if db.url in _schema_ready:
        return
    with _schema_lock:
        if db.url not in _schema_ready:
            db.ensure_schema("stats", 1, SCHEMA)
            _schema_ready.add(db.url)


def _generation(tx: Transaction) -> tuple[int, int]:
    row = tx.one("SELECT COUNT(*), MAX(id) FROM stats_vintages")
    return (int(row[0]), int(row[1] or 0))


def count_vintages(db: Database) -> int:
    ensure_schema(db)
    with db.transaction() as tx:
        return _generation(tx)[0]


def _store_one(tx: Transaction, parsed: ParsedFile, now: datetime) -> str:
    existing = tx.one(
        "SELECT label, imported_at FROM stats_vintages WHERE sha256 = ?", (parsed.sha256,)
    )
    if existing is not None:
        raise Conflict(
            f"file {parsed.file_name}: already imported as vintage {existing[0]} "
            f"on {existing[1][:19].replace('T', ' ')} UTC (same SHA-256); nothing changed"
        )
    clash = tx.one(
        "SELECT file_name, published_at FROM stats_vintages WHERE label = ?", (parsed.label,)
    )
    if clash is not None:
        raise Conflict(
            f"file {parsed.file_name}: vintage {parsed.label} is already stored from "
            f"{clash[0]} with different content; refusing to keep two versions of one "
            "publication (nothing changed)"
        )
    first, last = parsed.first_day, parsed.last_day
    rows = len(parsed.daily) + len(parsed.weekly) + len(parsed.nationality)
    cursor = tx.execute(
        "INSERT INTO stats_vintages (label, kind, file_name, sha256, published_at, imported_at, "
        "first_day, last_day, row_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            parsed.label,
            parsed.kind,
            parsed.file_name,
            parsed.sha256,
            parsed.published_at.isoformat() if parsed.published_at else None,
            now.isoformat(),
            first.isoformat() if first else None,
            last.isoformat() if last else None,
            rows,
        ),
    )
    vintage_id = int(cursor.fetchone()[0])
    if parsed.daily:
        tx.executemany(
            "INSERT INTO stats_daily (vintage_id, day, migrants, boats, uncontrolled_landings, "
            "notes) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    vintage_id,
                    d.day.isoformat(),
                    d.migrants,
                    d.boats,
                    d.uncontrolled_landings,
                    d.notes,
                )
                for d in parsed.daily
            ],
        )
    if parsed.weekly:
        tx.executemany(
            "INSERT INTO stats_weekly (vintage_id, week_ending, migrants, boats, "
            "uncontrolled_landings, migrants_prevented, events_prevented, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    vintage_id,
                    w.week_ending.isoformat(),
                    w.migrants,
                    w.boats,
                    w.uncontrolled_landings,
                    w.migrants_prevented,
                    w.events_prevented,
                    w.notes,
                )
                for w in parsed.weekly
            ],
        )
    if parsed.nationality:
        tx.executemany(
            "INSERT INTO stats_nationality (vintage_id, line, year, quarter, nationality, region, "
            "sex, age_group, detections) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    vintage_id,
                    i,
                    n.year,
                    n.quarter,
                    n.nationality,
                    n.region,
                    n.sex,
                    n.age_group,
                    n.detections,
                )
                for i, n in enumerate(parsed.nationality)
            ],
        )
    return parsed.label


def store(db: Database, files: Sequence[ParsedFile], progress: Progress | None = None) -> list[str]:
    """Store ``files`` as new vintages in one transaction; return their labels.

    Raises :class:`Conflict` (and stores nothing) if any file is already stored, or if two of
    ``files`` are the same."""
    ensure_schema(db)
    seen: dict[str, str] = {}
    for parsed in files:
        if parsed.sha256 in seen:
            raise Conflict(
                f"file {parsed.file_name}: the same content as {seen[parsed.sha256]} "
                "given twice; nothing changed"
            )
        seen[parsed.sha256] = parsed.file_name
    now = datetime.now(UTC)
    labels = []
    try:
        with db.transaction() as tx:
            for parsed in files:
                labels.append(_store_one(tx, parsed, now))
                if progress is not None:
                    progress(parsed)
    except Exception as exc:
        if _is_unique_violation(exc):  # another writer stored the same vintage meanwhile
            raise Conflict(
                "another import stored one of these vintages at the same time; nothing changed"
            ) from exc
        raise
    finally:
        _forget(db)
    return labels


def _is_unique_violation(exc: Exception) -> bool:
    if isinstance(exc, sqlite3.IntegrityError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(exc, psycopg.errors.UniqueViolation)


def import_bundled(db: Database, say: Callable[[str], None] | None = None) -> list[str]:
    """Store every bundled official file not stored yet (by SHA-256); idempotent."""
    ensure_schema(db)
    with db.transaction() as tx:
        stored = {row[0] for row in tx.all("SELECT sha256 FROM stats_vintages")}
    parsed = _parsed_bundled()
    missing = [p for p in parsed if p.sha256 not in stored]
    if not missing:
        return []
    labels = store(db, missing)
    if say is not None:
        say(f"Imported {len(labels)} bundled official files: {', '.join(labels)}")
    return labels


@lru_cache(maxsize=1)
def _parsed_bundled() -> tuple[ParsedFile, ...]:
    """The bundled files, read once per process (they ship with the code and do not change)."""
    from manche.sources.stats_files import bundled_files, read_stats_file

    return tuple(read_stats_file(path) for path in bundled_files())


def ensure_loaded(db: Database, say: Callable[[str], None] | None = None) -> StatsData:
    """Import on first use: an empty store gets the bundled files first (said on stderr)."""
    if count_vintages(db) == 0:
        with _first_use:  # one importer per process; other processes: see Conflict below
            if count_vintages(db) == 0:
                if say is not None:
                    say(
                        "The statistics store is empty: "
                        "importing the bundled Home Office files first."
                    )
                # Conflict: another process imported them first, which is what we wanted.
                with contextlib.suppress(Conflict):
                    import_bundled(db, say)
    return load(db)


# ------------------------------------------------------------------ loading, cached per database

_cache: dict[str, tuple[tuple[int, int], StatsData]] = {}
_lock = threading.Lock()
_first_use = threading.Lock()


def _forget(db: Database) -> None:
    with _lock:
        _cache.pop(db.url, None)


def _dt(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _d(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def load(db: Database) -> StatsData:
    """Everything stored, read once and kept in memory until the store changes."""
    ensure_schema(db)
    with db.transaction() as tx:
        generation = _generation(tx)
        with _lock:
            hit = _cache.get(db.url)
        if hit is not None and hit[0] == generation:
            return hit[1]
        vintage_rows = tx.all(
            "SELECT id, label, kind, file_name, sha256, published_at, imported_at, first_day, "
            "last_day, row_count FROM stats_vintages"
        )
        daily_rows = tx.all(
            "SELECT vintage_id, day, migrants, boats, uncontrolled_landings, notes "
            "FROM stats_daily ORDER BY vintage_id, day"
        )
        weekly_rows = tx.all(
            "SELECT vintage_id, week_ending, migrants, boats, uncontrolled_landings, "
            "migrants_prevented, events_prevented, notes FROM stats_weekly "
            "ORDER BY vintage_id, week_ending"
        )
        nationality_rows = tx.all(
            "SELECT vintage_id, year, quarter, nationality, region, sex, age_group, detections "
            "FROM stats_nationality ORDER BY vintage_id, line"
        )
    vintages = [
        Vintage(
            id=int(r[0]),
            label=r[1],
            kind=r[2],
            file_name=r[3],
            sha256=r[4],
            published_at=_dt(r[5]),
            imported_at=_dt(r[6]) or datetime.now(UTC),
            first_day=_d(r[7]),
            last_day=_d(r[8]),
            rows=int(r[9]),
        )
        for r in vintage_rows
    ]
    vintages.sort(key=lambda v: v.order_key)
    data = StatsData(
        vintages=tuple(vintages),
        daily=_daily_arrays(daily_rows),
        weekly=_weekly(weekly_rows),
        nationality=_nationality(nationality_rows),
    )
    with _lock:
        _cache[db.url] = (generation, data)
    return data


def _daily_arrays(rows: list[Any]) -> dict[int, VintageDaily]:
    out: dict[int, VintageDaily] = {}
    if not rows:
        return out
    epoch = EPOCH.toordinal()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    offsets = np.fromiter(
        (date.fromisoformat(r[1]).toordinal() - epoch for r in rows),
        dtype=np.int64,
        count=len(rows),
    )

    def column(i: int) -> Any:
        return np.fromiter(
            (NULL if r[i] is None else r[i] for r in rows), dtype=np.int64, count=len(rows)
        )

    migrants, boats, uncontrolled = column(2), column(3), column(4)
    bounds = np.flatnonzero(np.diff(ids)) + 1
    for start, stop in zip(
        np.concatenate(([0], bounds)).tolist(),
        np.concatenate((bounds, [len(rows)])).tolist(),
        strict=True,
    ):
        notes = {int(offsets[k]): rows[k][5] for k in range(start, stop) if rows[k][5]}
        out[int(ids[start])] = VintageDaily(
            offsets[start:stop],
            migrants[start:stop],
            boats[start:stop],
            uncontrolled[start:stop],
            notes,
        )
    return out


def _weekly(rows: list[Any]) -> dict[int, tuple[WeeklyFigure, ...]]:
    grouped: dict[int, list[WeeklyFigure]] = {}
    for r in rows:
        grouped.setdefault(int(r[0]), []).append(
            WeeklyFigure(
                date.fromisoformat(r[1]),
                _int(r[2]),
                _int(r[3]),
                _int(r[4]),
                _int(r[5]),
                _int(r[6]),
                r[7],
            )
        )
    return {k: tuple(v) for k, v in grouped.items()}


def _nationality(rows: list[Any]) -> dict[int, tuple[NationalityFigure, ...]]:
    grouped: dict[int, list[NationalityFigure]] = {}
    for r in rows:
        grouped.setdefault(int(r[0]), []).append(
            NationalityFigure(int(r[1]), int(r[2]), r[3], r[4], r[5], r[6], int(r[7]))
        )
    return {k: tuple(v) for k, v in grouped.items()}


def bundled_paths() -> list[Path]:
    from manche.sources.stats_files import bundled_files

    return bundled_files()
