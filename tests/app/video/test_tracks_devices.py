"""Synthetic picture, adaptive scaling/thinning, device enumeration parsing."""

from __future__ import annotations

import asyncio
import itertools

import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError

from app.video.adapt import SendFormat
from app.video.devices import (
    camera_format,
    enumerate_devices,
    list_cameras,
    parse_avfoundation,
    parse_dshow,
)
from app.video.tracks import AdaptiveVideoTrack, SyntheticVideoTrack


async def test_synthetic_track_moves_and_keeps_its_rate() -> None:
    track = SyntheticVideoTrack(320, 240, 30)
    loop = asyncio.get_running_loop()
    start = loop.time()
    frames = [await track.recv() for _ in range(16)]
    elapsed = loop.time() - start
    assert 0.4 < elapsed < 0.8  # 15 intervals at 30 fps
    assert {(f.width, f.height) for f in frames} == {(320, 240)}  # type: ignore[union-attr]
    a = frames[0].to_ndarray(format="gray")  # type: ignore[union-attr]
    b = frames[5].to_ndarray(format="gray")  # type: ignore[union-attr]
    assert np.mean(np.abs(a.astype(int) - b.astype(int))) > 5  # the pattern moves
    track.stop()
    with pytest.raises(MediaStreamError):
        await track.recv()


def test_synthetic_track_rejects_odd_sizes() -> None:
    with pytest.raises(ValueError, match="even"):
        SyntheticVideoTrack(641, 480)


async def test_adaptive_track_scales_and_thins_before_encoding() -> None:
    source = SyntheticVideoTrack(640, 480, 30)
    track = AdaptiveVideoTrack(source, SendFormat(640, 480, 30))
    first = await track.recv()
    assert (first.width, first.height) == (640, 480)
    track.set_format(SendFormat(320, 240, 15))
    frames = [await track.recv() for _ in range(4)]
    assert {(f.width, f.height) for f in frames} == {(320, 240)}
    steps = {b.pts - a.pts for a, b in itertools.pairwise(frames)}  # type: ignore[operator]
    assert steps == {6000}  # every second 30 fps frame: 90 kHz / 15
    assert track.min_size == (320, 240)
    track.enabled = False  # camera off: black picture, same size
    dark = await track.recv()
    assert dark.to_ndarray(format="gray").max() <= 20
    track.stop()
    assert source.readyState == "ended"


def test_camera_format_per_os() -> None:
    assert camera_format("linux") == "v4l2"
    assert camera_format("darwin") == "avfoundation"
    assert camera_format("win32") == "dshow"


def test_device_list_parsing_for_macos_and_windows() -> None:
    avf = ["AVFoundation video devices:", "[0] FaceTime HD Camera",
           "[1] Capture screen 0", "AVFoundation audio devices:", "[0] MacBook Mikrofon"]
    cams = parse_avfoundation(avf)
    assert [(c.name, c.url, c.format) for c in cams] == [
        ("FaceTime HD Camera", "0:none", "avfoundation")]
    dshow = ['"Integrated Camera" (video)', '  Alternative name "@device_pnp_x"',
             '"Mikrofon (Realtek)" (audio)']
    assert [(c.name, c.url) for c in parse_dshow(dshow)] == [
        ("Integrated Camera", "video=Integrated Camera")]


def test_this_machine_reports_every_device_missing() -> None:
    assert list_cameras() == []
    report = enumerate_devices()
    assert report.missing_devices == ["camera", "microphone", "speaker"]
