"""Readings: projections computed from the record alone (pure functions over events)."""
