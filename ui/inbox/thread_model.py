"""One conversation as a lazy Qt model: the newest page first, older pages on demand.

A chat is read from the bottom, so the model starts with the newest ``page_size`` items and
``fetch_older()`` prepends the page before them when the user scrolls to the top. It does not
use ``canFetchMore``: views call that whenever the bottom is visible, which in a chat is
always, and would load the whole history.
"""

from __future__ import annotations

from typing import Any

from app.inbox.types import InboxQueries, ThreadItem
from ui.qt import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# True on the inquiry card the conversation's status/assignee controls act on.
CHOSEN_INQUIRY_ROLE = Qt.ItemDataRole.UserRole + 3

PAGE_SIZE = 50


class ThreadModel(QAbstractListModel):
    def __init__(self, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._page_size = page_size
        self._queries: InboxQueries | None = None
        self._conversation_id: str | None = None
        self._offset = 0
        self._items: list[ThreadItem] = []
        self._chosen_inquiry: str | None = None

    @property
    def conversation_id(self) -> str | None:
        return self._conversation_id

    def set_conversation(self, queries: InboxQueries | None,
                         conversation_id: str | None) -> None:
        self.beginResetModel()
        self._queries = queries
        self._conversation_id = conversation_id
        self._items = []
        self._offset = 0
        self._chosen_inquiry = None
        if queries is not None and conversation_id is not None:
            count = queries.thread_count(conversation_id)
            self._offset = max(0, count - self._page_size)
            self._items = queries.thread_items(conversation_id, self._offset,
                                               count - self._offset)
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the loaded window plus anything new (a reply, an outbox state change)."""
        if self._queries is None or self._conversation_id is None:
            return
        count = self._queries.thread_count(self._conversation_id)
        if self._offset > count:
            self._offset = max(0, count - self._page_size)
        self.beginResetModel()
        self._items = self._queries.thread_items(self._conversation_id, self._offset,
                                                 count - self._offset)
        self.endResetModel()

    def has_older(self) -> bool:
        return self._offset > 0

    def fetch_older(self) -> int:
        """Prepend the previous page; returns how many items were added."""
        if self._queries is None or self._conversation_id is None or self._offset == 0:
            return 0
        start = max(0, self._offset - self._page_size)
        older = self._queries.thread_items(self._conversation_id, start, self._offset - start)
        self._offset = start
        if not older:
            return 0
        self.beginInsertRows(QModelIndex(), 0, len(older) - 1)
        self._items[0:0] = older
        self.endInsertRows()
        return len(older)

    @property
    def chosen_inquiry(self) -> str | None:
        return self._chosen_inquiry

    def choose_inquiry(self, inquiry_id: str | None) -> None:
        """Mark the inquiry the controls act on; its card and the previous one repaint."""
        if inquiry_id == self._chosen_inquiry:
            return
        before = self._chosen_inquiry
        self._chosen_inquiry = inquiry_id
        for item_id in (before, inquiry_id):
            position = self.position_of(item_id) if item_id is not None else -1
            if position >= 0:
                index = self.index(position, 0)
                self.dataChanged.emit(index, index, [CHOSEN_INQUIRY_ROLE])

    def inquiries(self) -> list[ThreadItem]:
        """The loaded inquiry cards, oldest first."""
        return [item for item in self._items if item.kind == "inquiry"]

    # -- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == ITEM_ID_ROLE:
            return item.id
        if role == CHOSEN_INQUIRY_ROLE:
            return item.kind == "inquiry" and item.id == self._chosen_inquiry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.text
        return None

    def item_at(self, position: int) -> ThreadItem | None:
        return self._items[position] if 0 <= position < len(self._items) else None

    def position_of(self, item_id: str) -> int:
        for position, item in enumerate(self._items):
            if item.id == item_id:
                return position
        return -1

    def items(self) -> list[ThreadItem]:
        return list(self._items)
