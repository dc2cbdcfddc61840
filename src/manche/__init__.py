"""Manche: the shared record of small-boat crossings of the Channel."""

__version__ = "0.1.0"
