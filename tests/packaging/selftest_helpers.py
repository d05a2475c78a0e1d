"""What both self-test test files need: a clean environment and reading the report."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

STEPS = ["create temp dirs", "pick free loopback port", "create practice", "create user",
         "start server", "log in", "open encrypted cache", "sync",
         "Qt offscreen + translations", "video call (loopback, DTLS-SRTP)", "stop server",
         "remove temp dirs"]


def bare_environment(tmp: Path) -> dict[str, str]:
    """Like a fresh IT shell: no display, no Qt platform chosen, no keyring (no D-Bus
    session), no Praxisdesk settings, and a private TMPDIR so leftovers can be seen."""
    tmp.mkdir(parents=True, exist_ok=True)
    drop = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS",
            "GNOME_KEYRING_CONTROL", "PYTHONPATH"}
    env = {k: v for k, v in os.environ.items()
           if k not in drop and not k.startswith("PRAXISDESK_")}
    env["TMPDIR"] = str(tmp)
    return env


def report_of(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, stdout
    report: dict[str, Any] = json.loads(lines[0])
    return report


def step_names(report: dict[str, Any]) -> list[str]:
    return [step["name"] for step in report["steps"]]
