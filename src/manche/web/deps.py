"""What page routes depend on: the signed-in principal, resolved exactly as the API does.

A page calls :func:`page_principal` (the same :class:`~manche.domain.access.Principal` as the
API's ``authenticated``, from the session cookie; a bearer token works too) and then the same
rules (``require``, releasability in the same readings). Not signed in: the error handler
sends the browser to the login page (:mod:`manche.web.errors`).
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from manche.api.auth import _bearer, password_store, session_principal, user_store
from manche.domain.access import Principal
from manche.errors import AccessDenied, MancheError, Unauthenticated
from manche.users import UserStore
from manche.users.passwords import PasswordStore
from manche.web import session as web_session


def page_principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    store: UserStore = Depends(user_store),
    passwords: PasswordStore = Depends(password_store),
) -> Principal:
    """The page's user, as the API's ``authenticated`` finds it. A page's form (POST) must then
    check its ``csrf`` field with :func:`check_form_token`."""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        return store.authenticate(credentials.credentials)
    principal = session_principal(request, passwords, csrf_header=False)
    if principal is None:
        raise Unauthenticated("sign in to see this page")
    return principal


def check_form_token(request: Request, given: str) -> None:
    """Refuse a form post whose ``csrf`` field is not its session's token."""
    session = web_session.current(request)
    if session is None or not web_session.same_token(session.csrf, given):
        raise AccessDenied("the form has expired: reload the page and try again")


def optional_principal(
    request: Request, passwords: PasswordStore = Depends(password_store)
) -> Principal | None:
    """The principal of a public page's visitor, if signed in (an ended session: anonymous)."""
    try:
        return session_principal(request, passwords)
    except MancheError:
        return None
