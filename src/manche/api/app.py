"""The FastAPI application: API under /api/v1, web pages at the root, one error shape.

Every 4xx and 5xx the API returns has the body ``{"error": {"code", "message", "field"}}``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from manche import __version__
from manche.config import get_settings
from manche.errors import MancheError
from manche.storage import Database, open_database
from manche.web.errors import html_error, wants_html

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"


def error_body(code: str, message: str, field: str | None = None) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "field": field}}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MancheError)
    async def manche_error(request: Request, exc: MancheError) -> Response:
        if wants_html(request):  # a page: the same status, as a page
            return html_error(request, exc.http_status, exc.code, exc.message)
        return JSONResponse(error_body(exc.code, exc.message, exc.field), exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first: dict[str, Any] = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        if first.get("type") == "json_invalid":  # loc is ("body", character offset)
            at = first["loc"][-1] if first.get("loc") else "?"
            reason = (first.get("ctx") or {}).get("error", first["msg"])
            message = f"the request body is not valid JSON: {reason} at character {at}"
            return JSONResponse(error_body("invalid_input", message, "body"), 422)
        loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
        field = ".".join(loc) or None
        message = f"{field}: {first['msg']}" if field else str(first["msg"])
        return JSONResponse(error_body("invalid_input", message, field), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {
            404: "not_found",
            405: "method_not_allowed",
            401: "unauthenticated",
            403: "forbidden",
        }.get(exc.status_code, "http_error")
        if wants_html(request):
            return html_error(request, exc.status_code, code, str(exc.detail))
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code)


def _modules(package: ModuleType, prefix: str = "") -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name.startswith(prefix)
    ]


def _include_routers(app: FastAPI) -> None:
    """Every ``manche.api.routes_*`` module's ``router`` under /api/v1, and every web module's
    ``router`` at the root: a new area only has to add its module."""
    import manche.api
    import manche.web

    for module in _modules(manche.api, "routes_"):
        app.include_router(module.router, prefix="/api/v1")
    for module in _modules(manche.web):
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            app.include_router(router)


def create_app(database: Database | None = None) -> FastAPI:
    """Build the application on ``database`` (default: the configured one)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = database is None
        app.state.db = database or open_database(get_settings().effective_database_url)
        yield
        hub = getattr(app.state, "manche_picture", None)  # the live picture's poller
        if hub is not None:
            await hub.stop()
        if owned:
            app.state.db.close()

    app = FastAPI(
        title="Manche",
        version=__version__,
        description="The shared record of small-boat crossings of the Channel.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    if database is not None:
        app.state.db = database
    _install_error_handlers(app)

    _include_routers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
