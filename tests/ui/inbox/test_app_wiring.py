"""The application wires the inbox: started core fills the page, core events reach it."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.inbox.types import SyncProgress
from tests.ui.conftest import QtLoop
from tests.ui.inbox.fake_core import FakeCore, demo_practice
from ui.app_controller import AppController
from ui.error_reporter import ErrorReporter
from ui.i18n import install_language
from ui.inbox.inbox_page import InboxPage


class SignedInCore(FakeCore):
    """The fake inbox plus just enough of the rest of the core to be started."""

    def __init__(self) -> None:
        super().__init__()
        self.settings = SimpleNamespace(server_url="https://praxis.example", language="de",
                                        email="klein@praxis.example", record_export_dir=None,
                                        save=lambda: None)
        self.user: dict[str, Any] = {"totp_enabled": False}
        self.closed = False

    def has_stored_login(self) -> bool:
        return True

    async def start(self) -> None:
        demo_practice(self)

    async def close(self) -> None:
        self.closed = True

    async def refresh_user(self) -> dict[str, Any]:
        return self.user

    async def list_sessions(self) -> list[Any]:
        return []


@pytest.fixture
def controller(qt_loop: QtLoop) -> Iterator[AppController]:
    install_language("de")
    core = SignedInCore()
    made = AppController(core, core.events, ErrorReporter())  # type: ignore[arg-type]
    yield made
    qt_loop.run(made.shutdown())
    made.main_window.close()
    made.main_window.deleteLater()


def test_started_core_fills_the_inbox_and_events_reach_it(
        controller: AppController, qt_loop: QtLoop, qtbot: QtBot) -> None:
    core = controller.core
    assert isinstance(core, SignedInCore)
    controller.start()
    page = controller.main_window.inbox_page
    assert isinstance(page, InboxPage)
    assert controller.main_window.current_page() == "inbox"
    qt_loop.wait_until(lambda: page.model.rowCount() == 8)
    assert page.model.index(0, 0).data() == "Helga Bauer"

    core.events.emit("sync_progress", SyncProgress(10, 40, False))
    qt_loop.wait_until(lambda: not page.sync_frame.isHidden())
    assert page.sync_label.text() == "10 von 40 Nachrichten synchronisiert"

    with qtbot.waitSignal(controller.tray.notified, timeout=2000) as signal:
        core.events.emit("new_inquiry", 1)
    assert signal.args[1] == "Neue Anfrage"

    core.inbox.conversations.pop("conv-bauer")
    core.events.emit("inbox_changed", ["conv-bauer"])
    qt_loop.wait_until(lambda: page.model.rowCount() == 7)
    assert controller.tray.tooltip() == "Praxisdesk – 2 ungelesene Unterhaltungen"
    assert controller.reporter.reported == []
