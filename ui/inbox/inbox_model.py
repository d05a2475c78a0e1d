"""The inbox list as a lazy Qt model: ids page by page, rows fetched in batches and cached.

Like Anki's browser table, the model holds only conversation ids for what has been scrolled
into reach (``canFetchMore``/``fetchMore`` over ``inbox_ids``) and asks for full rows
(``inbox_rows``) only for the page around a row that is actually painted.
"""

from __future__ import annotations

from typing import Any

from app.inbox.types import InboxFilter, InboxQueries, InboxRow
from ui.qt import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
CONVERSATION_ID_ROLE = Qt.ItemDataRole.UserRole + 2

PAGE_SIZE = 100
# Rows kept around; beyond that the cache is dropped and refilled from the visible pages.
ROW_CACHE_LIMIT = 2000


class InboxListModel(QAbstractListModel):
    def __init__(self, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._page_size = page_size
        self._queries: InboxQueries | None = None
        self._filter = InboxFilter()
        self._count = 0
        self._ids: list[str] = []
        self._rows: dict[str, InboxRow] = {}

    # -- source and filter -------------------------------------------------------------
    def set_queries(self, queries: InboxQueries | None) -> None:
        self._queries = queries
        self.reload()

    @property
    def inbox_filter(self) -> InboxFilter:
        return self._filter

    def set_filter(self, flt: InboxFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.reload()

    @property
    def total(self) -> int:
        """All conversations that match the filter, loaded or not."""
        return self._count

    def reload(self, keep_loaded: bool = False) -> None:
        """Read the list again; ``keep_loaded`` re-reads as many ids as were loaded, so a
        refresh after a change does not jump the user back to the first page."""
        wanted = max(self._page_size, len(self._ids)) if keep_loaded else self._page_size
        self.beginResetModel()
        self._rows.clear()
        if self._queries is None:
            self._count = 0
            self._ids = []
        else:
            self._count = self._queries.inbox_count(self._filter)
            self._ids = self._queries.inbox_ids(self._filter, 0, min(wanted, self._count))
        self.endResetModel()

    # -- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def canFetchMore(self, parent: Index) -> bool:
        return (not parent.isValid() and self._queries is not None
                and len(self._ids) < self._count)

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self._queries is None:
            return
        more = self._queries.inbox_ids(self._filter, len(self._ids), self._page_size)
        # A conversation that moved up since the last page would appear twice.
        known = set(self._ids)
        more = [cid for cid in more if cid not in known]
        if not more:
            # The list shrank under us: stop asking for more until the next reload.
            self._count = len(self._ids)
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._ids.extend(more)
        self.endInsertRows()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        conversation_id = self._ids[index.row()]
        if role == CONVERSATION_ID_ROLE:
            return conversation_id
        if role not in (ROW_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        return row.patient_name

    # -- rows --------------------------------------------------------------------------
    def row_at(self, position: int) -> InboxRow | None:
        if not 0 <= position < len(self._ids):
            return None
        conversation_id = self._ids[position]
        row = self._rows.get(conversation_id)
        if row is None and self._queries is not None:
            if len(self._rows) > ROW_CACHE_LIMIT:
                self._rows.clear()
            start = position - position % self._page_size
            page = self._ids[start:start + self._page_size]
            self._rows.update(self._queries.inbox_rows(page))
            row = self._rows.get(conversation_id)
        return row

    def conversation_id_at(self, position: int) -> str | None:
        return self._ids[position] if 0 <= position < len(self._ids) else None

    def position_of(self, conversation_id: str) -> int:
        try:
            return self._ids.index(conversation_id)
        except ValueError:
            return -1
