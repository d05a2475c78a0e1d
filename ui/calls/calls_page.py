"""The "Telefon" page: the call queue on the left, the chosen call on the right."""

from __future__ import annotations

from app.calls.types import CallFilter
from ui.calls.call_detail import CallDetailView
from ui.calls.calls_model import CallsModel
from ui.core_port import CallsCore
from ui.qt import (
    QAbstractItemView,
    QComboBox,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import TaskRunner


class CallsPage(QWidget):
    # "Als Anfrage übernehmen" done: the main window switches to the inbox conversation.
    inquiryOpened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callsPage")
        self._core: CallsCore | None = None
        self._active = False

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("callFilter")
        self.filter_combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.count_label = QLabel()
        self.count_label.setObjectName("secondaryText")
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.filter_combo)

        self.detail = CallDetailView()
        self.detail.inquiryOpened.connect(self.inquiryOpened)
        self.model = CallsModel(self.detail.user_name)
        self.table = QTableView()
        self.table.setObjectName("callQueue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # The caller takes the room; category, time, duration and status are as wide as their
        # texts (Qt measures at most the first 1000 rows); the assignee column is fixed.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        modes = (QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                 QHeaderView.ResizeMode.ResizeToContents,
                 QHeaderView.ResizeMode.ResizeToContents,
                 QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Interactive)
        for column, mode in enumerate(modes):
            header.setSectionResizeMode(column, mode)
        self.table.setColumnWidth(5, 110)
        self.table.clicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.model.modelReset.connect(self._update_empty_state)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label, 1)
        left.setMinimumWidth(480)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("callsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([650, 420])

        head = QWidget()
        head_layout = QVBoxLayout(head)
        head_layout.setContentsMargins(24, 18, 24, 12)
        head_layout.addLayout(top)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(head)
        layout.addWidget(self.splitter, 1)
        self.retranslate()
        self._update_empty_state()

    # -- wiring ------------------------------------------------------------------------
    def attach(self, core: CallsCore, runner: TaskRunner) -> None:
        self._core = core
        self.detail.attach(core, runner)

    def activate(self) -> None:
        """The cache is open: read the queue and the team."""
        if self._core is None:
            return
        self._active = True
        self.refresh_users()
        self.model.set_queries(self._core.calls)
        self._update_count()

    def deactivate(self) -> None:
        self._active = False
        self.model.set_queries(None)
        self.detail.show_call(None)
        self._update_count()

    def refresh_users(self) -> None:
        if self._core is None:
            return
        users = [(str(getattr(u, "id", "")), str(getattr(u, "display_name", "") or
                                                 getattr(u, "email", "")))
                 for u in self._core.directory() if getattr(u, "active", True)]
        users.sort(key=lambda u: u[1].casefold())
        self.detail.set_users(users)
        self.table.viewport().update()

    # -- events ------------------------------------------------------------------------
    def on_calls_changed(self, _call_ids: object = None) -> None:
        """Reload the queue, keeping the chosen call (and the user's unsaved edits)."""
        if not self._active or self._core is None:
            return
        current = self.detail.call_id
        self.model.reload()
        self._update_count()
        if current is None:
            return
        row = self._core.calls.call(current)
        self.detail.show_call(row, keep_edits=True)
        self._select(current)

    def open_call(self, call_id: str) -> bool:
        if self._core is None or not self._active:
            return False
        row = self._core.calls.call(call_id)
        if row is None:
            return False
        if self.model.position_of(call_id) < 0 and self.model.call_filter is not CallFilter.ALL:
            self.filter_combo.setCurrentIndex(self.filter_combo.findData(CallFilter.ALL.value))
        self.detail.show_call(row)
        self._select(call_id)
        return True

    def _select(self, call_id: str) -> None:
        position = self.model.position_of(call_id)
        if position >= 0:
            self.table.selectRow(position)

    def _open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.detail.show_call(row)

    def _filter_changed(self) -> None:
        value = self.filter_combo.currentData()
        self.model.set_filter(CallFilter(value) if value else CallFilter.ALL)
        current = self.detail.call_id
        if current is not None:
            self._select(current)
        self._update_count()

    def _update_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("%n call(s)", "", count) if self._active else "")

    def _update_empty_state(self) -> None:
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Phone"))
        current = self.filter_combo.currentData()
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        for text, value in ((self.tr("All calls"), CallFilter.ALL),
                            (self.tr("Open calls"), CallFilter.OPEN),
                            (self.tr("Done calls"), CallFilter.DONE)):
            self.filter_combo.addItem(text, value.value)
        self.filter_combo.setCurrentIndex(max(0, self.filter_combo.findData(current)))
        self.filter_combo.blockSignals(False)
        self.empty_label.setText(self.tr("No calls. Calls answered by the phone assistant "
                                         "appear here with transcript and category; urgent "
                                         "calls come first, in red."))
        self._update_count()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
