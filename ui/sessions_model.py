"""Table model of the devices where the signed-in user is logged in (server sessions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from ui.qt import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QFont,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex

# Custom roles: the session id (for revoking) and whether the row is this very device.
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole
IS_CURRENT_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class SessionLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def device_name(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def last_used_at(self) -> datetime: ...

    @property
    def current(self) -> bool: ...


def format_local_time(moment: datetime) -> str:
    """A server time (UTC) as local wall-clock time in the UI language's date format."""
    # The format is part of the catalogue, so German gets "24.11.2026, 09:30" and the
    # English UI its own order, independent of the operating system's regional settings.
    pattern = QCoreApplication.translate("SessionsModel", "dd/MM/yyyy, HH:mm")
    local = QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000))
    return QLocale().toString(local, pattern)


class SessionsModel(QAbstractTableModel):
    DEVICE, SIGNED_IN, LAST_ACTIVE = range(3)
    COLUMN_COUNT = 3

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    @staticmethod
    def _order(session: Any) -> tuple[Any, ...]:
        # This device first, then the most recently used ones.
        return (not session.current, -session.last_used_at.timestamp())

    def set_sessions(self, sessions: Sequence[SessionLike]) -> None:
        rows = sorted(sessions, key=self._order)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def session_at(self, row: int) -> SessionLike | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, session_id: str) -> int:
        return next((r for r, s in enumerate(self._rows) if s.id == session_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        session = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.DEVICE:
                name = session.device_name or QCoreApplication.translate(
                    "SessionsModel", "Unnamed device")
                if session.current:
                    return QCoreApplication.translate("SessionsModel",
                                                      "%1 (this device)").replace("%1", name)
                return name
            if column == self.SIGNED_IN:
                return format_local_time(session.created_at)
            if column == self.LAST_ACTIVE:
                return format_local_time(session.last_used_at)
        if role == Qt.ItemDataRole.FontRole and session.current and column == self.DEVICE:
            font = QFont()
            font.setBold(True)
            return font
        if role == SESSION_ID_ROLE:
            return session.id
        if role == IS_CURRENT_ROLE:
            return session.current
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        headers = {
            self.DEVICE: QCoreApplication.translate("SessionsModel", "Device"),
            self.SIGNED_IN: QCoreApplication.translate("SessionsModel", "Signed in since"),
            self.LAST_ACTIVE: QCoreApplication.translate("SessionsModel", "Last active"),
        }
        return headers.get(section)

    def retranslate(self) -> None:
        last = self.COLUMN_COUNT - 1
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, last))
