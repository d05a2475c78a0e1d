"""Today's video appointments as a table model: time, patient, status, code.

A patient in the waiting room is highlighted (bold text, warm background) and sorts first
among the open ones only by time, as the practice plans them; the count of waiting patients is
what the tab title shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.video.appointments import (
    STATUS_CANCELLED,
    STATUS_ENDED,
    STATUS_IN_CALL,
    STATUS_SCHEDULED,
    STATUS_WAITING,
    VideoAppointment,
)
from ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QCoreApplication,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

COL_TIME, COL_PATIENT, COL_STATUS, COL_CODE = range(4)
APPOINTMENT_ROLE = Qt.ItemDataRole.UserRole + 1
WAITING_BACKGROUND = QColor("#fff1c9")

ModelIndex = QModelIndex | QPersistentModelIndex


def status_text(status: str) -> str:
    return {
        STATUS_SCHEDULED: QCoreApplication.translate("VideoAppointments", "Scheduled"),
        STATUS_WAITING: QCoreApplication.translate("VideoAppointments", "Waiting"),
        STATUS_IN_CALL: QCoreApplication.translate("VideoAppointments", "In call"),
        STATUS_ENDED: QCoreApplication.translate("VideoAppointments", "Ended"),
        STATUS_CANCELLED: QCoreApplication.translate("VideoAppointments", "Cancelled"),
    }.get(status, status)


def local_time(value: datetime) -> str:
    return value.astimezone().strftime("%H:%M")


class VideoAppointmentsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[VideoAppointment] = []
        self._names: dict[str, str] = {}

    # -- content ------------------------------------------------------------------------
    def set_appointments(self, rows: list[VideoAppointment], names: dict[str, str]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._names = dict(names)
        self.endResetModel()

    def appointment(self, row: int) -> VideoAppointment | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, appointment_id: str) -> int:
        for row, item in enumerate(self._rows):
            if item.id == appointment_id:
                return row
        return -1

    def appointments(self) -> list[VideoAppointment]:
        return list(self._rows)

    def waiting_count(self) -> int:
        return sum(1 for item in self._rows if item.waiting)

    def patient_name(self, item: VideoAppointment) -> str:
        name = self._names.get(item.patient_id)
        if name:
            return name
        # What the patient typed at the door is all we know without the patient record.
        return item.patient_display_name or "–"

    # -- QAbstractTableModel ------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {COL_TIME: QCoreApplication.translate("VideoAppointments", "Time"),
                COL_PATIENT: QCoreApplication.translate("VideoAppointments", "Patient"),
                COL_STATUS: QCoreApplication.translate("VideoAppointments", "Status"),
                COL_CODE: QCoreApplication.translate("VideoAppointments", "Code")}.get(section)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.appointment(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_TIME:
                return local_time(item.scheduled_at)
            if column == COL_PATIENT:
                name = self.patient_name(item)
                typed = item.patient_display_name
                if item.waiting and typed and typed != name:
                    return QCoreApplication.translate(
                        "VideoAppointments", "%1 (entered: %2)").replace(
                        "%1", name).replace("%2", typed)
                return name
            if column == COL_STATUS:
                if item.waiting and item.waiting_since is not None:
                    return QCoreApplication.translate(
                        "VideoAppointments", "Waiting since %1").replace(
                        "%1", local_time(item.waiting_since))
                return status_text(item.status)
            if column == COL_CODE:
                return item.code
        elif role == Qt.ItemDataRole.BackgroundRole and item.waiting:
            return QBrush(WAITING_BACKGROUND)
        elif role == Qt.ItemDataRole.ForegroundRole and item.status in (
                STATUS_CANCELLED, STATUS_ENDED):
            return QBrush(QColor("#8a8f98"))
        elif role == Qt.ItemDataRole.FontRole and item.waiting:
            font = QFont()
            font.setBold(True)
            return font
        elif role == APPOINTMENT_ROLE:
            return item.id
        return None
