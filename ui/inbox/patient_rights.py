"""Admin-only actions on the open conversation's patient: export all their data
(Art. 15/20 GDPR) and erase the patient with everything stored about them (Art. 17).

Erasure cannot be undone, so it asks for the patient's name to be typed first; the other
clients learn of it through sync tombstones.
"""

from __future__ import annotations

from datetime import date

from app.inbox.types import InboxRow, PatientRef
from ui.core_port import PatientRightsCore
from ui.inbox import texts
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from ui.tasks import TaskRunner


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


class EraseConfirmDialog(QDialog):
    """The erase button stays off until the patient's name is typed exactly."""

    def __init__(self, patient: PatientRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eraseConfirmDialog")
        self.patient = patient
        self.setWindowTitle(self.tr("Erase patient"))
        self.warning_label = QLabel(texts.fill(self.tr(
            "All data of %1 will be deleted for good: the patient record, every "
            "conversation, message, file, request and internal note, on the server and on "
            "every computer of the practice. This cannot be undone. Export the data first if "
            "it must be kept (e.g. into the patient record)."), patient.name))
        self.warning_label.setWordWrap(True)
        self.prompt_label = QLabel(texts.fill(
            self.tr("To confirm, type the patient's name (%1):"), patient.name))
        self.prompt_label.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("eraseNameField")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = QPushButton(self.tr("Erase for good"))
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setAutoDefault(False)
        self.buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._update()

    def _update(self) -> None:
        self.erase_button.setEnabled(_same_name(self.name_edit.text(), self.patient.name))

    def accept(self) -> None:
        if _same_name(self.name_edit.text(), self.patient.name):
            super().accept()


class PatientRightsControls(QWidget):
    """The "Patient data" menu in the conversation header; visible to admins only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientRightsControls")
        self._core: PatientRightsCore | None = None
        self._runner: TaskRunner | None = None
        self._row: InboxRow | None = None
        self._busy = False
        self.save_dialog: QFileDialog | None = None
        self.erase_dialog: EraseConfirmDialog | None = None
        self.result_box: QMessageBox | None = None

        self.menu = QMenu(self)
        self.export_action = self.menu.addAction("")
        self.export_action.triggered.connect(self.ask_export)
        self.erase_action = self.menu.addAction("")
        self.erase_action.triggered.connect(self.ask_erase)
        self.button = QToolButton()
        self.button.setObjectName("patientRightsButton")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        self.retranslate()
        self.setVisible(False)

    def attach(self, core: PatientRightsCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner
        self._update()

    def set_row(self, row: InboxRow | None) -> None:
        self._row = row
        self._update()

    def update_role(self, *_args: object) -> None:
        self._update()

    def _is_admin(self) -> bool:
        return self._core is not None and self._core.user.get("role") == "admin"

    def _update(self) -> None:
        # Staff never see what the server would refuse them anyway (403).
        self.setVisible(self._row is not None and self._is_admin())
        self.export_action.setEnabled(not self._busy)
        self.erase_action.setEnabled(not self._busy)

    def _patient(self) -> PatientRef | None:
        if self._core is None or self._row is None:
            return None
        return self._core.inbox.patient_of(self._row.conversation_id)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window())
        box.setObjectName("patientRightsResult")
        box.finished.connect(lambda _r: box.deleteLater())
        self.result_box = box
        box.open()

    def _failed(self, exc: BaseException) -> bool:
        self._set_busy(False)
        self._tell(QMessageBox.Icon.Warning, self.tr("Patient data"),
                   texts.fill(self.tr("That did not work: %1"),
                              getattr(exc, "detail", None) or str(exc) or type(exc).__name__))
        return True

    # -- export ------------------------------------------------------------------------
    def ask_export(self) -> None:
        patient = self._patient()
        if patient is None or self._busy:
            return
        suggested = f"Patientendaten_{date.today():%Y%m%d}.zip"
        dialog = QFileDialog(self.window(), self.tr("Save patient data"), suggested,
                             self.tr("ZIP archive (*.zip)"))
        dialog.setObjectName("patientExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("zip")

        def chosen(path: str) -> None:
            self.export_to(patient.id, path)

        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.save_dialog = dialog
        dialog.open()

    def export_to(self, patient_id: str, path: str) -> None:
        if self._core is None or self._runner is None or not path:
            return
        self._set_busy(True)
        self._runner.start(self._core.export_patient(patient_id, path),
                           on_success=self._exported, on_error=self._failed,
                           name="export-patient")

    def _exported(self, path: str) -> None:
        self._set_busy(False)
        self._tell(QMessageBox.Icon.Information, self.tr("Patient data exported"),
                   texts.fill(self.tr("All data of the patient was saved to %1. The file is "
                                      "not encrypted: keep it safe and delete it once it "
                                      "has been handed over."), path))

    # -- erasure -----------------------------------------------------------------------
    def ask_erase(self) -> None:
        patient = self._patient()
        if patient is None or self._busy:
            return
        dialog = EraseConfirmDialog(patient, self.window())

        def finished(result: int) -> None:
            dialog.deleteLater()
            if self.erase_dialog is dialog:
                self.erase_dialog = None
            if result == int(QDialog.DialogCode.Accepted):
                self.erase(patient)

        dialog.finished.connect(finished)
        self.erase_dialog = dialog
        dialog.open()

    def erase(self, patient: PatientRef) -> None:
        if self._core is None or self._runner is None:
            return
        self._set_busy(True)
        core = self._core
        self._runner.start(core.erase_patient(patient.id),
                           on_success=lambda _counts: self._erased(patient),
                           on_error=self._failed, name="erase-patient")

    def _erased(self, patient: PatientRef) -> None:
        self._set_busy(False)
        if self._core is not None:
            self._core.request_sync()  # the tombstones remove the patient here at once
        self._tell(QMessageBox.Icon.Information, self.tr("Patient erased"),
                   texts.fill(self.tr("All data of %1 was deleted."), patient.name))

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.button.setText(self.tr("Patient data"))
        self.export_action.setText(self.tr("Export all data (Art. 15/20 GDPR)…"))
        self.erase_action.setText(self.tr("Erase patient (Art. 17 GDPR)…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
