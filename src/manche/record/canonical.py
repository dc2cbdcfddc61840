"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) for hashing events.

``canonical_bytes(value)`` returns exactly what :func:`rfc8785.dumps` returns, faster: the
common case (keys below U+D800, floats whose shortest form is positional in both Python and
ECMAScript) is encoded by orjson with sorted keys and no whitespace, after
turning integral floats into integers (ECMAScript prints ``5.0`` as ``5`` and ``-0.0`` as
``0``). Anything else (large or tiny floats, keys whose UTF-16 order may differ from code-point
order, lone surrogates) goes to the ``rfc8785`` package. A property test checks the two agree.

Public API (stable): :func:`canonical_bytes`, :func:`event_bytes`, :func:`event_json_bytes`
and :func:`fast_owned` (the same for a value the caller owns and allows to be changed in
place; no copy).
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any
from uuid import UUID

import orjson
import rfc8785
from pydantic import AwareDatetime, BaseModel

from manche.domain.events.base import Event
from manche.errors import InputError


def _encode(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8, ECMAScript string escapes: what RFC 8785 asks for
    the values :func:`_fix` lets through (orjson, a well-kept compiled encoder)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
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
