"""Authentication: ``Authorization: Bearer mch_...`` or the web session cookie -> a
:class:`Principal`.

The web pages' scripts (the live picture's EventSource, for one) call the API with the session
cookie instead of a token; the same Principal comes out, so the same rules apply. A write
(POST, PUT, PATCH, DELETE) authenticated by the cookie also needs the session's CSRF token in
an ``X-CSRF-Token`` header (:mod:`manche.web.session`).

Routes declare ``principal: Principal = Depends(authenticated)`` and then ask
:mod:`manche.domain.access` what it may do; a missing, unknown or revoked token is a 401 in
the API's error shape.
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from manche.domain.access import Principal
from manche.errors import AccessDenied, Unauthenticated
from manche.registry import RegistryStore
from manche.storage import Database
from manche.users import UserStore
from manche.users.passwords import PasswordStore
from manche.web import session as web_session

_bearer = HTTPBearer(auto_error=False, description="An API token from `manche users token`.")


async def user_store(request: Request) -> UserStore:
    """One UserStore per application (its schema is ensured once, on first use).

    ``async`` on purpose: after the first call it does no I/O, and an async dependency runs on
    the event loop instead of costing a hop to the thread pool on every request.
    """
    db: Database = request.app.state.db
    store: UserStore | None = getattr(request.app.state, "manche_users", None)
    if store is None or store.db is not db:
        store = UserStore(db)
        request.app.state.manche_users = store
    return store


async def registry_store(store: UserStore = Depends(user_store)) -> RegistryStore:
    return store.registry


async def bearer_token(
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> str:
    """The bearer token of the request (not yet checked); 401 if there is none."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("an API token is required: Authorization: Bearer <token>")
    return credentials.credentials


async def password_store(request: Request, store: UserStore = Depends(user_store)) -> PasswordStore:
    """One PasswordStore per application, like :func:`user_store`."""
    passwords: PasswordStore | None = getattr(request.app.state, "manche_passwords", None)
    if passwords is None or passwords.db is not store.db:
        passwords = PasswordStore(store.db, store)
        request.app.state.manche_passwords = passwords
    return passwords


def session_principal(
    request: Request, passwords: PasswordStore, *, csrf_header: bool = True
) -> Principal | None:
    """The principal of the request's web session cookie, None without one; a write needs the
    session's CSRF token in ``X-CSRF-Token`` (pages' forms check their ``csrf`` field
    instead: ``csrf_header=False``)."""
    session = web_session.current(request)
    if session is None:
        return None
    if (
        csrf_header
        and request.method not in web_session.SAFE_METHODS
        and not web_session.same_token(session.csrf, request.headers.get("x-csrf-token"))
    ):
        raise AccessDenied("a write with the session cookie needs its X-CSRF-Token header")
    return passwords.session_principal(session.user_id, session.password_version)


def authenticated(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    store: UserStore = Depends(user_store),
    passwords: PasswordStore = Depends(password_store),
) -> Principal:
    """The principal of the request's token, or of its web session (a database lookup, so in
    the thread pool)."""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        return store.authenticate(credentials.credentials)
    principal = session_principal(request, passwords)
    if principal is None:
        raise Unauthenticated("an API token is required: Authorization: Bearer <token>")
    return principal
