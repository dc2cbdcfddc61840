"""``manche serve``: the web application and API under uvicorn."""

from __future__ import annotations

import typer

from manche.cli.app import app
from manche.config import get_settings


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to bind (default MANCHE_HOST, 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default MANCHE_PORT, 8000)."),
) -> None:
    """Serve the web application and the HTTP API."""
    import uvicorn

    from manche.api.app import create_app

    settings = get_settings()
    uvicorn.run(
        create_app(),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )
