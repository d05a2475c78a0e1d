"""Call audio: microphone capture and speaker playout through sounddevice at 48 kHz.

PortAudio calls back on its own thread; the call runs on the asyncio loop. Between them sit
fixed-size ring buffers: a slow reader gets silence (underrun), a slow writer loses the oldest
samples (overrun) so latency and memory stay bounded. Without a device (no PortAudio library,
no microphone, no speaker) nothing crashes: the microphone becomes silence and the playout a
null sink that still drains the remote track.
"""

from __future__ import annotations

import asyncio
import fractions
import logging
import threading
import time
from typing import Any

import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame, AudioResampler

log = logging.getLogger(__name__)

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms, what Opus packs per packet
AUDIO_TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)
RING_SECONDS = 0.5


class AudioRingBuffer:
    """Mono int16 samples, thread-safe, fixed capacity."""

    def __init__(self, capacity: int = int(SAMPLE_RATE * RING_SECONDS)) -> None:
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self._buf = np.zeros(capacity, dtype=np.int16)
        self._capacity = capacity
        self._start = 0
        self._size = 0
        self._lock = threading.Lock()
        self.overrun_samples = 0
        self.underrun_samples = 0
        self.underruns = 0

    @property
    def capacity(self) -> int:
        return self._capacity

    def __len__(self) -> int:
        with self._lock:
            return self._size

    def write(self, samples: np.ndarray) -> None:
        data = np.asarray(samples, dtype=np.int16).ravel()
        with self._lock:
            if len(data) >= self._capacity:
                # Only the newest capacity samples survive.
                self.overrun_samples += self._size + len(data) - self._capacity
                data = data[-self._capacity:]
                self._start, self._size = 0, 0
            excess = self._size + len(data) - self._capacity
            if excess > 0:
                self.overrun_samples += excess
                self._start = (self._start + excess) % self._capacity
                self._size -= excess
            end = (self._start + self._size) % self._capacity
            first = min(len(data), self._capacity - end)
            self._buf[end:end + first] = data[:first]
            self._buf[:len(data) - first] = data[first:]
            self._size += len(data)

    def read(self, count: int) -> np.ndarray:
        """Exactly ``count`` samples; what is missing is silence."""
        out = np.zeros(count, dtype=np.int16)
        with self._lock:
            take = min(count, self._size)
            first = min(take, self._capacity - self._start)
            out[:first] = self._buf[self._start:self._start + first]
            out[first:take] = self._buf[:take - first]
            self._start = (self._start + take) % self._capacity
            self._size -= take
            if take < count:
                self.underruns += 1
                self.underrun_samples += count - take
        return out


def _sounddevice() -> Any | None:
    """The module, or None when the PortAudio library itself is missing (OSError at import)."""
    try:
        import sounddevice  # type: ignore[import-untyped]
    except OSError:
        return None
    return sounddevice


def _audio_error_types() -> tuple[type[BaseException], ...]:
    sd = _sounddevice()
    base: tuple[type[BaseException], ...] = (OSError, ValueError, RuntimeError)
    return (sd.PortAudioError, *base) if sd is not None else base


class PacedAudioTrack(MediaStreamTrack):
    """20 ms frames of mono s16 at 48 kHz, paced by the wall clock."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._samples = 0
        self._start: float | None = None
        self.muted = False

    def _next_samples(self) -> np.ndarray:
        raise NotImplementedError

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        now = time.monotonic()
        if self._start is None:
            self._start = now
        due = self._start + self._samples / SAMPLE_RATE
        if due > now:
            await asyncio.sleep(due - now)
        samples = self._next_samples()
        if self.muted:
            samples = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._samples
        frame.time_base = AUDIO_TIME_BASE
        self._samples += FRAME_SAMPLES
        return frame


class SyntheticAudioTrack(PacedAudioTrack):
    """Silence (no microphone), or a quiet tone for tests and benchmarks."""

    def __init__(self, tone_hz: float | None = None) -> None:
        super().__init__()
        self.tone_hz = tone_hz

    def _next_samples(self) -> np.ndarray:
        if self.tone_hz is None:
            return np.zeros(FRAME_SAMPLES, dtype=np.int16)
        t = (self._samples + np.arange(FRAME_SAMPLES)) / SAMPLE_RATE
        return (3000 * np.sin(2 * np.pi * self.tone_hz * t)).astype(np.int16)


class MicrophoneTrack(PacedAudioTrack):
    """Reads the capture ring buffer every 20 ms (silence when the device fell behind)."""

    def __init__(self, ring: AudioRingBuffer) -> None:
        super().__init__()
        self.ring = ring

    def _next_samples(self) -> np.ndarray:
        return self.ring.read(FRAME_SAMPLES)


class _DeviceStream:
    """A sounddevice stream at the call's format feeding or draining ``self.ring``; opening
    fails softly (the reason kept in ``error``) when there is no usable device."""

    # "microphone" / "speaker": the words of the log lines
    role = ""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self.ring = AudioRingBuffer()
        self._stream: Any = None
        self.error: str | None = None

    def _open_stream(self, stream_type: str, callback: Any) -> bool:
        sd = _sounddevice()
        if sd is None:
            self.error = "PortAudio library not available"
            return False
        try:
            stream = getattr(sd, stream_type)(samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                                              blocksize=FRAME_SAMPLES, device=self.device,
                                              callback=callback)
            stream.start()
        except _audio_error_types() as exc:
            self.error = type(exc).__name__
            log.info("no %s: %s", self.role, self.error)
            return False
        self._stream = stream
        return True

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except _audio_error_types():
                log.info("%s did not close cleanly", self.role)


class MicrophoneCapture(_DeviceStream):
    """A sounddevice InputStream feeding a ring buffer. ``open()`` answers False (and keeps
    the reason) when there is no usable microphone."""

    role = "microphone"

    def open(self) -> bool:
        return self._open_stream("InputStream", self._callback)

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self.ring.write(indata[:, 0])

    def track(self) -> MicrophoneTrack:
        return MicrophoneTrack(self.ring)

    def close(self) -> None:
        self._close_stream()


class SpeakerPlayout(_DeviceStream):
    """Drains a remote audio track into the speaker (via a ring buffer and an OutputStream
    callback). Without a speaker the frames are still drained and counted: an unread aiortc
    track would queue every decoded frame for the whole call."""

    role = "speaker"

    def __init__(self, device: int | str | None = None) -> None:
        super().__init__(device)
        self.frames = 0
        self._task: asyncio.Task[None] | None = None
        self._resampler = AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        self.muted = False

    @property
    def has_device(self) -> bool:
        return self._stream is not None

    def open(self) -> bool:
        return self._open_stream("OutputStream", self._callback)

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        outdata[:, 0] = self.ring.read(frames)

    def feed(self, frame: AudioFrame) -> None:
        self.frames += 1
        if self._stream is None:
            return
        for out in self._resampler.resample(frame):
            samples = out.to_ndarray().ravel()
            self.ring.write(np.zeros_like(samples) if self.muted else samples)

    def start(self, track: MediaStreamTrack) -> None:
        self._task = asyncio.ensure_future(self._drain(track))

    async def _drain(self, track: MediaStreamTrack) -> None:
        try:
            while True:
                frame = await track.recv()
                if isinstance(frame, AudioFrame):
                    self.feed(frame)
        except MediaStreamError:
            return

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        self._close_stream()
