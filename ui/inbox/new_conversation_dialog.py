"""Start a conversation with a patient: name, date of birth, e-mail, phone, checked on the spot."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from ui.core_port import InboxCore
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import TaskRunner

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()/\-]{5,30}$")
EARLIEST_DOB = date(1900, 1, 1)


def parse_dob(text: str) -> date | None:
    """TT.MM.JJJJ as written in Germany, or ISO YYYY-MM-DD."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text)
    except ValueError:
        return None


class NewConversationDialog(QDialog):
    conversationStarted = Signal(str)

    def __init__(self, core: InboxCore, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newConversationDialog")
        self.setModal(True)
        self._core = core
        self._runner = runner
        self._task: asyncio.Task[Any] | None = None
        self._today = date.today()

        self.heading = QLabel()
        self.heading.setObjectName("dialogHeading")
        self.hint = QLabel()
        self.hint.setObjectName("secondaryText")
        self.hint.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setMaxLength(200)
        self.dob_edit = QLineEdit()
        self.dob_edit.setObjectName("dobEdit")
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("emailEdit")
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phoneEdit")
        self.name_label, self.dob_label = QLabel(), QLabel()
        self.email_label, self.phone_label = QLabel(), QLabel()
        form = QFormLayout()
        form.setSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.dob_label, self.dob_edit)
        form.addRow(self.email_label, self.email_edit)
        form.addRow(self.phone_label, self.phone_edit)

        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox()
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.retranslate()

    # -- validation --------------------------------------------------------------------
    def validate(self) -> list[str]:
        problems = []
        name = self.name_edit.text().strip()
        if not name:
            problems.append(self.tr("Please enter the patient's name."))
        dob_text = self.dob_edit.text().strip()
        dob = parse_dob(dob_text)
        if not dob_text:
            problems.append(self.tr("Please enter the date of birth."))
        elif dob is None:
            problems.append(self.tr("Please enter the date of birth as DD.MM.YYYY."))
        elif not EARLIEST_DOB <= dob <= self._today:
            problems.append(self.tr("The date of birth cannot be in the future or before "
                                    "1900."))
        email = self.email_edit.text().strip()
        if email and not EMAIL.match(email):
            problems.append(self.tr("The e-mail address does not look right."))
        phone = self.phone_edit.text().strip()
        if phone and not PHONE.match(phone):
            problems.append(self.tr("The phone number may contain only digits, spaces and "
                                    "+ ( ) / -."))
        return problems

    def submit(self) -> None:
        if self._task is not None:
            return
        problems = self.validate()
        if problems:
            self.error_label.setText("\n".join(problems))
            self.error_label.show()
            return
        self.error_label.hide()
        dob = parse_dob(self.dob_edit.text())
        assert dob is not None
        email = self.email_edit.text().strip() or None
        phone = self.phone_edit.text().strip() or None
        self.submit_button.setEnabled(False)
        self._task = self._runner.start(
            self._core.start_conversation(self.name_edit.text().strip(), dob.isoformat(),
                                          email, phone),
            on_success=self._started, on_error=self._failed, name="start-conversation")

    def _started(self, conversation_id: str) -> None:
        self._task = None
        self.conversationStarted.emit(conversation_id)
        self.accept()

    def _failed(self, _exc: BaseException) -> bool:
        self._task = None
        self.submit_button.setEnabled(True)
        self.error_label.setText(self.tr("The conversation could not be started. Please "
                                         "check the connection and try again."))
        self.error_label.show()
        return True

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New conversation"))
        self.heading.setText(self.tr("New conversation"))
        self.hint.setText(self.tr("The patient receives a secure link by e-mail to reply "
                                  "from any browser."))
        self.name_label.setText(self.tr("Name"))
        self.dob_label.setText(self.tr("Date of birth"))
        self.dob_edit.setPlaceholderText(self.tr("DD.MM.YYYY"))
        self.email_label.setText(self.tr("E-mail"))
        self.email_edit.setPlaceholderText(self.tr("optional"))
        self.phone_label.setText(self.tr("Phone"))
        self.phone_edit.setPlaceholderText(self.tr("optional"))
        self.submit_button.setText(self.tr("Start conversation"))
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
