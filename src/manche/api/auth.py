"""Bearer-token authentication: ``Authorization: Bearer mch_...`` -> a :class:`Principal`.

Routes declare ``principal: Principal = Depends(authenticated)`` and then ask
:mod:`manche.domain.access` what it may do; a missing, unknown or revoked token is a 401 in
the API's error shape.
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from manche.domain.access import Principal
from manche.errors import Unauthenticated
from manche.registry import RegistryStore
from manche.storage import Database
from manche.users import UserStore

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


def authenticated(
    token: str = Depends(bearer_token), store: UserStore = Depends(user_store)
) -> Principal:
    """The principal of the request's token (a database lookup, so in the thread pool)."""
    return store.authenticate(token)
