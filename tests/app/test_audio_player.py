"""Call-recording playback without a device: the buffer the output callback reads (position,
pause, seek, speed, silence at the end), WAV decoding, and the clear "no device" answer that
this machine (no audio hardware) gives."""

from __future__ import annotations

import io
import threading
import wave

import numpy as np
import pytest

from app.audio.player import (
    AudioFormatError,
    AudioPlayer,
    AudioUnavailable,
    PlaybackBuffer,
    decode_wav,
    play_alert,
)

RATE = 8000


def wav_bytes(samples: np.ndarray, rate: int = RATE, channels: int = 1,
              width: int = 2) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def ramp(seconds: float = 1.0) -> np.ndarray:
    """A rising line: every sample tells where it came from."""
    count = int(RATE * seconds)
    return (np.arange(count, dtype=np.float32) / count).astype(np.float32)


def test_decode_wav_gives_mono_floats_and_refuses_other_formats() -> None:
    pcm = (np.array([0, 16384, -16384, 32767], dtype="<i2"))
    samples, rate = decode_wav(wav_bytes(pcm))
    assert rate == RATE
    assert samples.dtype == np.float32
    assert np.allclose(samples, [0.0, 0.5, -0.5, 32767 / 32768])
    stereo = np.array([1000, 3000, -2000, 2000], dtype="<i2")  # two frames, L/R
    mono, _ = decode_wav(wav_bytes(stereo, channels=2))
    assert np.allclose(mono * 32768, [2000, 0])
    with pytest.raises(AudioFormatError):
        decode_wav(wav_bytes(np.zeros(4, dtype=np.uint8), width=1))
    with pytest.raises(AudioFormatError):
        decode_wav(b"RIFF not really a wave file")


def test_buffer_plays_pauses_seeks_and_ends_in_silence() -> None:
    source = ramp(1.0)
    buffer = PlaybackBuffer(source, RATE)
    assert buffer.duration == pytest.approx(1.0)
    assert not buffer.render(100).any()  # not started: silence, position unchanged
    assert buffer.position == 0.0

    buffer.set_playing(True)
    block = buffer.render(800)
    assert np.array_equal(block, source[:800])
    assert buffer.position == pytest.approx(0.1)

    buffer.set_playing(False)
    assert not buffer.render(800).any()
    assert buffer.position == pytest.approx(0.1)

    buffer.seek(0.5)
    buffer.set_playing(True)
    assert np.array_equal(buffer.render(10), source[4000:4010])

    buffer.seek(0.99)  # 80 samples left, 800 asked for: the rest is silence, then it stops
    tail = buffer.render(800)
    assert np.array_equal(tail[:80], source[-80:])
    assert not tail[80:].any()
    assert not buffer.playing
    assert buffer.at_end
    assert buffer.underruns == 1
    assert not buffer.render(800).any()
    buffer.set_playing(True)  # playing after the end starts over
    assert buffer.position == 0.0
    buffer.seek(-3)
    assert buffer.position == 0.0
    buffer.seek(99)
    assert buffer.position == pytest.approx(1.0)


def test_speed_one_and_a_half_covers_the_recording_in_two_thirds_of_the_time() -> None:
    source = ramp(1.0)
    buffer = PlaybackBuffer(source, RATE)
    buffer.set_speed(1.5)
    buffer.set_playing(True)
    block = buffer.render(400)
    assert buffer.position == pytest.approx(600 / RATE)
    # Linear interpolation between neighbours: sample k of the output is source[1.5 k].
    expected = np.interp(np.arange(400) * 1.5, np.arange(len(source)), source)
    assert np.allclose(block, expected, atol=1e-6)
    rendered = 400
    while buffer.playing:
        buffer.render(400)
        rendered += 400
    assert rendered == pytest.approx(RATE / 1.5, abs=400)
    with pytest.raises(ValueError, match="speed"):
        buffer.set_speed(2.0)


def test_output_rate_other_than_the_recordings_resamples() -> None:
    buffer = PlaybackBuffer(ramp(1.0), RATE, output_rate=16000)
    buffer.set_playing(True)
    buffer.render(1600)  # 0.1 s of output at 16 kHz
    assert buffer.position == pytest.approx(0.1)


def test_render_from_the_audio_thread_while_the_ui_seeks() -> None:
    buffer = PlaybackBuffer(ramp(2.0), RATE)
    buffer.set_playing(True)
    problems: list[BaseException] = []
    stop = threading.Event()

    def callback_thread() -> None:
        try:
            while not stop.is_set():
                block = buffer.render(256)
                assert block.shape == (256,)
                assert np.isfinite(block).all()
                buffer.set_playing(True)
        except BaseException as exc:  # reported to the test thread
            problems.append(exc)

    thread = threading.Thread(target=callback_thread)
    thread.start()
    for step in range(300):
        buffer.seek((step % 20) / 10)
        buffer.set_speed(1.5 if step % 2 else 1.0)
    stop.set()
    thread.join(timeout=5)
    assert problems == []


def test_player_callback_fills_the_output_block() -> None:
    source = ramp(0.5)
    player = AudioPlayer(wav_bytes((source * 32767).astype("<i2")))
    assert player.duration == pytest.approx(0.5)
    player.buffer.set_playing(True)
    out = np.ones((256, 1), dtype=np.float32)
    player._callback(out, 256, None, None)
    assert np.allclose(out[:, 0], source[:256], atol=1e-4)
    assert player.position == pytest.approx(256 / RATE)


def test_no_audio_device_is_a_clear_error_not_a_crash() -> None:
    """This machine has no audio device (platform-facts): opening the output fails."""
    player = AudioPlayer(wav_bytes((ramp(0.2) * 32767).astype("<i2")))
    with pytest.raises(AudioUnavailable) as raised:
        player.play()
    assert "audio" in raised.value.reason.lower()
    assert not player.playing
    player.close()
    reason = play_alert()
    assert reason is not None
    assert "audio" in reason.lower()
