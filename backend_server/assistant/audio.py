"""Decoding call recordings with PyAV: whatever a telephony system hands in becomes 16 kHz mono
float32 samples for speech-to-text, or a plain 16-bit WAV for playback in the client.

Accepted: WAV (μ-law, A-law, PCM at any rate), MP3, OGG/Opus/Vorbis, FLAC and anything else
FFmpeg recognises by content. Recordings longer than ``MAX_SECONDS`` are refused rather than
decoded, so a hostile or broken upload cannot hold a worker for hours. Error messages name the
problem, never the content or the file name (file names may hold caller details).
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Final, Literal

import av
import av.error
import numpy as np
import numpy.typing as npt

SAMPLE_RATE: Final = 16_000
# Phone messages are short; 15 minutes is far above any Record maxLength a practice would set.
MAX_SECONDS: Final = 15 * 60

Samples = npt.NDArray[np.float32]


class AudioDecodeError(ValueError):
    """The input is empty, not audio, unreadable or too long."""


def _open(data: bytes | Path) -> av.container.InputContainer:
    if isinstance(data, Path):
        if not data.is_file():
            raise AudioDecodeError("the recording file does not exist")
        if data.stat().st_size == 0:
            raise AudioDecodeError("the recording is empty (0 bytes)")
        source: str | io.BytesIO = str(data)
    else:
        if not data:
            raise AudioDecodeError("the recording is empty (0 bytes)")
        source = io.BytesIO(data)
    try:
        return av.open(source, mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise AudioDecodeError(f"not a recognised audio format ({type(exc).__name__})") from None


def _frames(data: bytes | Path, *, rate: int | None, fmt: Literal["flt", "s16"],
            ) -> Iterator[tuple[npt.NDArray[np.generic], int]]:
    """Mono frames as numpy arrays with their sample rate (the source's when ``rate`` is None),
    stopping with AudioDecodeError once more than MAX_SECONDS have come out."""
    container = _open(data)
    with container:
        if not container.streams.audio:
            raise AudioDecodeError("the file holds no audio stream")
        stream = container.streams.audio[0]
        if container.duration is not None and container.duration / av.time_base > MAX_SECONDS:
            raise AudioDecodeError(
                f"the recording is longer than the {MAX_SECONDS // 60} minutes allowed")
        resampler: av.AudioResampler | None = None
        produced = 0
        limit: int | None = None
        try:
            for frame in container.decode(stream):
                if resampler is None:
                    out_rate = rate or frame.sample_rate
                    limit = out_rate * MAX_SECONDS
                    resampler = av.AudioResampler(format=fmt, layout="mono", rate=out_rate)
                for out in resampler.resample(frame):
                    array = out.to_ndarray().reshape(-1)
                    produced += array.shape[0]
                    if limit is not None and produced > limit:
                        raise AudioDecodeError(
                            f"the recording is longer than the {MAX_SECONDS // 60} minutes "
                            "allowed")
                    yield array, out.sample_rate
            if resampler is not None:
                for out in resampler.resample(None):
                    yield out.to_ndarray().reshape(-1), out.sample_rate
        except av.error.FFmpegError as exc:
            raise AudioDecodeError(
                f"the audio data is damaged or unreadable ({type(exc).__name__})") from None


def _collect(data: bytes | Path, *, rate: int | None, fmt: Literal["flt", "s16"],
             dtype: type[np.float32] | type[np.int16]) -> tuple[npt.NDArray[np.generic], int]:
    chunks: list[npt.NDArray[np.generic]] = []
    out_rate = rate or 0
    for array, frame_rate in _frames(data, rate=rate, fmt=fmt):
        chunks.append(array)
        out_rate = frame_rate
    if not chunks or sum(c.shape[0] for c in chunks) == 0:
        raise AudioDecodeError("the recording contains no audio samples")
    return np.concatenate(chunks).astype(dtype, copy=False), out_rate


def decode_to_pcm16k(data: bytes | Path) -> Samples:
    """The recording as float32 mono samples in [-1, 1] at 16 kHz (what Whisper expects)."""
    samples, _ = _collect(data, rate=SAMPLE_RATE, fmt="flt", dtype=np.float32)
    return np.ascontiguousarray(samples, dtype=np.float32)


def pcm16_wav(samples: npt.NDArray[np.int16], rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())
    return buffer.getvalue()


def to_wav_pcm16(data: bytes | Path) -> bytes:
    """The recording as a mono 16-bit PCM WAV at its own sample rate: what the client plays
    (sounddevice and every player read it, whatever codec the telephony system used)."""
    samples, rate = _collect(data, rate=None, fmt="s16", dtype=np.int16)
    return pcm16_wav(samples, rate)  # type: ignore[arg-type]


def duration_seconds(data: bytes | Path) -> float:
    """The decoded length, counted in samples (headers of phone recordings are often wrong)."""
    total = 0
    rate = 0
    for array, frame_rate in _frames(data, rate=None, fmt="s16"):
        total += array.shape[0]
        rate = frame_rate
    if rate == 0:
        raise AudioDecodeError("the recording contains no audio samples")
    return total / rate


def encode_wav(samples: Samples, rate: int, *, codec: Literal["pcm_s16le", "pcm_mulaw"]
               = "pcm_s16le", out_rate: int | None = None) -> bytes:
    """float32 mono samples as a WAV file, optionally resampled and μ-law coded (the format
    telephone systems record in). Used by the speech synthesiser for tests and demo calls."""
    target_rate = out_rate or rate
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="wav") as container:
        stream = container.add_stream(codec, rate=target_rate, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=target_rate)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt",
            layout="mono")
        frame.sample_rate = rate
        for resampled in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()
