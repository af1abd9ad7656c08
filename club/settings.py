"""The service's settings, read once from environment variables into one typed object."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Settings", "SettingsError"]


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot run with."""


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    # None means "embedded": `club serve` starts a Redis server of its own.
    redis_url: str | None
    secret_key: str
    public_base_url: str
    club_time_zone: str
    club_name: str = "Maison Club"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.club_time_zone)

    def with_redis(self, redis_url: str) -> Settings:
        return replace(self, redis_url=redis_url)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("CLUB_DATA_DIR", "data")).resolve()
        database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'club.sqlite3'}"
        if not database_url.startswith(("sqlite:///", "postgres://", "postgresql://")):
            raise SettingsError(
                "DATABASE_URL must start with sqlite:///, postgres:// or postgresql://"
            )
        time_zone = env.get("CLUB_TIME_ZONE", "Europe/Paris")
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"CLUB_TIME_ZONE {time_zone!r} is not an IANA time zone") from exc
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("REDIS_URL") or None,
            secret_key=env.get("SECRET_KEY") or _local_secret_key(data_dir),
            public_base_url=env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            club_time_zone=time_zone,
            club_name=env.get("CLUB_NAME", "Maison Club"),
        )


def _local_secret_key(data_dir: Path) -> str:
    """A key made once per data folder, so embedded mode needs no setup and survives restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
