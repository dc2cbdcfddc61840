"""The template environment every page uses."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from manche import __version__

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["version"] = __version__
