"""Remote video for the UI: only the newest frame is kept, older ones are counted as dropped.

The UI may render slower than frames arrive (a busy GUI thread, a minimised window). A queue
would then grow without bound and the picture would lag further and further behind; here a slow
consumer simply sees fewer frames, always the most recent one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from av import VideoFrame


class LatestFrameSink:
    """Thread-safe one-slot mailbox. ``put`` never blocks and never grows memory."""

    def __init__(self, on_frame: Callable[[], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._frame: VideoFrame | None = None
        self.received = 0
        self.dropped = 0
        self.taken = 0
        # Called after each put (on the producer's thread): the UI schedules a repaint.
        self.on_frame = on_frame

    def put(self, frame: VideoFrame) -> None:
        with self._lock:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self.received += 1
        if self.on_frame is not None:
            self.on_frame()

    def take(self) -> VideoFrame | None:
        """The newest frame not yet taken, or None; the slot is emptied."""
        with self._lock:
            frame, self._frame = self._frame, None
            if frame is not None:
                self.taken += 1
            return frame

    @property
    def pending(self) -> int:
        """Frames waiting for the consumer: 0 or 1, by construction."""
        with self._lock:
            return 0 if self._frame is None else 1

    def clear(self) -> None:
        with self._lock:
            self._frame = None
