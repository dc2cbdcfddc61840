"""Settings, read from the environment (``MANCHE_*``), typed.

- ``MANCHE_DATABASE_URL``: ``sqlite:///PATH`` or ``postgresql://USER@HOST:PORT/DB``;
  default: the SQLite file ``manche.db`` in ``MANCHE_DATA_DIR``.
- ``MANCHE_DATA_DIR``: where Manche keeps its database and keys; default: the per-user data
  folder (``~/.local/share/manche`` on Linux).
- ``MANCHE_HOST`` / ``MANCHE_PORT``: where ``manche serve`` listens; default 127.0.0.1:8000.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("manche", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MANCHE_", frozen=True)

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    clock_skew_seconds: int = Field(default=300, ge=0, le=300)  # events: future tolerance

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'manche.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
