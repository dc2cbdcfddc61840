"""The event catalogue. Every event type is a frozen pydantic model registered in
:mod:`manche.domain.events.catalogue`; each area of the domain declares its own in a module here.
"""

from manche.domain.events.base import Event, catalogue, register

__all__ = ["Event", "catalogue", "register"]
