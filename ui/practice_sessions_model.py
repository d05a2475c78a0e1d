"""Table model of every signed-in device of the practice (admin view)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from ui.qt import (
    QAbstractTableModel,
    QCoreApplication,
    QFont,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from ui.sessions_model import IS_CURRENT_ROLE, SESSION_ID_ROLE, format_local_time

Index = QModelIndex | QPersistentModelIndex


class PracticeSessionLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def user_email(self) -> str: ...

    @property
    def user_display_name(self) -> str: ...

    @property
    def device_name(self) -> str | None: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def last_used_at(self) -> datetime: ...

    @property
    def current(self) -> bool: ...


# lupdate only finds literal ``translate("Context", "text")`` calls.
translate = QCoreApplication.translate


class PracticeSessionsModel(QAbstractTableModel):
    USER, DEVICE, SIGNED_IN, LAST_ACTIVE = range(4)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PracticeSessionLike] = []

    def set_sessions(self, sessions: Sequence[PracticeSessionLike]) -> None:
        rows = sorted(sessions, key=lambda s: ((s.user_display_name or s.user_email).casefold(),
                                               -s.last_used_at.timestamp()))
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def session_at(self, row: int) -> PracticeSessionLike | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, session_id: str) -> int:
        return next((r for r, s in enumerate(self._rows) if s.id == session_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        session = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.USER:
                name = session.user_display_name or session.user_email
                if role == Qt.ItemDataRole.ToolTipRole and session.user_email:
                    return f"{name} <{session.user_email}>"
                return name
            if column == self.DEVICE:
                name = session.device_name or translate("PracticeSessionsModel", "Unnamed device")
                if session.current:
                    return translate("PracticeSessionsModel",
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
            self.USER: translate("PracticeSessionsModel", "User"),
            self.DEVICE: translate("PracticeSessionsModel", "Device"),
            self.SIGNED_IN: translate("PracticeSessionsModel", "Signed in since"),
            self.LAST_ACTIVE: translate("PracticeSessionsModel", "Last active"),
        }
        return headers.get(section)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))
