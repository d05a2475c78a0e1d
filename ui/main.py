"""Entry point of the GUI: ``run(args)`` is called by ``python -m app``."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import cast

import qasync

from app.core import ClientCore
from app.events import EventBus
from app.settings import Profile, resolve_profile_dir
from ui.app_controller import AppController
from ui.core_port import CoreLike
from ui.error_reporter import ErrorReporter
from ui.gc_guard import GuiThreadGarbageCollector
from ui.i18n import install_language, normalize_language
from ui.qt import QApplication, QTimer
from ui.resources import style_sheet

# Fallback start time when /proc is not there (macOS, Windows): the moment ui.main is imported.
_IMPORT_TIME = time.perf_counter()
PROBE_ENV = "PRAXISDESK_STARTUP_PROBE"


def seconds_since_process_start() -> float:
    """Time since the OS started this process (Linux: /proc), else since ui.main was imported.

    /proc/self/stat field 22 is the start time in clock ticks after boot and /proc/uptime the
    seconds since boot, so interpreter start and imports are counted too (10 ms resolution).
    """
    try:
        stat = Path("/proc/self/stat").read_text()
        # The command name (field 2) may contain spaces; fields after it are split safely.
        fields = stat[stat.rindex(")") + 2:].split()
        start_ticks = int(fields[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORT_TIME


async def startup_probe(controller: AppController) -> None:
    """Report readiness once the first window is up and the loop has gone idle, then quit."""
    await asyncio.sleep(0)
    idle: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    # A zero timer fires only after Qt has processed the pending (paint, show) events.
    def mark_idle() -> None:
        if not idle.done():
            idle.set_result(None)

    QTimer.singleShot(0, mark_idle)
    await idle
    print(f"PRAXISDESK_READY {seconds_since_process_start():.3f}", flush=True)
    controller.request_quit(0)


def _build_core(args: argparse.Namespace) -> tuple[ClientCore, EventBus, Path]:
    profile = Profile(resolve_profile_dir(getattr(args, "profile", None)))
    events = EventBus()
    return ClientCore(profile, events), events, Path(profile.root)


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Praxisdesk")
    app.setOrganizationName("Praxisdesk")
    app.setStyleSheet(style_sheet())

    core, events, profile_root = _build_core(args)
    settings = core.settings
    language = install_language(normalize_language(getattr(args, "lang", None)
                                                   or settings.language))
    reporter = ErrorReporter()
    reporter.install()
    collector = GuiThreadGarbageCollector()
    collector.start()
    try:
        # ClientCore provides the inbox interface (InboxActions) once the client-core
        # inbox work is merged; the cast keeps this module type-checked meanwhile.
        controller = AppController(
            cast(CoreLike, core), events, reporter,
            state_file=profile_root / "window-state.ini",
            server_override=getattr(args, "server", None), language=language)
        probe = startup_probe if os.environ.get(PROBE_ENV) == "1" else None
        main = controller.run(startup_probe=probe)
        if sys.version_info >= (3, 12):
            return asyncio.run(main, loop_factory=qasync.QEventLoop)
        return int(qasync.run(main))
    finally:
        collector.stop()
        reporter.uninstall()
