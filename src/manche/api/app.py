"""The FastAPI application: API under /api/v1, web pages at the root, one error shape.

Every 4xx and 5xx the API returns has the body ``{"error": {"code", "message", "field"}}``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from manche import __version__
from manche.config import get_settings
from manche.errors import MancheError
from manche.storage import Database, open_database

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"


def error_body(code: str, message: str, field: str | None = None) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "field": field}}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MancheError)
    async def manche_error(_: Request, exc: MancheError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.field), exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
        field = ".".join(loc) or None
        message = f"{field}: {first['msg']}" if field else str(first["msg"])
        return JSONResponse(error_body("invalid_input", message, field), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            404: "not_found",
            405: "method_not_allowed",
            401: "unauthenticated",
            403: "forbidden",
        }.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code)


def create_app(database: Database | None = None) -> FastAPI:
    """Build the application on ``database`` (default: the configured one)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = database is None
        app.state.db = database or open_database(get_settings().effective_database_url)
        yield
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

    from manche.api import routes_health
    from manche.web import pages

    app.include_router(routes_health.router, prefix="/api/v1")
    from manche.api import routes_events, routes_log, routes_registry, routes_users  # access

    for module in (routes_events, routes_log, routes_registry, routes_users):  # access
        app.include_router(module.router, prefix="/api/v1")  # access
    from manche.api import routes_intel  # intel

    app.include_router(routes_intel.router, prefix="/api/v1")  # intel
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
