"""One call: transcript, the extracted fields (editable), playback, and the actions.

Edits go through the core's outbox (shown at once, delivered with an Idempotency-Key). The
recording is fetched into memory when first played and dropped when another call opens; it is
never written to disk. Without an audio device the player says so and nothing else changes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.api.errors import ApiError
from app.audio.player import SPEEDS, AudioFormatError, AudioPlayer, AudioUnavailable
from app.calls.types import CATEGORIES, CallerFields, CallRow, CallStatus, TakenInquiry
from ui.calls.texts import (
    category_label,
    duration_text,
    full_time,
    no_audio_message,
    reason_label,
    status_label,
)
from ui.core_port import CallsCore
from ui.inbox.texts import fill
from ui.qt import (
    QApplication,
    QComboBox,
    QDesktopServices,
    QEvent,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    Qt,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import TaskRunner

POSITION_TICK_MS = 100
SLIDER_STEPS_PER_SECOND = 10


def parse_dob(text: str) -> str | bool | None:
    """ISO date from "1958-03-12" or "12.3.1958"; None for empty; False when unreadable."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return False


def german_dob(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso).strftime("%d.%m.%Y")
    except ValueError:
        return iso


class CallDetailView(QWidget):
    """Emits ``inquiryOpened(conversation_id)`` after "Als Anfrage übernehmen"."""

    inquiryOpened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callDetail")
        self._core: CallsCore | None = None
        self._runner: TaskRunner | None = None
        self._row: CallRow | None = None
        self._users: list[tuple[str, str]] = []
        self.player: AudioPlayer | None = None
        self._player_call: str | None = None
        self._loading_audio = False

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        # -- header --
        self.title_label = QLabel()
        self.title_label.setObjectName("callTitle")
        self.title_label.setWordWrap(True)
        self.meta_label = QLabel()
        self.meta_label.setObjectName("secondaryText")
        self.meta_label.setWordWrap(True)
        self.urgent_label = QLabel()
        self.urgent_label.setObjectName("callUrgentReasons")
        self.urgent_label.setWordWrap(True)
        self.urgent_label.setStyleSheet("color: #9b1c1c; font-weight: 600;")

        # -- transcript --
        self.transcript_title = QLabel()
        self.transcript_title.setObjectName("sectionTitle")
        self.transcript = QPlainTextEdit()
        self.transcript.setObjectName("callTranscript")
        self.transcript.setReadOnly(True)
        self.transcript.setMinimumHeight(90)

        # -- playback --
        self.play_button = QPushButton()
        self.play_button.setObjectName("playButton")
        self.play_button.clicked.connect(self.toggle_play)
        self.position_slider = QSlider(Qt.Orientation.Horizontal)
        self.position_slider.setObjectName("positionSlider")
        self.position_slider.setRange(0, 0)
        self.position_slider.sliderMoved.connect(self._seek_to_slider)
        self.position_slider.sliderReleased.connect(
            lambda: self._seek_to_slider(self.position_slider.value()))
        self.position_label = QLabel("0:00 / 0:00")
        self.position_label.setObjectName("secondaryText")
        self.speed_combo = QComboBox()
        self.speed_combo.setObjectName("speedCombo")
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:.1f}×".replace(".", ","), speed)
        self.speed_combo.currentIndexChanged.connect(self._speed_changed)
        self.audio_message = QLabel()
        self.audio_message.setObjectName("audioMessage")
        self.audio_message.setWordWrap(True)
        self.audio_message.setStyleSheet("color: #9a4a07;")
        self.audio_message.hide()
        playback = QHBoxLayout()
        playback.setSpacing(8)
        playback.addWidget(self.play_button)
        playback.addWidget(self.position_slider, 1)
        playback.addWidget(self.position_label)
        playback.addWidget(self.speed_combo)
        self.timer = QTimer(self)
        self.timer.setInterval(POSITION_TICK_MS)
        self.timer.timeout.connect(self._tick)

        # -- fields --
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("callerName")
        self.dob_edit = QLineEdit()
        self.dob_edit.setObjectName("callerDob")
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("callerPhone")
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("callCategory")
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveFieldsButton")
        self.save_button.clicked.connect(self.save_fields)
        self.field_message = QLabel()
        self.field_message.setObjectName("fieldMessage")
        self.field_message.setStyleSheet("color: #b42318;")
        self.field_message.hide()
        for edit in (self.name_edit, self.dob_edit, self.phone_edit):
            edit.textEdited.connect(lambda _t: self._fields_edited())
        self.category_combo.activated.connect(lambda _i: self._fields_edited())
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.name_title = QLabel()
        self.dob_title = QLabel()
        self.phone_title = QLabel()
        self.category_title = QLabel()
        self.form.addRow(self.name_title, self.name_edit)
        self.form.addRow(self.dob_title, self.dob_edit)
        self.form.addRow(self.phone_title, self.phone_edit)
        self.form.addRow(self.category_title, self.category_combo)
        save_row = QHBoxLayout()
        save_row.addWidget(self.field_message, 1)
        save_row.addWidget(self.save_button)

        # -- actions --
        self.done_button = QPushButton()
        self.done_button.setObjectName("doneButton")
        self.done_button.clicked.connect(self.toggle_done)
        self.assign_button = QPushButton()
        self.assign_button.setObjectName("assignButton")
        self.assign_menu = QMenu(self)
        self.assign_button.setMenu(self.assign_menu)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyNumberButton")
        self.copy_button.clicked.connect(self.copy_number)
        self.dial_button = QPushButton()
        self.dial_button.setObjectName("dialButton")
        self.dial_button.clicked.connect(self.dial)
        self.inquiry_button = QPushButton()
        self.inquiry_button.setObjectName("takeInquiryButton")
        self.inquiry_button.clicked.connect(self.take_as_inquiry)
        self.action_message = QLabel()
        self.action_message.setObjectName("secondaryText")
        self.action_message.setWordWrap(True)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for button in (self.done_button, self.assign_button, self.copy_button, self.dial_button):
            actions.addWidget(button)
        actions.addStretch(1)
        # The take-over on its own line with its outcome: it is the step that leaves this tab.
        take_over = QHBoxLayout()
        take_over.setSpacing(8)
        take_over.addWidget(self.action_message, 1)
        take_over.addWidget(self.inquiry_button)

        self.content = QFrame()
        self.content.setObjectName("callContent")
        content = QVBoxLayout(self.content)
        content.setContentsMargins(20, 16, 20, 16)
        content.setSpacing(10)
        content.addWidget(self.title_label)
        content.addWidget(self.meta_label)
        content.addWidget(self.urgent_label)
        content.addLayout(actions)
        content.addLayout(take_over)
        content.addWidget(self.transcript_title)
        content.addWidget(self.transcript, 1)
        content.addLayout(playback)
        content.addWidget(self.audio_message)
        content.addLayout(self.form)
        content.addLayout(save_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.content, 1)
        self.retranslate()
        self.show_call(None)

    # -- wiring ------------------------------------------------------------------------
    def attach(self, core: CallsCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner

    def set_users(self, users: list[tuple[str, str]]) -> None:
        self._users = users
        self._fill_assign_menu()

    def user_name(self, user_id: str | None) -> str:
        return next((name for uid, name in self._users if uid == user_id), "")

    @property
    def call_id(self) -> str | None:
        return self._row.id if self._row is not None else None

    # -- showing a call ----------------------------------------------------------------
    def show_call(self, row: CallRow | None, *, keep_edits: bool = False) -> None:
        """Show ``row`` (None: nothing chosen). ``keep_edits``: the same call changed in the
        cache while the user is typing; their unsaved field edits stay."""
        if row is None or row.id != self._player_call:
            self._drop_player()
        same = row is not None and self._row is not None and row.id == self._row.id
        self._row = row
        self.empty_label.setVisible(row is None)
        self.content.setVisible(row is not None)
        if row is None:
            return
        title = category_label(row.category) if row.processing == "ready" else ""
        self.title_label.setText(fill(self.tr("Call from %1"),
                                      row.caller.name or row.callback_number or
                                      self.tr("unknown caller"))
                                 + (f" · {title}" if title else ""))
        parts = [full_time(row.started_at), duration_text(row.duration_seconds),
                 status_label(row.status)]
        if row.from_number:
            parts.append(fill(self.tr("Caller ID %1"), row.from_number))
        if row.assignee_user_id:
            parts.append(fill(self.tr("Assigned to %1"), self.user_name(row.assignee_user_id)))
        if row.wished_time:
            parts.append(fill(self.tr("Wished time: %1"), row.wished_time))
        self.meta_label.setText(" · ".join(p for p in parts if p))
        self.urgent_label.setVisible(row.urgent)
        reasons = ", ".join(dict.fromkeys(reason_label(r) for r in row.urgent_reasons))
        self.urgent_label.setText(fill(self.tr("Urgent: %1"), reasons) if reasons
                                  else self.tr("Urgent"))
        if row.transcript:
            self.transcript.setPlainText(row.transcript)
        elif row.processing in ("pending", "processing"):
            self.transcript.setPlainText(self.tr("The call is still being transcribed."))
        else:
            self.transcript.setPlainText(self.tr("No transcript."))
        if not (keep_edits and same and self.save_button.isEnabled()):
            self._fill_fields(row)
        self.done_button.setText(self.tr("Reopen") if row.status is CallStatus.DONE
                                 else self.tr("Done"))
        number = row.callback_number
        self.copy_button.setEnabled(bool(number))
        self.dial_button.setEnabled(bool(number))
        self.inquiry_button.setText(self.tr("Open inquiry") if row.inquiry_id
                                    else self.tr("Take as inquiry"))
        self.inquiry_button.setEnabled(row.processing in ("ready", "failed")
                                       or bool(row.inquiry_id))
        self.play_button.setEnabled(row.has_recording)
        if not same:
            self.action_message.clear()
            self.audio_message.hide()
            self.field_message.hide()
            self._update_position()
        self._update_play_text()

    def _fill_fields(self, row: CallRow) -> None:
        self.name_edit.setText(row.caller.name or "")
        self.dob_edit.setText(german_dob(row.caller.dob))
        self.phone_edit.setText(row.caller.phone or "")
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(
            row.category or "other")))
        self.save_button.setEnabled(False)
        self.field_message.hide()

    def _fields_edited(self) -> None:
        self.save_button.setEnabled(self._row is not None)

    # -- actions -----------------------------------------------------------------------
    def _start(self, coro: Any, **kwargs: Any) -> None:
        if self._runner is None:
            coro.close()
            return
        self._runner.start(coro, **kwargs)

    def save_fields(self) -> None:
        if self._core is None or self._row is None:
            return
        dob = parse_dob(self.dob_edit.text())
        if dob is False:
            self.field_message.setText(self.tr("Please enter the date of birth as "
                                               "DD.MM.YYYY."))
            self.field_message.show()
            return
        self.field_message.hide()
        caller = CallerFields(self.name_edit.text().strip() or None,
                              dob if isinstance(dob, str) else None,
                              self.phone_edit.text().strip() or None)
        category = str(self.category_combo.currentData() or "other")
        self.save_button.setEnabled(False)
        self._start(self._core.update_call(self._row.id, caller=caller, category=category),
                    name="call-save")

    def toggle_done(self) -> None:
        if self._core is None or self._row is None:
            return
        status = CallStatus.IN_PROGRESS if self._row.status is CallStatus.DONE \
            else CallStatus.DONE
        self._start(self._core.update_call(self._row.id, status=status), name="call-status")

    def assign(self, user_id: str | None) -> None:
        if self._core is None or self._row is None:
            return
        if user_id is None:
            coro = self._core.update_call(self._row.id, clear_assignee=True)
        else:
            coro = self._core.update_call(self._row.id, assignee_user_id=user_id)
        self._start(coro, name="call-assign")

    def _fill_assign_menu(self) -> None:
        self.assign_menu.clear()
        nobody = self.assign_menu.addAction(self.tr("Nobody"))
        nobody.triggered.connect(lambda: self.assign(None))
        self.assign_menu.addSeparator()
        for uid, name in self._users:
            action = self.assign_menu.addAction(name)
            action.triggered.connect(lambda _checked=False, uid=uid: self.assign(uid))

    def copy_number(self) -> None:
        number = self._row.callback_number if self._row is not None else None
        if number:
            QApplication.clipboard().setText(number)
            self.action_message.setText(self.tr("Number copied."))

    def dial_url(self) -> QUrl | None:
        number = self._row.callback_number if self._row is not None else None
        if not number:
            return None
        return QUrl("tel:" + re.sub(r"[^\d+]", "", number))

    def dial(self) -> None:
        url = self.dial_url()
        if url is not None and not QDesktopServices.openUrl(url):
            self.action_message.setText(self.tr("No phone application is set up for "
                                                "dialling on this computer."))

    def take_as_inquiry(self) -> None:
        if self._core is None or self._row is None:
            return
        self.inquiry_button.setEnabled(False)
        self.action_message.setText(self.tr("Creating the inquiry…"))

        def done(taken: TakenInquiry) -> None:
            self.action_message.setText(self.tr("The inquiry is in the inbox."))
            self.inquiry_button.setEnabled(True)
            if taken.conversation_id:
                self.inquiryOpened.emit(taken.conversation_id)

        def failed(exc: BaseException) -> bool:
            self.inquiry_button.setEnabled(True)
            if not isinstance(exc, ApiError):
                return False  # a bug: the reporter shows it
            if exc.status == 422:
                self.action_message.setText(self.tr(
                    "To find or create the patient, enter the caller's name and date of "
                    "birth and save them first."))
            elif exc.status == 409:
                self.action_message.setText(self.tr("The call is still being analysed; "
                                                    "please try again in a moment."))
            else:
                self.action_message.setText(self.tr(
                    "The inquiry could not be created. Please try again when the server is "
                    "reachable."))
            return True

        self._start(self._core.take_call_as_inquiry(self._row.id), on_success=done,
                    on_error=failed, name="call-inquiry")

    # -- playback ----------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self._row is None or self._core is None or self._loading_audio:
            return
        if self.player is not None and self.player.playing:
            self.player.pause()
            self._update_play_text()
            return
        if self.player is not None and self._player_call == self._row.id:
            self._start_player()
            return
        call_id = self._row.id
        self._loading_audio = True
        self.play_button.setEnabled(False)

        def loaded(data: bytes) -> None:
            self._loading_audio = False
            self.play_button.setEnabled(True)
            if self._row is None or self._row.id != call_id:
                return  # another call opened meanwhile
            try:
                self.player = AudioPlayer(data)
            except AudioFormatError:
                self._show_audio_message(self.tr("The recording cannot be played (unknown "
                                                 "format)."))
                return
            self._player_call = call_id
            self.player.set_speed(float(self.speed_combo.currentData() or 1.0))
            self._update_position()
            self._start_player()

        def failed(_exc: BaseException) -> bool:
            self._loading_audio = False
            self.play_button.setEnabled(True)
            self._show_audio_message(self.tr("The recording could not be loaded. It may "
                                             "have been deleted, or the server is not "
                                             "reachable."))
            return True

        self._start(self._core.fetch_call_recording(call_id), on_success=loaded,
                    on_error=failed, name="call-recording")

    def _start_player(self) -> None:
        assert self.player is not None
        try:
            self.player.play()
        except AudioUnavailable:
            self._show_audio_message(no_audio_message())
            return
        self.audio_message.hide()
        self.timer.start()
        self._update_play_text()

    def _show_audio_message(self, text: str) -> None:
        self.audio_message.setText(text)
        self.audio_message.show()
        self._update_play_text()

    def _drop_player(self) -> None:
        self.timer.stop()
        if self.player is not None:
            self.player.close()
        self.player = None  # the recording's bytes go with it
        self._player_call = None

    def _seek_to_slider(self, value: int) -> None:
        if self.player is not None:
            self.player.seek(value / SLIDER_STEPS_PER_SECOND)
            self._update_position()

    def _speed_changed(self, _index: int) -> None:
        if self.player is not None:
            self.player.set_speed(float(self.speed_combo.currentData() or 1.0))

    def _tick(self) -> None:
        self._update_position()
        if self.player is None or not self.player.playing:
            self.timer.stop()
            self._update_play_text()

    def _update_position(self) -> None:
        if self.player is None:
            duration = float(self._row.duration_seconds or 0) if self._row else 0.0
            position = 0.0
        else:
            duration, position = self.player.duration, self.player.position
        self.position_slider.setRange(0, int(duration * SLIDER_STEPS_PER_SECOND))
        if not self.position_slider.isSliderDown():
            self.position_slider.setValue(int(position * SLIDER_STEPS_PER_SECOND))
        self.position_label.setText(f"{duration_text(position)} / {duration_text(duration)}")

    def _update_play_text(self) -> None:
        playing = self.player is not None and self.player.playing
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))

    def close_audio(self) -> None:
        self._drop_player()

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.empty_label.setText(self.tr("Choose a call on the left."))
        self.transcript_title.setText(self.tr("Transcript"))
        self.name_title.setText(self.tr("Name"))
        self.dob_title.setText(self.tr("Date of birth"))
        self.dob_edit.setPlaceholderText(self.tr("DD.MM.YYYY"))
        self.phone_title.setText(self.tr("Callback number"))
        self.category_title.setText(self.tr("Category"))
        current = self.category_combo.currentData()
        self.category_combo.clear()
        for category in CATEGORIES:
            self.category_combo.addItem(category_label(category), category)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(current)))
        self.save_button.setText(self.tr("Save"))
        self.assign_button.setText(self.tr("Assign"))
        self.copy_button.setText(self.tr("Copy number"))
        self.dial_button.setText(self.tr("Call"))
        self._fill_assign_menu()
        if self._row is not None:
            self.show_call(self._row, keep_edits=True)
        else:
            self.done_button.setText(self.tr("Done"))
            self.inquiry_button.setText(self.tr("Take as inquiry"))
            self._update_play_text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
