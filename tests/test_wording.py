"""manche.wording: nouns in the right number."""

from __future__ import annotations

from manche.wording import counted


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(0, "entry", "entries") == "0 entries"
    assert counted(2, "checkpoint") == "2 checkpoints"
    assert counted(1, "signed batch", "signed batches") == "1 signed batch"


def test_thousands_are_grouped() -> None:
    assert counted(11_397, "event") == "11,397 events"
