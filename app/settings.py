"""Where the client keeps its local state, and the user's (non-secret) settings."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from app.machine_policy import machine_server_url

DEFAULT_SERVER_URL = "http://127.0.0.1:8765"
LANGUAGES = ("de", "en")


def resolve_profile_dir(cli_value: str | None) -> Path:
    """``--profile DIR`` > ``PRAXISDESK_PROFILE`` > the platform's data directory."""
    raw = cli_value or os.environ.get("PRAXISDESK_PROFILE")
    if raw:
        return Path(raw).expanduser().resolve()
    return Path(platformdirs.user_data_dir("Praxisdesk", appauthor=False)) / "default"


@dataclass
class UserSettings:
    path: Path = field(repr=False)
    server_url: str | None = None
    email: str | None = None
    language: str = "de"
    ca_file: str | None = None
    sync_interval_s: float = 30.0
    # Changes per sync request (server allows 1-5000). Large pages: the server reads the
    # change log once per page, so an initial sync of 100,000 messages needs few of them.
    sync_page_size: int = 5000
    # Folder for "Export in die Patientenakte" (PDF + GDT for the PVS); None: not chosen yet.
    record_export_dir: str | None = None

    @classmethod
    def load(cls, path: Path) -> UserSettings:
        settings = cls(path=path)
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return settings
        except (OSError, ValueError):
            # A damaged settings file must not stop the client; it holds nothing precious.
            return settings
        known = {f.name for f in fields(cls)} - {"path"}
        for key, value in data.items():
            if key in known:
                setattr(settings, key, value)
        if settings.language not in LANGUAGES:
            settings.language = "de"
        return settings

    def effective_server_url(self) -> str:
        """User setting > machine policy (app/machine_policy.py) > built-in default."""
        return self.server_url or machine_server_url() or DEFAULT_SERVER_URL

    def save(self) -> None:
        data = {k: v for k, v in asdict(self).items() if k != "path"}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=2, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class Profile:
    """One local profile directory: settings, the encrypted cache, later attachments."""

    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()

    @property
    def id(self) -> str:
        return hashlib.sha256(str(self.root).encode()).hexdigest()[:16]

    @property
    def settings_path(self) -> Path:
        return self.root / "settings.json"

    @property
    def cache_path(self) -> Path:
        return self.root / "cache.db"

    def ensure(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def load_settings(self) -> UserSettings:
        return UserSettings.load(self.settings_path)
