"""Table model of the practice's form versions: title, version, status (newest first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.forms.versions import FormVersion
from ui.forms.texts import status_label
from ui.qt import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

translate = QCoreApplication.translate


class FormsModel(QAbstractTableModel):
    TITLE, VERSION, STATUS = range(3)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[FormVersion] = []

    def set_forms(self, forms: Sequence[FormVersion]) -> None:
        self.beginResetModel()
        self._rows = list(forms)
        self.endResetModel()

    def form_at(self, row: int) -> FormVersion | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, definition_id: str) -> int:
        return next((i for i, f in enumerate(self._rows) if f.id == definition_id), -1)

    def form_ids(self) -> frozenset[str]:
        return frozenset(f.form_id for f in self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        form = self.form_at(index.row()) if index.isValid() else None
        if form is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return form.title
            if column == self.VERSION:
                return str(form.version)
            if column == self.STATUS:
                return status_label(form.status)
        if role == Qt.ItemDataRole.ForegroundRole and not form.active:
            return Qt.GlobalColor.gray
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return form.definition.description[:300] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {self.TITLE: translate("FormsModel", "Form"),
                self.VERSION: translate("FormsModel", "Version"),
                self.STATUS: translate("FormsModel", "Status")}.get(section)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 2))
