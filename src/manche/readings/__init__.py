"""Readings: projections computed from the record's events alone (pure functions, no I/O)."""
