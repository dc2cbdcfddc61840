"""The ``manche`` command. Each group lives in its own module and is registered here."""

from __future__ import annotations

from manche.cli import events as _events  # noqa: F401  (registers `manche events`)
from manche.cli import intel as _intel  # noqa: F401  (registers `manche intel`)
from manche.cli import keys as _keys  # noqa: F401  (registers `manche keys`)
from manche.cli import log as _log  # noqa: F401  (registers `manche log`)
from manche.cli import serve as _serve  # noqa: F401  (registers `manche serve`)
from manche.cli import setup as _setup  # noqa: F401  (registers `manche setup`)
from manche.cli import users as _users  # noqa: F401  (registers `manche users`)
from manche.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
