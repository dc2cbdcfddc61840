"""Readings (projections): pure functions over the record and the facts loaded from sources;
each can be rebuilt at any time from the log (and the imported files) alone."""
