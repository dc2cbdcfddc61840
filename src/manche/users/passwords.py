"""Passwords for the web login, stored as scrypt hashes with a random salt.

A password is a *low-entropy* secret, unlike an API token (see :mod:`manche.users.store`): it
is hashed with :func:`hashlib.scrypt` (memory-hard; n=2**14, r=8, p=1, 16 MiB per hash, about
50 ms here) and a 16-byte random salt, so a stolen database makes each guess expensive. The
parameters are stored with each hash, so they can be raised later without invalidating
existing passwords.

A password is set from the administrator's console (``manche users password USER``, read from a
prompt or stdin, never a command-line argument). Checking an unknown user still runs one scrypt
so that timing does not tell which user ids exist. A revoked user cannot log in.

Each hash has a short *version* (its first bytes' SHA-256): a web session carries it, so setting
a new password ends every session opened with the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from manche.domain.access import Principal
from manche.errors import InputError, Unauthenticated
from manche.storage import Database
from manche.users.store import CONSOLE, UserStore, log_change

MIN_LENGTH = 12
MAX_LENGTH = 1024
N, R, P = 2**14, 8, 1
_DDL = [
    "CREATE TABLE IF NOT EXISTS user_passwords ("
    " user_id TEXT PRIMARY KEY REFERENCES users (id), hash BLOB NOT NULL, salt BLOB NOT NULL,"
    " n INTEGER NOT NULL, r INTEGER NOT NULL, p INTEGER NOT NULL, set_at TEXT NOT NULL)",
]
_DUMMY_SALT = secrets.token_bytes(16)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InputError(
            f"a password has at least {MIN_LENGTH} characters (a passphrase of several words is "
            "easiest to remember)",
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise InputError(f"a password has at most {MAX_LENGTH} characters", field="password")
    if password.strip() != password:
        raise InputError("a password does not start or end with a space", field="password")


def version_of(password_hash: bytes) -> str:
    """A short fingerprint of a stored hash (not of the password) that sessions carry."""
    return hashlib.sha256(password_hash).hexdigest()[:16]


@dataclass(frozen=True)
class Login:
    principal: Principal
    password_version: str


class PasswordStore:
    def __init__(self, db: Database, users: UserStore | None = None) -> None:
        self.db = db
        self.users = users or UserStore(db)
        db.ensure_schema("user_passwords", 1, _DDL)

    def set(self, user_id: str, password: str, *, by: str = CONSOLE) -> None:
        """Set (or replace) a user's password; ends the sessions opened with the old one. The
        change (never the password) is kept in the users' history with who made it."""
        check_strength(password)
        user = self.users.get(user_id)
        if user.revoked_at is not None:
            raise InputError(f"user {user_id!r} is revoked", field="user")
        salt = secrets.token_bytes(16)
        digest = _scrypt(password, salt, N, R, P)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM user_passwords WHERE user_id = ?", (user_id,))
            tx.execute(
                "INSERT INTO user_passwords (user_id, hash, salt, n, r, p, set_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, digest, salt, N, R, P, now),
            )
            log_change(tx, by, "set-password", user_id, "password set")

    def has_password(self, user_id: str) -> bool:
        with self.db.transaction() as tx:
            found = tx.scalar("SELECT 1 FROM user_passwords WHERE user_id = ?", (user_id,))
        return found is not None

    def check(self, user_id: str, password: str) -> Login:
        """The login of ``user_id`` if ``password`` is right; :class:`Unauthenticated` otherwise
        (one message for an unknown user, a wrong password and a revoked user)."""
        refused = Unauthenticated("unknown user or wrong password")
        with self.db.transaction() as tx:
            row = tx.one(
                "SELECT p.hash, p.salt, p.n, p.r, p.p, u.revoked_at FROM user_passwords p"
                " JOIN users u ON u.id = p.user_id WHERE p.user_id = ?",
                (user_id,),
            )
        if row is None or len(password) > MAX_LENGTH:
            _scrypt(password[:MAX_LENGTH], _DUMMY_SALT, N, R, P)  # same time as a real check
            raise refused
        stored, salt = bytes(row[0]), bytes(row[1])
        digest = _scrypt(password, salt, int(row[2]), int(row[3]), int(row[4]))
        if not hmac.compare_digest(digest, stored) or row[5] is not None:
            raise refused
        return Login(self.users.principal(user_id), version_of(stored))

    def session_principal(self, user_id: str, password_version: str) -> Principal:
        """The principal of a web session, if its user is active and its password unchanged."""
        with self.db.transaction() as tx:
            stored = tx.scalar("SELECT hash FROM user_passwords WHERE user_id = ?", (user_id,))
        if stored is None or not hmac.compare_digest(version_of(bytes(stored)), password_version):
            raise Unauthenticated("the session has ended: please log in again")
        return self.users.principal(user_id)
