"""docs/agreements.md documents every rule and every event type of the two ledgers."""

from __future__ import annotations

from pathlib import Path

from manche.domain.agreements import EQUIPMENT_RULES, RULES
from manche.domain.events.equipment import EQUIPMENT_EVENTS
from manche.domain.events.returns import ADMISSION_EVENTS, RETURN_EVENTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "agreements.md"


def test_every_rule_is_documented_with_its_article() -> None:
    text = DOC.read_text(encoding="utf-8")
    for r in RULES + EQUIPMENT_RULES:
        line = next((x for x in text.splitlines() if x.startswith(f"| `{r.id}` |")), None)
        assert line is not None, f"rule {r.id} is not in docs/agreements.md"
        assert r.article in line


def test_every_event_type_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for cls in (*RETURN_EVENTS, *ADMISSION_EVENTS, *EQUIPMENT_EVENTS):
        assert f"`{cls.model_fields['type'].default}`" in text
