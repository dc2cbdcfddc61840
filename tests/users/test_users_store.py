"""Users and tokens: the token is shown once, only its SHA-256 is stored, revocation bites."""

from __future__ import annotations

import hashlib

import pytest

from manche.domain.access import Role
from manche.domain.values import Side
from manche.errors import Conflict, InputError, Unauthenticated
from manche.storage import Database
from manche.users import UserStore


def test_token_authenticates_and_only_its_hash_is_stored(database: Database) -> None:
    store = UserStore(database)
    store.add("cross-an-07", "FR-CROSS-GN", ["analyst", "auditor"])
    issued = store.issue_token("cross-an-07", "laptop")
    principal = store.authenticate(issued.token)
    assert principal.user_id == "cross-an-07" and principal.side is Side.FR
    assert principal.roles == frozenset({Role.ANALYST, Role.AUDITOR})
    with database.transaction() as tx:
        stored = [bytes(h) for (h,) in tx.all("SELECT token_hash FROM api_tokens")]
        dumped = str(tx.all("SELECT * FROM api_tokens"))
    assert stored == [hashlib.sha256(issued.token.encode()).digest()]
    assert issued.token not in dumped
    assert len(issued.token) >= 4 + 43  # mch_ + 32 bytes in URL-safe base64


def test_revoking_a_token_or_a_user_stops_it(database: Database) -> None:
    store = UserStore(database)
    store.add("bf-op-1", "UK-BF", ["operator"])
    first, second = store.issue_token("bf-op-1"), store.issue_token("bf-op-1")
    store.revoke_token(first.token_id)
    with pytest.raises(Unauthenticated):
        store.authenticate(first.token)
    assert store.authenticate(second.token).user_id == "bf-op-1"
    store.revoke("bf-op-1")
    with pytest.raises(Unauthenticated):
        store.authenticate(second.token)
    with pytest.raises(Conflict):
        store.issue_token("bf-op-1")
    with pytest.raises(Unauthenticated):
        store.authenticate("mch_" + "A" * 43)


@pytest.mark.parametrize(
    ("user", "agency", "roles", "field"),
    [
        ("John Smith", "UK-BF", ["operator"], "user"),
        ("bf-op-2", "UK-NOPE", ["operator"], "agency"),
        ("bf-op-2", "UK-BF", ["captain"], "roles"),
        ("bf-op-2", "UK-BF", [], "roles"),
    ],
)
def test_bad_users_are_refused_naming_the_field(
    sqlite_database: Database, user: str, agency: str, roles: list[str], field: str
) -> None:
    store = UserStore(sqlite_database)
    with pytest.raises(InputError) as caught:
        store.add(user, agency, roles)
    assert caught.value.field == field
    assert store.all() == []
