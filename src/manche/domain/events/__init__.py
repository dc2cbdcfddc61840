"""The event catalogue. Every event type is a frozen pydantic model registered with
``@register`` in a module of this package (``sea``, ``enforcement``, ``correction``, and the
other areas' modules); :func:`catalogue` loads every module and lists the types, and
:func:`parse_event` reads JSON into the right model.
"""

from manche.domain.events.base import Event, catalogue, register
from manche.domain.events.parse import parse_event

__all__ = ["Event", "catalogue", "parse_event", "register"]
