"""Reading events from JSON: ``parse_event(data) -> Event``.

``data`` is a JSON text (str/bytes) or an already-decoded object. Its ``type`` picks the model
from the discriminated union of every registered type; ``version`` (default: the current
version) is brought up to date by the registered upcasters; then the model validates it.
Every failure is an :class:`~manche.errors.InputError` whose ``field`` is the dotted path of the
offending field (``"position.lat"``, ``"persons.total"``, ``"releasability"``) and whose
message lists every problem found.

Public API (stable): :func:`parse_event`, :func:`event_adapter`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter, ValidationError

from manche.domain.events.base import Event, FieldError, catalogue, upcast
from manche.errors import InputError


@lru_cache(maxsize=4)
def _adapter(names: tuple[str, ...]) -> TypeAdapter[Event]:
    types = catalogue()
    members = tuple(types[name] for name in names)
    union = Annotated[Union[members], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007
    return TypeAdapter(union)


def event_adapter() -> TypeAdapter[Event]:
    """A pydantic adapter over the union of every registered event type (for OpenAPI too)."""
    return _adapter(tuple(sorted(catalogue())))


def _location(loc: tuple[int | str, ...], type_name: str) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == type_name:  # the union's tag is not a field
        parts = parts[1:]
    return ".".join(parts)


def _field_of(error: Any, type_name: str) -> str:
    field = _location(error["loc"], type_name)
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        field = f"{field}.{cause.field}" if field else cause.field
    return field


def parse_event(data: str | bytes | dict[str, Any]) -> Event:
    """Parse one event; raise InputError naming the field on anything wrong."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise InputError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"an event is a JSON object, not {type(data).__name__}")
    types = catalogue()
    type_name = data.get("type")
    if not isinstance(type_name, str) or not type_name:
        raise InputError("missing event type", field="type")
    if type_name not in types:
        raise InputError(
            f"unknown event type {type_name!r}; known: {', '.join(sorted(types))}", field="type"
        )
    body = dict(data)
    version = body.pop("version", types[type_name].version)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(f"version must be a positive integer, not {version!r}", field="version")
    if version > types[type_name].version:
        raise InputError(
            f"{type_name} version {version} is newer than this software knows "
            f"({types[type_name].version})",
            field="version",
        )
    try:
        body = upcast(type_name, version, body)
    except LookupError as exc:
        raise InputError(str(exc), field="version") from exc
    try:
        return event_adapter().validate_python(body)
    except ValidationError as exc:
        errors = exc.errors()
        fields = [_field_of(e, type_name) for e in errors]
        messages = [_clean(e["msg"]) for e in errors]
        message = messages[0]
        if len(errors) > 1:
            message += "; also " + "; ".join(
                f"{field or type_name}: {text}"
                for field, text in zip(fields[1:], messages[1:], strict=True)
            )
        raise InputError(message, field=fields[0] or None) from exc


def _clean(message: str) -> str:
    return message.removeprefix("Value error, ")
