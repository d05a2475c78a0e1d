"""The video part of the conversation header: "New video appointment…" for this patient and
their earlier video calls (date, duration, quality), loaded when the menu opens."""

from __future__ import annotations

from collections.abc import Callable

from app.api.errors import ApiError
from app.inbox.types import InboxRow, PatientRef
from app.video.appointments import VideoCallInfo, VideoService
from ui.qt import QEvent, QMenu, QToolButton, QWidget, Signal
from ui.tasks import TaskRunner
from ui.video.history_model import duration_text, quality_text

PatientLookup = Callable[[str], PatientRef | None]


class PatientVideoControls(QToolButton):
    # (patient id, conversation id): the video tab opens its dialog for them.
    createRequested = Signal(str, str)
    historyShown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientVideoButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self.menu_.aboutToShow.connect(self.load_history)
        self._service: VideoService | None = None
        self._runner: TaskRunner | None = None
        self._lookup: PatientLookup | None = None
        self._row: InboxRow | None = None
        self.calls: list[VideoCallInfo] | None = None
        self.retranslate()
        self.hide()

    def attach(self, service: VideoService, runner: TaskRunner,
               lookup: PatientLookup) -> None:
        self._service, self._runner, self._lookup = service, runner, lookup

    def patient(self) -> PatientRef | None:
        if self._row is None or self._lookup is None:
            return None
        return self._lookup(self._row.conversation_id)

    def set_row(self, row: InboxRow | None) -> None:
        self._row = row
        self.calls = None
        self.setVisible(self.patient() is not None)
        self._fill()

    def request_create(self) -> None:
        patient = self.patient()
        if patient is not None and self._row is not None:
            self.createRequested.emit(patient.id, self._row.conversation_id)

    def load_history(self) -> None:
        patient = self.patient()
        if patient is None or self._service is None or self._runner is None:
            return
        self._runner.start(self._service.calls_of(patient.id),
                           on_success=lambda calls: self._loaded(patient.id, calls),
                           on_error=lambda exc: isinstance(exc, ApiError),
                           name="video-history")

    def _loaded(self, patient_id: str, calls: list[VideoCallInfo]) -> None:
        current = self.patient()
        if current is None or current.id != patient_id:
            return
        self.calls = calls
        self._fill()
        self.historyShown.emit(len(calls))

    def history_lines(self) -> list[str]:
        return [f"{c.started_at.astimezone().strftime('%d.%m.%Y %H:%M')} · "
                f"{duration_text(c.duration_seconds)} · {quality_text(c.quality)}"
                for c in (self.calls or [])]

    def _fill(self) -> None:
        self.menu_.clear()
        create = self.menu_.addAction(self.tr("New video appointment…"))
        create.setObjectName("videoCreateAction")
        create.triggered.connect(self.request_create)
        self.menu_.addSeparator()
        if self.calls is None:
            self.menu_.addAction(self.tr("Earlier video calls: loading…")).setEnabled(False)
        elif not self.calls:
            self.menu_.addAction(self.tr("No earlier video calls")).setEnabled(False)
        else:
            self.menu_.addAction(self.tr("Earlier video calls:")).setEnabled(False)
            for line in self.history_lines()[:10]:
                self.menu_.addAction(line).setEnabled(False)

    def retranslate(self) -> None:
        self.setText(self.tr("Video"))
        self.setToolTip(self.tr("Video appointment and earlier video calls"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
