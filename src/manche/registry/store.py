"""Agencies and assets in the database: seeded once from ``data/registry``, then edited by admins.

Edits are allowed here (the registries are reference data, not the record): an upsert by code
replaces a row, and every change is kept in ``registry_changes`` with who, when, and the row
before and after. There is no delete: a retired agency or vessel is marked ``active=false`` so
that events naming it still resolve. An agency's side never changes (its users' visibility
depends on it): the code carries the side (``UK-``/``FR-``) and must match it.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from manche.domain.registry import Agency, Asset
from manche.errors import Conflict, InputError, NotFound
from manche.storage import Database, Transaction

Registry = Literal["agencies", "assets"]
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "registry"

_DDL = [
    "CREATE TABLE IF NOT EXISTS registry_agencies ("
    " code TEXT PRIMARY KEY, side TEXT NOT NULL, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS registry_assets ("
    " code TEXT PRIMARY KEY, agency TEXT NOT NULL REFERENCES registry_agencies (code),"
    " data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS registry_changes ("
    " id SERIAL_PK, registry TEXT NOT NULL, code TEXT NOT NULL, changed_at TEXT NOT NULL,"
    " changed_by TEXT NOT NULL, row_before TEXT, row_after TEXT NOT NULL)",
]


def _blank(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def _position(lat: str | None, lon: str | None) -> dict[str, float] | None:
    if _blank(lat) is None or _blank(lon) is None:
        return None
    return {"lat": float(lat or 0), "lon": float(lon or 0)}


def bundled_agencies() -> list[Agency]:
    """The seed rows of ``data/registry/agencies.csv``, validated."""
    rows = _read_csv("agencies.csv")
    out = []
    for number, row in enumerate(rows, start=2):
        data: dict[str, Any] = {
            "code": row["code"],
            "side": row["side"],
            "name_en": row["name_en"],
            "name_fr": row["name_fr"],
            "kind": row["kind"],
            "parent": _blank(row["parent"]),
            "position": _position(row["lat"], row["lon"]),
            "position_note": row["position_note"],
            "source": row["source"],
        }
        if _blank(row.get("mandate")):
            data["mandate"] = tuple(row["mandate"].split())
        out.append(_validate(Agency, data, file="agencies.csv", row=number))
    return out


def bundled_assets() -> list[Asset]:
    """The seed rows of ``data/registry/assets.csv``, validated."""
    out = []
    for number, row in enumerate(_read_csv("assets.csv"), start=2):
        data: dict[str, Any] = {
            "code": row["code"],
            "name": row["name"],
            "kind": row["kind"],
            "agency": row["agency"],
            "speed_kn": float(row["speed_kn"]) if _blank(row["speed_kn"]) else None,
            "speed_basis": row["speed_basis"],
            "speed_approx": row["speed_approx"] == "true",
            "home_base": row["home_base"],
            "home": _position(row["home_lat"], row["home_lon"]),
            "active": row["active"] == "true",
            "source": row["source"],
        }
        out.append(_validate(Asset, data, file="assets.csv", row=number))
    return out


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


M = TypeVar("M", Agency, Asset)


def _validate(
    model: type[M], data: dict[str, Any], *, file: str | None = None, row: int | None = None
) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        if field is None and "must start with" in first["msg"]:
            field = "side"
        raise InputError(
            first["msg"].removeprefix("Value error, "), file=file, row=row, field=field
        ) from exc


class RegistryStore:
    """The agencies and assets tables of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.ensure_schema("registry", 1, _DDL)
        self._seed_once()

    def _seed_once(self) -> None:
        with self.db.transaction() as tx:
            if tx.scalar("SELECT COUNT(*) FROM registry_agencies"):
                return
            for agency in bundled_agencies():
                tx.execute(
                    "INSERT INTO registry_agencies (code, side, data) VALUES (?, ?, ?) "
                    "ON CONFLICT (code) DO NOTHING",
                    (agency.code, agency.side.value, agency.model_dump_json()),
                )
            for asset in bundled_assets():
                tx.execute(
                    "INSERT INTO registry_assets (code, agency, data) VALUES (?, ?, ?) "
                    "ON CONFLICT (code) DO NOTHING",
                    (asset.code, asset.agency, asset.model_dump_json()),
                )

    # reading

    def agencies(self) -> list[Agency]:
        with self.db.transaction() as tx:
            rows = tx.all("SELECT data FROM registry_agencies ORDER BY code")
        return [Agency.model_validate_json(data) for (data,) in rows]

    def assets(self, agency: str | None = None) -> list[Asset]:
        with self.db.transaction() as tx:
            if agency is None:
                rows = tx.all("SELECT data FROM registry_assets ORDER BY code")
            else:
                rows = tx.all(
                    "SELECT data FROM registry_assets WHERE agency = ? ORDER BY code", (agency,)
                )
        return [Asset.model_validate_json(data) for (data,) in rows]

    def agency(self, code: str) -> Agency:
        data = self.db.read_one("SELECT data FROM registry_agencies WHERE code = ?", (code,))
        found = None if data is None else Agency.model_validate_json(data[0])
        if found is None:
            raise NotFound(f"no agency {code!r}", field="agency")
        return found

    def asset(self, code: str) -> Asset:
        with self.db.transaction() as tx:
            data = tx.scalar("SELECT data FROM registry_assets WHERE code = ?", (code,))
        if data is None:
            raise NotFound(f"no asset {code!r}", field="asset")
        return Asset.model_validate_json(data)

    @staticmethod
    def find_agency(tx: Transaction, code: str) -> Agency | None:
        data = tx.scalar("SELECT data FROM registry_agencies WHERE code = ?", (code,))
        return None if data is None else Agency.model_validate_json(data)

    # editing (admins only: the caller checks the permission)

    def put_agency(self, data: dict[str, Any], *, by: str) -> Agency:
        agency = _validate(Agency, data)
        with self.db.transaction() as tx:
            before = tx.scalar("SELECT data FROM registry_agencies WHERE code = ?", (agency.code,))
            if agency.parent is not None and self.find_agency(tx, agency.parent) is None:
                raise InputError(f"no agency {agency.parent!r}", field="parent")
            if before is None:
                tx.execute(
                    "INSERT INTO registry_agencies (code, side, data) VALUES (?, ?, ?)",
                    (agency.code, agency.side.value, agency.model_dump_json()),
                )
            else:
                tx.execute(
                    "UPDATE registry_agencies SET data = ? WHERE code = ?",
                    (agency.model_dump_json(), agency.code),
                )
            self._log(tx, "agencies", agency.code, by, before, agency.model_dump_json())
        return agency

    def put_asset(self, data: dict[str, Any], *, by: str, create: bool = False) -> Asset:
        """Add or replace an asset; ``create``: add only (a code that exists is a Conflict)."""
        asset = _validate(Asset, data)
        with self.db.transaction() as tx:
            if self.find_agency(tx, asset.agency) is None:
                raise InputError(f"no agency {asset.agency!r}", field="agency")
            before = tx.scalar("SELECT data FROM registry_assets WHERE code = ?", (asset.code,))
            if create and before is not None:
                raise Conflict(f"asset {asset.code!r} exists: edit it instead", field="code")
            if before is None:
                tx.execute(
                    "INSERT INTO registry_assets (code, agency, data) VALUES (?, ?, ?)",
                    (asset.code, asset.agency, asset.model_dump_json()),
                )
            else:
                tx.execute(
                    "UPDATE registry_assets SET agency = ?, data = ? WHERE code = ?",
                    (asset.agency, asset.model_dump_json(), asset.code),
                )
            self._log(tx, "assets", asset.code, by, before, asset.model_dump_json())
        return asset

    def changes(self, code: str | None = None) -> list[dict[str, Any]]:
        """The edit history, oldest first."""
        sql = (
            "SELECT registry, code, changed_at, changed_by, row_before, row_after"
            " FROM registry_changes"
        )
        params: tuple[str, ...] = ()
        if code is not None:
            sql += " WHERE code = ?"
            params = (code,)
        with self.db.transaction() as tx:
            rows = tx.all(sql + " ORDER BY id", params)
        return [
            {
                "registry": registry,
                "code": row_code,
                "changed_at": at,
                "changed_by": by,
                "before": None if before is None else json.loads(before),
                "after": json.loads(after),
            }
            for registry, row_code, at, by, before, after in rows
        ]

    @staticmethod
    def _log(
        tx: Transaction, registry: Registry, code: str, by: str, before: str | None, after: str
    ) -> None:
        tx.execute(
            "INSERT INTO registry_changes"
            " (registry, code, changed_at, changed_by, row_before, row_after)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (registry, code, datetime.now(UTC).isoformat(), by, before, after),
        )


__all__ = ["RegistryStore", "bundled_agencies", "bundled_assets"]
