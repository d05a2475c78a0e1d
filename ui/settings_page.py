"""Settings: UI language, the signed-in account with log-out, security, and the team."""

from __future__ import annotations

from ui.directory_model import DirectoryModel
from ui.forms.settings_section import FormsSection
from ui.practice_devices_section import PracticeDevicesSection
from ui.qt import (
    QAbstractItemView,
    QComboBox,
    QEvent,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.record_export_section import RecordExportSection
from ui.security_section import SecuritySection
from ui.templates_section import TemplatesSection

# Language names are shown in their own language, as everywhere else.
LANGUAGE_CHOICES = (("de", "Deutsch"), ("en", "English"))


class SettingsPage(QWidget):
    languageRequested = Signal(str)
    logoutRequested = Signal()

    def __init__(self, model: DirectoryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")

        self.language_box = QGroupBox()
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for code, name in LANGUAGE_CHOICES:
            self.language_combo.addItem(name, code)
        self.language_hint = QLabel()
        self.language_hint.setObjectName("secondaryText")
        self.language_label = QLabel()
        language_form = QFormLayout(self.language_box)
        language_form.addRow(self.language_label, self.language_combo)
        language_form.addRow(self.language_hint)
        self.language_combo.currentIndexChanged.connect(self._language_chosen)

        self.account_box = QGroupBox()
        self.server_caption = QLabel()
        self.server_value = QLabel()
        self.server_value.setObjectName("serverValue")
        self.server_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.user_caption = QLabel()
        self.user_value = QLabel()
        self.user_value.setObjectName("userValue")
        self.user_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.logout_button = QPushButton()
        self.logout_button.setObjectName("logoutButton")
        self.logout_button.clicked.connect(self.logoutRequested)
        account_form = QFormLayout(self.account_box)
        account_form.addRow(self.server_caption, self.server_value)
        account_form.addRow(self.user_caption, self.user_value)
        logout_row = QHBoxLayout()
        logout_row.addWidget(self.logout_button)
        logout_row.addStretch(1)
        account_form.addRow(logout_row)

        # Needs the core to do anything; the application wires it with security.attach().
        self.security = SecuritySection()
        # Likewise wired with templates.attach(); editable for admins only.
        self.templates = TemplatesSection()
        # Wired with forms.attach(); everyone previews, admins edit (issue 8).
        self.forms = FormsSection()
        # Wired with record_export.attach(): where "Export in die Patientenakte" writes.
        self.record_export = RecordExportSection()
        # Wired with devices.attach(); shown to admins only.
        self.devices = PracticeDevicesSection()

        self.team_box = QGroupBox()
        self.team_table = QTableView()
        self.team_table.setObjectName("teamTable")
        self.team_table.setModel(model)
        self.team_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.team_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.team_table.verticalHeader().hide()
        self.team_table.setShowGrid(False)
        self.team_table.setAlternatingRowColors(True)
        header = self.team_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.team_table.verticalHeader().setDefaultSectionSize(32)
        self.team_table.setMinimumHeight(140)
        self.team_hint = QLabel()
        self.team_hint.setObjectName("secondaryText")
        self.team_hint.setWordWrap(True)
        team_layout = QVBoxLayout(self.team_box)
        team_layout.addWidget(self.team_hint)
        team_layout.addWidget(self.team_table)

        # Scrolls rather than squeezing the tables when the window is small.
        content = QWidget()
        content.setObjectName("settingsContent")
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)
        layout.addWidget(self.title_label)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.language_box, 1)
        top.addWidget(self.account_box, 2)
        layout.addLayout(top)
        layout.addWidget(self.security)
        layout.addWidget(self.devices)
        layout.addWidget(self.templates)
        layout.addWidget(self.forms)
        layout.addWidget(self.record_export)
        layout.addWidget(self.team_box, 1)
        self.retranslate()

    def set_language(self, code: str) -> None:
        index = self.language_combo.findData(code)
        if index >= 0 and index != self.language_combo.currentIndex():
            self.language_combo.blockSignals(True)
            self.language_combo.setCurrentIndex(index)
            self.language_combo.blockSignals(False)

    def set_account(self, server: str, user: str) -> None:
        self.server_value.setText(server or "–")
        self.user_value.setText(user or "–")

    def _language_chosen(self, index: int) -> None:
        self.languageRequested.emit(str(self.language_combo.itemData(index)))

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Settings"))
        self.language_box.setTitle(self.tr("Language"))
        self.language_label.setText(self.tr("Display language"))
        self.language_hint.setText(self.tr("Applies immediately."))
        self.account_box.setTitle(self.tr("Account"))
        self.server_caption.setText(self.tr("Server"))
        self.user_caption.setText(self.tr("Signed in as"))
        self.logout_button.setText(self.tr("Log out"))
        self.team_box.setTitle(self.tr("Practice team"))
        self.team_hint.setText(self.tr("Everyone with access to this practice, as last "
                                       "synchronised from the server."))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
