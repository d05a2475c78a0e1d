"""The right side of the inbox: one conversation with its inquiry controls, files and composer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.api.errors import ApiError
from app.inbox.types import (
    AttachmentInfo,
    InboxRow,
    InquiryStatus,
    InquiryType,
    OutboxState,
    SealStatus,
    ThreadItem,
)
from ui.core_port import InboxCore
from ui.inbox.composer import Composer
from ui.inbox.form_answers import FormAnswersDialog
from ui.inbox.patient_link import PatientLinkControls
from ui.inbox.patient_rights import PatientRightsControls
from ui.inbox.record_texts import export_error_message, export_success_message
from ui.inbox.texts import (
    expiry_text,
    file_size,
    inquiry_title,
    seal_text,
    status_label,
)
from ui.inbox.thread_delegate import ThreadDelegate
from ui.inbox.thread_model import ThreadModel
from ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDesktopServices,
    QEvent,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPainter,
    QPaintEvent,
    QProgressBar,
    QPushButton,
    QSize,
    QStackedWidget,
    Qt,
    QTimer,
    QToolButton,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import TaskRunner
from ui.video.patient_video import PatientVideoControls

UNASSIGNED = ""


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the layout.

    ``text()`` stays the full text; the tooltip shows it too.
    """

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 80), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = self.contentsRect()
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                                       area.width()))
        painter.end()


class ThreadView(QListView):
    """The message list; asks the model for older pages when scrolled to the top."""

    def __init__(self, model: ThreadModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadView")
        self.thread_model = model
        self.setModel(model)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        # Off while a conversation is being opened: the reset scrolls to the top for a
        # moment, which is not the user asking for older messages.
        self.fetch_enabled = True
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        if (self.fetch_enabled and value == bar.minimum() and bar.maximum() > 0
                and self.thread_model.has_older()):
            before = bar.maximum()
            if self.thread_model.fetch_older():
                self.doItemsLayout()
                # Keep the message the user was looking at where it was.
                bar.setValue(bar.maximum() - before)


class ConversationView(QWidget):
    """Shows one conversation; ``attach()`` gives it the core and the task runner."""

    conversationOpened = Signal(str)
    # fetch_attachment's progress callback; a signal, so a report from another thread
    # would still reach the progress bar on the GUI thread.
    _downloadProgress = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationView")
        self._core: InboxCore | None = None
        self._runner: TaskRunner | None = None
        self._row: InboxRow | None = None
        self._users: list[tuple[str, str]] = []
        self._downloading: asyncio.Task[Any] | None = None
        self._exporting: asyncio.Task[Any] | None = None
        self._downloaded: set[str] = set()
        self.save_dialog: QFileDialog | None = None
        self.answers_dialog: FormAnswersDialog | None = None
        self.withdraw_box: QMessageBox | None = None
        # Seal checks of form PDFs by attachment id (asked once per attachment while shown).
        self._seals: dict[str, SealStatus] = {}
        self._seal_asked: set[str] = set()
        # Injected in tests; the real one hands the file to the system viewer.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

        self.stack = QStackedWidget()
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack.addWidget(self.empty_label)

        body = QWidget()
        body.setObjectName("conversationBody")
        self.stack.addWidget(body)

        # Header: patient name; the selected inquiry's controls beside it.
        header = QFrame()
        header.setObjectName("conversationHeader")
        self.name_label = QLabel()
        self.name_label.setObjectName("conversationTitle")
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("secondaryText")
        names = QHBoxLayout()
        names.setSpacing(12)
        names.addWidget(self.name_label)
        names.addWidget(self.subtitle_label, 0, Qt.AlignmentFlag.AlignBottom)
        names.addStretch(1)
        # The patient's link: its state and the menu to renew or revoke it.
        self.link_controls = PatientLinkControls()
        names.addWidget(self.link_controls, 0, Qt.AlignmentFlag.AlignVCenter)
        # Admins only: export or erase the patient (wired by the application controller).
        self.patient_rights = PatientRightsControls()
        names.addWidget(self.patient_rights, 0, Qt.AlignmentFlag.AlignVCenter)
        # Video appointment for this patient and their earlier video calls (ui/video).
        self.video_controls = PatientVideoControls()
        names.addWidget(self.video_controls, 0, Qt.AlignmentFlag.AlignVCenter)

        self.inquiry_panel = QFrame()
        self.inquiry_panel.setObjectName("inquiryPanel")
        self.inquiry_caption = ElidedLabel()
        self.inquiry_caption.setObjectName("inquiryCaption")
        # Stepping between the open inquiries of the conversation; shown when there is
        # another open one to go to.
        self.step_label = QLabel()
        self.step_label.setObjectName("inquiryStepLabel")
        self.previous_button = QToolButton()
        self.previous_button.setObjectName("previousInquiryButton")
        self.previous_button.clicked.connect(lambda: self.step_inquiry(-1))
        self.next_button = QToolButton()
        self.next_button.setObjectName("nextInquiryButton")
        self.next_button.clicked.connect(lambda: self.step_inquiry(1))
        self.status_caption = QLabel()
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusCombo")
        self.assignee_caption = QLabel()
        self.assignee_combo = QComboBox()
        self.assignee_combo.setObjectName("assigneeCombo")
        self.assignee_combo.setMinimumWidth(190)
        self.status_combo.setMinimumWidth(150)
        self.status_combo.activated.connect(self._status_chosen)
        self.assignee_combo.activated.connect(self._assignee_chosen)
        # The inquiry's type on a line of its own: a long one ("AU-Bescheinigung") beside the
        # two boxes needed more room than the pane has in the default 1100 px window, and the
        # layout squeezed the boxes over their captions.
        panel = QVBoxLayout(self.inquiry_panel)
        panel.setContentsMargins(12, 6, 8, 6)
        panel.setSpacing(4)
        title = QHBoxLayout()
        title.setSpacing(6)
        title.addWidget(self.inquiry_caption, 1)
        title.addWidget(self.step_label)
        title.addWidget(self.previous_button)
        title.addWidget(self.next_button)
        panel.addLayout(title)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(self.status_caption)
        controls.addWidget(self.status_combo)
        controls.addSpacing(6)
        controls.addWidget(self.assignee_caption)
        controls.addWidget(self.assignee_combo)
        controls.addStretch(1)
        panel.addLayout(controls)
        # A submitted form (inquiry type "form"): its seal, answers, PDF and the export.
        self.form_row = QFrame()
        self.form_row.setObjectName("formRow")
        self.seal_label = QLabel()
        self.seal_label.setObjectName("sealStatus")
        self.answers_button = QPushButton()
        self.answers_button.setObjectName("showAnswersButton")
        self.answers_button.clicked.connect(self.show_answers)
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("openFormPdfButton")
        self.pdf_button.clicked.connect(self.open_form_pdf)
        self.form_export_button = QPushButton()
        self.form_export_button.setObjectName("formExportButton")
        self.form_export_button.clicked.connect(self.export_to_record)
        form_layout = QHBoxLayout(self.form_row)
        form_layout.setContentsMargins(0, 2, 0, 0)
        form_layout.setSpacing(8)
        form_layout.addWidget(self.seal_label)
        form_layout.addStretch(1)
        form_layout.addWidget(self.answers_button)
        form_layout.addWidget(self.pdf_button)
        form_layout.addWidget(self.form_export_button)
        self.form_row.hide()
        panel.addWidget(self.form_row)
        # Two rows, so the controls never get squeezed by a long name on a narrow screen.
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(20, 12, 16, 12)
        header_layout.setSpacing(8)
        header_layout.addLayout(names)
        # Retention: "wird in 5 Tagen gelöscht" (the purge removes it within 7 days) and the
        # action that documents it first. A row of its own: beside the name it squeezed the
        # patient link's controls.
        self.expiry_label = QLabel()
        self.expiry_label.setObjectName("expiryMark")
        self.expiry_label.hide()
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportRecordButton")
        self.export_button.clicked.connect(self.export_to_record)
        retention = QHBoxLayout()
        retention.setSpacing(12)
        retention.addWidget(self.expiry_label)
        retention.addStretch(1)
        retention.addWidget(self.export_button)
        header_layout.addLayout(retention)
        # Where an export went, or why it failed (selectable: staff copy the path).
        self.export_status = QLabel()
        self.export_status.setObjectName("exportStatus")
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_status.hide()
        header_layout.addWidget(self.export_status)
        # Why sending or withdrawing a form did not work (offline, archived meanwhile...).
        self.form_notice = QLabel()
        self.form_notice.setObjectName("formNotice")
        self.form_notice.setWordWrap(True)
        self.form_notice.hide()
        header_layout.addWidget(self.form_notice)
        header_layout.addWidget(self.inquiry_panel)

        self.model = ThreadModel()
        self.thread_view = ThreadView(self.model)
        self.delegate = ThreadDelegate(lambda: self.thread_view.viewport().width(),
                                       self.user_name, self.thread_view)
        self.thread_view.setItemDelegate(self.delegate)
        self.delegate.retryRequested.connect(self.retry)
        self.delegate.withdrawRequested.connect(self.ask_withdraw)
        self.thread_view.selectionModel().currentChanged.connect(
            lambda current, _previous: self._item_selected(current.row()))
        self.model.modelReset.connect(self._thread_changed)
        self.model.rowsInserted.connect(lambda *_: self._thread_changed())

        # A failed send must not go unnoticed: a banner with the retry button.
        self.failed_banner = QFrame()
        self.failed_banner.setObjectName("failedBanner")
        self.failed_label = QLabel()
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retryButton")
        self.retry_button.clicked.connect(self.retry_failed)
        banner = QHBoxLayout(self.failed_banner)
        banner.setContentsMargins(16, 6, 12, 6)
        banner.addWidget(self.failed_label, 1)
        banner.addWidget(self.retry_button)
        self.failed_banner.hide()

        # Files of the selected message.
        self.attachment_bar = QFrame()
        self.attachment_bar.setObjectName("attachmentBar")
        self.attachment_combo = QComboBox()
        self.attachment_combo.setObjectName("attachmentCombo")
        self.attachment_combo.currentIndexChanged.connect(lambda _i: self._update_file_buttons())
        self.download_button = QPushButton()
        self.download_button.setObjectName("downloadButton")
        self.download_button.clicked.connect(self.download)
        self.progress = QProgressBar()
        self.progress.setObjectName("downloadProgress")
        self.progress.setFixedWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self._downloadProgress.connect(self._show_progress)
        self.open_button = QPushButton()
        self.open_button.setObjectName("openButton")
        self.open_button.clicked.connect(self.open_attachment)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save_attachment)
        self.file_error = QLabel()
        self.file_error.setObjectName("fileError")
        self.file_error.hide()
        bar = QHBoxLayout(self.attachment_bar)
        bar.setContentsMargins(16, 6, 12, 6)
        bar.setSpacing(8)
        self.attachment_combo.setMinimumWidth(220)
        self.attachment_combo.setMaximumWidth(420)
        bar.addWidget(self.attachment_combo, 1)
        bar.addStretch(0)
        bar.addWidget(self.progress)
        bar.addWidget(self.file_error)
        bar.addWidget(self.download_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.save_button)
        self.attachment_bar.hide()

        self.composer = Composer()
        self.composer.sendRequested.connect(self.send)
        self.composer.noteRequested.connect(self.add_note)
        self.composer.formRequested.connect(self.send_form)
        self.composer.formsWanted.connect(self._fill_forms)

        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(header)
        body_layout.addWidget(self.thread_view, 1)
        body_layout.addWidget(self.failed_banner)
        body_layout.addWidget(self.attachment_bar)
        body_layout.addWidget(self.composer)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.retranslate()

    # -- wiring ------------------------------------------------------------------------
    def attach(self, core: InboxCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner
        self.link_controls.attach(core, runner)

    def set_users(self, users: list[tuple[str, str]]) -> None:
        """(user id, display name) of the practice team, for names and the assignee list."""
        self._users = list(users)
        self._fill_assignees()

    def user_name(self, user_id: str | None) -> str:
        if not user_id:
            return self.tr("Unassigned")
        for uid, name in self._users:
            if uid == user_id:
                return name
        return self.tr("Former team member")

    def set_templates(self, templates: list[Any]) -> None:
        self.composer.set_templates(templates)

    # -- opening -----------------------------------------------------------------------
    @property
    def conversation_id(self) -> str | None:
        return self._row.conversation_id if self._row is not None else None

    def open_conversation(self, row: InboxRow | None) -> None:
        same = (row is not None and self._row is not None
                and row.conversation_id == self._row.conversation_id)
        self._row = row
        self.link_controls.set_row(row)
        self.patient_rights.set_row(row)
        self.video_controls.set_row(row)
        if row is None or self._core is None:
            self.model.set_conversation(None, None)
            self.stack.setCurrentIndex(0)
            return
        if same:
            self._update_header()
            self.refresh()
            if row.unread_count and self.isVisible() and self._runner is not None:
                # A new patient message in the conversation on screen has been seen.
                self._runner.start(self._core.mark_read(row.conversation_id),
                                   name="mark-read")
            return
        self.composer.clear()
        self.file_error.hide()
        self.export_status.hide()
        self.form_notice.hide()
        self.stack.setCurrentIndex(1)
        self.thread_view.fetch_enabled = False
        self.model.set_conversation(self._core.inbox, row.conversation_id)
        self.model.choose_inquiry(self._default_inquiry())
        self._update_header()
        self.scroll_to_bottom()
        if row.unread_count and self._runner is not None:
            self._runner.start(self._core.mark_read(row.conversation_id), name="mark-read")
        self.conversationOpened.emit(row.conversation_id)

    def refresh(self) -> None:
        """Re-read the open conversation (after a sync, a send or an outbox change)."""
        if self._row is None or self._core is None:
            return
        bar = self.thread_view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        selected = self._selected_item()
        self.model.refresh()
        if selected is not None and (position := self.model.position_of(selected.id)) >= 0:
            self.thread_view.setCurrentIndex(self.model.index(position, 0))
        if at_bottom:
            self.scroll_to_bottom()

    def scroll_to_bottom(self) -> None:
        self.thread_view.fetch_enabled = False
        self.thread_view.scrollToBottom()

        def settle() -> None:
            # After the item layout that the model reset scheduled: only then is the real
            # bottom known.
            self.thread_view.scrollToBottom()
            self.thread_view.fetch_enabled = True

        QTimer.singleShot(0, settle)

    # -- header and inquiry ------------------------------------------------------------
    @property
    def _inquiry_id(self) -> str | None:
        """The inquiry the status and assignee controls act on."""
        return self.model.chosen_inquiry

    def _inquiry_item(self) -> ThreadItem | None:
        for item in self.model.inquiries():
            if item.id == self._inquiry_id:
                return item
        return None

    def _default_inquiry(self) -> str | None:
        """The newest open inquiry, else the newest inquiry at all."""
        inquiries = self.model.inquiries()
        open_ = [i for i in inquiries if i.inquiry_status != InquiryStatus.DONE]
        if open_:
            return open_[-1].id
        if self._row is not None and self._row.inquiry_id is not None:
            return self._row.inquiry_id  # open, but older than the loaded messages
        return inquiries[-1].id if inquiries else None

    def choose_inquiry(self, inquiry_id: str) -> None:
        """Make the controls act on this inquiry (and select its card in the thread)."""
        if self.model.position_of(inquiry_id) >= 0:
            self.select_item(inquiry_id)
            self.thread_view.scrollTo(self.thread_view.currentIndex())
        self.model.choose_inquiry(inquiry_id)
        self._update_header()

    def _open_neighbours(self) -> tuple[str | None, str | None, int, int]:
        """(previous open, next open, position among the open ones from 1 or 0, open count)
        around the chosen inquiry, in the order of the thread."""
        inquiries = self.model.inquiries()
        ids = [i.id for i in inquiries]
        open_ = [i.id for i in inquiries if i.inquiry_status != InquiryStatus.DONE]
        chosen = self._inquiry_id
        here = ids.index(chosen) if chosen in ids else len(ids)
        before = [i for i in open_ if ids.index(i) < here]
        after = [i for i in open_ if ids.index(i) > here]
        position = open_.index(chosen) + 1 if chosen in open_ else 0
        return (before[-1] if before else None, after[0] if after else None, position,
                len(open_))

    def step_inquiry(self, direction: int) -> None:
        previous, following, _position, _count = self._open_neighbours()
        target = previous if direction < 0 else following
        if target is not None:
            self.choose_inquiry(target)

    def _update_header(self) -> None:
        row = self._row
        if row is None:
            return
        self.name_label.setText(row.patient_name)
        self.link_controls.set_row(row)
        expiry = expiry_text(row.expires_at)
        self.expiry_label.setText(expiry or "")
        self.expiry_label.setVisible(expiry is not None)
        if row.open_inquiries:
            self.subtitle_label.setText(self.tr("%n open request(s)", "", row.open_inquiries))
        else:
            self.subtitle_label.setText(self.tr("No open requests"))
        if self._inquiry_id is None:
            self.model.choose_inquiry(self._default_inquiry())
        item = self._inquiry_item()
        if self._inquiry_id is None:
            self._update_form_row(None)
            self.inquiry_panel.hide()
            return
        if item is not None:
            kind, status, assignee = (item.inquiry_type, item.inquiry_status,
                                      item.assignee_user_id)
            title = inquiry_title(kind, item.inquiry_details, item.text)
        else:  # the row's inquiry, not among the loaded messages
            kind, status, assignee = row.inquiry_type, row.inquiry_status, row.assignee_user_id
            title = inquiry_title(kind, {}, "")
        self.inquiry_caption.setText(title)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(
            status.value if status is not None else InquiryStatus.NEW.value)))
        self._fill_assignees(assignee)
        previous, following, position, count = self._open_neighbours()
        stepping = previous is not None or following is not None
        self.previous_button.setVisible(stepping)
        self.next_button.setVisible(stepping)
        self.previous_button.setEnabled(previous is not None)
        self.next_button.setEnabled(following is not None)
        if position:
            self.step_label.setText(self.tr("%1 of %2 open").replace(
                "%1", str(position)).replace("%2", str(count)))
        else:
            self.step_label.setText(self.tr("%n open", "", count))
        self.step_label.setVisible(stepping)
        self._update_form_row(item)
        self.inquiry_panel.show()

    def _fill_assignees(self, selected: str | None = None) -> None:
        if selected is None and self.assignee_combo.count():
            selected = str(self.assignee_combo.currentData() or "") or None
        self.assignee_combo.blockSignals(True)
        self.assignee_combo.clear()
        self.assignee_combo.addItem(self.tr("Unassigned"), UNASSIGNED)
        for uid, name in self._users:
            self.assignee_combo.addItem(name, uid)
        if selected and self.assignee_combo.findData(selected) < 0:
            self.assignee_combo.addItem(self.user_name(selected), selected)
        self.assignee_combo.setCurrentIndex(max(0, self.assignee_combo.findData(
            selected or UNASSIGNED)))
        self.assignee_combo.blockSignals(False)

    def _status_chosen(self, index: int) -> None:
        if self._core is None or self._runner is None or self._inquiry_id is None:
            return
        status = InquiryStatus(str(self.status_combo.itemData(index)))
        self._runner.start(self._core.update_inquiry(self._inquiry_id, status=status),
                           name="update-inquiry")

    def _assignee_chosen(self, index: int) -> None:
        if self._core is None or self._runner is None or self._inquiry_id is None:
            return
        user_id = str(self.assignee_combo.itemData(index) or "")
        if user_id:
            coro = self._core.update_inquiry(self._inquiry_id, assignee_user_id=user_id)
        else:
            coro = self._core.update_inquiry(self._inquiry_id, clear_assignee=True)
        self._runner.start(coro, name="update-inquiry")

    # -- thread selection and files ----------------------------------------------------
    def _selected_item(self) -> ThreadItem | None:
        return self.model.item_at(self.thread_view.currentIndex().row())

    def _item_selected(self, position: int) -> None:
        item = self.model.item_at(position)
        if item is not None and item.kind == "inquiry" and item.id != self._inquiry_id:
            self.model.choose_inquiry(item.id)
            self._update_header()
        self._show_attachments(item)

    def _show_attachments(self, item: ThreadItem | None) -> None:
        attachments = list(item.attachments) if item is not None else []
        current = self.selected_attachment()
        self.attachment_combo.blockSignals(True)
        self.attachment_combo.clear()
        for attachment in attachments:
            self.attachment_combo.addItem(
                f"{attachment.filename}  ·  {file_size(attachment.size)}", attachment)
        if current is not None:
            for position, attachment in enumerate(attachments):
                if attachment.id == current.id:
                    self.attachment_combo.setCurrentIndex(position)
        self.attachment_combo.blockSignals(False)
        self.attachment_bar.setVisible(bool(attachments))
        self._update_file_buttons()

    def selected_attachment(self) -> AttachmentInfo | None:
        data = self.attachment_combo.currentData()
        return data if isinstance(data, AttachmentInfo) else None

    def _is_local(self, attachment: AttachmentInfo) -> bool:
        return attachment.cached or attachment.id in self._downloaded

    def _update_file_buttons(self) -> None:
        attachment = self.selected_attachment()
        busy = self._downloading is not None
        local = attachment is not None and self._is_local(attachment)
        # One step at a time: download first, then open or save the local copy.
        self.download_button.setVisible(attachment is not None and not local and not busy)
        self.open_button.setVisible(local)
        self.save_button.setVisible(local)
        self.open_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def select_item(self, item_id: str) -> bool:
        position = self.model.position_of(item_id)
        if position < 0:
            return False
        self.thread_view.setCurrentIndex(self.model.index(position, 0))
        return True

    def download(self) -> None:
        attachment = self.selected_attachment()
        if (attachment is None or self._core is None or self._runner is None
                or self._downloading is not None):
            return
        self.file_error.hide()
        self.progress.setRange(0, 0)
        self.progress.setValue(0)

        self._downloading = self._runner.start(
            self._core.fetch_attachment(attachment.id, self._downloadProgress.emit),
            on_success=lambda _r: self._downloaded_ok(attachment),
            on_error=self._download_failed, name="fetch-attachment")
        self._update_file_buttons()

    def _show_progress(self, received: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(received, total) / total))

    def _downloaded_ok(self, attachment: AttachmentInfo) -> None:
        self._downloading = None
        self._downloaded.add(attachment.id)
        self._update_file_buttons()

    def _download_failed(self, _exc: BaseException) -> bool:
        self._downloading = None
        self.file_error.setText(self.tr("Download failed. Please try again."))
        self.file_error.show()
        self._update_file_buttons()
        return True

    def open_attachment(self) -> None:
        attachment = self.selected_attachment()
        if attachment is None or self._core is None or self._runner is None:
            return
        self._runner.start(self._core.open_attachment_copy(attachment.id),
                           on_success=self._open_copy, name="open-attachment")

    def _open_copy(self, path: str) -> None:
        self.open_url(QUrl.fromLocalFile(path))

    def save_attachment(self) -> None:
        """"Save as…" with ``open()`` and a signal: no nested event loop."""
        attachment = self.selected_attachment()
        if attachment is None or self._core is None or self._runner is None:
            return
        dialog = QFileDialog(self, self.tr("Save attachment"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.selectFile(attachment.filename)
        dialog.fileSelected.connect(lambda path: self._export(attachment, path))
        dialog.finished.connect(lambda _result: self._save_dialog_done(dialog))
        self.save_dialog = dialog
        dialog.open()

    def _save_dialog_done(self, dialog: QFileDialog) -> None:
        dialog.deleteLater()
        if self.save_dialog is dialog:
            self.save_dialog = None

    def _export(self, attachment: AttachmentInfo, path: str) -> None:
        if self._core is None or self._runner is None or not path:
            return
        self._runner.start(self._core.export_attachment(attachment.id, str(Path(path))),
                           name="export-attachment")

    # -- export into the patient record ------------------------------------------------
    def export_to_record(self) -> None:
        """PDF + GDT into the folder from the settings; the outcome shows under the name."""
        if (self._core is None or self._runner is None or self._row is None
                or self._exporting is not None):
            return
        folder = str(self._core.settings.record_export_dir or "")
        self.export_status.hide()
        self.export_button.setEnabled(False)
        self.form_export_button.setEnabled(False)
        conversation_id = self._row.conversation_id
        self._exporting = self._runner.start(
            self._core.export_to_record(conversation_id),
            on_success=lambda paths: self._exported(conversation_id, paths),
            on_error=lambda exc: self._export_failed(conversation_id, folder, exc),
            name="export-record")

    def _exported(self, conversation_id: str, paths: list[str]) -> None:
        self._exporting = None
        self.export_button.setEnabled(True)
        self.form_export_button.setEnabled(True)
        if self.conversation_id == conversation_id:
            self._show_export_status(export_success_message(paths), error=False)

    def _export_failed(self, conversation_id: str, folder: str, exc: BaseException) -> bool:
        self._exporting = None
        self.export_button.setEnabled(True)
        self.form_export_button.setEnabled(True)
        message = export_error_message(exc, folder)
        if message is None:
            return False  # a programming error: the reporter shows it
        if self.conversation_id == conversation_id:
            self._show_export_status(message, error=True)
        return True

    def _show_export_status(self, text: str, *, error: bool) -> None:
        self.export_status.setText(text)
        self.export_status.setProperty("error", error)
        self.export_status.style().unpolish(self.export_status)
        self.export_status.style().polish(self.export_status)
        self.export_status.show()

    def export_status_text(self) -> str:
        return self.export_status.text() if not self.export_status.isHidden() else ""

    # -- forms (issue 8) ---------------------------------------------------------------
    def _fill_forms(self) -> None:
        """The "Send form…" menu lists the active forms as synced right now."""
        if self._core is not None:
            self.composer.set_forms(self._core.form_definitions("active"))

    def send_form(self, definition_id: str) -> None:
        if self._core is None or self._runner is None or self._row is None:
            return
        conversation_id = self._row.conversation_id
        self.form_notice.hide()
        self._runner.start(self._core.send_form(conversation_id, definition_id),
                           on_success=lambda _id: self._after_write(conversation_id),
                           on_error=lambda exc: self._form_failed(conversation_id, exc, True),
                           name="send-form")

    def ask_withdraw(self, item: ThreadItem) -> None:
        """Withdrawing deletes the patient's draft: ask first (``open()``, no nested loop)."""
        if self._core is None or self._runner is None or self._row is None:
            return
        conversation_id = self._row.conversation_id
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Withdraw form"),
                          self.tr("Withdraw the form “%1”? The patient can no longer fill it "
                                  "in, and what they have entered so far is deleted.")
                          .replace("%1", item.text),
                          QMessageBox.StandardButton.Cancel, self.window())
        withdraw = box.addButton(self.tr("Withdraw"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("withdrawFormBox")

        def answered(_result: int) -> None:
            confirmed = box.clickedButton() is withdraw
            box.deleteLater()
            if self.withdraw_box is box:
                self.withdraw_box = None
            if confirmed:
                self._withdraw(conversation_id, item.id)

        box.finished.connect(answered)
        self.withdraw_box = box
        box.open()

    def _withdraw(self, conversation_id: str, request_id: str) -> None:
        if self._core is None or self._runner is None:
            return
        self.form_notice.hide()
        self._runner.start(self._core.cancel_form_request(request_id),
                           on_success=lambda _r: self._after_write(conversation_id),
                           on_error=lambda exc: self._form_failed(conversation_id, exc, False),
                           name="cancel-form")

    def _form_failed(self, conversation_id: str, exc: BaseException, sending: bool) -> bool:
        if not isinstance(exc, ApiError):
            return False  # a programming error: the reporter shows it
        if exc.code in ("server_unreachable", "certificate_error"):
            text = (self.tr("No connection to the server: the form was not sent. Please try "
                            "again when the connection is back.") if sending else
                    self.tr("No connection to the server: the form was not withdrawn. Please "
                            "try again when the connection is back."))
        elif exc.code == "form_archived":
            text = self.tr("This form was archived in the meantime. Please choose another "
                           "one.")
        elif exc.code == "form_submitted":
            text = self.tr("The patient has already submitted this form; it can no longer "
                           "be withdrawn.")
        else:
            text = (self.tr("The form could not be sent. Please try again.") if sending else
                    self.tr("The form could not be withdrawn. Please try again."))
        if self.conversation_id == conversation_id:
            self.form_notice.setText(text)
            self.form_notice.show()
            self.refresh()
        return True

    def form_notice_text(self) -> str:
        return self.form_notice.text() if not self.form_notice.isHidden() else ""

    def _form_item(self) -> ThreadItem | None:
        """The chosen inquiry when it is a submitted form."""
        item = self._inquiry_item()
        return item if item is not None and item.inquiry_type == InquiryType.FORM else None

    @staticmethod
    def _form_attachment(item: ThreadItem) -> str | None:
        value = item.inquiry_details.get("attachment_id")
        return str(value) if value else None

    def _update_form_row(self, item: ThreadItem | None) -> None:
        form = item if item is not None and item.inquiry_type == InquiryType.FORM else None
        self.form_row.setVisible(form is not None)
        # One export button: on the form while a form is chosen (it also copies its PDF).
        self.export_button.setVisible(form is None)
        if form is None:
            return
        attachment_id = self._form_attachment(form)
        self.pdf_button.setEnabled(attachment_id is not None)
        shown = seal_text(self._seals.get(attachment_id or ""))
        self.seal_label.setText(shown[0] if shown else "")
        self.seal_label.setProperty("valid", "true" if shown and shown[1] else
                                    "false" if shown else "")
        self.seal_label.style().unpolish(self.seal_label)
        self.seal_label.style().polish(self.seal_label)
        if attachment_id is not None:
            self._check_seal(attachment_id)

    def _check_seal(self, attachment_id: str) -> None:
        if (self._core is None or self._runner is None or attachment_id in self._seal_asked):
            return
        self._seal_asked.add(attachment_id)
        self._runner.start(self._core.seal_status(attachment_id),
                           on_success=lambda seal: self._seal_known(attachment_id, seal),
                           on_error=lambda exc: self._seal_unknown(attachment_id, exc),
                           name="seal-status")

    def _seal_known(self, attachment_id: str, seal: SealStatus) -> None:
        self._seals[attachment_id] = seal
        shown = seal_text(seal)
        if shown is not None:
            self.delegate.seal_texts[attachment_id] = shown
        else:
            self.delegate.seal_texts.pop(attachment_id, None)
        self.thread_view.doItemsLayout()  # the card grew by the seal's line
        self._update_form_row(self._inquiry_item())

    def _seal_unknown(self, attachment_id: str, exc: BaseException) -> bool:
        # Offline or the server cannot tell: no seal text (never a false "valid"); asked
        # again the next time the form is shown.
        self._seal_asked.discard(attachment_id)
        return isinstance(exc, ApiError)

    def seal_status_text(self) -> str:
        return self.seal_label.text() if not self.form_row.isHidden() else ""

    def show_answers(self) -> None:
        item = self._form_item()
        if item is None:
            return
        if self.answers_dialog is not None:
            self.answers_dialog.close()
        dialog = FormAnswersDialog(item.inquiry_details,
                                   self._row.patient_name if self._row else "", self.window())
        dialog.finished.connect(lambda _result: self._answers_done(dialog))
        self.answers_dialog = dialog
        dialog.open()

    def _answers_done(self, dialog: FormAnswersDialog) -> None:
        dialog.deleteLater()
        if self.answers_dialog is dialog:
            self.answers_dialog = None

    def open_form_pdf(self) -> None:
        """The sealed PDF in the system viewer, the same way attachments open."""
        item = self._form_item()
        attachment_id = self._form_attachment(item) if item is not None else None
        if attachment_id is None or self._core is None or self._runner is None:
            return
        self.file_error.hide()
        self._runner.start(self._core.open_attachment_copy(attachment_id),
                           on_success=self._open_copy, on_error=self._open_failed,
                           name="open-form-pdf")

    def _open_failed(self, exc: BaseException) -> bool:
        if not isinstance(exc, ApiError):
            return False
        self.form_notice.setText(self.tr("The PDF could not be loaded (no connection to the "
                                         "server?). Please try again."))
        self.form_notice.show()
        return True

    # -- writing -----------------------------------------------------------------------
    def send(self, text: str, attachment: Path | None) -> None:
        if self._core is None or self._runner is None or self._row is None:
            return
        conversation_id = self._row.conversation_id
        self.composer.clear()
        self._runner.start(
            self._core.send_message(conversation_id, text,
                                    str(attachment) if attachment is not None else None),
            on_success=lambda _id: self._after_write(conversation_id), name="send-message")

    def add_note(self, text: str) -> None:
        if self._core is None or self._runner is None or self._row is None:
            return
        conversation_id = self._row.conversation_id
        self.composer.clear()
        self._runner.start(self._core.add_note(conversation_id, text, self._inquiry_id),
                           on_success=lambda _r: self._after_write(conversation_id),
                           name="add-note")

    def _after_write(self, conversation_id: str) -> None:
        if self.conversation_id == conversation_id:
            self.refresh()
            self.scroll_to_bottom()

    def failed_items(self) -> list[ThreadItem]:
        return [item for item in self.model.items()
                if item.kind == "outbox" and item.outbox_state == OutboxState.FAILED]

    def retry(self, item: ThreadItem) -> None:
        # The same outbox item goes again with its Idempotency-Key: if the first attempt did
        # reach the server after all, the message still exists only once.
        if self._core is None or self._runner is None or self._row is None:
            return
        conversation_id = self._row.conversation_id
        self._runner.start(self._core.retry_outbox(item.id),
                           on_success=lambda _id: self._after_write(conversation_id),
                           name="retry-message")

    def retry_failed(self) -> None:
        for item in self.failed_items():
            self.retry(item)

    def _thread_changed(self) -> None:
        failed = len(self.failed_items())
        self.failed_banner.setVisible(failed > 0)
        self.failed_label.setText(self.tr("%n message(s) could not be sent.", "", failed))
        if self._row is not None:
            self._update_header()
        self._show_attachments(self._selected_item())

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.empty_label.setText(self.tr("Select a conversation on the left."))
        self.status_caption.setText(self.tr("Status"))
        self.assignee_caption.setText(self.tr("Assigned to"))
        self.previous_button.setToolTip(self.tr("Previous open request"))
        self.previous_button.setAccessibleName(self.tr("Previous open request"))
        self.next_button.setToolTip(self.tr("Next open request"))
        self.next_button.setAccessibleName(self.tr("Next open request"))
        current = self.status_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        for status in InquiryStatus:
            self.status_combo.addItem(status_label(status), status.value)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(current)))
        self.status_combo.blockSignals(False)
        self._fill_assignees()
        self.retry_button.setText(self.tr("Send again"))
        self.download_button.setText(self.tr("Download"))
        self.open_button.setText(self.tr("Open"))
        self.save_button.setText(self.tr("Save as…"))
        self.export_button.setText(self.tr("Export to patient record"))
        self.export_button.setToolTip(self.tr(
            "Saves this conversation as PDF and GDT file in the folder chosen in the settings"))
        self.answers_button.setText(self.tr("Show answers"))
        self.pdf_button.setText(self.tr("Open PDF"))
        self.form_export_button.setText(self.tr("Export to patient record"))
        self.form_export_button.setToolTip(self.tr(
            "Saves the conversation with the form's sealed PDF in the patient record folder"))
        self._thread_changed()
        # Painted texts changed length: measure the items again.
        self.thread_view.doItemsLayout()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
