"""The call queue as a Qt table model over the cache (ids in queue order, rows fetched in
pages and cached), never a widget per row.

Order: open urgent calls first, then newest (the cache's queue index). Urgent open rows are
painted red so they stand out however long the queue is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.calls.types import CallFilter, CallQueries, CallRow, CallStatus
from ui.calls.texts import caller_cell, category_cell, duration_text, status_label, time_cell
from ui.qt import QAbstractTableModel, QBrush, QColor, QFont, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

CALL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("category", "caller", "time", "duration", "status", "assignee")
PAGE_SIZE = 200
ROW_CACHE_LIMIT = 2000

URGENT_BG = QColor("#fde2e1")
URGENT_TEXT = QColor("#9b1c1c")
DONE_TEXT = QColor("#7b8794")


class CallsModel(QAbstractTableModel):
    def __init__(self, assignee_name: Callable[[str | None], str] | None = None) -> None:
        super().__init__()
        self._queries: CallQueries | None = None
        self._filter = CallFilter.ALL
        self._ids: list[str] = []
        self._rows: dict[str, CallRow] = {}
        self._assignee_name = assignee_name or (lambda _uid: "")

    # -- source ------------------------------------------------------------------------
    def set_queries(self, queries: CallQueries | None) -> None:
        self._queries = queries
        self.reload()

    @property
    def call_filter(self) -> CallFilter:
        return self._filter

    def set_filter(self, flt: CallFilter) -> None:
        if flt is not self._filter:
            self._filter = flt
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._ids = [] if self._queries is None else self._queries.call_ids(self._filter)
        self.endResetModel()

    # -- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        return {
            "category": self.tr("Category"), "caller": self.tr("Caller"),
            "time": self.tr("Time"), "duration": self.tr("Duration"),
            "status": self.tr("Status"), "assignee": self.tr("Assignee"),
        }[COLUMNS[section]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids) \
                or not 0 <= index.column() < len(COLUMNS):
            return None
        if role == CALL_ID_ROLE:
            return self._ids[index.row()]
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        alerting = row.urgent and row.status is not CallStatus.DONE
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(URGENT_BG) if alerting else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if alerting:
                return QBrush(URGENT_TEXT)
            return QBrush(DONE_TEXT) if row.status is CallStatus.DONE else None
        if role == Qt.ItemDataRole.FontRole:
            if alerting or row.status is CallStatus.NEW:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole) \
                and COLUMNS[index.column()] == "category":
            return category_cell(row, spoken=True)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, COLUMNS[index.column()])
        return None

    def _text(self, row: CallRow, column: str) -> str:
        if column == "category":
            return category_cell(row)
        if column == "caller":
            return caller_cell(row)
        if column == "time":
            return time_cell(row)
        if column == "duration":
            return duration_text(row.duration_seconds)
        if column == "status":
            return status_label(row.status)
        return self._assignee_name(row.assignee_user_id) if row.assignee_user_id else ""

    # -- rows --------------------------------------------------------------------------
    def row_at(self, position: int) -> CallRow | None:
        if not 0 <= position < len(self._ids):
            return None
        call_id = self._ids[position]
        row = self._rows.get(call_id)
        if row is None and self._queries is not None:
            if len(self._rows) > ROW_CACHE_LIMIT:
                self._rows.clear()
            start = position - position % PAGE_SIZE
            self._rows.update(self._queries.call_rows(self._ids[start:start + PAGE_SIZE]))
            row = self._rows.get(call_id)
        return row

    def call_id_at(self, position: int) -> str | None:
        return self._ids[position] if 0 <= position < len(self._ids) else None

    def position_of(self, call_id: str) -> int:
        try:
            return self._ids.index(call_id)
        except ValueError:
            return -1
