"""The machine-wide default server URL that IT sets for every user of a computer.

Sources, first usable one wins:

1. the environment variable ``PRAXISDESK_SERVER_URL``;
2. Windows: ``HKLM\\Software\\Praxisdesk`` value ``ServerUrl`` (64-bit view; the MSI writes it
   from its ``SERVER_URL`` property);
3. macOS: ``/Library/Preferences/de.praxisdesk.client.plist`` key ``ServerUrl`` (an MDM profile
   or ``defaults write`` puts it there);
4. Linux and other systems: ``/etc/praxisdesk/client.json`` ``{"server_url": "..."}``.

``PRAXISDESK_POLICY_FILE`` (or the ``policy_file`` argument) points the macOS/Linux lookup at
another file, for tests and unusual setups. Policy is only a default: the user's own setting
wins over it, and it wins over the built-in default (see ``UserSettings.effective_server_url``).

A missing, damaged or nonsensical policy never stops the client: it is logged once as a
warning and treated as absent.
"""

from __future__ import annotations

import json
import logging
import os
import plistlib
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

ENV_SERVER_URL = "PRAXISDESK_SERVER_URL"
ENV_POLICY_FILE = "PRAXISDESK_POLICY_FILE"
WINDOWS_KEY = r"Software\Praxisdesk"
WINDOWS_VALUE = "ServerUrl"
MACOS_POLICY_FILE = Path("/Library/Preferences/de.praxisdesk.client.plist")
MACOS_KEY = "ServerUrl"
LINUX_POLICY_FILE = Path("/etc/praxisdesk/client.json")
LINUX_KEY = "server_url"

# The client asks for the effective server URL often (every sync reconnect); a broken policy
# is worth one warning, not one per call.
_warned: set[tuple[str, str]] = set()


def _warn_once(source: str, problem: str) -> None:
    if (source, problem) in _warned:
        return
    _warned.add((source, problem))
    log.warning("machine policy %s ignored: %s", source, problem)


def valid_server_url(value: object) -> str | None:
    """``value`` as a server URL (stripped, no trailing slash) if it is an http(s) URL."""
    if not isinstance(value, str):
        return None
    url = value.strip().rstrip("/")
    if not url or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return url


def _checked(source: str, value: object) -> str | None:
    """A source's raw value as a URL; unset/empty is silent, anything else wrong is warned."""
    if value is None or (isinstance(value, str) and not value.strip()):
        # Empty: the MSI was installed without SERVER_URL, or the key is simply not set.
        return None
    url = valid_server_url(value)
    if url is None:
        _warn_once(source, "not an http(s) URL")
    return url


def _read_windows_registry() -> object:
    """The raw ``ServerUrl`` value from HKLM (64-bit view), or None when it is not set."""
    if sys.platform == "win32":
        import winreg

        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, WINDOWS_KEY, 0, access) as key:
                value, _kind = winreg.QueryValueEx(key, WINDOWS_VALUE)
        except FileNotFoundError:
            return None
        except OSError as exc:
            _warn_once("registry", f"unreadable ({type(exc).__name__})")
            return None
        return value
    return None


def _read_policy_file(path: Path, *, plist: bool) -> object:
    """The server URL entry of a policy file (plist or JSON), or None if there is none."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _warn_once(str(path), f"unreadable ({type(exc).__name__})")
        return None
    key = MACOS_KEY if plist else LINUX_KEY
    try:
        data: object = plistlib.loads(raw) if plist else json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, plistlib.InvalidFileException) as exc:
        _warn_once(str(path), f"damaged ({type(exc).__name__})")
        return None
    if not isinstance(data, dict):
        _warn_once(str(path), "not a dictionary")
        return None
    return data.get(key)


def machine_server_url(*, environ: Mapping[str, str] | None = None,
                       platform: str | None = None,
                       policy_file: Path | None = None) -> str | None:
    """The machine-wide default server URL, or None when IT set none (or set nonsense).

    ``environ``, ``platform`` (a ``sys.platform`` value) and ``policy_file`` default to this
    process's environment, this system and the system's policy location.
    """
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform

    from_env = _checked(ENV_SERVER_URL, env.get(ENV_SERVER_URL))
    if from_env is not None:
        return from_env

    if platform == "win32":
        return _checked("registry", _read_windows_registry())

    is_mac = platform == "darwin"
    if policy_file is None:
        override = env.get(ENV_POLICY_FILE)
        if override:
            policy_file = Path(override)
        else:
            policy_file = MACOS_POLICY_FILE if is_mac else LINUX_POLICY_FILE
    return _checked(str(policy_file), _read_policy_file(policy_file, plist=is_mac))
