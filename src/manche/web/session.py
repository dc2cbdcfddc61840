"""The web session: a signed cookie naming the user, and the CSRF token of its forms.

The cookie ``manche_session`` holds ``base64url(JSON).HMAC-SHA256`` of ``{"u": user id,
"pv": password version, "csrf": token, "iat": issued at}``, signed with the application's
secret key (``MANCHE_SECRET_KEY``, or 32 random bytes generated once into
``MANCHE_DATA_DIR/secret_key`` with mode 0600). It is ``HttpOnly`` (scripts cannot read it),
``SameSite=Strict`` (other sites cannot make the browser send it) and ``Secure`` when the site
is served over HTTPS. It lasts :data:`MAX_AGE` seconds; every request still looks the user up,
so revoking a user or changing their password ends their sessions at once.

Forms that change something carry the session's CSRF token in a hidden field (``csrf``); the
API accepts the session cookie for writes only with the same token in an ``X-CSRF-Token``
header. The login form, before any session exists, uses a double-submit cookie
(``manche_login_csrf``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import Request, Response

from manche.config import get_settings
from manche.errors import ConfigurationError

COOKIE = "manche_session"
LOGIN_CSRF_COOKIE = "manche_login_csrf"
MAX_AGE = 12 * 3600  # one long duty shift
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Session:
    user_id: str
    password_version: str
    csrf: str
    issued_at: int


def _key_file(data_dir: Path) -> bytes:
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32) + "\n")
    if path.stat().st_mode & 0o077:
        raise ConfigurationError(f"{path} must be readable by its owner only (chmod 600)")
    return bytes.fromhex(path.read_text().strip())


@lru_cache(maxsize=4)
def _secret(data_dir: Path, from_env: str | None) -> bytes:
    if from_env:
        if len(from_env) < 32:
            raise ConfigurationError("MANCHE_SECRET_KEY must have at least 32 characters")
        return hashlib.sha256(from_env.encode("utf-8")).digest()
    return _key_file(data_dir)


def secret_key() -> bytes:
    return _secret(get_settings().data_dir, os.environ.get("MANCHE_SECRET_KEY"))


def _sign(payload: bytes) -> str:
    return hmac.new(secret_key(), payload, hashlib.sha256).hexdigest()


def encode(session: Session) -> str:
    body = json.dumps(
        {
            "u": session.user_id,
            "pv": session.password_version,
            "csrf": session.csrf,
            "iat": session.issued_at,
        },
        separators=(",", ":"),
    ).encode("utf-8")
    packed = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{packed}.{_sign(packed.encode('ascii'))}"


def decode(value: str, now: float | None = None) -> Session | None:
    """The session a cookie value stands for, or None (bad signature, malformed, expired)."""
    packed, _, signature = value.partition(".")
    if not packed or not hmac.compare_digest(_sign(packed.encode("ascii")), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
        session = Session(str(data["u"]), str(data["pv"]), str(data["csrf"]), int(data["iat"]))
    except (ValueError, KeyError, TypeError):
        return None
    moment = time.time() if now is None else now
    if not 0 <= moment - session.issued_at <= MAX_AGE:
        return None
    return session


def new_session(user_id: str, password_version: str) -> Session:
    return Session(user_id, password_version, secrets.token_urlsafe(32), int(time.time()))


def current(request: Request) -> Session | None:
    value = request.cookies.get(COOKIE)
    return decode(value) if value else None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        encode(session),
        max_age=MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def login_csrf(request: Request) -> str:
    """The login form's token: the double-submit cookie's value, or a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_login_csrf(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
