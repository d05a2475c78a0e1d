"""The main window: navigation on the left, pages on the right, connection in the status bar."""

from __future__ import annotations

from pathlib import Path

from ui.calls.calls_page import CallsPage
from ui.calls.urgent_banner import UrgentCallBanner
from ui.connection_indicator import ConnectionIndicator
from ui.directory_model import DirectoryModel
from ui.inbox.inbox_page import InboxPage
from ui.qt import (
    QByteArray,
    QCloseEvent,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSettings,
    QSize,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.server_compat_notice import ServerCompatBanner
from ui.settings_page import SettingsPage
from ui.video.video_page import VideoPage

PAGES = ("inbox", "video", "phone", "settings")


class CacheResetNotice(QFrame):
    """A calm banner above the pages: not a modal box, since nothing is asked of the user."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cacheResetNotice")
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.dismiss_button = QPushButton()
        self.dismiss_button.setObjectName("dismissButton")
        self.dismiss_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 12, 10)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.dismiss_button)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.text_label.setText(self.tr(
            "The key of the local data cache was missing or could not be read. For your "
            "protection the local copy was deleted; it is being reloaded from the server. "
            "No data on the server was affected."))
        self.dismiss_button.setText(self.tr("OK"))


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(self, model: DirectoryModel, state_file: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._state_file = state_file

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(210)
        self.navigation.setIconSize(QSize(18, 18))
        for key in PAGES:
            item = QListWidgetItem()
            item.setData(256, key)
            self.navigation.addItem(item)

        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.inbox_page = InboxPage()
        self.video_page = VideoPage()
        self._video_waiting = 0
        self.video_page.waitingCountChanged.connect(self._set_video_waiting)
        self.phone_page = CallsPage()
        self.settings_page = SettingsPage(model)
        for page in (self.inbox_page, self.video_page, self.phone_page, self.settings_page):
            self.pages.addWidget(page)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)

        self.cache_notice = CacheResetNotice()
        self.compat_banner = ServerCompatBanner()
        self.urgent_banner = UrgentCallBanner()

        content = QWidget()
        content.setObjectName("content")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(0)
        content_layout.addWidget(self.urgent_banner)
        content_layout.addWidget(self.compat_banner)
        content_layout.addWidget(self.cache_notice)
        content_layout.addWidget(self.pages, 1)

        central = QWidget()
        central_layout = QHBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.navigation)
        central_layout.addWidget(content, 1)
        self.setCentralWidget(central)

        self.connection_indicator = ConnectionIndicator()
        self.statusBar().addPermanentWidget(self.connection_indicator)
        self.statusBar().setSizeGripEnabled(False)

        self.navigation.setCurrentRow(0)
        self.resize(1100, 720)
        self.setMinimumSize(760, 520)
        self.retranslate()
        self.restore_geometry()

    # -- pages ------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(PAGES.index(key))

    def current_page(self) -> str:
        return PAGES[self.pages.currentIndex()]

    def _set_video_waiting(self, count: int) -> None:
        # The waiting room's count in the navigation, highlighted while someone waits.
        self._video_waiting = count
        item = self.navigation.item(PAGES.index("video"))
        font = item.font()
        font.setBold(count > 0)
        item.setFont(font)
        self.retranslate()

    def show_cache_reset_notice(self) -> None:
        self.cache_notice.show()

    # -- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Praxisdesk"))
        video = (self.tr("Video (%1 waiting)").replace("%1", str(self._video_waiting))
                 if self._video_waiting else self.tr("Video"))
        labels = {"inbox": self.tr("Inbox"), "video": video, "phone": self.tr("Phone"),
                  "settings": self.tr("Settings")}
        for row, key in enumerate(PAGES):
            item = self.navigation.item(row)
            item.setText(labels[key])
        self.cache_notice.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- geometry ---------------------------------------------------------------------
    def _settings(self) -> QSettings | None:
        if self._state_file is None:
            return None
        return QSettings(str(self._state_file), QSettings.Format.IniFormat)

    def restore_geometry(self) -> None:
        settings = self._settings()
        if settings is None:
            return
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def save_geometry(self) -> None:
        settings = self._settings()
        if settings is None:
            return
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        self.closing.emit()
        super().closeEvent(event)
