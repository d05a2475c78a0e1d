"""Unexpected errors become a visible, non-blocking message; quitting waits for clean-up."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import QtLoop
from ui.error_reporter import ErrorReporter
from ui.tasks import TaskRunner


@pytest.fixture
def reporter() -> ErrorReporter:
    rep = ErrorReporter()
    rep.install()
    yield rep
    rep.uninstall()
    for box in rep.open_boxes():
        box.close()


def test_excepthook_shows_message_instead_of_crashing(
        qtbot: QtBot, reporter: ErrorReporter, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Erika Mustermann 1970-01-01"
    try:
        raise ValueError(secret)
    except ValueError:
        with qtbot.waitSignal(reporter.errorShown, timeout=2000) as blocker:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert blocker.args == ["ValueError"]
    boxes = reporter.open_boxes()
    assert len(boxes) == 1
    assert boxes[0].isVisible()
    assert not boxes[0].isModal()
    assert "ValueError" in boxes[0].informativeText()
    # The traceback is logged, the exception's text (possibly patient data) is not.
    assert "ValueError" in caplog.text
    assert "test_excepthook_shows_message" in caplog.text
    assert secret not in caplog.text


def test_failing_task_is_reported_through_the_excepthook_path(
        qt_loop: QtLoop, reporter: ErrorReporter) -> None:
    runner = TaskRunner(reporter)

    async def broken() -> None:
        await asyncio.sleep(0)
        raise KeyError("patient-42")

    async def scenario() -> None:
        task = runner.start(broken())
        await asyncio.wait([task])
        await asyncio.sleep(0)

    qt_loop.run(scenario())
    assert reporter.reported == [KeyError]
    assert len(reporter.open_boxes()) == 1
    assert runner.running == 0


def test_task_error_handled_by_caller_is_not_reported(
        qt_loop: QtLoop, reporter: ErrorReporter) -> None:
    runner = TaskRunner(reporter)
    handled: list[BaseException] = []

    async def broken() -> None:
        raise ConnectionError

    async def scenario() -> None:
        task = runner.start(broken(), on_error=lambda exc: handled.append(exc) is None)
        await asyncio.wait([task])
        await asyncio.sleep(0)

    qt_loop.run(scenario())
    assert [type(e) for e in handled] == [ConnectionError]
    assert reporter.reported == []


def test_shutdown_cancels_and_awaits_running_tasks(
        qt_loop: QtLoop, reporter: ErrorReporter, caplog: pytest.LogCaptureFixture) -> None:
    runner = TaskRunner(reporter)
    cleaned_up: list[str] = []

    async def long_running(name: str) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            # Clean-up that itself takes loop time, like closing a connection.
            await asyncio.sleep(0.05)
            cleaned_up.append(name)
            raise

    async def scenario() -> None:
        runner.start(long_running("sync"))
        runner.start(long_running("upload"))
        await asyncio.sleep(0.01)
        assert runner.running == 2
        await runner.shutdown()

    with caplog.at_level(logging.WARNING):
        qt_loop.run(scenario(), timeout=5)
    assert sorted(cleaned_up) == ["sync", "upload"]
    assert runner.running == 0
    assert reporter.reported == []
    with pytest.raises(RuntimeError):
        runner.start(long_running("late"))
