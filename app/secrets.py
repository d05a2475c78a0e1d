"""Keyring access for the cache key and the refresh token.

Secrets live only in the OS keyring. Backends that would store them in a plain file, or that
cannot store anything, are refused: a cache key next to the cache it protects is no protection.
"""

from __future__ import annotations

import logging
import secrets as _random

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "praxisdesk"
_UNSAFE_BACKEND_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


class KeyringUnavailable(Exception):
    """The OS keyring cannot be used; the message says why in plain words."""


def backend_name() -> str:
    kr = keyring.get_keyring()
    return f"{type(kr).__module__}.{type(kr).__name__}"


def _checked_backend() -> keyring.backend.KeyringBackend:
    kr = keyring.get_keyring()
    names = [f"{type(b).__module__}" for b in getattr(kr, "backends", [kr])]
    if not names or any(n.startswith(_UNSAFE_BACKEND_MODULES) for n in names):
        raise KeyringUnavailable(
            "No secure keyring is available (found "
            f"{backend_name()}). Praxisdesk keeps its keys only in the system keyring: "
            "on Linux start and unlock a Secret Service such as GNOME Keyring or KWallet."
        )
    return kr


class SecretStore:
    """Secrets of one profile + server + user: the cache key and the refresh token."""

    def __init__(self, profile_id: str, server_url: str, email: str) -> None:
        self._prefix = f"{profile_id}|{server_url.rstrip('/')}|{email.strip().lower()}"

    def _get(self, kind: str) -> str | None:
        kr = _checked_backend()
        try:
            return kr.get_password(SERVICE, f"{kind}|{self._prefix}")
        except Exception as exc:
            raise KeyringUnavailable(f"The system keyring could not be read: {exc}") from exc

    def _set(self, kind: str, value: str) -> None:
        kr = _checked_backend()
        try:
            kr.set_password(SERVICE, f"{kind}|{self._prefix}", value)
        except Exception as exc:
            raise KeyringUnavailable(f"The system keyring could not be written: {exc}") from exc

    def _delete(self, kind: str) -> None:
        kr = _checked_backend()
        try:
            kr.delete_password(SERVICE, f"{kind}|{self._prefix}")
        except keyring.errors.PasswordDeleteError:
            pass
        except Exception as exc:
            raise KeyringUnavailable(f"The system keyring could not be written: {exc}") from exc

    @property
    def cache_key_name(self) -> str:
        return f"cache-key|{self._prefix}"

    def get_cache_key(self) -> bytes | None:
        value = self._get("cache-key")
        if value is None:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError:
            log.warning("cache key in keyring is malformed")
            return b""
        return key

    def new_cache_key(self) -> bytes:
        key = _random.token_bytes(32)
        self._set("cache-key", key.hex())
        return key

    def delete_cache_key(self) -> None:
        self._delete("cache-key")

    def get_refresh_token(self) -> str | None:
        return self._get("refresh-token")

    def set_refresh_token(self, token: str) -> None:
        self._set("refresh-token", token)

    def delete_refresh_token(self) -> None:
        self._delete("refresh-token")
