"""Database plumbing shared by every store: one small interface over SQLite and PostgreSQL."""

from manche.storage.database import Database, Transaction, open_database

__all__ = ["Database", "Transaction", "open_database"]
