"""What page routes depend on: the signed-in principal, resolved exactly as the API does.

A page calls :func:`page_principal` (the same :class:`~manche.domain.access.Principal` as the
API's ``authenticated``, from the session cookie; a bearer token works too) and then the same
rules (``require``, releasability in the same readings). Not signed in: the error handler
sends the browser to the login page (:mod:`manche.web.errors`).
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from manche.api.auth import _bearer, authenticated, password_store, session_principal, user_store
from manche.domain.access import Principal
from manche.errors import MancheError
from manche.users import UserStore
from manche.users.passwords import PasswordStore


def page_principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    store: UserStore = Depends(user_store),
    passwords: PasswordStore = Depends(password_store),
) -> Principal:
    return authenticated(request, credentials, store, passwords)


def optional_principal(
    request: Request, passwords: PasswordStore = Depends(password_store)
) -> Principal | None:
    """The principal of a public page's visitor, if signed in (an ended session: anonymous)."""
    try:
        return session_principal(request, passwords)
    except MancheError:
        return None
