"""Application services shared by the HTTP API and the command line (no HTTP, no Typer here)."""
