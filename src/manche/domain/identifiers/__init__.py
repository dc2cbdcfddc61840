"""Identifiers read off boats and engines: hull identification numbers (ISO 10087 / 33 CFR 181)
and outboard engine serial numbers (make-specific formats).

Nothing here refuses a value. Each reading keeps the text as given, proposes a canonical form,
and lists :class:`~manche.domain.identifiers.findings.Finding` s naming what is wrong or was
repaired (an OCR confusion such as ``O``/``0``), so a record is never rejected for a bad plate.

Public API (stable): :func:`read_hin`, :class:`HinReading`, :func:`read_engine_serial`,
:class:`EngineSerialReading`, :func:`resolve_make`, :class:`Finding`, :func:`skeleton`.
"""

from manche.domain.identifiers.confusables import skeleton
from manche.domain.identifiers.engine_serial import (
    EngineSerialReading,
    read_engine_serial,
    resolve_make,
)
from manche.domain.identifiers.findings import Finding, Severity
from manche.domain.identifiers.hin import HinReading, read_hin

__all__ = [
    "EngineSerialReading",
    "Finding",
    "HinReading",
    "Severity",
    "read_engine_serial",
    "read_hin",
    "resolve_make",
    "skeleton",
]
