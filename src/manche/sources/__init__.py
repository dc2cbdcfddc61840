"""Adapters that turn outside formats into events or facts: ODS, GOV.UK page, NMEA, CSV."""
