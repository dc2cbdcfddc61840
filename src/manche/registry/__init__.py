"""The registries of agencies and assets, kept in the database (seeded from bundled data)."""

from manche.registry.store import RegistryStore

__all__ = ["RegistryStore"]
