"""All server settings in one object (environment prefix ``PRAXISDESK_``)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DB_FILENAME = "praxisdesk.sqlite3"
JWT_SECRET_FILENAME = "jwt-secret"  # noqa: S105 - a file name, not a secret


# Set to 1 by the systemd unit (and the Windows service wrapper): the server belongs to the
# machine, not to whoever installed it, so its data lives in the machine-wide data dir.
SERVICE_ENV = "PRAXISDESK_SERVICE"


def running_as_service() -> bool:
    return os.environ.get(SERVICE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def service_data_dir() -> Path:
    """The machine-wide data dir: C:\\ProgramData\\praxisdesk-server, /Library/Application
    Support/praxisdesk-server, on Linux the first of $XDG_DATA_DIRS (/usr/local/share/...;
    the systemd unit sets PRAXISDESK_DATA_DIR to its StateDirectory instead)."""
    return Path(platformdirs.site_data_dir("praxisdesk-server", appauthor=False))


def default_data_dir() -> Path:
    """Used when neither --data-dir nor PRAXISDESK_DATA_DIR names one."""
    if running_as_service():
        return service_data_dir()
    return Path(platformdirs.user_data_dir("praxisdesk-server"))


def default_assistant_model_dir() -> Path:
    """Where scripts/setup.sh puts the Whisper base model: inside the virtual environment.
    The bundle ships without it (145 MB): there it is ``models/whisper-base`` beside the
    ``praxisdesk-server`` executable, where the IT guide says to copy it."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent / "models" / "whisper-base"
    return Path(sys.prefix) / "share" / "praxisdesk" / "models" / "whisper-base"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRAXISDESK_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    # Empty means the SQLite file inside data_dir; PostgreSQL via postgresql+asyncpg://...
    database_url: str = ""
    # Key material (master key, practice and blob keys, the erasure ledger). Empty means
    # <data_dir>/keys. Backups leave it out on purpose: a key destroyed here makes every
    # backup copy of its blob unreadable. Keep it on separately protected storage.
    keys_dir: Path | None = None
    # Daily encrypted backups into this directory (empty = off), made once the UTC hour
    # reaches backup_hour, rotated to 7 daily, 4 weekly and 12 monthly copies.
    backup_dir: Path | None = None
    backup_hour: int = Field(default=2, ge=0, le=23)
    backup_check_seconds: float = Field(default=60.0, gt=0)
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    lockout_threshold: int = 5
    lockout_seconds: int = 15 * 60
    sync_page_size: int = 500
    # Base URL the server is reachable under (used for links); empty = derived from request.
    public_url: str = ""
    # How long a patient's conversation link works before staff must issue a new one.
    patient_link_ttl_days: int = Field(default=30, ge=1, le=365)
    # Largest attachment accepted (bytes of the file itself); larger uploads answer 413.
    attachment_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    # Notification e-mails to patients (no host: no mail). Port 465 means implicit TLS.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = True
    smtp_from: str = ""
    smtp_timeout_seconds: float = Field(default=15.0, gt=0)
    # At most one notification e-mail per conversation in this many minutes.
    notify_interval_minutes: int = Field(default=15, ge=0)
    # A failed send is retried 3 times after base, 2x base and 4x base seconds.
    notify_retry_base_seconds: float = Field(default=5.0, ge=0)
    # Rate limits on every /p/ path (patient page and API), per client IP and per token.
    patient_rate_per_minute: int = Field(default=60, ge=1)
    patient_upload_rate: int = Field(default=10, ge=1)
    patient_upload_window_minutes: int = Field(default=10, ge=1)
    rate_limit_max_buckets: int = Field(default=50_000, ge=100)
    # Live events (websocket /api/v1/events); the intervals are settings so tests can shorten them.
    events_hello_timeout_seconds: float = Field(default=10.0, gt=0)
    events_ping_seconds: float = Field(default=20.0, gt=0)
    # How often a connection checks its access token's expiry and (less often) re-checks that
    # its login session was not revoked and its user is still active.
    events_token_check_seconds: float = Field(default=1.0, gt=0)
    events_revalidate_seconds: float = Field(default=60.0, gt=0)
    # Frames queued per socket at most; a client that falls this far behind is disconnected.
    events_queue_frames: int = Field(default=32, ge=2)
    events_send_timeout_seconds: float = Field(default=10.0, gt=0)
    # Picks up change-log writes by other processes (CLI, a second server): cheap global check.
    events_poll_seconds: float = Field(default=2.0, gt=0)
    # The retention purge runs at start and then every this many seconds.
    retention_interval_seconds: float = Field(default=3600.0, gt=0)
    # Phone assistant (issue 5): the persistent call job queue and the telephony upload.
    # A job whose worker died is taken again once its lease has run out.
    calls_job_lease_seconds: float = Field(default=300.0, gt=0)
    # How often idle workers look for due jobs (a new job wakes them at once anyway).
    calls_poll_seconds: float = Field(default=2.0, gt=0)
    calls_worker_concurrency: int = Field(default=1, ge=0, le=8)  # 0: no worker (tools)
    # Downloads are tried this often, waiting base, 2x base, 4x base ... seconds in between.
    calls_download_attempts: int = Field(default=6, ge=1)
    calls_download_backoff_seconds: float = Field(default=5.0, ge=0)
    calls_download_timeout_seconds: float = Field(default=30.0, gt=0)
    # Processing (transcription) is tried this often before the call shows "failed".
    calls_process_attempts: int = Field(default=3, ge=1)
    # On shutdown, how long a running transcription may take to finish (it cannot be
    # interrupted; exiting during one aborts the process). Its job is taken again anyway.
    calls_shutdown_grace_seconds: float = Field(default=60.0, ge=0)
    telephony_upload_max_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    # Phone assistant speech-to-text: "whisper" (offline, local model dir) or "azure" (Azure
    # Speech short-audio REST in an EU region; audio leaves the server).
    assistant_stt_engine: Literal["whisper", "azure"] = "whisper"
    assistant_model_dir: Path = Field(default_factory=default_assistant_model_dir)
    assistant_stt_beam_size: int = Field(default=5, ge=1, le=10)
    assistant_stt_threads: int = Field(default=2, ge=1, le=64)
    # Skip silence/noise before transcribing (Whisper invents text on long silences).
    assistant_stt_vad: bool = True
    assistant_azure_region: str = "germanywestcentral"
    # Full recognition URL (without query); empty = the region's public endpoint.
    assistant_azure_endpoint: str = ""
    assistant_azure_key: SecretStr = SecretStr("")
    assistant_azure_timeout_seconds: float = Field(default=30.0, gt=0)
    # Phone assistant triage: optional refinement by an OpenAI-compatible chat-completions
    # endpoint (server URL, its /v1, or the endpoint itself). Empty URL = off. The transcript
    # is sent there: only a service the practice may share health data with.
    assistant_llm_url: str = ""
    assistant_llm_model: str = ""
    assistant_llm_api_key: SecretStr = SecretStr("")
    assistant_llm_timeout_seconds: float = Field(default=10.0, gt=0)
    # Video consultations (issue 4). ICE servers for both ends, comma-separated URLs; empty
    # means host candidates only (iceServers=[]). TURN credentials follow coturn's REST
    # scheme (use-auth-secret / static-auth-secret) and expire after the TTL.
    video_stun_urls: str = ""
    video_turn_urls: str = ""
    video_turn_secret: SecretStr = SecretStr("")
    video_turn_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600)
    # A signalling socket must say hello within this many seconds.
    video_hello_timeout_seconds: float = Field(default=10.0, gt=0)

    @field_validator("keys_dir", "backup_dir", mode="before")
    @classmethod
    def _empty_path_is_none(cls, value: object) -> object:
        # PRAXISDESK_BACKUP_DIR= (empty) means "off", not the current directory.
        return None if value == "" else value

    @model_validator(mode="after")
    def _fill_database_url(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / DB_FILENAME}"
        return self

    @property
    def effective_keys_dir(self) -> Path:
        return self.keys_dir if self.keys_dir is not None else self.data_dir / "keys"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        if not self.is_sqlite:
            raise ValueError("not an SQLite database")
        return Path(self.database_url.split(":///", 1)[1])

    def ensure_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def jwt_secret(self) -> str:
        """The signing secret, created once per data dir and readable only by its owner."""
        self.ensure_data_dir()
        path = self.data_dir / JWT_SECRET_FILENAME
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            value = path.read_text(encoding="ascii").strip()
            if len(value) < 32:
                raise RuntimeError(
                    f"{path} is damaged (too short); delete it to make a new one"
                ) from None
            return value
        value = secrets.token_urlsafe(48)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(value)
        return value
