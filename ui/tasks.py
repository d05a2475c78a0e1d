"""The one helper widgets use to run async work: start, keep a reference, report, cancel.

Widgets never create tasks themselves. Each task is kept here (asyncio only holds weak
references), a failure goes to the error reporter unless the caller handles it, and on quit
``shutdown()`` cancels everything and waits until the cancellations have run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from ui.error_reporter import ErrorReporter

log = logging.getLogger(__name__)

T = TypeVar("T")


class TaskRunner:
    def __init__(self, reporter: ErrorReporter) -> None:
        self._reporter = reporter
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False

    @property
    def running(self) -> int:
        return len(self._tasks)

    def start(
        self,
        coro: Coroutine[Any, Any, T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], bool] | None = None,
        name: str | None = None,
    ) -> asyncio.Task[T]:
        """Run ``coro`` on the GUI loop; callbacks run on the GUI thread.

        ``on_error`` returns True when it handled the error; otherwise it is reported.
        """
        if self._closing:
            coro.close()
            raise RuntimeError("the application is shutting down")
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks.add(task)

        def done(finished: asyncio.Task[T]) -> None:
            self._tasks.discard(finished)
            if finished.cancelled():
                return
            exc = finished.exception()
            if exc is None:
                if on_success is not None:
                    self._guard(on_success, finished.result())
                return
            if on_error is not None and self._guard_bool(on_error, exc):
                return
            self._reporter.report(exc)

        task.add_done_callback(done)
        return task

    def _guard(self, callback: Callable[[T], None], value: T) -> None:
        try:
            callback(value)
        except Exception as exc:  # a broken callback must not vanish silently
            self._reporter.report(exc)

    def _guard_bool(self, callback: Callable[[BaseException], bool], exc: BaseException) -> bool:
        try:
            return bool(callback(exc))
        except Exception as callback_exc:
            self._reporter.report(callback_exc)
            return True

    async def shutdown(self, grace: float = 10.0) -> None:
        """Cancel all running tasks and wait for them to finish their clean-up."""
        self._closing = True
        tasks = [t for t in self._tasks if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            if pending:
                log.warning("%d tasks did not finish within %.0f s of cancellation",
                            len(pending), grace)
        self._tasks.clear()
