"""Decoding what telephony systems hand in: every common format comes out as 16 kHz mono."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest

from backend_server.assistant import audio
from backend_server.assistant.audio import (
    AudioDecodeError,
    decode_to_pcm16k,
    duration_seconds,
    encode_wav,
    to_wav_pcm16,
)
from backend_server.assistant.synth import synthesize


def tone(seconds: float, rate: int, freq: float = 440.0) -> npt.NDArray[np.float32]:
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def encode(samples: npt.NDArray[np.float32], rate: int, fmt: str, codec: str,
           channels: int = 1) -> bytes:
    """A file as another system would write it, made with PyAV."""
    layout = "mono" if channels == 1 else "stereo"
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=fmt) as container:
        stream = container.add_stream(codec, rate=rate, layout=layout)
        stream_format = stream.codec_context.format.name
        frame = av.AudioFrame.from_ndarray(
            np.tile(samples, (channels, 1)) if channels > 1 else samples.reshape(1, -1),
            format="fltp", layout=layout)
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream_format, layout=layout, rate=rate,
                                      frame_size=stream.codec_context.frame_size or None)
        for out in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(out):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def dominant_hz(samples: npt.NDArray[np.float32], rate: int = 16_000) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * rate / samples.shape[0])


@pytest.mark.parametrize(("fmt", "codec", "rate", "channels"), [
    ("wav", "pcm_mulaw", 8_000, 1),
    ("wav", "pcm_s16le", 8_000, 1),
    ("wav", "pcm_s16le", 16_000, 1),
    ("wav", "pcm_s16le", 44_100, 2),
    ("wav", "pcm_s16le", 48_000, 1),
    ("mp3", "libmp3lame", 44_100, 1),
    ("ogg", "libopus", 48_000, 1),
])
def test_every_telephony_format_decodes_to_16k_mono(fmt: str, codec: str, rate: int,
                                                     channels: int) -> None:
    data = encode(tone(2.0, rate), rate, fmt, codec, channels)
    samples = decode_to_pcm16k(data)
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    # Two seconds in, two seconds out (MP3/Vorbis add a little padding).
    assert 31_000 <= samples.shape[0] <= 33_500
    # The pitch survives the resampling: still a 440 Hz tone at 16 kHz.
    assert abs(dominant_hz(samples) - 440.0) < 5.0
    assert 0.3 < float(np.max(np.abs(samples))) <= 1.0
    assert duration_seconds(data) == pytest.approx(2.0, abs=0.1)


def test_decodes_from_a_path_too(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_bytes(encode(tone(1.0, 8_000), 8_000, "wav", "pcm_mulaw"))
    assert decode_to_pcm16k(path).shape[0] == 16_000


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"this is not audio at all " * 200, "not a recognised audio format"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(200), "audio"),
])
def test_garbage_or_empty_input_is_refused_clearly(data: bytes, message: str) -> None:
    with pytest.raises(AudioDecodeError, match=message):
        decode_to_pcm16k(data)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AudioDecodeError, match="does not exist"):
        decode_to_pcm16k(tmp_path / "nope.wav")


def test_overlong_recording_is_refused_without_decoding_it_all(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio, "MAX_SECONDS", 3)
    data = encode(tone(4.0, 8_000), 8_000, "wav", "pcm_mulaw")
    with pytest.raises(AudioDecodeError, match="longer than"):
        decode_to_pcm16k(data)
    # A streamed WAV (sizes unknown, as espeak-ng and some gateways write them) too.
    streamed = bytearray(data)
    at = streamed.index(b"data")
    streamed[4:8] = streamed[at + 4:at + 8] = b"\x00\xf0\xff\x7f"
    with pytest.raises(AudioDecodeError, match="longer than"):
        decode_to_pcm16k(bytes(streamed))


def test_playback_copy_is_plain_16_bit_wav_at_the_source_rate() -> None:
    data = encode(tone(1.5, 8_000), 8_000, "wav", "pcm_mulaw")
    playable = to_wav_pcm16(data)
    with wave.open(io.BytesIO(playable)) as out:
        assert (out.getnchannels(), out.getsampwidth(), out.getframerate()) == (1, 2, 8_000)
        assert out.getnframes() == 12_000
        pcm = np.frombuffer(out.readframes(out.getnframes()), dtype="<i2")
    assert 10_000 < int(np.max(np.abs(pcm))) < 20_000


def test_espeak_speech_in_telephone_quality() -> None:
    mulaw = synthesize("Guten Tag, hier ist die Praxis.", fmt="mulaw8k")
    with wave.open(io.BytesIO(to_wav_pcm16(mulaw))) as out:
        assert out.getframerate() == 8_000
    assert mulaw[20:22] == b"\x07\x00"  # WAVE_FORMAT_MULAW in the fmt chunk
    speech = decode_to_pcm16k(synthesize("Guten Tag, hier ist die Praxis."))
    assert 1.0 < speech.shape[0] / 16_000 < 5.0
    assert float(np.sqrt(np.mean(speech ** 2))) > 0.02  # audible, not silence
    roundtrip = decode_to_pcm16k(encode_wav(speech, 16_000))
    assert np.max(np.abs(roundtrip - speech)) < 1e-3
