"""The inbox in the main window with a realistic morning's data, rendered to an image.

Written to docs/screenshots/inbox.png only with PRAXISDESK_WRITE_SCREENSHOTS=1::

    PRAXISDESK_WRITE_SCREENSHOTS=1 QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x900x24" \
        .venv/bin/python -m pytest tests/ui/inbox/test_screenshot.py
"""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.inbox.types import SyncProgress
from tests.ui.inbox.conftest import InboxHarness
from tests.ui.inbox.fake_core import demo_practice
from tests.ui.test_translations import english_leftovers
from ui.directory_model import DirectoryModel
from ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[3]


def test_inbox_screenshot(harness: InboxHarness, qtbot: QtBot, tmp_path: Path) -> None:
    target = (REPO / "docs" / "screenshots" if os.environ.get("PRAXISDESK_WRITE_SCREENSHOTS")
              == "1" else tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    core = harness.core
    demo_practice(core)
    model = DirectoryModel(core.directory)
    window = MainWindow(model)
    qtbot.addWidget(window)
    page = window.inbox_page
    page.attach(core, harness.runner)  # type: ignore[arg-type]
    window.resize(1280, 880)
    window.show()
    qtbot.waitExposed(window)
    page.activate()
    page.set_sync_progress(SyncProgress(1234, 5000, False))
    assert page.open_conversation("conv-bauer")
    view = page.conversation
    assert view.select_item("m-bauer-2")
    view.composer.edit.setPlainText("Liebe Frau Bauer, vielen Dank für den Befund.")
    qtbot.waitUntil(lambda: view.thread_view.verticalScrollBar().value()
                    == view.thread_view.verticalScrollBar().maximum(), timeout=2000)
    qtbot.wait(50)
    assert english_leftovers(window) == []
    path = target / "inbox.png"
    assert window.grab().save(str(path))
    assert path.stat().st_size > 20_000
