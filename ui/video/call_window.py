"""The physician's call window: remote picture, self view, mute, camera, hang up, devices and
the connection quality.

Frames: the engine drains the remote track into a ``LatestFrameSink`` on the asyncio loop
(the GUI thread under qasync); a QTimer takes the newest frame ~30 times a second, converts it
to a QImage and repaints. A slow repaint therefore drops frames instead of queueing them.
Closing the window hangs up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, ClassVar

from app.api.errors import ApiError, Conflict, Forbidden
from app.video.appointments import VideoService
from app.video.stats import QualitySample
from ui.qt import (
    QCloseEvent,
    QColor,
    QComboBox,
    QCoreApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QImage,
    QLabel,
    QPainter,
    QPaintEvent,
    QPushButton,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from av import VideoFrame

    from app.video.devices import DeviceReport
    from app.video.engine import CallEngine, CallOptions
    from app.video.session import PhysicianCall
    from app.video.sink import LatestFrameSink

log = logging.getLogger(__name__)

FRAME_INTERVAL_MS = 33

# Thresholds of the quality dot (the same as the adaptation's "bad"/"good", adapt.py).
GOOD, FAIR, POOR = "good", "fair", "poor"
DOT_COLOURS = {GOOD: "#2e9d57", FAIR: "#e0a526", POOR: "#d0443e", None: "#9aa0a8"}


def quality_level(sample: QualitySample | None) -> str | None:
    if sample is None or (sample.loss_pct is None and sample.rtt_ms is None):
        return None
    loss = sample.loss_pct or 0.0
    rtt = sample.rtt_ms or 0.0
    if loss >= 5.0 or rtt >= 400.0:
        return POOR
    if loss <= 1.0 and rtt <= 200.0:
        return GOOD
    return FAIR


def frame_to_image(frame: VideoFrame) -> QImage:
    rgb = frame.to_ndarray(format="rgb24")
    height, width = rgb.shape[0], rgb.shape[1]
    # QImage borrows the buffer; copy() gives it its own before the array goes away.
    return QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888).copy()


class VideoView(QWidget):
    """Draws the newest QImage, scaled to fit with its aspect ratio; a text when there is
    none (yet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.placeholder = ""
        self.frames_shown = 0
        self.overlay: QWidget | None = None  # the self view, kept in the bottom right corner
        self.framed = False  # a thin light edge sets the self view off the remote picture
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(QSize(160, 120))

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        if image is not None:
            self.frames_shown += 1
        self.update()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.overlay is not None:
            self.overlay.move(self.width() - self.overlay.width() - 10,
                              self.height() - self.overlay.height() - 10)
            self.overlay.raise_()

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#15181d"))
        image = self.image
        if image is not None and not image.isNull():
            size = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(self.rect().center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        if self.placeholder:
            painter.setPen(QColor("#e8eaee"))
            painter.drawText(QRectF(self.rect()).adjusted(8, 8, -8, -8),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self.placeholder)
        if self.framed:
            painter.setPen(QColor("#e8eaee"))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class QualityDot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level: str | None = None
        self.setFixedSize(14, 14)

    def set_level(self, level: str | None) -> None:
        self.level = level
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(DOT_COLOURS.get(self.level, "#9aa0a8")))
        painter.drawEllipse(QRectF(1, 1, 12, 12))
        painter.end()


def missing_devices_text(missing: list[str]) -> str:
    lines = []
    if "camera" in missing:
        lines.append(QCoreApplication.translate(
            "CallWindow", "No camera found: the patient sees a test picture instead of you."))
    if "microphone" in missing:
        lines.append(QCoreApplication.translate(
            "CallWindow", "No microphone found: the patient cannot hear you."))
    if "speaker" in missing:
        lines.append(QCoreApplication.translate(
            "CallWindow", "No speakers found: you cannot hear the patient."))
    return "\n".join(lines)


class CallWindow(QWidget):
    """One call. ``start()`` admits the waiting patient and connects; ``finished`` is emitted
    once when the call is over and the window closed."""

    finished = Signal()
    stateChanged = Signal(str)

    # Chosen devices, kept for the next call of this session (the engine opens devices when
    # a call starts; switching during a call would need a renegotiation).
    preferred: ClassVar[dict[str, Any]] = {"camera": None, "microphone": None, "speaker": None}

    def __init__(self, service: VideoService, runner: TaskRunner, appointment_id: str,
                 patient_name: str, options: CallOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("callWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.service = service
        self.runner = runner
        self.appointment_id = appointment_id
        self.patient_name = patient_name
        self.options = options
        self.call: PhysicianCall | None = None
        self.engine: CallEngine | None = None
        self.remote_sink: LatestFrameSink | None = None
        self.local_sink: LatestFrameSink | None = None
        self.last_sample: QualitySample | None = None
        self.error_text = ""
        self.state = "starting"
        self._ending = False
        self._finished = False
        self._task: asyncio.Task[None] | None = None

        self.remote_view = VideoView()
        self.remote_view.setObjectName("remoteVideo")
        self.remote_view.setMinimumSize(QSize(480, 360))
        self.self_view = VideoView(self.remote_view)
        self.self_view.setObjectName("selfView")
        self.self_view.setFixedSize(QSize(176, 132))
        self.remote_view.overlay = self.self_view
        self.self_view.framed = True

        self.status_label = QLabel()
        self.status_label.setObjectName("callStatus")
        self.dot = QualityDot()
        self.quality_label = QLabel()
        self.quality_label.setObjectName("callQuality")
        self.devices_label = QLabel()
        self.devices_label.setObjectName("missingDevices")
        self.devices_label.setWordWrap(True)
        self.devices_label.setStyleSheet("color: #8a5a00;")
        self.devices_label.hide()

        self.mute_button = QPushButton()
        self.mute_button.setObjectName("muteButton")
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self._mute_toggled)
        self.camera_button = QPushButton()
        self.camera_button.setObjectName("cameraButton")
        self.camera_button.setCheckable(True)
        self.camera_button.toggled.connect(self._camera_toggled)
        self.hangup_button = QPushButton()
        self.hangup_button.setObjectName("hangupButton")
        self.hangup_button.setStyleSheet(
            "QPushButton#hangupButton { background: #d0443e; color: white; font-weight: 600;"
            " border-radius: 6px; padding: 6px 18px; }")
        self.hangup_button.clicked.connect(self.hangup)

        self.camera_combo = QComboBox()
        self.camera_combo.setObjectName("cameraCombo")
        self.microphone_combo = QComboBox()
        self.microphone_combo.setObjectName("microphoneCombo")
        self.speaker_combo = QComboBox()
        self.speaker_combo.setObjectName("speakerCombo")
        for combo, key in ((self.camera_combo, "camera"), (self.microphone_combo, "microphone"),
                           (self.speaker_combo, "speaker")):
            combo.activated.connect(lambda _i, c=combo, k=key: self._device_chosen(k, c))
        self.devices_hint = QLabel()
        self.devices_hint.setObjectName("secondaryText")
        self.devices_hint.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        top.addWidget(self.dot)
        top.addWidget(self.quality_label)
        controls = QHBoxLayout()
        controls.addWidget(self.mute_button)
        controls.addWidget(self.camera_button)
        controls.addStretch(1)
        controls.addWidget(self.hangup_button)
        devices = QFrame()
        devices.setObjectName("callDevices")
        form = QFormLayout(devices)
        form.setContentsMargins(0, 0, 0, 0)
        self.camera_caption = QLabel()
        self.microphone_caption = QLabel()
        self.speaker_caption = QLabel()
        form.addRow(self.camera_caption, self.camera_combo)
        form.addRow(self.microphone_caption, self.microphone_combo)
        form.addRow(self.speaker_caption, self.speaker_combo)
        form.addRow(self.devices_hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.remote_view, 1)
        layout.addWidget(self.devices_label)
        layout.addLayout(controls)
        layout.addWidget(devices)

        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_INTERVAL_MS)
        self._timer.timeout.connect(self._pull_frames)
        self.retranslate()
        self.resize(820, 700)

    # -- life of the call ---------------------------------------------------------------
    def start(self) -> None:
        self._set_state("starting")
        self._task = self.runner.start(self._run(), on_error=self._failed, name="video-call")

    def _call_options(self) -> CallOptions:
        import dataclasses

        from app.video.engine import CallOptions

        options = dataclasses.replace(self.options) if self.options else CallOptions()
        preferred = CallWindow.preferred
        if options.use_devices:
            options.camera_url = preferred["camera"]
            options.microphone_index = preferred["microphone"]
            options.speaker_index = preferred["speaker"]
        return options

    async def _run(self) -> None:
        from app.video.devices import enumerate_devices
        from app.video.preview import attach_preview

        options = self._call_options()
        report = await asyncio.to_thread(enumerate_devices) if options.use_devices else None
        self._fill_devices(report)
        call = self.service.new_call(self.appointment_id, options,
                                     on_state=self._on_engine_state,
                                     on_quality=self._on_quality)
        self.call = call
        engine = await call.start()
        self.engine = engine
        self.remote_sink = engine.remote_video
        self.local_sink = attach_preview(engine)
        engine.set_muted(self.mute_button.isChecked())
        engine.set_camera_enabled(not self.camera_button.isChecked())
        self._show_missing(engine.missing_devices)
        self._set_state("connecting")
        self._timer.start()
        reason = await call.wait()
        log.info("video call ended (%s)", reason)
        if not self._ending:
            self.status_text_after_end(reason)
            self._end()

    def status_text_after_end(self, reason: str) -> None:
        self.error_text = ""
        if reason == "failed":
            self.error_text = self.tr("The connection to the patient failed.")

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, Forbidden):
            self.error_text = self.tr("Only physicians can admit patients into a video call.")
        elif isinstance(exc, Conflict):
            self.error_text = self.tr("The patient is no longer in the waiting room.")
        elif isinstance(exc, ApiError | OSError | TimeoutError):
            self.error_text = self.tr("The video call could not be started.")
        else:
            self.error_text = self.tr("The video call could not be started.")
            log.warning("video call failed (%s)", type(exc).__name__)
        self._end()
        return True

    def hangup(self) -> None:
        if self._ending:
            return
        self._ending = True
        self._set_state("ending")
        self.hangup_button.setEnabled(False)
        self.runner.start(self._hangup(), on_error=lambda _exc: True, name="video-hangup")

    async def end(self) -> None:
        """Hang up and wait until the call is closed (application shutdown)."""
        if self._finished:
            return
        self._ending = True
        self._set_state("ending")
        await self._hangup()

    async def _hangup(self) -> None:
        try:
            if self.call is not None and self.engine is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.call.hangup(), 8)
            elif self._task is not None and not self._task.done():
                # Still admitting: stop that; PhysicianCall closes its socket on cancel.
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._task
        finally:
            self._end()

    def _end(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self._set_state("ended")
        self.hide()
        self.finished.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window is hanging up.
        if not self._finished:
            self.hangup()
        super().closeEvent(event)

    @property
    def ended(self) -> bool:
        return self._finished

    # -- engine callbacks (asyncio loop = GUI thread under qasync) ------------------------
    def _on_engine_state(self, state: str) -> None:
        if state == "connected":
            self._set_state("connected")
        elif state in ("failed", "disconnected"):
            self._set_state(state)

    def _on_quality(self, sample: QualitySample) -> None:
        self.last_sample = sample
        self.dot.set_level(quality_level(sample))
        self.quality_label.setText(self.quality_numbers(sample))

    def quality_numbers(self, sample: QualitySample | None) -> str:
        if sample is None:
            return self.tr("Quality: not measured yet")
        # An unmeasured value (RTT needs one RTCP round) is a dash, not "– ms".
        rtt = "–" if sample.rtt_ms is None else f"{sample.rtt_ms:.0f} ms"
        loss = "–" if sample.loss_pct is None else f"{sample.loss_pct:.1f} %"
        kbps = "–" if sample.send_kbps is None else f"{sample.send_kbps:.0f} kbit/s"
        return self.tr("RTT %1 · loss %2 · %3").replace("%1", rtt).replace(
            "%2", loss).replace("%3", kbps)

    def _pull_frames(self) -> None:
        if self.remote_sink is not None:
            frame = self.remote_sink.take()
            if frame is not None:
                self.remote_view.set_placeholder("")
                self.remote_view.set_image(frame_to_image(frame))
        if self.local_sink is not None:
            frame = self.local_sink.take()
            if frame is not None and not self.camera_button.isChecked():
                self.self_view.set_image(frame_to_image(frame))

    # -- controls -----------------------------------------------------------------------
    def _mute_toggled(self, muted: bool) -> None:
        if self.engine is not None:
            self.engine.set_muted(muted)
        self._update_buttons()

    def _camera_toggled(self, off: bool) -> None:
        if self.engine is not None:
            self.engine.set_camera_enabled(not off)
        if off:
            self.self_view.set_image(None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.mute_button.setText(self.tr("Unmute") if self.mute_button.isChecked()
                                 else self.tr("Mute"))
        self.camera_button.setText(self.tr("Camera on") if self.camera_button.isChecked()
                                   else self.tr("Camera off"))
        self.self_view.set_placeholder(self.tr("Camera off")
                                       if self.camera_button.isChecked() else "")

    def _fill_devices(self, report: DeviceReport | None) -> None:
        cameras = [(c.name, c.url) for c in report.cameras] if report else []
        mics = [(m.name, m.index) for m in report.microphones] if report else []
        speakers = [(s.name, s.index) for s in report.speakers] if report else []
        for combo, items, none_text, key in (
                (self.camera_combo, cameras, self.tr("No camera found"), "camera"),
                (self.microphone_combo, mics, self.tr("No microphone found"), "microphone"),
                (self.speaker_combo, speakers, self.tr("No speakers found"), "speaker")):
            combo.clear()
            for name, value in items:
                combo.addItem(name, value)
            if not items:
                combo.addItem(none_text, None)
            combo.setEnabled(bool(items))
            index = combo.findData(CallWindow.preferred[key]) if items else -1
            combo.setCurrentIndex(max(0, index))

    def _device_chosen(self, key: str, combo: QComboBox) -> None:
        CallWindow.preferred[key] = combo.currentData()

    def _show_missing(self, missing: list[str]) -> None:
        text = missing_devices_text(missing)
        self.devices_label.setText(text)
        self.devices_label.setVisible(bool(text))

    def _set_state(self, state: str) -> None:
        self.state = state
        texts = {
            "starting": self.tr("Admitting %1…"),
            "connecting": self.tr("Connecting with %1…"),
            "connected": self.tr("In call with %1"),
            "disconnected": self.tr("Connection to %1 interrupted…"),
            "failed": self.tr("Connection to %1 failed"),
            "ending": self.tr("Ending the call…"),
            "ended": self.tr("Call ended"),
        }
        self.status_label.setText(texts.get(state, state).replace("%1", self.patient_name))
        if state in ("starting", "connecting") and self.remote_view.image is None:
            self.remote_view.set_placeholder(self.tr("Waiting for the patient's picture…"))
        self.stateChanged.emit(state)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Video call – %1").replace("%1", self.patient_name))
        self.hangup_button.setText(self.tr("Hang up"))
        self.camera_caption.setText(self.tr("Camera:"))
        self.microphone_caption.setText(self.tr("Microphone:"))
        self.speaker_caption.setText(self.tr("Speakers:"))
        self.devices_hint.setText(self.tr("A changed device is used from the next call on."))
        self.quality_label.setText(self.quality_numbers(self.last_sample))
        self._update_buttons()
        self._set_state(self.state)
