"""docs/record.md holds the catalogue generated from the models: a test fails when an event
type is missing from it or the generated part is stale."""

from __future__ import annotations

from pathlib import Path

from manche.domain.events import catalogue
from manche.domain.events.docs import END, START, catalogue_markdown, update_document

DOC = Path(__file__).parents[3] / "docs" / "record.md"


def test_every_registered_type_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in catalogue() if f"\n### {name}\n" not in text]
    assert not missing, f"undocumented types {missing}: run python -m manche.domain.events.docs"


def test_generated_catalogue_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text
    assert update_document(text) == text, (
        "docs/record.md is stale: run PYTHONPATH=src python -m manche.domain.events.docs"
    )


def test_generator_documents_fields_and_rules() -> None:
    markdown = catalogue_markdown()
    assert "### rescue" in markdown and "`taken_aboard`" in markdown
    assert "Always shared." in markdown
    assert "version 3" in markdown.split("### sighting", 1)[1].split("###", 1)[0]
