"""The event form, generated from the catalogue's pydantic models: which inputs a type needs,
and how the submitted form turns back into the API's event body.

:func:`form_fields` walks a type's model fields (nested models such as ``persons`` or ``boat``
become one input per sub-field, named by their dotted path: ``persons.total``, ``boat.hin``,
``engines.0.serial``) and picks a widget from the annotation: ``datetime-local`` (UTC) for
timestamps, a date input for dates, numbers, a select for enums, literals, yes/no, agencies and
assets (from the registries), checkboxes for a list of enum values, one line per item for lists
of text, ``Name: count`` lines for nationality counts, JSON for a correction's changes.
:func:`event_body` reads the submitted form back into the body ``POST /api/v1/events`` takes;
a value the form itself cannot read (a number that is not one) is a :class:`FormError` naming
the input. Everything else is judged by the API's service, whose error names the API's field:
:func:`form_field_for` maps it back to the input.

Labels, hints and option names are in :mod:`manche.web.event_labels` (translated).
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo

from manche.domain.access import CASEWORK_TYPES
from manche.domain.events import catalogue
from manche.errors import InputError
from manche.web.event_labels import GRADING_OPTIONS, field_hint, field_label
from manche.web.i18n import N_

SERVER_FIELDS = frozenset({"type", "id", "agency", "author", "recorded_at", "exercise"})
"""Set by the server."""

NOT_ON_THE_FORM = frozenset({"grading.as_given"})
"""Nested inputs the form does not offer: a 5x5x5 grade as given goes through the API (the
form takes the 3x5x2 parts)."""

COMMON = ("occurred_at", "incident", "position", "releasability", "assets", "note")
"""The fields every event has, shown first (``incident``, ``position`` and ``assets`` only for
the types at sea: see :func:`sea_type`)."""

CRAFT = ("boat", "engines")
"""Shown after the type's own fields: the boat and engines as described."""

ENGINE_SLOTS = 2
"""Engines a form offers (a boat rarely has more; the API takes any number)."""

AGENCY_FIELDS = frozenset({"from_agency", "to_agency", "counterpart"})
ASSET_FIELDS = frozenset(
    {"vessel", "taken_aboard", "by", "from_asset", "to_asset", "to_vessel", "from_vessel", "asset"}
)


class FormError(InputError):
    """A problem with the form itself, in words meant for the officer (translated)."""

    def __init__(self, words: str, field: str) -> None:
        super().__init__(words, field=field)
        self.words = words


@dataclass(frozen=True)
class FormField:
    """One input: ``name`` is the API's dotted path (``lat``/``lon`` for the position)."""

    name: str
    widget: str  # text, integer, decimal, measure, datetime, date, select, checkboxes, lines,
    #             pairs, json, textarea
    label: str  # msgid (translated in the template)
    hint: str | None = None  # msgid
    options: tuple[tuple[str, str], ...] = ()  # (value, msgid or name as is)
    required: bool = False
    translate_options: bool = True
    default: str = ""

    @property
    def id(self) -> str:
        return self.name.replace(".", "-")


def sea_type(type_name: str) -> bool:
    """Types about a boat at sea or on the coast: they carry incident, position and assets."""
    return type_name not in CASEWORK_TYPES and type_name not in {
        "correction",
        "link-confirmed",
        "link-split",
        "equipment-statement-endorsed",
    }


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None`` (and whether None was allowed)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return _unwrap(args[0])[0], optional
        return annotation, optional
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation, False


def _choices(annotation: Any) -> tuple[tuple[str, str], ...] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple((str(m.value), str(m.value)) for m in annotation)
    if typing.get_origin(annotation) is Literal:
        return tuple((str(v), str(v)) for v in typing.get_args(annotation))
    return None


def _is_measure(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and set(typing.get_args(annotation)) >= {
        float,
        str,
    }


def _default(info: FieldInfo) -> str:
    value = info.get_default(call_default_factory=False)
    if value is None or value is ... or isinstance(value, tuple | dict | list):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value) if not repr(value).startswith("PydanticUndefined") else ""


def _field(
    name: str,
    key: str,
    info: FieldInfo,
    registry: dict[str, tuple[tuple[str, str], ...]],
    parent_required: bool = True,
) -> list[FormField]:
    annotation, optional = _unwrap(info.annotation)
    required = info.is_required() and not optional and parent_required
    label, hint = field_label(name, key), field_hint(name, key)
    # under an optional parent (a grade, a boat) nothing is pre-filled: a default would make
    # the parent present when the user left it all empty
    default = _default(info) if parent_required else ""

    def one(widget: str, **extra: Any) -> list[FormField]:
        return [FormField(name, widget, label, hint, required=required, default=default, **extra)]

    if key in AGENCY_FIELDS:
        return one("select", options=registry["agencies"], translate_options=False)
    if key in ASSET_FIELDS:
        return one("select", options=registry["assets"], translate_options=False)
    if name in GRADING_OPTIONS:
        return one("select", options=tuple(GRADING_OPTIONS[name].items()))
    if _is_measure(annotation):
        return one("measure")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out: list[FormField] = []
        for sub, sub_info in annotation.model_fields.items():
            if f"{name}.{sub}" not in NOT_ON_THE_FORM:
                out += _field(f"{name}.{sub}", sub, sub_info, registry, required)
        return out
    origin = typing.get_origin(annotation)
    if origin is tuple:
        item = _unwrap(typing.get_args(annotation)[0])[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            out = []
            for slot in range(ENGINE_SLOTS):
                for sub, sub_info in item.model_fields.items():
                    out += _field(f"{name}.{slot}.{sub}", sub, sub_info, registry, False)
            return out
        options = _choices(item)
        if options is not None:
            return one("checkboxes", options=options)
        return one("lines")
    if origin is dict:
        value = _unwrap(typing.get_args(annotation)[1])[0]
        return one("pairs" if value is int else "json")
    options = _choices(annotation)
    if options is not None:
        return one("select", options=options)
    if annotation is bool:
        return one("select", options=(("yes", N_("Yes")), ("no", N_("No"))))
    if annotation is int:
        return one("integer")
    if annotation is float:
        return one("decimal")
    if annotation is datetime or annotation is AwareDatetime:
        return one("datetime")
    if annotation is date:
        return one("date")
    if key == "note":
        return one("textarea")
    if annotation is UUID or annotation is str:
        return one("text")
    return one("json")


def form_fields(
    type_name: str, registry: dict[str, tuple[tuple[str, str], ...]]
) -> list[FormField]:
    """The inputs of one event type, the common ones first."""
    model = catalogue()[type_name]
    fields = model.model_fields
    names = [
        n for n in COMMON if sea_type(type_name) or n not in ("incident", "position", "assets")
    ]
    # a grade on what is seen, seized or reported; not on casework or decisions about records
    own = [
        n
        for n in fields
        if n not in COMMON and n not in SERVER_FIELDS and (n != "grading" or sea_type(type_name))
    ]
    names += [n for n in own if n not in CRAFT] + [n for n in own if n in CRAFT]
    out: list[FormField] = []
    for name in names:
        if name == "position":
            required = type_name in {"sighting", "asset-position"}
            out.append(FormField("lat", "decimal", field_label("lat", "lat"), required=required))
            out.append(FormField("lon", "decimal", field_label("lon", "lon"), required=required))
        elif name == "assets":
            out.append(
                FormField(
                    "assets",
                    "lines",
                    field_label("assets", "assets"),
                    field_hint("assets", "assets"),
                )
            )
        elif name == "occurred_at":
            out.append(
                FormField(
                    "occurred_at",
                    "datetime",
                    field_label(name, name),
                    field_hint(name, name),
                    required=True,
                )
            )
        else:
            out += _field(name, name, fields[name], registry)
    return out


# ------------------------------------------------------------------------------- reading back


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = body
    for index, part in enumerate(parts[:-1]):
        following = parts[index + 1]
        if isinstance(node, list):
            slot = int(part)
            while len(node) <= slot:
                node.append({})
            node = node[slot]
        else:
            node = node.setdefault(part, [] if following.isdigit() else {})
    node[parts[-1]] = value


def _compact(value: Any) -> Any:
    """Drop the engine slots left empty (an engine's inputs all blank)."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value if v != {}]
    return value


def _read(spec: FormField, text: str, many: list[str]) -> Any:
    """The JSON value of one input (``None``: left empty, not sent)."""
    if spec.widget == "checkboxes":
        return many or None
    text = text.strip()
    if not text:
        return None
    if spec.widget == "integer":
        try:
            return int(text)
        except ValueError:
            raise FormError(N_("Enter a whole number, for example 40"), spec.name) from None
    if spec.widget == "decimal":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise FormError(N_("Enter a number, for example 50.95"), spec.name) from None
    if spec.widget == "measure":  # a number when it is one, else the text as written
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    if spec.widget == "datetime":
        try:
            return datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat()
        except ValueError:
            raise FormError(N_("Enter a date and time"), spec.name) from None
    if spec.widget == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise FormError(N_("Enter a date"), spec.name) from None
    if spec.widget == "select" and spec.options and spec.options[0][0] == "yes":
        return text == "yes"
    if spec.widget == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if spec.widget == "pairs":
        counts: dict[str, int] = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            name, sep, count = line.rpartition(":")
            try:
                if not sep or not name.strip():
                    raise ValueError(line)
                counts[name.strip()] = int(count.strip())
            except ValueError:
                raise FormError(
                    N_("Write one nationality a line, as Name: count"), spec.name
                ) from None
        return counts
    if spec.widget == "json":
        try:
            return json.loads(text)
        except ValueError:
            raise FormError(
                N_('Write the changes as JSON, for example {"persons": {"total": 41}}'),
                spec.name,
            ) from None
    return text


def event_body(
    type_name: str, specs: list[FormField], form: dict[str, str], lists: dict[str, list[str]]
) -> dict[str, Any]:
    """The API body the submitted form stands for; :class:`FormError` naming the input if the
    form cannot be read. Inputs left empty are not sent (the API's defaults then apply)."""
    body: dict[str, Any] = {"type": type_name}
    lon = lat = None
    for spec in specs:
        value = _read(spec, form.get(spec.name, ""), lists.get(spec.name, []))
        if value is None:
            continue
        if spec.name == "lat":
            lat = value
        elif spec.name == "lon":
            lon = value
        else:
            _put(body, spec.name, value)
    if (lon is None) != (lat is None):
        raise FormError(N_("Enter both latitude and longitude, or neither"), "lat")
    if lon is not None:
        body["position"] = {"lon": lon, "lat": lat}
    return _compact(body)  # type: ignore[no-any-return]


def form_field_for(api_field: str | None, specs: list[FormField]) -> str:
    """The input an API error's field names (``position.lat`` -> ``lat``, ``persons`` -> its
    first input, ``changes.persons.total`` -> ``changes``); the type chooser otherwise."""
    if not api_field:
        return "type"
    names = [s.name for s in specs]
    path = api_field.replace("[", ".").replace("]", "")
    if path.startswith("position"):
        return "lat" if path != "position.lon" else "lon"
    parts = path.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in names:
            return candidate
        nested = [n for n in names if n.startswith(candidate + ".")]
        if nested:
            return nested[0]
        parts.pop()
    return "type"
