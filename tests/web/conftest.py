"""The API tests' small world (one user per side and role, four events of every
releasability), with a password for every user, and a helper to sign in through the form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from manche.users.passwords import PasswordStore
from tests.api.conftest import World, data_dir, world  # noqa: F401 - fixtures re-exported

PASSWORD = "a long enough passphrase"


@pytest.fixture
def web(world: World) -> World:  # noqa: F811
    passwords = PasswordStore(world.db)
    for side in ("uk", "fr"):
        for role in ("operator", "analyst", "caseworker", "auditor", "admin"):
            passwords.set(f"{side}-{role}", PASSWORD)
    return world


def form_token(html: str, name: str = "csrf") -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no hidden {name} field in the page"
    return found.group(1)


def sign_in(client: TestClient, user: str, password: str = PASSWORD, next_: str = "") -> Response:
    page = client.get("/login")
    assert page.status_code == 200
    return client.post(
        "/login",
        data={"user": user, "password": password, "csrf": form_token(page.text), "next": next_},
        follow_redirects=False,
    )
