"""Users, their roles and their API tokens."""

from manche.users.store import IssuedToken, User, UserStore

__all__ = ["IssuedToken", "User", "UserStore"]
