"""The event catalogue as Markdown, generated from the models (for docs/record.md).

``catalogue_markdown()`` renders every registered type: its module, version, description,
own fields (type, required or default, description) and its example when one is registered in
:mod:`manche.domain.events.examples`. docs/record.md holds the result between the markers
``<!-- catalogue:start -->`` and ``<!-- catalogue:end -->``; a test fails when it is stale.
Regenerate after adding or changing an event type::

    PYTHONPATH=src python -m manche.domain.events.docs docs/record.md

Public API (stable): :func:`catalogue_markdown`, :func:`update_document`.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from manche.domain.craft import BoatDescription, EngineDescription
from manche.domain.events.base import Event, catalogue
from manche.domain.events.examples import EXAMPLES, example_event
from manche.domain.grading import Grading
from manche.domain.persons import Persons
from manche.domain.values import LonLat

VALUE_OBJECTS: tuple[type[BaseModel], ...] = (
    LonLat,
    Persons,
    Grading,
    BoatDescription,
    EngineDescription,
)

START = "<!-- catalogue:start -->"
END = "<!-- catalogue:end -->"


def _type(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in args if a is not type(None)]
        text = " or ".join(_type(a) for a in parts)
        return f"{text} or null" if len(parts) < len(args) else text
    if origin is typing.Literal:
        return " \\| ".join(f"`{json.dumps(a)}`" for a in args)
    if origin in (tuple, list):
        return f"list of {_type(args[0])}" if args else "list"
    if origin is dict:
        return f"object ({_type(args[0])} → {_type(args[1])})" if args else "object"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " \\| ".join(f"`{member.value}`" for member in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"{annotation.__name__} object"
    if annotation is AwareDatetime:
        return "timestamp with timezone (RFC 3339)"
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        if isinstance(value, dict | list | tuple):
            return f"default `{json.dumps(_jsonable(value))}`"
        return "generated if absent"
    if field.default is PydanticUndefined:
        return ""
    return f"default `{json.dumps(_jsonable(field.default))}`"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _constraints(field: FieldInfo) -> str:
    parts = []
    for item in field.metadata:
        for name in ("ge", "gt", "le", "lt", "min_length", "max_length"):
            value = getattr(item, name, None)
            if value is not None:
                parts.append(f"{name} {value}")
    return f" ({', '.join(parts)})" if parts else ""


def _doc(cls: type) -> str:
    return " ".join((cls.__doc__ or "").split())


def _field_table(fields: dict[str, FieldInfo]) -> list[str]:
    lines = ["| field | type | | description |", "|---|---|---|---|"]
    for name, field in fields.items():
        if name == "type":
            continue
        description = (field.description or "").replace("|", "\\|")
        lines.append(
            f"| `{name}` | {_type(field.annotation)}{_constraints(field)} | {_default(field)} "
            f"| {description} |"
        )
    return lines


def catalogue_markdown() -> str:
    """Markdown for every registered event type (deterministic)."""
    types_ = catalogue()
    base = Event.model_fields
    lines = [
        "Every event carries these fields (from `Event`); `version` is added when stored.",
        "",
        *_field_table(dict(base)),
        "",
        "Objects used in the fields:",
        "",
    ]
    for model in VALUE_OBJECTS:
        lines += [f"**{model.__name__}**: {_doc(model).split('. ')[0].rstrip('.')}.", ""]
        lines += [*_field_table(dict(model.model_fields)), ""]
    lines += [
        f"{len(types_)} event types: "
        + ", ".join(f"[`{name}`](#{name.replace('-', '')})" for name in sorted(types_))
        + ".",
        "",
    ]
    for name in sorted(types_):
        cls = types_[name]
        lines += [
            f"### {name}",
            "",
            f"`{cls.__module__}.{cls.__name__}`, version {cls.version}. {_doc(cls)}",
            "",
        ]
        own = {k: v for k, v in cls.model_fields.items() if k not in base}
        if own:
            lines += [*_field_table(own), ""]
        if name in EXAMPLES:
            example = {"type": name, **EXAMPLES[name]}
            lines += [
                "Example (the common fields omitted; see `manche.domain.events.examples`):",
                "",
                "```json",
                json.dumps(example, ensure_ascii=False),
                "```",
                "",
            ]
    _ = example_event  # examples are validated by the tests through example_event
    return "\n".join(lines).rstrip() + "\n"


def update_document(text: str) -> str:
    """``text`` with the part between the markers replaced by the current catalogue."""
    if START not in text or END not in text:
        raise ValueError(f"the document needs the markers {START} and {END}")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{catalogue_markdown()}{END}{tail}"


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "docs/record.md")
    path.write_text(update_document(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"catalogue of {len(catalogue())} event types written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
