"""Playback of a call recording (16-bit PCM WAV bytes, held in memory only).

:class:`PlaybackBuffer` is the device-independent part: the samples, the play position, the
speed and ``render(frames)``, which the output callback calls on PortAudio's thread. It is
thread-safe (one lock; the callback only copies) and answers silence when paused, at the end,
or when asked for more than is left (an underrun never repeats or garbles audio).
:class:`AudioPlayer` connects it to a sounddevice ``OutputStream`` opened on first play.

Speed 1.5x resamples by linear interpolation (the pitch rises with the speed; for reviewing a
spoken message that stays intelligible and costs nothing).
"""

from __future__ import annotations

import io
import logging
import threading
import wave
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

SPEEDS = (1.0, 1.5)
BLOCK_FRAMES = 1024

Samples = npt.NDArray[np.float32]


class AudioUnavailable(Exception):
    """No audio output here (no device, no PortAudio library, or the device refused)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AudioFormatError(ValueError):
    """The recording is not a 16-bit PCM WAV file."""


def decode_wav(data: bytes) -> tuple[Samples, int]:
    """16-bit PCM WAV bytes -> (mono float32 samples in [-1, 1], sample rate)."""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            if wav.getsampwidth() != 2:
                raise AudioFormatError("only 16-bit PCM WAV recordings can be played")
            channels, rate = wav.getnchannels(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise AudioFormatError(f"not a playable WAV recording ({exc})") from exc
    pcm = np.frombuffer(raw, dtype="<i2")
    if channels > 1:
        pcm = pcm[: len(pcm) - len(pcm) % channels].reshape(-1, channels).mean(axis=1)
    return (pcm.astype(np.float32) / 32768.0), int(rate)


class PlaybackBuffer:
    """Samples, position and speed; ``render`` produces the next output block."""

    def __init__(self, samples: Samples, rate: int, output_rate: int | None = None) -> None:
        if rate <= 0:
            raise AudioFormatError("the recording has no sample rate")
        self._samples = np.ascontiguousarray(samples, dtype=np.float32)
        self.rate = rate
        self.output_rate = output_rate or rate
        self._lock = threading.Lock()
        self._position = 0.0  # in source samples (fractional while resampling)
        self._speed = 1.0
        self._playing = False
        self.underruns = 0  # blocks that ended early (end of the recording): padded silence

    # -- state --------------------------------------------------------------------------
    @property
    def duration(self) -> float:
        return len(self._samples) / self.rate

    @property
    def position(self) -> float:
        with self._lock:
            return self._position / self.rate

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def at_end(self) -> bool:
        with self._lock:
            return self._position >= len(self._samples)

    def set_playing(self, playing: bool) -> None:
        with self._lock:
            if playing and self._position >= len(self._samples):
                self._position = 0.0  # play after the end starts over
            self._playing = playing

    def seek(self, seconds: float) -> None:
        with self._lock:
            self._position = float(min(max(seconds, 0.0), self.duration) * self.rate)

    def set_speed(self, speed: float) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}")
        with self._lock:
            self._speed = speed

    # -- the output callback's side ------------------------------------------------------
    def render(self, frames: int) -> Samples:
        """The next ``frames`` output samples (mono float32); silence when paused or past
        the end. Stops playing at the end of the recording."""
        out = np.zeros(frames, dtype=np.float32)
        with self._lock:
            total = len(self._samples)
            if not self._playing or frames <= 0:
                return out
            if self._position >= total:
                self._playing = False
                return out
            step = self._speed * self.rate / self.output_rate
            positions = self._position + step * np.arange(frames, dtype=np.float64)
            valid = int(np.searchsorted(positions, total - 1, side="right"))
            if step == 1.0 and self._position.is_integer():
                start = int(self._position)
                valid = min(frames, total - start)
                out[:valid] = self._samples[start:start + valid]
            elif valid > 0:
                xs = positions[:valid]
                left = xs.astype(np.int64)
                right = np.minimum(left + 1, total - 1)
                frac = (xs - left).astype(np.float32)
                out[:valid] = self._samples[left] * (1 - frac) + self._samples[right] * frac
            if valid < frames:
                self.underruns += 1
                self._position = float(total)
                self._playing = False
            else:
                self._position += step * frames
        return out


def _sounddevice() -> Any:
    """The sounddevice module, or AudioUnavailable (the import itself fails without the
    PortAudio library)."""
    try:
        import sounddevice  # type: ignore[import-untyped]
    except (OSError, ImportError) as exc:
        raise AudioUnavailable(f"PortAudio is not available ({exc})") from exc
    return sounddevice


def _output_error(exc: Exception) -> AudioUnavailable:
    return AudioUnavailable(f"no audio output device ({exc})")


class AudioPlayer:
    """Plays one recording through the default output device."""

    def __init__(self, wav_bytes: bytes) -> None:
        samples, rate = decode_wav(wav_bytes)
        self.buffer = PlaybackBuffer(samples, rate)
        self._stream: Any = None

    @property
    def duration(self) -> float:
        return self.buffer.duration

    @property
    def position(self) -> float:
        return self.buffer.position

    @property
    def playing(self) -> bool:
        return self.buffer.playing

    def _callback(self, outdata: Any, frames: int, _time: Any, _status: Any) -> None:
        outdata[:, 0] = self.buffer.render(frames)

    def _open(self) -> None:
        if self._stream is not None:
            return
        sd = _sounddevice()
        try:
            stream = sd.OutputStream(samplerate=self.buffer.output_rate, channels=1,
                                     dtype="float32", blocksize=BLOCK_FRAMES,
                                     callback=self._callback)
            stream.start()
        except (sd.PortAudioError, OSError, ValueError) as exc:
            raise _output_error(exc) from exc
        self._stream = stream

    def play(self) -> None:
        """Start or resume; raises AudioUnavailable when there is no output."""
        self._open()
        self.buffer.set_playing(True)

    def pause(self) -> None:
        self.buffer.set_playing(False)

    def seek(self, seconds: float) -> None:
        self.buffer.seek(seconds)

    def set_speed(self, speed: float) -> None:
        self.buffer.set_speed(speed)

    def close(self) -> None:
        self.buffer.set_playing(False)
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception as exc:  # closing a dead device must not take the UI along
                log.info("audio stream close failed (%s)", type(exc).__name__)


def alert_tone(rate: int = 16000) -> Samples:
    """Two short high beeps: noticeable, not alarming."""
    t = np.arange(int(rate * 0.18), dtype=np.float32) / rate
    beep = (0.4 * np.sin(2 * np.pi * 880.0 * t)).astype(np.float32)
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01).astype(np.float32)
    gap = np.zeros(int(rate * 0.12), dtype=np.float32)
    return np.concatenate([beep * fade, gap, beep * fade]).astype(np.float32)


def play_alert() -> str | None:
    """Play the urgent-call alert without waiting; returns None when it plays, else the
    reason it cannot (no device): the banner and notification carry the alert then."""
    try:
        sd = _sounddevice()
    except AudioUnavailable as exc:
        return exc.reason
    try:
        sd.play(alert_tone(), 16000, blocking=False)
    except (sd.PortAudioError, OSError, ValueError) as exc:
        return _output_error(exc).reason
    return None
