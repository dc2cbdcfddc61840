"""Readings (projections): pure functions over the record and the facts loaded from sources."""
