"""Small helpers for the English sentences the CLI and reports print (the web pages use
gettext's ``ngettext`` instead, in both languages)."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` (with thousands separators) and the noun in the right number: ``1 entry``,
    ``2 entries``, ``0 batches``, ``11,397 events`` (``plural`` defaults to ``singular`` + "s")."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"
