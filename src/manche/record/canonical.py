"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) for hashing events.

``canonical_bytes(value)`` returns exactly what :func:`rfc8785.dumps` returns, faster: the
common case (keys below U+D800, floats whose shortest form is positional in both Python and
ECMAScript) is encoded by orjson with sorted keys and no whitespace, after
turning integral floats into integers (ECMAScript prints ``5.0`` as ``5`` and ``-0.0`` as
``0``). Anything else (large or tiny floats, keys whose UTF-16 order may differ from code-point
order, lone surrogates) goes to the ``rfc8785`` package. A property test checks the two agree.

Events are encoded straight from the model (:func:`event_bytes`), without building
``event.to_json()`` first: orjson writes the model's own values (UUID, datetime, enums, nested
models through ``default``) exactly as pydantic's JSON mode would, sorted. This is used only for
model classes whose every field is of a type checked once per class to be written the same
way by both (no aliases, serializers, computed fields or unknown types; see :func:`_plan`); the
values that could still differ (numbers, dict keys, free-form ``Any``) are checked per event,
and anything unusual goes to the path above. Tests compare both paths with ``rfc8785``.

Public API (stable): :func:`canonical_bytes`, :func:`event_bytes`, :func:`event_json_bytes`,
:func:`text_of` and :func:`fast_owned` (the same for a value the caller owns and allows to be
changed in place; no copy).
"""

from __future__ import annotations

import threading
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any
from uuid import UUID

import orjson
import rfc8785
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    PlainValidator,
    RootModel,
    StringConstraints,
    WrapValidator,
)
from pydantic.fields import FieldInfo

from manche.domain.events.base import Event
from manche.domain.values import OmitsAbsent
from manche.errors import InputError


def _kept(encoded: bytes) -> bytes:
    """A right-sized copy of orjson's output, for bytes that are kept (bodies of a batch).

    orjson writes into a 1 KB buffer and shrinks it in place; while thousands of those stay
    alive, glibc's malloc is left with a shrunk chunk and a fragment per body, and every later
    allocation of that size gets slower (measured here: keeping 20,000 bodies made encoding
    about 30 % slower than copying each into an exact-size object, which lets the buffer be
    reused at once)."""
    return memoryview(encoded).tobytes()


def _encode(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8, ECMAScript string escapes: what RFC 8785 asks for
    the values :func:`_fix` lets through (orjson, a well-kept compiled encoder)."""
    try:
        return _kept(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))
    except orjson.JSONEncodeError as exc:  # e.g. a lone surrogate: not valid UTF-8
        raise _Fallback from exc


_MAX_SAFE = 2**53
_INF = float("inf")


class _Fallback(Exception):
    pass


def _scalar(value: Any) -> Any:
    """An int or float made canonical-safe, or _Fallback."""
    if type(value) is int:
        if -_MAX_SAFE < value < _MAX_SAFE:
            return value
        raise _Fallback
    if value != value or value in (_INF, -_INF):
        raise _Fallback
    if value.is_integer():  # ECMAScript prints 5.0 as 5; exact below 2**53
        if -_MAX_SAFE < value < _MAX_SAFE:
            return int(value)
        raise _Fallback
    if 1e-4 <= abs(value) < 1e16:  # repr is positional and shortest, as in ECMAScript
        return value
    raise _Fallback


def _fix(value: Any) -> None:
    """Make a dict or list (owned by the caller) safe for the fast encoder, in place."""
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or max(key) < "\ud800"):
                raise _Fallback
            kind = type(item)
            if kind is str or kind is bool or item is None:
                continue
            if kind is dict or kind is list:
                _fix(item)
            elif kind is int or kind is float:
                value[key] = _scalar(item)
            else:
                raise _Fallback
    elif type(value) is list:
        for index, item in enumerate(value):
            kind = type(item)
            if kind is str or kind is bool or item is None:
                continue
            if kind is dict or kind is list:
                _fix(item)
            elif kind is int or kind is float:
                value[index] = _scalar(item)
            else:
                raise _Fallback
    else:
        raise _Fallback


def _copy(value: Any) -> Any:
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    if type(value) is list or type(value) is tuple:
        return [_copy(item) for item in value]
    return value


def fast_owned(owned: Any) -> bytes:
    """Canonical bytes of a JSON value the caller owns (it may be changed in place)."""
    try:
        if type(owned) is dict or type(owned) is list:
            _fix(owned)
            return _encode(owned)
    except _Fallback:
        pass
    result: bytes = rfc8785.dumps(owned)
    return result


def canonical_bytes(value: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON value (dict, list, str, int, float, bool, None)."""
    if type(value) is dict or type(value) is list or type(value) is tuple:
        return fast_owned(_copy(value))
    result: bytes = rfc8785.dumps(value)
    return result


_SAFE_LEAVES = (str, bool, UUID, datetime, date, type(None))


def _is_plain_text(annotation: Any) -> bool:
    """True when every JSON value of this annotation is a string, boolean, null or a list of
    those: nothing the fast encoder could write differently from RFC 8785 (object keys of an
    event are its field names, ASCII identifiers)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _is_plain_text(args[0])
    if origin in (typing.Union, types.UnionType):
        return all(_is_plain_text(arg) for arg in args)
    if origin is typing.Literal:
        return all(isinstance(arg, str | bool) for arg in args)
    if origin in (tuple, list):
        return bool(args) and all(_is_plain_text(a) for a in args if a is not Ellipsis)
    if annotation is AwareDatetime:
        return True
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return all(isinstance(member.value, str) for member in annotation)
        if issubclass(annotation, BaseModel):
            return all(_is_plain_text(f.annotation) for f in annotation.model_fields.values())
        return issubclass(annotation, _SAFE_LEAVES)
    return False


@cache
def _fields_to_check(cls: type[Event]) -> tuple[str, ...]:
    return tuple(
        name for name, field in cls.model_fields.items() if not _is_plain_text(field.annotation)
    )


def event_bytes(event: Event) -> bytes:
    """The canonical bytes of an event's stored form (``event.to_json()``)."""
    plan = _plan(type(event))
    if plan is not None:
        try:
            return _direct(event, plan)
        except _Fallback:
            pass
    return event_json_bytes(event, event.to_json())


def event_json_bytes(event: Event, data: dict[str, Any]) -> bytes:
    """Canonical bytes of ``data``, the caller-owned ``event.to_json()`` (changed in place).

    Only the fields whose type may hold numbers or free-form objects are inspected; the others
    are strings, booleans or null by construction."""
    try:
        for name in _fields_to_check(type(event)):
            value = data[name]
            kind = type(value)
            if kind is dict or kind is list:
                _fix(value)
            elif kind is int or kind is float:
                data[name] = _scalar(value)
            elif not (kind is str or kind is bool or value is None):
                raise _Fallback
        return _encode(data)
    except _Fallback:
        try:
            result: bytes = rfc8785.dumps(data)
        except rfc8785.CanonicalizationError as exc:
            raise InputError(
                f"event {data.get('id')}: cannot be encoded as canonical JSON (RFC 8785): {exc}"
            ) from exc
        return result


# --- straight from the model -----------------------------------------------------------------

_DIRECT = orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z | orjson.OPT_STRICT_INTEGER
"""orjson writes a UTC datetime as pydantic does (``...T03:12:00Z``, ``.ffffff`` if any) and
refuses integers beyond 2**53 (which then take the reference path): integers need no check."""

_PLAIN_LEAVES = frozenset({str, bool, int, type(None), UUID, datetime, date, AwareDatetime})
_QUIET_METADATA = (
    StringConstraints,
    FieldInfo,
    AfterValidator,
    BeforeValidator,
    PlainValidator,
    WrapValidator,
)
_QUIET_MODULES = frozenset({"annotated_types", "pydantic._internal._fields"})  # Ge, Le, MaxLen...


def _quiet(metadata: Any) -> bool:
    """True for annotations that constrain or validate a value but never change how it is
    written (bounds, lengths, string constraints, validators)."""
    return isinstance(metadata, _QUIET_METADATA) or type(metadata).__module__ in _QUIET_MODULES


@dataclass(frozen=True, slots=True)
class _Plan:
    """How the direct encoder handles one model class."""

    size: int  # number of fields: anything else in ``__dict__`` sends the event to the slow path
    checked: tuple[str, ...]  # fields that may hold floats, dict keys or Any: see _safe
    version: int | None  # an event's ``version`` (added to its object), None for nested models
    omitted: frozenset[str] = frozenset()  # fields left out when None (domain OmitsAbsent)


_PLANS: dict[type, _Plan | None] = {}
_PLANNING = threading.RLock()
_MODELS: dict[type, _Plan] = {}  # the nested models the encoder may meet (orjson ``default``)


def _kind(annotation: Any) -> str | None:
    """``plain`` (written identically, no check needed), ``walk`` (written identically once
    the value has gone through :func:`_safe`), or None (the direct encoder is not used)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        if not all(_quiet(m) for m in args[1:]):
            return None
        return _kind(args[0])
    if origin in (typing.Union, types.UnionType, tuple, list):
        kinds = [_kind(a) for a in args if a is not Ellipsis]
        if None in kinds or (origin in (tuple, list) and not kinds):
            return None
        return "walk" if "walk" in kinds else "plain"
    if origin is dict:
        return "walk" if len(args) == 2 and _kind(args[0]) == "plain" else None
    if origin is typing.Literal:
        return "plain" if all(type(a) in (str, bool, int) for a in args) else None
    if annotation is typing.Any:
        return "walk"
    if annotation in _PLAIN_LEAVES:
        return "plain"
    if annotation is float:
        return "walk"
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            if all(type(m.value) is str for m in annotation) and not annotation.__subclasses__():
                return "plain"
            return None
        if issubclass(annotation, BaseModel):
            plan = _plan(annotation)
            if plan is None:
                return None
            return "walk" if plan.checked else "plain"  # written through ``default``
    return None


def _plan(cls: type[BaseModel]) -> _Plan | None:
    """A class's plan, or None when anything about it may be written differently by pydantic's
    JSON mode (``to_json``) and by orjson (cached; classes are fixed once defined)."""
    if cls in _PLANS:
        return _PLANS[cls]
    with _PLANNING:  # one thread plans at a time (a half-made plan is never seen as final)
        if cls in _PLANS and _PLANS[cls] is not None:
            return _PLANS[cls]
        _PLANS[cls] = None  # a model that contains itself is not handled
        plan = _make_plan(cls)
        _PLANS[cls] = plan
        if plan is not None and plan.version is None:
            _MODELS[cls] = plan
        return plan


def _make_plan(cls: type[BaseModel]) -> _Plan | None:
    is_event = issubclass(cls, Event)
    if is_event and cls.to_json is not Event.to_json:  # type: ignore[attr-defined]
        return None
    if issubclass(cls, RootModel) or (not is_event and cls.__subclasses__()):
        return None  # a nested model's subclass would be written with the base's fields only
    config = cls.model_config
    if set(config) - {"frozen", "extra", "title", "str_strip_whitespace"}:
        return None
    decorators = cls.__pydantic_decorators__
    omitted: frozenset[str] = frozenset()
    if issubclass(cls, OmitsAbsent) and set(decorators.model_serializers) == {"_omit_absent"}:
        omitted = cls.omitted_when_absent  # the one serializer whose rule is known here
    elif decorators.model_serializers:
        return None
    if decorators.field_serializers:
        return None
    if cls.model_computed_fields or getattr(cls, "__pydantic_root_model__", False):
        return None
    checked = []
    for name, field in cls.model_fields.items():
        if field.alias not in (None, name) or field.serialization_alias not in (None, name):
            return None
        if field.exclude or not all(_quiet(m) for m in field.metadata):
            return None
        kind = _kind(field.annotation)
        if kind is None:
            return None
        if kind == "walk":
            checked.append(name)
    if is_event and "version" in cls.model_fields:
        return None
    version = cls.version if is_event else None  # type: ignore[attr-defined]
    return _Plan(len(cls.model_fields), tuple(checked), version, omitted)


def _safe(value: Any) -> Any:
    """``value``, or a copy with integral floats as integers, that orjson writes exactly as
    RFC 8785 writes its JSON form; _Fallback when that is not sure. Strings need no check
    (orjson escapes them as RFC 8785 asks; a lone surrogate makes orjson fail, which also
    falls back). Nothing is changed in place: the copy is made where a number changes. A
    nested model comes back as its fields (its own ``__dict__``, only read, or a copy)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value  # orjson refuses integers beyond 2**53 (OPT_STRICT_INTEGER)
    if kind is float:
        if 1e-4 <= abs(value) < 1e16 and not value.is_integer():
            return value  # repr is positional and shortest, as in ECMAScript
        return _scalar(value)  # 5.0 as 5, -0.0 as 0; exponent forms, NaN, inf fall back
    if kind is dict:
        changed = None
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or max(key) < "\ud800"):
                raise _Fallback
            new = _safe(item)
            if new is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = new
        return value if changed is None else changed
    if kind is list or kind is tuple:
        items = [_safe(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return items
    plan = _MODELS.get(kind)
    if plan is None:
        raise _Fallback  # e.g. a UUID or a date under Any: the slow path decides
    fields = value.__dict__
    if len(fields) != plan.size:
        raise _Fallback
    copy = _present(fields, plan.omitted)
    for name in plan.checked:
        item = fields[name]
        new = _safe(item)
        if new is not item:
            if copy is None:
                copy = dict(fields)
            copy[name] = new
    return fields if copy is None else copy  # its fields: orjson needs no ``default`` call


def _present(fields: dict[str, Any], omitted: frozenset[str]) -> dict[str, Any] | None:
    """A copy of ``fields`` without the ``omitted`` ones that are None, or None if no field
    is to be left out."""
    if not omitted or all(fields[name] is not None for name in omitted):
        return None
    return {k: v for k, v in fields.items() if not (k in omitted and v is None)}


def _model_fields(value: Any) -> Any:
    """orjson's ``default``: a nested model is written as its fields (checked by _safe)."""
    plan = _MODELS.get(type(value))
    if plan is None or len(value.__dict__) != plan.size:
        raise TypeError(type(value).__name__)  # orjson fails: the reference path decides
    present = _present(value.__dict__, plan.omitted)
    return value.__dict__ if present is None else present


def _direct(event: Event, plan: _Plan) -> bytes:
    fields = event.__dict__
    if len(fields) != plan.size:
        raise _Fallback  # something besides the fields (e.g. a cached property)
    data = dict(fields)
    for name in plan.checked:
        value = data[name]
        if value is not None:
            data[name] = _safe(value)
    data["version"] = plan.version
    try:
        return _kept(orjson.dumps(data, default=_model_fields, option=_DIRECT))
    except orjson.JSONEncodeError as exc:
        raise _Fallback from exc


def text_of(value: UUID | datetime) -> str:
    """A UUID or a datetime as the body writes it (``event_bytes``), e.g. for query columns."""
    return orjson.dumps(value, option=_DIRECT)[1:-1].decode()
