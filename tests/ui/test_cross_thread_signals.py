"""Regression: PySide6 6.12 on CPython 3.11 crashed after a few hundred cross-thread emits.

qasync delivers every executor result through a Qt signal, so if this breaks, the whole
client aborts as soon as it does background work. The test runs in a child process so that
a crash is a test failure, not a dead test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent("""
    import asyncio, sys, threading, time
    import qasync
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication
    from app.events import EventBus
    from ui.bridge import CoreBridge

    N = 10_000

    class Pinger(QObject):
        ping = Signal(int)

    async def main():
        received = []
        bridge_received = []
        pinger = Pinger()
        pinger.ping.connect(received.append)
        events = EventBus()
        bridge = CoreBridge(events)
        bridge.syncDone.connect(bridge_received.append)
        main_thread = threading.get_ident()
        threads_seen = set()
        bridge.syncDone.connect(lambda _v: threads_seen.add(threading.get_ident()))

        def worker():
            for i in range(N):
                pinger.ping.emit(i)
                events.emit("sync_done", i)

        thread = threading.Thread(target=worker)
        thread.start()
        loop = asyncio.get_running_loop()
        results = await asyncio.gather(*(loop.run_in_executor(None, pow, i, 2)
                                          for i in range(500)))
        thread.join()
        deadline = time.monotonic() + 30
        while (len(received) < N or len(bridge_received) < N) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert received == list(range(N)), len(received)
        assert bridge_received == list(range(N)), len(bridge_received)
        assert results == [i * i for i in range(500)]
        assert threads_seen == {main_thread}
        print("OK", len(received), len(bridge_received), len(results))

    app = QApplication(sys.argv[:1])
    if sys.version_info >= (3, 12):
        asyncio.run(main(), loop_factory=qasync.QEventLoop)
    else:  # asyncio.run has no loop_factory before 3.12
        qasync.run(main())
""")


def test_ten_thousand_cross_thread_signals_arrive_and_process_survives() -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": "."}
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          timeout=90, cwd=Path(__file__).resolve().parents[2], env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["OK", "10000", "10000", "500"]
