"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) for hashing events.

``canonical_bytes(value)`` returns exactly what :func:`rfc8785.dumps` returns, faster: the
common case (keys below U+D800, floats whose shortest form is positional in both Python and
ECMAScript) is encoded by the C ``json`` encoder with sorted keys and no whitespace, after
turning integral floats into integers (ECMAScript prints ``5.0`` as ``5`` and ``-0.0`` as
``0``). Anything else (large or tiny floats, keys whose UTF-16 order may differ from code-point
order, lone surrogates) goes to the ``rfc8785`` package. A property test checks the two agree.

Public API (stable): :func:`canonical_bytes`, :func:`event_bytes`, :func:`fast_owned` (the
same for a value the caller owns and allows to be changed in place; no copy).
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

from manche.domain.events.base import Event

_encode = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode
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
            return _encode(owned).encode("utf-8")
    except (_Fallback, UnicodeEncodeError):
        pass
    result: bytes = rfc8785.dumps(owned)
    return result


def canonical_bytes(value: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON value (dict, list, str, int, float, bool, None)."""
    if type(value) is dict or type(value) is list or type(value) is tuple:
        return fast_owned(_copy(value))
    result: bytes = rfc8785.dumps(value)
    return result


def event_bytes(event: Event) -> bytes:
    """The canonical bytes of an event's stored form (``event.to_json()``)."""
    return fast_owned(event.to_json())
