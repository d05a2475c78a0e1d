"""UI test fixtures: a qasync loop per test, the real server, and a real client core."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from tests.support.live_server import LiveServer, live_server, live_server_tls  # noqa: F401
from ui.app_controller import AppController
from ui.error_reporter import ErrorReporter
from ui.i18n import install_language
from ui.login_dialog import LoginDialog
from ui.resources import style_sheet

T = TypeVar("T")

# The offscreen platform plugin (no screen on this machine) warns on every top-level window
# because it cannot propagate size hints to a window manager; that is not a bug of ours.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


class _TestQEventLoop(qasync.QEventLoop):  # type: ignore[misc]
    def _after_run_forever(self) -> None:
        super()._after_run_forever()
        # qasync's run_until_complete processes Qt events once more after the loop stopped.
        # Tasks resumed there must still see their loop (httpx/anyio look it up), as they
        # would in the application, whose loop runs without interruption.
        asyncio.events._set_running_loop(self)


class QtLoop:
    """Runs coroutines on a qasync loop, so Qt events and asyncio share one thread."""

    def __init__(self, loop: qasync.QEventLoop) -> None:
        self.loop = loop

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        try:
            return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))
        finally:
            asyncio.events._set_running_loop(None)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        async def poll() -> None:
            # Polling is deliberate: the predicate reads widget state, nothing signals it.
            while not predicate():  # noqa: ASYNC110
                await asyncio.sleep(0.02)

        self.run(poll(), timeout)


@pytest.fixture(autouse=True)
def gc_on_gui_thread() -> Iterator[None]:
    """As in the application (ui.gc_guard): Qt objects in reference cycles must be freed on
    the GUI thread, not by a collection that happens to run in a server or executor thread."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[QtLoop]:
    loop = _TestQEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield QtLoop(loop)
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            QtLoop(loop).run(asyncio.gather(*pending, return_exceptions=True))
        QtLoop(loop).run(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


# -- a practice on the real server, and the real client core ------------------------------

PASSWORD = "Sprechstunde-2024!"


@dataclass
class PracticeAccounts:
    server: LiveServer
    practice_id: str
    admin_email: str
    staff_email: str
    password: str = PASSWORD

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def practice(live_server: LiveServer) -> PracticeAccounts:  # noqa: F811
    practice_id = live_server.create_practice("Praxis Dr. Weber")
    live_server.create_user(practice_id, "weber@praxis.example", "admin", PASSWORD,
                            display_name="Dr. Anna Weber")
    live_server.create_user(practice_id, "klein@praxis.example", "staff", PASSWORD,
                            display_name="Jonas Klein")
    return PracticeAccounts(live_server, practice_id, "weber@praxis.example",
                            "klein@praxis.example")


ControllerFactory = Callable[..., AppController]


@pytest.fixture
def make_controller(tmp_path: Path, qt_loop: QtLoop,
                    qapp: QApplication) -> Iterator[ControllerFactory]:
    """Builds the real application (core, bridge, windows) on a profile in tmp_path."""
    from app.core import ClientCore
    from app.events import EventBus
    from app.settings import Profile, resolve_profile_dir

    qapp.setStyleSheet(style_sheet())
    install_language("de")
    made: list[AppController] = []

    def factory(profile: str = "profile", *, server: str | None = None) -> AppController:
        root = resolve_profile_dir(str(tmp_path / profile))
        events = EventBus()
        core = ClientCore(Profile(root), events)
        controller = AppController(core, events, ErrorReporter(), state_file=root / "ui.ini",
                                   server_override=server)
        made.append(controller)
        return controller

    yield factory
    for controller in made:
        qt_loop.run(controller.shutdown())
        controller.main_window.close()
        controller.main_window.deleteLater()
    made.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    install_language("de")


def sign_in(qt_loop: QtLoop, controller: AppController, accounts: PracticeAccounts,
            email: str | None = None) -> None:
    """Goes through the login dialog as a user would and waits for the main window."""
    controller.start()
    dialog = controller.login_dialog
    assert dialog is not None
    fill_login(dialog, accounts.url, email or accounts.staff_email, accounts.password)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: controller.main_window.isVisible())


def fill_login(dialog: LoginDialog, url: str, email: str, password: str) -> None:
    dialog.server_edit.setText(url)
    dialog.email_edit.setText(email)
    dialog.password_edit.setText(password)
