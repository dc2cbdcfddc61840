"""The pure domain: value types, events, rules and state machines. No I/O here."""
