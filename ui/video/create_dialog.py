""""Videotermin anlegen…": patient and time; the server mails the link and posts the
invitation into the patient's conversation. Opened with ``open()`` (no nested loop)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ui.qt import (
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)


def _next_quarter_hour(now: datetime) -> datetime:
    base = now.replace(second=0, microsecond=0) + timedelta(minutes=15)
    return base - timedelta(minutes=base.minute % 15)


class CreateAppointmentDialog(QDialog):
    def __init__(self, patients: list[tuple[str, str, str | None]],
                 preset_patient: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createVideoAppointmentDialog")
        self.setWindowTitle(self.tr("New video appointment"))
        self.patient_combo = QComboBox()
        self.patient_combo.setObjectName("videoPatientCombo")
        for pid, name, dob in patients:
            label = name if not dob else f"{name} ({_german_date(dob)})"
            self.patient_combo.addItem(label, pid)
        if preset_patient is not None:
            index = self.patient_combo.findData(preset_patient)
            if index >= 0:
                self.patient_combo.setCurrentIndex(index)
                # From a conversation the patient is given; choosing another would mislead.
                self.patient_combo.setEnabled(False)
        self.when_edit = QDateTimeEdit()
        self.when_edit.setObjectName("videoWhenEdit")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("dd.MM.yyyy HH:mm")
        start = _next_quarter_hour(datetime.now().astimezone())
        self.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp())))
        self.when_edit.setMinimumDateTime(QDateTime.currentDateTime().addSecs(-3600))
        self.when_edit.setMaximumDateTime(QDateTime.currentDateTime().addDays(31))
        self.hint = QLabel(self.tr(
            "The patient receives the link by e-mail (if known) and in the conversation, "
            "together with a code for joining at the practice's video page. The link opens "
            "30 minutes before the appointment."))
        self.hint.setWordWrap(True)
        self.hint.setObjectName("secondaryText")
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Create and send invitation"))
        ok.setEnabled(self.patient_combo.count() > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Patient:"), self.patient_combo)
        form.addRow(self.tr("Date and time:"), self.when_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(460, 220)

    def patient_id(self) -> str | None:
        data = self.patient_combo.currentData()
        return str(data) if data else None

    def scheduled_at(self) -> datetime:
        return datetime.fromtimestamp(self.when_edit.dateTime().toSecsSinceEpoch()).astimezone()

    def set_when(self, when: datetime) -> None:
        self.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))


def _german_date(iso: str) -> str:
    parts = iso.split("-")
    return f"{parts[2]}.{parts[1]}.{parts[0]}" if len(parts) == 3 else iso
