"""The one place that installs ``sys.excepthook`` and turns crashes into a visible message.

The log gets the exception type and the stack (file, line, function) but never the
exception's text: messages from the core may quote patient data or server answers.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from ui.qt import QCoreApplication, QMessageBox, QObject, Qt, QWidget, Signal

log = logging.getLogger(__name__)


def _stack_without_message(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    frames = "".join(traceback.format_tb(tb))
    return f"{frames}{exc_type.__module__}.{exc_type.__qualname__}"


class ErrorReporter(QObject):
    """Receives every unexpected error and shows it without blocking the event loop."""

    errorShown = Signal(str)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__()
        self._parent_widget = parent_widget
        self._previous_hook = sys.excepthook
        self._boxes: list[QMessageBox] = []
        self.reported: list[type[BaseException]] = []

    def set_parent_widget(self, widget: QWidget | None) -> None:
        self._parent_widget = widget

    def install(self) -> None:
        sys.excepthook = self.excepthook

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook

    def excepthook(self, exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            app = QCoreApplication.instance()
            if app is not None:
                app.quit()
            return
        self.report(exc if exc is not None else exc_type())

    def report(self, exc: BaseException) -> None:
        exc_type = type(exc)
        log.error("unexpected error:\n%s", _stack_without_message(exc_type, exc.__traceback__))
        self.reported.append(exc_type)
        self._show(exc_type.__name__)

    def _show(self, type_name: str) -> None:
        if QCoreApplication.instance() is None:
            return
        box = QMessageBox(self._parent_widget)
        box.setObjectName("unexpectedErrorBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("ErrorReporter", "Unexpected error"))
        box.setText(QCoreApplication.translate(
            "ErrorReporter",
            "Something went wrong. Your data is safe; you can keep working. "
            "If this happens again, please tell your IT support."))
        box.setInformativeText(
            QCoreApplication.translate("ErrorReporter", "Error type: %1").replace("%1",
                                                                                  type_name))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._boxes.append(box)
        box.finished.connect(lambda _result: self._forget(box))
        # show(), not exec(): a nested event loop would stall the asyncio loop.
        box.show()
        self.errorShown.emit(type_name)

    def _forget(self, box: QMessageBox) -> None:
        if box in self._boxes:
            self._boxes.remove(box)

    def open_boxes(self) -> list[QMessageBox]:
        return list(self._boxes)
