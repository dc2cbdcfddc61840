"""Readings: projections computed from the log alone (rebuildable at any time)."""
