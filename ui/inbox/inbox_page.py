"""The Inbox page: filters and search, the conversation list, and the open conversation."""

from __future__ import annotations

from typing import Any

from app.inbox.types import InboxFilter, InboxRow, InquiryStatus, InquiryType, SyncProgress
from ui.core_port import InboxCore
from ui.inbox.conversation_view import ConversationView
from ui.inbox.inbox_delegate import InboxDelegate
from ui.inbox.inbox_model import InboxListModel
from ui.inbox.new_conversation_dialog import NewConversationDialog
from ui.inbox.texts import status_label, sync_progress_text, type_label
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QEvent,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QProgressBar,
    QPushButton,
    QShortcut,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import TaskRunner

SEARCH_DELAY_MS = 200
ANY = ""


class InboxListView(QListView):
    """Enter opens the current conversation (arrow keys only move the highlight)."""

    openRequested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.openRequested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class InboxPage(QWidget):
    unreadChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxPage")
        self._core: InboxCore | None = None
        self._runner: TaskRunner | None = None
        self._active = False
        self._users: list[tuple[str, str]] = []
        self.new_dialog: NewConversationDialog | None = None
        self._pending_open: str | None = None

        # -- top: title, search, new conversation --
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(lambda _t: self.search_timer.start())
        self.new_button = QPushButton()
        self.new_button.setObjectName("newConversationButton")
        self.new_button.clicked.connect(self.open_new_conversation_dialog)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_button)

        # -- filters --
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("typeFilter")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.assignee_combo = QComboBox()
        self.assignee_combo.setObjectName("assigneeFilter")
        self.assignee_combo.setMinimumWidth(170)
        self.unread_check = QCheckBox()
        self.unread_check.setObjectName("unreadFilter")
        for combo in (self.type_combo, self.status_combo, self.assignee_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.unread_check.toggled.connect(lambda _on: self.apply_filter())
        self.count_label = QLabel()
        self.count_label.setObjectName("secondaryText")
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.type_combo)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.assignee_combo)
        filters.addSpacing(6)
        filters.addWidget(self.unread_check)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        # -- initial sync --
        self.sync_frame = QFrame()
        self.sync_frame.setObjectName("syncProgressFrame")
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncProgressLabel")
        self.sync_bar = QProgressBar()
        self.sync_bar.setObjectName("syncProgressBar")
        self.sync_bar.setTextVisible(False)
        self.sync_bar.setFixedHeight(8)
        sync_layout = QHBoxLayout(self.sync_frame)
        sync_layout.setContentsMargins(12, 6, 12, 6)
        sync_layout.setSpacing(12)
        sync_layout.addWidget(self.sync_label)
        sync_layout.addWidget(self.sync_bar, 1)
        self.sync_frame.hide()

        # -- list --
        self.model = InboxListModel()
        self.list_view = InboxListView()
        self.list_view.setObjectName("inboxList")
        self.list_view.setModel(self.model)
        self.delegate = InboxDelegate(self.assignee_name, self.list_view)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setMouseTracking(True)
        # Enter opens and moves to the reply field; a click opens and leaves focus alone.
        self.list_view.openRequested.connect(lambda index: self._open_index(index, True))
        self.list_view.clicked.connect(lambda index: self._open_index(index, False))
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.list_stack = QStackedWidget()
        self.list_stack.setObjectName("inboxListStack")
        self.list_stack.addWidget(self.list_view)
        self.list_stack.addWidget(self.empty_label)
        self.model.modelReset.connect(self._update_empty_state)
        self.model.rowsInserted.connect(lambda *_: self._update_empty_state())

        self.conversation = ConversationView()

        left = QWidget()
        left.setObjectName("inboxLeft")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.list_stack)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("inboxSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.conversation)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        left.setMinimumWidth(300)
        # No explicit minimum on the conversation: its layout's own minimum (inquiry controls,
        # composer buttons) must hold, else the splitter squeezes them until they overlap and
        # their labels are cut ("Zuständig" over the status box, "s Notiz speiche").
        self.splitter.setSizes([380, 700])

        header = QWidget()
        header.setObjectName("inboxHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(24, 18, 24, 12)
        header_layout.setSpacing(12)
        header_layout.addLayout(top)
        header_layout.addLayout(filters)
        header_layout.addWidget(self.sync_frame)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.splitter, 1)

        # -- keyboard --
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search,
                                       context)
        self.new_shortcut = QShortcut(QKeySequence.StandardKey.New, self,
                                      self.open_new_conversation_dialog, context)
        # Escape anywhere on the page drops the search (dialogs are windows of their own).
        self.escape_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self,
                                         self._escape, context)
        self.search_edit.installEventFilter(self)

        self.retranslate()
        self._update_empty_state()

    # -- wiring ------------------------------------------------------------------------
    def attach(self, core: InboxCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner
        self.conversation.attach(core, runner)

    def activate(self) -> None:
        """The core's cache is open: read the inbox, the team and the templates."""
        if self._core is None:
            return
        self._active = True
        self.refresh_users()
        self.conversation.set_templates(self._core.inbox.templates())
        self.model.set_queries(self._core.inbox)
        self._emit_unread()

    def deactivate(self) -> None:
        """Logged out or shutting down: nothing may be read from the closed cache."""
        self._active = False
        self.model.set_queries(None)
        self.conversation.open_conversation(None)
        self.set_sync_progress(SyncProgress(0, 0, True))

    def refresh_users(self) -> None:
        if self._core is None:
            return
        users = [(str(getattr(u, "id", "")), str(getattr(u, "display_name", "") or
                                                 getattr(u, "email", "")))
                 for u in self._core.directory() if getattr(u, "active", True)]
        users.sort(key=lambda u: u[1].casefold())
        self._users = users
        self.conversation.set_users(users)
        self._fill_assignee_filter()
        self.list_view.viewport().update()

    def assignee_name(self, user_id: str | None) -> str:
        return self.conversation.user_name(user_id)

    # -- events from the core ----------------------------------------------------------
    def on_inbox_changed(self, _conversation_ids: object = None) -> None:
        """Reload, keeping the highlighted and the open conversation."""
        if not self._active or self._core is None:
            return
        current = self.model.conversation_id_at(self.list_view.currentIndex().row())
        scroll = self.list_view.verticalScrollBar().value()
        self.model.reload(keep_loaded=True)
        if current is not None and (position := self.model.position_of(current)) >= 0:
            self.list_view.setCurrentIndex(self.model.index(position, 0))
        self.list_view.verticalScrollBar().setValue(scroll)
        if self._pending_open is not None and self.open_conversation(self._pending_open):
            self._emit_unread()
            return
        open_id = self.conversation.conversation_id
        if open_id is not None:
            rows = self._core.inbox.inbox_rows([open_id])
            if open_id in rows:
                self.conversation.open_conversation(rows[open_id])
        self._emit_unread()

    def on_outbox_changed(self, conversation_id: object) -> None:
        if self._active and conversation_id == self.conversation.conversation_id:
            self.conversation.refresh()

    def on_sync_done(self, _result: object = None) -> None:
        if self._active and self._core is not None:
            self.refresh_users()
            self.conversation.set_templates(self._core.inbox.templates())

    def on_templates_changed(self, _payload: object = None) -> None:
        """An admin saved a template here: the composer's menu shows it before any sync."""
        if self._active and self._core is not None:
            self.conversation.set_templates(self._core.inbox.templates())

    def set_sync_progress(self, progress: object) -> None:
        if not isinstance(progress, SyncProgress):
            return
        if progress.finished:
            self.sync_frame.hide()
            return
        self.sync_label.setText(sync_progress_text(progress.done, progress.total))
        if progress.total > 0:
            self.sync_bar.setRange(0, progress.total)
            self.sync_bar.setValue(min(progress.done, progress.total))
        else:
            self.sync_bar.setRange(0, 0)  # busy, total not known yet
        self.sync_frame.show()

    def _emit_unread(self) -> None:
        if self._core is None or not self._active:
            return
        self.unreadChanged.emit(self._core.inbox.inbox_count(InboxFilter(unread_only=True)))

    # -- filter and search -------------------------------------------------------------
    def current_filter(self) -> InboxFilter:
        kind = str(self.type_combo.currentData() or ANY)
        status = str(self.status_combo.currentData() or ANY)
        assignee = str(self.assignee_combo.currentData() or ANY)
        return InboxFilter(
            inquiry_type=InquiryType(kind) if kind else None,
            status=InquiryStatus(status) if status else None,
            assignee_user_id=assignee or None,
            unread_only=self.unread_check.isChecked(),
            search=self.search_edit.text().strip(),
        )

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_empty_state()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _escape(self) -> None:
        if self.search_edit.text():
            self.clear_search()
            self.list_view.setFocus()

    def clear_search(self) -> None:
        self.search_edit.clear()
        self.apply_filter()

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if (watched is self.search_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            if event.key() == Qt.Key.Key_Escape:
                self.clear_search()
                self.list_view.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # From the search field straight into the results.
                self.apply_filter()
                self.list_view.setFocus()
                if not self.list_view.currentIndex().isValid() and self.model.rowCount():
                    self.list_view.setCurrentIndex(self.model.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    def _update_empty_state(self) -> None:
        empty = self.model.rowCount() == 0
        filtered = self.model.inbox_filter != InboxFilter()
        self.empty_label.setText(self.tr("No matches") if filtered
                                 else self.tr("No messages"))
        self.list_stack.setCurrentIndex(1 if empty else 0)
        total = self.model.total
        self.count_label.setText(self.tr("%n conversation(s)", "", total) if total else "")

    # -- opening -----------------------------------------------------------------------
    def _open_index(self, index: QModelIndex, focus_composer: bool) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_row(row)
            if focus_composer:
                self.conversation.composer.edit.setFocus()

    def open_row(self, row: InboxRow) -> None:
        self.conversation.open_conversation(row)
        position = self.model.position_of(row.conversation_id)
        if position >= 0 and self.list_view.currentIndex().row() != position:
            self.list_view.setCurrentIndex(self.model.index(position, 0))

    def open_conversation(self, conversation_id: str) -> bool:
        if self._core is None or not self._active:
            return False
        self.model.reload(keep_loaded=True)
        rows = self._core.inbox.inbox_rows([conversation_id])
        row = rows.get(conversation_id)
        if row is None:
            # Not in the local cache yet: open it when the sync brings it.
            self._pending_open = conversation_id
            return False
        self._pending_open = None
        self.open_row(row)
        return True

    def open_new_conversation_dialog(self) -> NewConversationDialog | None:
        """Non-blocking (``open()``), as everything else that waits for the user."""
        if self._core is None or self._runner is None:
            return None
        if self.new_dialog is not None and self.new_dialog.isVisible():
            return self.new_dialog
        dialog = NewConversationDialog(self._core, self._runner, self)
        dialog.conversationStarted.connect(self.open_conversation)
        dialog.finished.connect(lambda _result: self._new_dialog_done(dialog))
        self.new_dialog = dialog
        dialog.open()
        return dialog

    def _new_dialog_done(self, dialog: NewConversationDialog) -> None:
        dialog.deleteLater()
        if self.new_dialog is dialog:
            self.new_dialog = None

    # -- texts -------------------------------------------------------------------------
    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _fill_assignee_filter(self) -> None:
        self._fill_combo(self.assignee_combo,
                         [(self.tr("All assignees"), ANY),
                          *[(name, uid) for uid, name in self._users]])

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Inbox"))
        self.search_edit.setPlaceholderText(self.tr("Search names, messages, notes (Ctrl+F)"))
        self.new_button.setText(self.tr("New conversation"))
        self.new_button.setToolTip(self.tr("Start a conversation with a patient (Ctrl+N)"))
        self._fill_combo(self.type_combo, [(self.tr("All request types"), ANY),
                                           *[(type_label(t), t.value) for t in InquiryType]])
        self._fill_combo(self.status_combo, [(self.tr("Any status"), ANY),
                                             *[(status_label(s), s.value)
                                               for s in InquiryStatus]])
        self._fill_assignee_filter()
        self.unread_check.setText(self.tr("Unread only"))
        self._update_empty_state()
        self.list_view.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
