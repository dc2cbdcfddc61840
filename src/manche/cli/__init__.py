"""The ``manche`` command. Each command group lives in its own module of this package and
registers itself on import (``app.command`` or ``sub_app``); every module here is imported, so
a new group only has to exist."""

from __future__ import annotations

import importlib
import pkgutil

from manche.cli.app import app, unwrap_help

_SUPPORT = {"app", "context", "output"}

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _SUPPORT:
        importlib.import_module(f"{__name__}.{_module.name}")
unwrap_help()


def main() -> None:
    app()


__all__ = ["app", "main"]
