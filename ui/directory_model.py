"""Table model of the practice team, read from the local (synced) cache."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ui.qt import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex


def _role_label(role: str) -> str:
    labels = {
        "admin": QCoreApplication.translate("DirectoryModel", "Administration"),
        "physician": QCoreApplication.translate("DirectoryModel", "Physician"),
        "staff": QCoreApplication.translate("DirectoryModel", "Practice staff"),
    }
    return labels.get(role, role)


class DirectoryModel(QAbstractTableModel):
    NAME, EMAIL, ROLE = range(3)

    def __init__(self, source: Callable[[], Sequence[Any]]) -> None:
        super().__init__()
        self._source = source
        self._rows: list[Any] = []

    def refresh(self) -> None:
        rows = [u for u in self._source() if getattr(u, "active", True)]
        rows.sort(key=lambda u: (str(getattr(u, "display_name", "") or "").casefold(),
                                 str(getattr(u, "email", ""))))
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        user = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == self.NAME:
                return str(getattr(user, "display_name", "") or "")
            if column == self.EMAIL:
                return str(getattr(user, "email", "") or "")
            if column == self.ROLE:
                return _role_label(str(getattr(user, "role", "") or ""))
        if role == Qt.ItemDataRole.UserRole:
            return str(getattr(user, "id", ""))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        headers = {
            self.NAME: QCoreApplication.translate("DirectoryModel", "Name"),
            self.EMAIL: QCoreApplication.translate("DirectoryModel", "E-mail"),
            self.ROLE: QCoreApplication.translate("DirectoryModel", "Role"),
        }
        return headers.get(section)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        if self._rows:
            self.dataChanged.emit(self.index(0, self.ROLE),
                                  self.index(len(self._rows) - 1, self.ROLE))
