"""The registry tables on SQLite and PostgreSQL: seeded once, edited with history, no delete."""

from __future__ import annotations

import pytest

from manche.errors import InputError
from manche.registry import RegistryStore
from manche.registry.store import bundled_agencies, bundled_assets
from manche.storage import Database


def test_seeded_from_the_bundled_files_once(database: Database) -> None:
    store = RegistryStore(database)
    assert [a.code for a in store.agencies()] == sorted(a.code for a in bundled_agencies())
    assert len(store.assets()) == len(bundled_assets())
    store.put_asset({**store.asset("UK-BF-SEEKER").model_dump(), "active": False}, by="adm")
    RegistryStore(database)  # a second start does not re-seed over the edit
    assert store.asset("UK-BF-SEEKER").active is False


def test_edit_keeps_history_and_refuses_side_change(database: Database) -> None:
    store = RegistryStore(database)
    before = store.agency("FR-SNSM")
    edited = store.put_agency({**before.model_dump(), "name_en": "SNSM Calais"}, by="adm-fr")
    assert edited.name_en == "SNSM Calais" and store.agency("FR-SNSM").name_en == "SNSM Calais"
    [change] = store.changes("FR-SNSM")
    assert change["changed_by"] == "adm-fr"
    assert change["before"]["name_en"] == before.name_en
    assert change["after"]["name_en"] == "SNSM Calais"
    with pytest.raises(InputError, match="must start with UK-") as caught:
        store.put_agency({**before.model_dump(), "side": "UK"}, by="adm")
    assert caught.value.field == "side"
    assert store.agency("FR-SNSM").side.value == "FR"


def test_asset_needs_a_known_agency_and_valid_fields(database: Database) -> None:
    store = RegistryStore(database)
    row = {
        "code": "UK-BF-NEW",
        "name": "HMC New",
        "kind": "cutter",
        "agency": "UK-XX",
        "source": "s",
    }
    with pytest.raises(InputError) as caught:
        store.put_asset(row, by="adm")
    assert caught.value.field == "agency"
    with pytest.raises(InputError) as caught:
        store.put_asset({**row, "agency": "UK-BF", "speed_kn": -3}, by="adm")
    assert caught.value.field == "speed_kn"
    assert store.put_asset({**row, "agency": "UK-BF"}, by="adm").code == "UK-BF-NEW"
