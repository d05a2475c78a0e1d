"""The inbox page on an in-memory core, wired through the real bridge and task runner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import QtLoop
from tests.ui.inbox.fake_core import NOW, FakeCore
from ui.bridge import CoreBridge
from ui.error_reporter import ErrorReporter
from ui.i18n import install_language
from ui.inbox.inbox_page import InboxPage
from ui.inbox.tray import InboxTray
from ui.qt import QApplication
from ui.resources import style_sheet
from ui.tasks import TaskRunner


@dataclass
class InboxHarness:
    core: FakeCore
    page: InboxPage
    runner: TaskRunner
    bridge: CoreBridge
    tray: InboxTray
    reporter: ErrorReporter
    loop: QtLoop

    def settle(self) -> None:
        """Let queued signals (the bridge) and tasks run."""
        async def turns() -> None:
            import asyncio

            for _ in range(5):
                await asyncio.sleep(0.01)

        self.loop.run(turns())


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Times in the list are relative to "now": pin it to the fake data's morning."""
    import ui.inbox.texts as texts

    real = texts.datetime

    class Frozen(real):  # type: ignore[misc, valid-type]
        @classmethod
        def now(cls, tz: object = None) -> datetime:
            return NOW.astimezone()

    monkeypatch.setattr(texts, "datetime", Frozen)


@pytest.fixture
def harness(qtbot: QtBot, qt_loop: QtLoop, qapp: QApplication,
            tmp_path: Path) -> Iterator[InboxHarness]:
    qapp.setStyleSheet(style_sheet())
    install_language("de")
    core = FakeCore()
    core.tmp_dir = tmp_path
    reporter = ErrorReporter()
    runner = TaskRunner(reporter)
    bridge = CoreBridge(core.events)
    page = InboxPage()
    qtbot.addWidget(page)
    tray = InboxTray()
    page.attach(core, runner)  # type: ignore[arg-type]
    bridge.inboxChanged.connect(page.on_inbox_changed)
    bridge.syncProgress.connect(page.set_sync_progress)
    bridge.outboxChanged.connect(page.on_outbox_changed)
    bridge.newInquiry.connect(lambda _n: tray.notify_new_inquiry())
    page.unreadChanged.connect(tray.set_unread)
    page.resize(1200, 760)
    harness = InboxHarness(core, page, runner, bridge, tray, reporter, qt_loop)
    yield harness
    qt_loop.run(runner.shutdown())
    bridge.detach()
    tray.hide()
    assert reporter.reported == []
