"""The video tab: today's appointments, the waiting room, and the way into a call.

The list comes from the server (``VideoService``) and is fetched again whenever a
``video_appointment``/``video_call`` change arrives through sync or live events, after each
sync, and once a minute while the tab exists (so "waiting since" stays honest offline too).
Only physicians are offered "Admit and start"; staff create, cancel and resend.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from app.api.errors import ApiError, Conflict, Forbidden, NotFound, ValidationFailed
from app.video.appointments import (
    STATUS_CANCELLED,
    STATUS_ENDED,
    STATUS_SCHEDULED,
    STATUS_WAITING,
    VIDEO_KINDS,
    VideoAppointment,
    VideoCallInfo,
    VideoService,
)
from ui.qt import (
    QAbstractItemView,
    QEvent,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import TaskRunner
from ui.video.appointments_model import VideoAppointmentsModel
from ui.video.call_window import CallWindow
from ui.video.create_dialog import CreateAppointmentDialog
from ui.video.history_model import VideoHistoryModel

if TYPE_CHECKING:
    from app.video.engine import CallOptions

log = logging.getLogger(__name__)

PRACTICE_ZONE = ZoneInfo("Europe/Berlin")  # the server's day list uses the practice's day


def practice_today() -> date:
    return datetime.now(PRACTICE_ZONE).date()


class VideoPage(QWidget):
    # Number of patients in the waiting room (the navigation shows it).
    waitingCountChanged = Signal(int)
    # A patient has just entered the waiting room (appointment id); nothing about the
    # patient goes into the desktop notification, the name is shown in the app.
    patientArrived = Signal(str)
    # The list was reloaded (tests and the screenshot script wait for it).
    reloaded = Signal()
    callWindowOpened = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoPage")
        self._service: VideoService | None = None
        self._runner: TaskRunner | None = None
        self._reloading = False
        self._reload_again = False
        self._known_waiting: set[str] = set()
        self._history_patient: str | None = None
        self._day: Callable[[], date] = practice_today
        self.call_window: CallWindow | None = None
        # Engine options for calls (None: defaults with the real devices); tests set loopback.
        self.call_options: CallOptions | None = None
        self.dialog: CreateAppointmentDialog | None = None

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.banner = QLabel()
        self.banner.setObjectName("waitingBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#waitingBanner { background: #fff1c9; border: 1px solid #e0b84a;"
            " border-radius: 6px; padding: 8px 12px; font-weight: 600; color: #5a4300; }")
        self.banner.hide()

        self.model = VideoAppointmentsModel()
        self.table = QTableView()
        self.table.setObjectName("videoAppointments")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection())
        self.table.doubleClicked.connect(lambda _index: self.start_call())
        self.empty_label = QLabel()
        self.empty_label.setObjectName("secondaryText")

        self.create_button = QPushButton()
        self.create_button.setObjectName("videoCreateButton")
        self.create_button.clicked.connect(lambda: self.create_appointment())
        self.admit_button = QPushButton()
        self.admit_button.setObjectName("videoAdmitButton")
        self.admit_button.setProperty("primary", True)
        self.admit_button.clicked.connect(self.start_call)
        self.admit_button.hide()  # physicians only (update_role)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("videoCancelButton")
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.resend_button = QPushButton()
        self.resend_button.setObjectName("videoResendButton")
        self.resend_button.clicked.connect(self.resend)
        self.status_label = QLabel()
        self.status_label.setObjectName("secondaryText")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        buttons.addWidget(self.resend_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.admit_button)

        self.history_title = QLabel()
        self.history_title.setObjectName("sectionTitle")
        self.history_model = VideoHistoryModel()
        self.history_table = QTableView()
        self.history_table.setObjectName("videoHistory")
        self.history_table.setModel(self.history_model)
        self.history_table.verticalHeader().hide()
        self.history_table.setShowGrid(False)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.history_empty = QLabel()
        self.history_empty.setObjectName("secondaryText")
        history = QFrame()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 8, 0, 0)
        history_layout.addWidget(self.history_title)
        history_layout.addWidget(self.history_table, 1)
        history_layout.addWidget(self.history_empty)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.empty_label)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.status_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title_label)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.reload)
        self.retranslate()
        self._selection()

    # -- wiring -------------------------------------------------------------------------
    def attach(self, service: VideoService, runner: TaskRunner) -> None:
        self._service = service
        self._runner = runner

    def set_day_source(self, day: Callable[[], date]) -> None:
        self._day = day

    def activate(self) -> None:
        self.update_role()
        self._timer.start()
        self.reload()

    def deactivate(self) -> None:
        self._timer.stop()
        self._known_waiting.clear()
        self.model.set_appointments([], {})
        self.history_model.set_calls([])
        self._update_waiting()
        if self.call_window is not None:
            self.call_window.close()
        if self.dialog is not None:
            self.dialog.close()

    async def end_call(self) -> None:
        """On quit or logout: a running call is hung up properly (quality summary, hangup,
        engine closed) before the task runner cancels what is left."""
        window = self.call_window
        if window is not None:
            await window.end()

    @property
    def is_physician(self) -> bool:
        return self._service is not None and self._service.is_physician

    def update_role(self, _payload: object = None) -> None:
        # Staff are not offered admit/start at all (the server refuses it anyway).
        self.admit_button.setVisible(self.is_physician)
        self._selection()

    def on_remote_changes(self, kinds: object) -> None:
        if isinstance(kinds, list | tuple | set) and VIDEO_KINDS.intersection(kinds):
            self.reload()

    # -- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        if self._service is None or self._runner is None:
            return
        if self._reloading:
            self._reload_again = True  # coalesce bursts of events into one more fetch
            return
        self._reloading = True
        self._runner.start(self._load(), on_error=self._load_failed, name="video-reload")

    async def _load(self) -> None:
        assert self._service is not None
        try:
            rows = await self._service.list_day(self._day())
            names = await self._service.patient_names(sorted({r.patient_id for r in rows}))
            self._apply(rows, names)
        finally:
            self._reloading = False
        if self._reload_again:
            self._reload_again = False
            self.reload()

    def _load_failed(self, exc: BaseException) -> bool:
        if isinstance(exc, ApiError):
            log.info("video list not loaded (%s)", type(exc).__name__)
            self.status_label.setText(self.tr("The video appointments could not be loaded."))
            return True
        return False

    def _apply(self, rows: list[VideoAppointment], names: dict[str, str]) -> None:
        selected = self.selected()
        self.model.set_appointments(rows, names)
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row >= 0:
                self.table.selectRow(row)
        waiting = {r.id for r in rows if r.waiting}
        arrived = waiting - self._known_waiting
        self._known_waiting = waiting
        self._update_waiting()
        for appointment_id in sorted(arrived):
            row = self.model.row_of(appointment_id)
            if row >= 0 and self.table.currentIndex().row() < 0:
                self.table.selectRow(row)
            self.patientArrived.emit(appointment_id)
        self._selection()
        self.empty_label.setVisible(not rows)
        self.reloaded.emit()

    def _update_waiting(self) -> None:
        waiting = [r for r in self.model.appointments() if r.waiting]
        if waiting:
            names = ", ".join(self.model.patient_name(r) for r in waiting)
            self.banner.setText(self.tr("Patient waiting in the waiting room: %1").replace(
                "%1", names) if len(waiting) == 1 else self.tr(
                "%1 patients waiting in the waiting room: %2").replace(
                "%1", str(len(waiting))).replace("%2", names))
            self.banner.show()
        else:
            self.banner.hide()
        self.waitingCountChanged.emit(len(waiting))

    def waiting_count(self) -> int:
        return self.model.waiting_count()

    # -- selection and actions ----------------------------------------------------------
    def selected(self) -> VideoAppointment | None:
        return self.model.appointment(self.table.currentIndex().row())

    def select(self, appointment_id: str) -> bool:
        row = self.model.row_of(appointment_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selection(self) -> None:
        item = self.selected()
        open_ = item is not None and item.status not in (STATUS_CANCELLED, STATUS_ENDED)
        self.admit_button.setEnabled(bool(item is not None and item.status == STATUS_WAITING
                                          and self.call_window is None))
        self.cancel_button.setEnabled(open_)
        self.resend_button.setEnabled(bool(item is not None and item.status in (
            STATUS_SCHEDULED, STATUS_WAITING)))
        patient = item.patient_id if item is not None else None
        if patient != self._history_patient:
            self._history_patient = patient
            self.load_history()

    def _history_texts(self) -> None:
        item = self.selected()
        self.history_title.setText(self.tr("Earlier video calls: %1").replace(
            "%1", self.model.patient_name(item)) if item else self.tr("Earlier video calls"))
        if self._history_patient is None:
            self.history_empty.setText(self.tr("Select an appointment to see the patient's "
                                               "earlier video calls."))
        elif self.history_model.rowCount() == 0:
            self.history_empty.setText(self.tr("No video calls with this patient yet."))
        self.history_empty.setVisible(self._history_patient is None
                                      or self.history_model.rowCount() == 0)

    def load_history(self) -> None:
        patient = self._history_patient
        self.history_model.set_calls([])
        self._history_texts()
        if patient is None or self._service is None or self._runner is None:
            return
        self._runner.start(self._service.calls_of(patient),
                           on_success=lambda calls: self._history_loaded(patient, calls),
                           on_error=lambda _exc: isinstance(_exc, ApiError),
                           name="video-history")

    def _history_loaded(self, patient_id: str, calls: list[VideoCallInfo]) -> None:
        if patient_id != self._history_patient:
            return
        self.history_model.set_calls(calls)
        self._history_texts()

    def create_appointment(self, patient_id: str | None = None,
                           conversation_id: str | None = None) -> None:
        """Opens the dialog once the patient list is there (from a conversation: only that
        patient)."""
        if self._service is None or self._runner is None:
            return
        self._runner.start(self._service.patients(), on_success=lambda patients: self._open_dialog(
            patients, patient_id, conversation_id), name="video-patients")

    def _open_dialog(self, patients: list[tuple[str, str, str | None]], patient_id: str | None,
                     conversation_id: str | None) -> None:
        if patient_id is not None and all(p[0] != patient_id for p in patients):
            name = self._service.known_name(patient_id) if self._service else None
            patients = [(patient_id, name or "–", None), *patients]
        dialog = CreateAppointmentDialog(patients, patient_id, self.window())
        dialog.accepted.connect(lambda: self._create(dialog, conversation_id))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: CreateAppointmentDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _create(self, dialog: CreateAppointmentDialog, conversation_id: str | None) -> None:
        patient = dialog.patient_id()
        if patient is None or self._service is None or self._runner is None:
            return
        when = dialog.scheduled_at()
        self._runner.start(self._service.create(patient, when, conversation_id),
                           on_success=lambda created: self._created(created.appointment),
                           on_error=self._action_failed, name="video-create")

    def _created(self, appointment: VideoAppointment) -> None:
        self.status_label.setText(self.tr(
            "Video appointment created; the invitation has been sent (code %1).").replace(
            "%1", appointment.code))
        self.reload()

    def ask_cancel(self) -> None:
        item = self.selected()
        if item is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Cancel video appointment"),
                          self.tr("Cancel the video appointment at %1? The patient's link "
                                  "stops working.").replace(
                              "%1", item.scheduled_at.astimezone().strftime("%H:%M")),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self)
        box.setObjectName("videoCancelConfirm")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Cancel appointment"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep"))
        box.finished.connect(lambda result: self._cancel_answered(box, item.id, result))
        box.open()

    def _cancel_answered(self, box: QMessageBox, appointment_id: str, result: int) -> None:
        box.deleteLater()
        if result == int(QMessageBox.StandardButton.Yes):
            self.cancel(appointment_id)

    def cancel(self, appointment_id: str) -> None:
        if self._service is None or self._runner is None:
            return
        self._runner.start(self._service.cancel(appointment_id),
                           on_success=lambda _a: self._done(self.tr("Appointment cancelled.")),
                           on_error=self._action_failed, name="video-cancel")

    def resend(self) -> None:
        item = self.selected()
        if item is None or self._service is None or self._runner is None:
            return
        self._runner.start(self._service.resend(item.id),
                           on_success=lambda _c: self._done(self.tr(
                               "A new link has been sent; the previous one no longer works.")),
                           on_error=self._action_failed, name="video-resend")

    def _done(self, text: str) -> None:
        self.status_label.setText(text)
        self.reload()

    def _action_failed(self, exc: BaseException) -> bool:
        if isinstance(exc, Forbidden):
            text = self.tr("Only physicians can admit patients into a video call.")
        elif isinstance(exc, Conflict):
            text = self.tr("The patient is no longer in the waiting room.")
        elif isinstance(exc, NotFound):
            text = self.tr("This appointment no longer exists.")
        elif isinstance(exc, ValidationFailed):
            text = self.tr("Video appointments can be made at most 31 days ahead and not in "
                           "the past.")
        elif isinstance(exc, ApiError):
            text = self.tr("The server could not be reached; please try again.")
        else:
            return False
        self.status_label.setText(text)
        self.reload()
        return True

    # -- the call -----------------------------------------------------------------------
    def start_call(self) -> None:
        item = self.selected()
        if (not self.is_physician or item is None or item.status != STATUS_WAITING
                or self._service is None or self._runner is None
                or self.call_window is not None):
            return
        window = CallWindow(self._service, self._runner, item.id,
                            self.model.patient_name(item), self.call_options)
        window.finished.connect(lambda: self._call_finished(window))
        self.call_window = window
        self._selection()
        window.show()
        window.start()
        self.callWindowOpened.emit(window)

    def _call_finished(self, window: CallWindow) -> None:
        if self.call_window is window:
            self.call_window = None
        if window.error_text:
            self.status_label.setText(window.error_text)
        self._selection()
        self.reload()

    # -- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Video consultations today"))
        self.create_button.setText(self.tr("New video appointment…"))
        self.admit_button.setText(self.tr("Admit and start"))
        self.cancel_button.setText(self.tr("Cancel appointment"))
        self.resend_button.setText(self.tr("Resend invitation"))
        self.empty_label.setText(self.tr("No video appointments today."))
        self._update_waiting()
        self._history_texts()  # texts only: a language change asks the server nothing
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
        self.history_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
