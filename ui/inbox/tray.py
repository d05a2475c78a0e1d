"""The tray icon: unread count in the tooltip, and a bare "New request" notification.

Notifications say nothing about the patient: they appear on screens others can see.
Where the platform has no system tray, there is simply no icon.
"""

from __future__ import annotations

from ui.inbox.texts import new_inquiry_notification
from ui.qt import (
    QApplication,
    QColor,
    QIcon,
    QObject,
    QPainter,
    QPixmap,
    QRectF,
    QSystemTrayIcon,
    Qt,
    Signal,
)


def _app_icon() -> QIcon:
    app = QApplication.instance()
    icon = app.windowIcon() if isinstance(app, QApplication) else QIcon()
    if not icon.isNull():
        return icon
    # No icon file ships yet: a plain blue tile is recognisable in the tray.
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#2f6fbf"))
    painter.drawRoundedRect(QRectF(2, 2, 28, 28), 7, 7)
    painter.setPen(QColor("#ffffff"))
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(18)
    painter.setFont(font)
    painter.drawText(QRectF(2, 2, 28, 28), Qt.AlignmentFlag.AlignCenter, "P")
    painter.end()
    return QIcon(pixmap)


class InboxTray(QObject):
    activated = Signal()
    notified = Signal(str, str)  # title, text: what the notification showed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unread = 0
        self.icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon = QSystemTrayIcon(_app_icon(), self)
            self.icon.activated.connect(lambda _reason: self.activated.emit())
            self.icon.show()
        self._update_tooltip()

    @property
    def available(self) -> bool:
        return self.icon is not None

    def set_unread(self, count: int) -> None:
        self._unread = max(0, count)
        self._update_tooltip()

    def tooltip(self) -> str:
        if self._unread:
            return self.tr("Praxisdesk – %n unread conversation(s)", "", self._unread)
        return self.tr("Praxisdesk – no unread messages")

    def _update_tooltip(self) -> None:
        if self.icon is not None:
            self.icon.setToolTip(self.tooltip())

    def notify_new_inquiry(self) -> None:
        title = self.tr("Praxisdesk")
        text = new_inquiry_notification()
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
        self.notified.emit(title, text)

    def notify_urgent_call(self, title: str, text: str) -> None:
        """The urgent-call notification (texts from ui.calls.texts: no patient details)."""
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Critical, 15000)
        self.notified.emit(title, text)

    def notify(self, title: str, text: str) -> None:
        """Any other bare notification (e.g. the video waiting room); never a name."""
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
        self.notified.emit(title, text)

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
