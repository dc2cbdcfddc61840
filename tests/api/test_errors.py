"""The one error shape of the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from manche.api.app import create_app
from manche.storage import Database


def test_health_and_unknown_route_error_shape(sqlite_database: Database) -> None:
    with TestClient(create_app(sqlite_database)) as client:
        assert client.get("/api/v1/health").json()["status"] == "ok"
        response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not Found", "field": None}
    }


def test_openapi_is_published(sqlite_database: Database) -> None:
    with TestClient(create_app(sqlite_database)) as client:
        spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Manche"
    assert "/api/v1/health" in spec["paths"]
