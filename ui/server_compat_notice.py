"""Telling the user that the server's release is outside what this client supports.

The core judges the server (app.server_compat) at login and on every reconnect and announces
``server_compat``; the login dialog shows the sentence after signing in, and the main window
keeps it as a banner until the server is supported again. Nothing is blocked.
"""

from __future__ import annotations

from app.server_compat import Compatibility, Verdict
from ui.qt import QCoreApplication, QEvent, QFrame, QHBoxLayout, QLabel, Qt, QWidget

translate = QCoreApplication.translate


def _fill(text: str, *values: str) -> str:
    for number, value in enumerate(values, start=1):
        text = text.replace(f"%{number}", value)
    return text


def compat_message(compat: Compatibility | None) -> str | None:
    """The sentence for an unsupported or unknown server; None when there is nothing to say."""
    if compat is None or compat.verdict is Verdict.OK:
        return None
    if compat.verdict is Verdict.SERVER_TOO_OLD:
        return _fill(translate(
            "ServerCompat",
            "The server has version %1; this Praxisdesk version (%2) needs at least %3. "
            "Please inform your IT. You can keep working, but some things may not work."),
            compat.server_version or "?", compat.client_version, compat.min_server_version)
    if compat.verdict is Verdict.SERVER_TOO_NEW:
        return _fill(translate(
            "ServerCompat",
            "The server (version %1) is newer than this Praxisdesk version (%2) supports. "
            "Please install the update, or ask your IT to do so."),
            compat.server_version or "?", compat.client_version)
    return _fill(translate(
        "ServerCompat",
        "The version of the server could not be determined. This Praxisdesk version (%1) "
        "works with server versions from %2 to below %3. If something does not work, "
        "please inform your IT."),
        compat.client_version, compat.min_server_version, compat.max_server_version_exclusive)


class ServerCompatBanner(QFrame):
    """A banner above the pages for as long as the server is not a supported release. It
    has no close button on purpose: the state lasts until the server or client is updated."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverCompatNotice")
        self.compat: Compatibility | None = None
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 12, 10)
        layout.addWidget(self.text_label, 1)
        self.hide()

    def set_compat(self, compat: Compatibility | None) -> None:
        self.compat = compat
        self.retranslate()

    def text(self) -> str:
        return self.text_label.text() if not self.isHidden() else ""

    def retranslate(self) -> None:
        message = compat_message(self.compat)
        self.text_label.setText(message or "")
        self.setVisible(message is not None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
