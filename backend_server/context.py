"""What one running server shares between requests: settings, clock, database, secrets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from backend_server.clock import Clock
from backend_server.config import Settings
from backend_server.db.database import Database
from backend_server.keystore import KeyStore


@dataclass
class ServerContext:
    settings: Settings
    clock: Clock
    db: Database
    jwt_secret: str
    _keystore: KeyStore | None = field(default=None, repr=False)

    @property
    def keystore(self) -> KeyStore:
        """Opened on first use (most requests never touch a key)."""
        if self._keystore is None:
            self._keystore = KeyStore(self.settings.effective_keys_dir)
        return self._keystore

    def close_keystore(self) -> None:
        """At shutdown; a later use opens it again."""
        if self._keystore is not None:
            self._keystore.close()
            self._keystore = None

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
