"""Run Python's garbage collector on the GUI thread only.

Qt objects must be destroyed in the thread that owns them. The cyclic collector runs in
whichever thread happens to allocate when a threshold is crossed, including executor threads
(keyring look-ups, ``asyncio.to_thread``); if it frees a widget caught in a reference cycle
there, Qt warns "Timers cannot be stopped from another thread" or crashes. So automatic
collection is switched off and a timer on the GUI thread collects instead (as qutebrowser does).
"""

from __future__ import annotations

import gc

from ui.qt import QObject, QTimer

YOUNG_INTERVAL_MS = 1000
FULL_EVERY = 60  # young collections between full ones


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(YOUNG_INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._count = 0
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect(self) -> None:
        self._count += 1
        if self._count % FULL_EVERY == 0:
            gc.collect()
        else:
            gc.collect(0)
