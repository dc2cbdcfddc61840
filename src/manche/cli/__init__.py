"""The ``manche`` command. Each group lives in its own module and is registered here."""

from __future__ import annotations

from manche.cli import events as _events  # noqa: F401  (registers `manche events`)
from manche.cli import geo as _geo  # noqa: F401  (registers `manche geo`)
from manche.cli import picture as _picture  # noqa: F401  (registers `manche picture`, `manche incident`)
from manche.cli import serve as _serve  # noqa: F401  (registers `manche serve`)
from manche.cli import setup as _setup  # noqa: F401  (registers `manche setup`)
from manche.cli import users as _users  # noqa: F401  (registers `manche users`)
from manche.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
