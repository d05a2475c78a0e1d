"""A tiny publish/subscribe bus: the core announces, the UI (or a CLI) listens."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Callback = Callable[..., Any]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: dict[str, list[Callback]] = {}
        self._lock = threading.Lock()

    def subscribe(self, event: str, callback: Callback) -> Callable[[], None]:
        with self._lock:
            self._subscribers.setdefault(event, []).append(callback)

        def unsubscribe() -> None:
            with self._lock:
                callbacks = self._subscribers.get(event, [])
                if callback in callbacks:
                    callbacks.remove(callback)

        return unsubscribe

    def emit(self, event: str, *args: Any) -> None:
        with self._lock:
            callbacks = list(self._subscribers.get(event, ()))
        for callback in callbacks:
            try:
                callback(*args)
            except Exception:
                # One broken listener must not stop the others or the core.
                log.exception("listener for %s failed", event)
