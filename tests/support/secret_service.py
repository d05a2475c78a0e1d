"""A private, unlocked Secret Service (gnome-keyring on its own D-Bus session bus) for tests.

The tests use a real keyring backend, never keyrings.alt's plaintext file. Each test session
gets a throwaway bus and keyring directory, so nothing touches the developer's own keyring.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SecretServiceUnavailable(RuntimeError):
    pass


def _require(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise SecretServiceUnavailable(
            f"{binary} is not installed (scripts/setup.sh installs it when run as root)"
        )
    return path


@contextmanager
def private_secret_service() -> Iterator[dict[str, str]]:
    """Start dbus-daemon + gnome-keyring-daemon; yield the environment that points at them."""
    dbus_daemon = _require("dbus-daemon")
    keyring_daemon = _require("gnome-keyring-daemon")
    root = Path(tempfile.mkdtemp(prefix="praxisdesk-keyring-"))
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    env = {
        "HOME": str(root),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    bus = subprocess.run(
        [dbus_daemon, "--session", "--fork", "--print-address=1", "--print-pid=1",
         f"--address=unix:path={runtime / 'bus'}"],
        capture_output=True, text=True, check=True, env={**os.environ, **env}, timeout=10,
    )
    address, pid = bus.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    pids = [int(pid)]
    try:
        daemon = subprocess.run(
            [keyring_daemon, "--unlock", "--components=secrets", "--daemonize"],
            input="test-keyring-password", capture_output=True, text=True, check=True,
            env={**os.environ, **env}, timeout=15,
        )
        for line in daemon.stdout.splitlines():
            if line.startswith("GNOME_KEYRING_CONTROL="):
                env["GNOME_KEYRING_CONTROL"] = line.split("=", 1)[1]
        _wait_until_usable(env)
        yield env
    finally:
        # gnome-keyring exits by itself when its bus goes away.
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except ProcessLookupError:
                pass
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_usable(env: dict[str, str]) -> None:
    probe = (
        "import keyring, keyring.backends.SecretService as s\n"
        "k = s.Keyring()\n"
        "k.set_password('praxisdesk-probe', 'probe', 'ok')\n"
        "assert k.get_password('praxisdesk-probe', 'probe') == 'ok'\n"
        "k.delete_password('praxisdesk-probe', 'probe')\n"
    )
    deadline = time.monotonic() + 10
    last = ""
    while time.monotonic() < deadline:
        r = subprocess.run(
            [sys.executable, "-c", probe], env={**os.environ, **env},
            capture_output=True, text=True, timeout=15,
        )
        if r.returncode == 0:
            return
        lines = r.stderr.strip().splitlines()
        last = lines[-1] if lines else f"exit {r.returncode}"
        time.sleep(0.2)
    raise SecretServiceUnavailable(f"gnome-keyring did not become usable: {last}")
