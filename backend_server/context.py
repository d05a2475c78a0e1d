"""What one running server shares between requests: settings, clock, database, secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from backend_server.clock import Clock
from backend_server.config import Settings
from backend_server.db.database import Database


@dataclass
class ServerContext:
    settings: Settings
    clock: Clock
    db: Database
    jwt_secret: str

    @property
    def access_ttl(self) -> timedelta:
        return timedelta(seconds=self.settings.access_token_ttl_seconds)

    @property
    def refresh_ttl(self) -> timedelta:
        return timedelta(seconds=self.settings.refresh_token_ttl_seconds)

    @property
    def lockout(self) -> timedelta:
        return timedelta(seconds=self.settings.lockout_seconds)

    @classmethod
    def create(cls, settings: Settings, clock: Clock) -> ServerContext:
        return cls(settings=settings, clock=clock, db=Database(settings),
                   jwt_secret=settings.jwt_secret())
