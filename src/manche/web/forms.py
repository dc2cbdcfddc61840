"""Form helpers shared by the admin forms: a form's own error in translated words, and which
field an error names (for the GOV.UK error summary's link and the field's red border).

Errors raised by the services keep their English message (shown marked ``lang="en"`` under a
translated title, as everywhere on the pages); a problem the form itself finds (two passwords
that differ, a number that is not one) is a :class:`FormError` whose words are translated.
"""

from __future__ import annotations

from collections.abc import Iterable

from manche.errors import InputError, MancheError


class FormError(InputError):
    """A problem with the form itself, in words meant for the user (translated)."""

    def __init__(self, words: str, field: str) -> None:
        super().__init__(words, field=field)
        self.words = words


def field_of(error: MancheError | None, fields: Iterable[str], default: str) -> str | None:
    """The form field an error belongs to: the one it names if the form has it, else
    ``default`` (the first field); None without an error."""
    if error is None:
        return None
    named = str(error.field or "").split(".")[0].split("[")[0]
    return named if named in set(fields) else default


def words_of(error: MancheError | None) -> str | None:
    return getattr(error, "words", None)
