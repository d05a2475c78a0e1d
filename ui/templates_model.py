"""List model of the practice's reply templates, as cached (title shown, id for editing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.inbox.types import TemplateInfo
from ui.qt import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

TEMPLATE_ID_ROLE = Qt.ItemDataRole.UserRole
TEMPLATE_BODY_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class TemplatesModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[TemplateInfo] = []

    def set_templates(self, templates: Sequence[TemplateInfo]) -> None:
        self.beginResetModel()
        self._rows = list(templates)
        self.endResetModel()

    def template_at(self, row: int) -> TemplateInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, template_id: str) -> int:
        return next((i for i, t in enumerate(self._rows) if t.id == template_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0 or not 0 <= index.row() < len(self._rows):
            return None
        template = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return template.title
        if role == Qt.ItemDataRole.ToolTipRole:
            # The first lines of the text, enough to tell similar titles apart.
            return template.body if len(template.body) <= 300 else template.body[:300] + "…"
        if role == TEMPLATE_ID_ROLE:
            return template.id
        if role == TEMPLATE_BODY_ROLE:
            return template.body
        return None
