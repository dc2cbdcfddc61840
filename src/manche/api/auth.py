"""Bearer-token authentication: ``Authorization: Bearer mch_...`` -> a :class:`Principal`.

Routes declare ``principal: Principal = Depends(authenticated)`` and then ask
:mod:`manche.domain.access` what it may do; a missing, unknown or revoked token is a 401 in
the API's error shape.
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from manche.api.deps import get_db
from manche.domain.access import Principal
from manche.errors import Unauthenticated
from manche.registry import RegistryStore
from manche.storage import Database
from manche.users import UserStore

_bearer = HTTPBearer(auto_error=False, description="An API token from `manche users token`.")


def user_store(request: Request, db: Database = Depends(get_db)) -> UserStore:
    """One UserStore per application (its schema is ensured once)."""
    store: UserStore | None = getattr(request.app.state, "manche_users", None)
    if store is None or store.db is not db:
        store = UserStore(db)
        request.app.state.manche_users = store
    return store


def registry_store(store: UserStore = Depends(user_store)) -> RegistryStore:
    return store.registry


def authenticated(
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    store: UserStore = Depends(user_store),
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("an API token is required: Authorization: Bearer <token>")
    return store.authenticate(credentials.credentials)
