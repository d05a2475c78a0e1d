"""Screenshots of the real client on the demo practice (run by scripts/demo-screenshot.sh).

Starts the GUI exactly as ``python -m app`` does (ui.main.run) on a profile that
``python -m app login`` signed in, waits for the first sync, captures the main window from
the X server (what is really on screen), clicks the first conversation in the list and
captures again, then quits. Usage: demo_screenshot.py PROFILE SERVER_URL OUT_INBOX OUT_OPEN
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from ui import main as gui
from ui.app_controller import AppController
from ui.inbox.inbox_page import InboxPage
from ui.qt import QApplication, Qt, QWidget

TIMEOUT_S = 90.0


def capture(window: QWidget, target: Path) -> None:
    screen = window.screen() or QApplication.primaryScreen()
    shot = screen.grabWindow(window.winId())
    if shot.isNull() or not shot.save(str(target)):
        raise SystemExit(f"could not capture the window into {target}")
    print(f"saved {target} ({shot.width()}x{shot.height()})", flush=True)


async def settle(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def drive(controller: AppController, out_inbox: Path, out_open: Path) -> None:
    page = controller.main_window.inbox_page
    assert isinstance(page, InboxPage)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT_S
    # The first sync is done when rows are listed and the progress strip is gone.
    while not (page.model.total > 0 and page.sync_frame.isHidden()):
        if loop.time() > deadline:
            controller.request_quit(3)
            raise SystemExit("the demo inbox did not fill within the time limit")
        await asyncio.sleep(0.2)
    await settle(2.0)
    capture(controller.main_window, out_inbox)

    from PySide6.QtTest import QTest

    view = page.list_view
    rect = view.visualRect(page.model.index(0, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    await settle(2.0)
    capture(controller.main_window, out_open)
    controller.request_quit(0)


def main() -> int:
    profile, server, out_inbox, out_open = sys.argv[1:5]

    async def probe(controller: AppController) -> None:
        await drive(controller, Path(out_inbox), Path(out_open))

    gui.startup_probe = probe  # the GUI's own seam for a task that runs after start-up
    os.environ[gui.PROBE_ENV] = "1"
    args = argparse.Namespace(profile=profile, server=server, lang="de")
    return gui.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
