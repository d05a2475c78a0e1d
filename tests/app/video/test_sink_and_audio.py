"""Latest-frame-wins sink and the call-audio ring buffers: bounded under any consumer speed."""

from __future__ import annotations

import asyncio
import threading
import tracemalloc

import numpy as np
from av import AudioFrame, VideoFrame

from app.video.audio_io import (
    FRAME_SAMPLES,
    AudioRingBuffer,
    MicrophoneCapture,
    SpeakerPlayout,
    SyntheticAudioTrack,
)
from app.video.sink import LatestFrameSink


def _frame(value: int) -> VideoFrame:
    frame = VideoFrame(320, 240, "yuv420p")
    frame.pts = value
    return frame


def test_slow_consumer_sees_the_newest_frame_and_memory_stays_bounded() -> None:
    sink = LatestFrameSink()
    seen: list[int] = []
    tracemalloc.start()
    try:
        baseline = None
        for i in range(3000):
            sink.put(_frame(i))
            if i % 100 == 99:  # a UI ten times slower than the 30 fps stream
                frame = sink.take()
                assert frame is not None
                seen.append(int(frame.pts or 0))
                current, _peak = tracemalloc.get_traced_memory()
                baseline = baseline or current
                # Nothing accumulates: no more than a few frames' worth above the start.
                assert current - baseline < 2 * 1024 * 1024
            assert sink.pending <= 1
    finally:
        tracemalloc.stop()
    assert seen == [i for i in range(99, 3000, 100)]  # always the newest
    assert sink.received == 3000
    assert sink.dropped == 3000 - 30
    assert sink.take() is None


def test_sink_is_safe_across_threads() -> None:
    sink = LatestFrameSink()
    frame = _frame(1)
    stop = threading.Event()
    taken = []

    def consumer() -> None:
        while not stop.is_set():
            if sink.take() is not None:
                taken.append(1)

    thread = threading.Thread(target=consumer)
    thread.start()
    for _ in range(20000):
        sink.put(frame)
    stop.set()
    thread.join(5)
    assert sink.received == 20000
    # Every frame was either taken, dropped, or is the one still waiting.
    assert len(taken) + sink.dropped + sink.pending == 20000


def test_ring_underrun_gives_silence_and_overrun_drops_the_oldest() -> None:
    ring = AudioRingBuffer(capacity=1000)
    ring.write(np.arange(1, 301, dtype=np.int16))
    out = ring.read(500)
    assert list(out[:300]) == list(range(1, 301))
    assert not out[300:].any()  # missing samples are silence
    assert ring.underruns == 1
    assert ring.underrun_samples == 200
    # Overrun: 2,500 samples into 1,000 places keep the newest 1,000, in order.
    for start in range(0, 2500, 250):
        ring.write(np.arange(start, start + 250, dtype=np.int16))
    assert len(ring) == 1000
    assert ring.overrun_samples == 1500
    assert list(ring.read(1000)) == list(range(1500, 2500))
    ring.write(np.arange(5000, dtype=np.int16))  # one write larger than the whole buffer
    assert len(ring) == 1000
    assert list(ring.read(3)) == [4000, 4001, 4002]


def test_ring_wraps_correctly_under_interleaved_use() -> None:
    ring = AudioRingBuffer(capacity=7)
    expected: list[int] = []
    got: list[int] = []
    value = 0
    for step in range(200):
        n = step % 5 + 1
        chunk = list(range(value, value + n))
        value += n
        ring.write(np.array(chunk, dtype=np.int16))
        expected.extend(chunk)
        expected = expected[-7:]
        m = step % 4 + 1
        read = list(ring.read(m))
        take = expected[:m]
        expected = expected[m:]
        assert read[:len(take)] == take
        got.extend(read)
    assert len(got) == sum(step % 4 + 1 for step in range(200))


async def test_no_audio_devices_degrade_to_silence_and_a_null_sink() -> None:
    mic = MicrophoneCapture()
    assert mic.open() is False  # this machine has no audio device: an answer, not a crash
    assert mic.error
    speaker = SpeakerPlayout()
    assert speaker.open() is False
    track = SyntheticAudioTrack()
    speaker.start(track)  # the null sink still drains the track
    for _ in range(100):
        if speaker.frames >= 3:
            break
        await asyncio.sleep(0.02)
    assert speaker.frames >= 3
    await speaker.close()
    track.stop()
    mic.close()


async def test_audio_frames_are_48k_mono_20ms_and_paced() -> None:
    track = SyntheticAudioTrack(tone_hz=440)
    loop = asyncio.get_running_loop()
    start = loop.time()
    frames = [await track.recv() for _ in range(10)]
    elapsed = loop.time() - start
    assert all(isinstance(f, AudioFrame) for f in frames)
    assert {f.sample_rate for f in frames} == {48000}  # type: ignore[union-attr]
    assert {f.samples for f in frames} == {FRAME_SAMPLES}  # type: ignore[union-attr]
    assert 0.15 <= elapsed < 0.4  # 9 intervals of 20 ms after the first frame
    assert np.abs(frames[3].to_ndarray()).max() > 1000  # type: ignore[union-attr]
    track.stop()


def test_playout_with_a_device_writes_resampled_audio_to_the_ring() -> None:
    speaker = SpeakerPlayout()
    speaker._stream = object()  # as if a device had opened; the callback reads the ring
    frame = AudioFrame.from_ndarray(np.full((1, 1920), 1000, dtype=np.int16).reshape(1, -1),
                                    format="s16", layout="stereo")
    frame.sample_rate = 48000
    speaker.feed(frame)
    out = np.zeros((960, 1), dtype=np.int16)
    speaker._callback(out, 960, None, None)
    assert (out[100:] == 1000).all()
    out2 = np.ones((960, 1), dtype=np.int16)
    speaker._callback(out2, 960, None, None)
    assert not out2.any()  # underrun: silence, not the old samples
    speaker._stream = None


async def test_muted_track_sends_silence() -> None:
    track = SyntheticAudioTrack(tone_hz=440)
    loud = await track.recv()
    track.muted = True
    quiet = await track.recv()
    assert np.abs(loud.to_ndarray()).max() > 1000  # type: ignore[union-attr]
    assert not quiet.to_ndarray().any()  # type: ignore[union-attr]
    track.stop()
