"""Users and API tokens in the database.

A user is a pseudonymous id (``bf-op-0142``, never a person's name), an agency from the
registry, and roles. An API token is 32 random bytes from :mod:`secrets` (256 bits, URL-safe
base64, prefixed ``mch_``); it is shown once, when issued, and only its SHA-256 is stored.

Why a plain SHA-256 and not bcrypt/scrypt/argon2: slow, salted hashes exist to make guessing
*low-entropy* secrets (passwords) expensive. A token here has 256 bits of entropy, so inverting
its SHA-256 is as hard as guessing the token itself (2^255 tries on average) whatever the speed
of the hash; a fast, unsalted hash lets the server find the token by an indexed lookup instead
of trying a slow hash against every stored token, which keeps a request's authentication at a
few microseconds. A stolen database therefore yields no usable token.

Revoking a token, or a user (which disables all its tokens), is immediate: every request looks
the token up. Nothing is deleted; revocation times are kept, and every change (add, revoke,
roles changed, token issued or revoked, password set) is kept in ``user_changes`` with who made
it (an admin's user id over the API, ``console`` from ``manche users``) and when.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from manche.domain.access import Principal, Role
from manche.domain.values import Side
from manche.errors import Conflict, InputError, NotFound, Unauthenticated
from manche.registry import RegistryStore
from manche.storage import Database, Transaction

TOKEN_PREFIX = "mch_"
USER_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_DDL = [
    "CREATE TABLE IF NOT EXISTS users ("
    " id TEXT PRIMARY KEY, agency TEXT NOT NULL REFERENCES registry_agencies (code),"
    " roles TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)",
    "CREATE TABLE IF NOT EXISTS api_tokens ("
    " id SERIAL_PK, user_id TEXT NOT NULL REFERENCES users (id), token_hash BLOB NOT NULL UNIQUE,"
    " prefix TEXT NOT NULL, label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)",
    "CREATE TABLE IF NOT EXISTS user_changes ("
    " id SERIAL_PK, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, action TEXT NOT NULL,"
    " user_id TEXT NOT NULL, detail TEXT NOT NULL)",
]

CONSOLE = "console"
"""``changed_by`` of changes made with ``manche users`` on the server."""


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def log_change(tx: Transaction, by: str, action: str, user_id: str, detail: str) -> None:
    tx.execute(
        "INSERT INTO user_changes (changed_at, changed_by, action, user_id, detail)"
        " VALUES (?, ?, ?, ?, ?)",
        (_now(), by, action, user_id, detail),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class User:
    id: str
    agency: str
    side: Side
    roles: tuple[Role, ...]
    created_at: str
    revoked_at: str | None
    active_tokens: int

    def principal(self) -> Principal:
        return Principal(self.id, self.agency, self.side, frozenset(self.roles))


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``token`` is shown to the user once and never stored."""

    token: str
    token_id: int
    user_id: str
    prefix: str
    label: str


def parse_roles(values: list[str] | tuple[str, ...]) -> tuple[Role, ...]:
    roles: list[Role] = []
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            try:
                role = Role(name)
            except ValueError:
                known = ", ".join(r.value for r in Role)
                raise InputError(f"unknown role {name!r} (known: {known})", field="roles") from None
            if role not in roles:
                roles.append(role)
    if not roles:
        raise InputError("a user needs at least one role", field="roles")
    return tuple(roles)


class UserStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.registry = RegistryStore(db)
        db.ensure_schema("users", 2, _DDL)

    def add(
        self, user_id: str, agency: str, roles: list[str] | tuple[str, ...], *, by: str = CONSOLE
    ) -> User:
        if not USER_ID_PATTERN.match(user_id):
            raise InputError(
                "a user id is a pseudonymous handle: 2-64 of a-z 0-9 . _ -, starting with a "
                f"letter or digit (e.g. bf-op-0142), not {user_id!r}",
                field="user",
            )
        parsed = parse_roles(roles)
        with self.db.transaction() as tx:
            found = self.registry.find_agency(tx, agency)
            if found is None:
                raise InputError(f"no agency {agency!r} in the registry", field="agency")
            if tx.scalar("SELECT 1 FROM users WHERE id = ?", (user_id,)) is not None:
                raise Conflict(f"user {user_id!r} exists", field="user")
            tx.execute(
                "INSERT INTO users (id, agency, roles, created_at) VALUES (?, ?, ?, ?)",
                (user_id, agency, ",".join(r.value for r in parsed), _now()),
            )
            log_change(tx, by, "add", user_id, f"{agency} {','.join(r.value for r in parsed)}")
        return self.get(user_id)

    def get(self, user_id: str) -> User:
        users = self._select("WHERE u.id = ?", (user_id,))
        if not users:
            raise NotFound(f"no user {user_id!r}", field="user")
        return users[0]

    def all(self, agency: str | None = None) -> list[User]:
        if agency is None:
            return self._select("", ())
        return self._select("WHERE u.agency = ?", (agency,))

    def _select(self, where: str, params: tuple[str, ...]) -> list[User]:
        with self.db.transaction() as tx:
            rows = tx.all(
                "SELECT u.id, u.agency, a.side, u.roles, u.created_at, u.revoked_at,"
                " (SELECT COUNT(*) FROM api_tokens t"
                "  WHERE t.user_id = u.id AND t.revoked_at IS NULL)"
                " FROM users u JOIN registry_agencies a ON a.code = u.agency "
                f"{where} ORDER BY u.id",
                params,
            )
        return [
            User(
                id=row[0],
                agency=row[1],
                side=Side(row[2]),
                roles=tuple(Role(r) for r in row[3].split(",")),
                created_at=row[4],
                revoked_at=row[5],
                active_tokens=int(row[6]),
            )
            for row in rows
        ]

    def revoke(self, user_id: str, *, by: str = CONSOLE) -> User:
        """Disable a user and all its tokens (kept, marked revoked)."""
        now = _now()
        with self.db.transaction() as tx:
            if tx.scalar("SELECT 1 FROM users WHERE id = ?", (user_id,)) is None:
                raise NotFound(f"no user {user_id!r}", field="user")
            tx.execute(
                "UPDATE users SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (now, user_id),
            )
            tx.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                (now, user_id),
            )
            log_change(tx, by, "revoke", user_id, "user and all its tokens")
        return self.get(user_id)

    def set_roles(
        self, user_id: str, roles: list[str] | tuple[str, ...], *, by: str = CONSOLE
    ) -> User:
        """Replace a user's roles (at least one); the change is kept with who made it."""
        parsed = parse_roles(roles)
        user = self.get(user_id)
        if user.revoked_at is not None:
            raise Conflict(f"user {user_id!r} is revoked", field="user")
        new = ",".join(r.value for r in parsed)
        with self.db.transaction() as tx:
            tx.execute("UPDATE users SET roles = ? WHERE id = ?", (new, user_id))
            old = ",".join(r.value for r in user.roles)
            log_change(tx, by, "roles", user_id, f"{old} -> {new}")
        return self.get(user_id)

    def issue_token(self, user_id: str, label: str = "", *, by: str = CONSOLE) -> IssuedToken:
        user = self.get(user_id)
        if user.revoked_at is not None:
            raise Conflict(f"user {user_id!r} is revoked", field="user")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        prefix = token[: len(TOKEN_PREFIX) + 6]
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO api_tokens (user_id, token_hash, prefix, label, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, hash_token(token), prefix, label, _now()),
            )
            token_id = tx.scalar(
                "SELECT id FROM api_tokens WHERE token_hash = ?", (hash_token(token),)
            )
            log_change(tx, by, "issue-token", user_id, f"token {token_id} {prefix} {label}".strip())
        return IssuedToken(token, int(token_id), user_id, prefix, label)

    def tokens(self, user_id: str) -> list[dict[str, object]]:
        self.get(user_id)
        with self.db.transaction() as tx:
            rows = tx.all(
                "SELECT id, prefix, label, created_at, revoked_at FROM api_tokens"
                " WHERE user_id = ? ORDER BY id",
                (user_id,),
            )
        return [
            {"id": r[0], "prefix": r[1], "label": r[2], "created_at": r[3], "revoked_at": r[4]}
            for r in rows
        ]

    def revoke_token(self, token_id: int, *, by: str = CONSOLE) -> None:
        with self.db.transaction() as tx:
            owner = tx.scalar("SELECT user_id FROM api_tokens WHERE id = ?", (token_id,))
            if owner is None:
                raise NotFound(f"no token {token_id}", field="token")
            tx.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (_now(), token_id),
            )
            log_change(tx, by, "revoke-token", owner, f"token {token_id}")

    def changes(self, user_id: str | None = None) -> list[dict[str, object]]:
        """Who added, revoked or gave tokens to whom, and when (oldest first)."""
        sql = "SELECT changed_at, changed_by, action, user_id, detail FROM user_changes"
        params: tuple[str, ...] = ()
        if user_id is not None:
            sql += " WHERE user_id = ?"
            params = (user_id,)
        with self.db.transaction() as tx:
            rows = tx.all(sql + " ORDER BY id", params)
        keys = ("changed_at", "changed_by", "action", "user", "detail")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def authenticate(self, token: str) -> Principal:
        """The principal a bearer token stands for; :class:`Unauthenticated` otherwise."""
        if not token.startswith(TOKEN_PREFIX):
            raise Unauthenticated("not a Manche API token")
        row = self.db.read_one(  # one statement, one round trip: every API request does it
            "SELECT u.id, u.agency, a.side, u.roles FROM api_tokens t"
            " JOIN users u ON u.id = t.user_id"
            " JOIN registry_agencies a ON a.code = u.agency"
            " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.revoked_at IS NULL",
            (hash_token(token),),
        )
        if row is None:
            raise Unauthenticated("unknown or revoked token")
        roles = frozenset(Role(r) for r in row[3].split(","))
        return Principal(row[0], row[1], Side(row[2]), roles)

    def principal(self, user_id: str) -> Principal:
        """The principal of an active user (for the CLI's ``--as USER``)."""
        user = self.get(user_id)
        if user.revoked_at is not None:
            raise Unauthenticated(f"user {user_id!r} is revoked")
        return user.principal()
