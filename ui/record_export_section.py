"""The "Export in die Patientenakte" group of the Settings page: which folder the PDF and
GDT files of an export go to (usually one the PVS imports from)."""

from __future__ import annotations

from ui.core_port import SettingsHolder
from ui.qt import (
    QEvent,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)


class RecordExportSection(QGroupBox):
    """Works once ``attach()`` gave it the core (whose settings it edits)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordExportSection")
        self._core: SettingsHolder | None = None
        self.folder_dialog: QFileDialog | None = None

        self.hint = QLabel()
        self.hint.setObjectName("secondaryText")
        self.hint.setWordWrap(True)
        self.folder_caption = QLabel()
        self.folder_value = QLabel()
        self.folder_value.setObjectName("recordFolderValue")
        self.folder_value.setWordWrap(True)
        self.folder_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("chooseRecordFolderButton")
        self.choose_button.clicked.connect(self.choose_folder)

        row = QHBoxLayout()
        row.addWidget(self.folder_caption)
        row.addWidget(self.folder_value, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        self.retranslate()

    def attach(self, core: SettingsHolder) -> None:
        self._core = core
        self._show_folder()

    @property
    def folder(self) -> str | None:
        if self._core is None:
            return None
        folder = self._core.settings.record_export_dir
        return str(folder) if folder else None

    def choose_folder(self) -> QFileDialog | None:
        """A folder dialog opened with ``open()`` (no nested event loop)."""
        if self._core is None:
            return None
        dialog = QFileDialog(self, self.tr("Folder for the patient record"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if self.folder:
            dialog.setDirectory(self.folder)
        dialog.fileSelected.connect(self.set_folder)
        dialog.finished.connect(lambda _result: self._dialog_done(dialog))
        self.folder_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_done(self, dialog: QFileDialog) -> None:
        dialog.deleteLater()
        if self.folder_dialog is dialog:
            self.folder_dialog = None

    def set_folder(self, path: str) -> None:
        if self._core is None or not path:
            return
        self._core.settings.record_export_dir = path
        self._core.settings.save()
        self._show_folder()

    def _show_folder(self) -> None:
        self.folder_value.setText(self.folder or self.tr("No folder chosen yet"))

    def retranslate(self) -> None:
        self.setTitle(self.tr("Export to the patient record"))
        self.hint.setText(self.tr(
            "“Export to the patient record” in a conversation saves it as a PDF and a GDT file "
            "for your practice management system in this folder. Document what matters before "
            "the conversation is deleted (after 105 days at the latest)."))
        self.folder_caption.setText(self.tr("Folder:"))
        self.choose_button.setText(self.tr("Choose folder…"))
        self._show_folder()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
