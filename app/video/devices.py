"""Cameras, microphones and speakers: enumeration per OS, opening, and what is missing.

Cameras go through PyAV's capture formats (``v4l2`` on Linux, ``avfoundation`` on macOS,
``dshow`` on Windows); audio devices through sounddevice. Every failure means "not there": the
call still runs with a synthetic picture and silence, and ``missing_devices`` tells the UI what
to say (keys: "camera", "microphone", "speaker"; the UI translates them).
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamTrack

from app.video.audio_io import _audio_error_types, _sounddevice

log = logging.getLogger(__name__)

MISSING_CAMERA = "camera"
MISSING_MICROPHONE = "microphone"
MISSING_SPEAKER = "speaker"


@dataclass(frozen=True)
class CameraDevice:
    name: str
    url: str  # what PyAV opens: "/dev/video0", "0:none", "video=Integrated Camera"
    format: str  # "v4l2" | "avfoundation" | "dshow"


@dataclass(frozen=True)
class AudioDevice:
    index: int
    name: str


@dataclass
class DeviceReport:
    cameras: list[CameraDevice] = field(default_factory=list)
    microphones: list[AudioDevice] = field(default_factory=list)
    speakers: list[AudioDevice] = field(default_factory=list)

    @property
    def missing_devices(self) -> list[str]:
        missing = []
        if not self.cameras:
            missing.append(MISSING_CAMERA)
        if not self.microphones:
            missing.append(MISSING_MICROPHONE)
        if not self.speakers:
            missing.append(MISSING_SPEAKER)
        return missing


def camera_format(platform: str = sys.platform) -> str:
    if platform.startswith("linux"):
        return "v4l2"
    if platform == "darwin":
        return "avfoundation"
    if platform.startswith("win"):
        return "dshow"
    return "v4l2"


def _linux_cameras(dev_dir: Path = Path("/dev"),
                   sys_dir: Path = Path("/sys/class/video4linux")) -> list[CameraDevice]:
    cameras = []
    for node in sorted(dev_dir.glob("video*"), key=lambda p: (len(p.name), p.name)):
        name_file = sys_dir / node.name / "name"
        try:
            name = name_file.read_text().strip() or node.name
        except OSError:
            name = node.name
        # UVC cameras expose a second node for metadata; its index file says 1, captures say 0.
        try:
            if (sys_dir / node.name / "index").read_text().strip() not in ("", "0"):
                continue
        except OSError:
            pass
        cameras.append(CameraDevice(name=name, url=str(node), format="v4l2"))
    return cameras


_QUOTED = re.compile(r'"([^"]+)"')
_AVF_VIDEO = re.compile(r"\[(\d+)\]\s+(.+)$")


def _ffmpeg_device_list(fmt: str, url: str) -> list[str]:
    """ffmpeg prints device lists as log lines ("list_devices"); capture them."""
    with av.logging.Capture() as logs:
        try:
            av.open(url, format=fmt, options={"list_devices": "true"})
        except (av.FFmpegError, OSError, ValueError):
            pass  # listing always "fails" after printing
    return [str(message) for _level, _name, message in logs]


def parse_avfoundation(lines: list[str]) -> list[CameraDevice]:
    cameras, in_video = [], False
    for line in lines:
        if "video devices" in line.lower():
            in_video = True
            continue
        if "audio devices" in line.lower():
            in_video = False
            continue
        match = _AVF_VIDEO.search(line.strip())
        if in_video and match and "capture screen" not in match.group(2).lower():
            cameras.append(CameraDevice(name=match.group(2).strip(),
                                        url=f"{match.group(1)}:none", format="avfoundation"))
    return cameras


def parse_dshow(lines: list[str]) -> list[CameraDevice]:
    cameras = []
    for line in lines:
        if "(video)" in line:
            match = _QUOTED.search(line)
            if match:
                cameras.append(CameraDevice(name=match.group(1), url=f"video={match.group(1)}",
                                            format="dshow"))
    return cameras


def list_cameras(platform: str = sys.platform) -> list[CameraDevice]:
    fmt = camera_format(platform)
    try:
        if fmt == "v4l2":
            return _linux_cameras()
        if fmt == "avfoundation":
            return parse_avfoundation(_ffmpeg_device_list("avfoundation", ""))
        return parse_dshow(_ffmpeg_device_list("dshow", "dummy"))
    except (OSError, ValueError, av.FFmpegError):
        log.info("camera enumeration failed")
        return []


def _audio_devices() -> tuple[list[AudioDevice], list[AudioDevice]]:
    sd = _sounddevice()
    if sd is None:
        return [], []
    try:
        devices: Any = sd.query_devices()
    except _audio_error_types():
        return [], []
    inputs, outputs = [], []
    for index, info in enumerate(devices):
        name = str(info.get("name", index))
        if int(info.get("max_input_channels", 0)) > 0:
            inputs.append(AudioDevice(index, name))
        if int(info.get("max_output_channels", 0)) > 0:
            outputs.append(AudioDevice(index, name))
    return inputs, outputs


def enumerate_devices() -> DeviceReport:
    microphones, speakers = _audio_devices()
    return DeviceReport(cameras=list_cameras(), microphones=microphones, speakers=speakers)


class CameraSource:
    """One opened camera (PyAV via aiortc's MediaPlayer); ``track`` is its video."""

    def __init__(self, player: MediaPlayer) -> None:
        self._player = player

    @property
    def track(self) -> MediaStreamTrack:
        video = self._player.video
        assert video is not None
        return video

    def close(self) -> None:
        video = self._player.video
        if video is not None:
            video.stop()


def open_camera(device: CameraDevice, width: int = 640, height: int = 480,
                fps: int = 30) -> CameraSource | None:
    """None when the camera cannot be opened (busy, unplugged, no permission)."""
    options = {"video_size": f"{width}x{height}", "framerate": str(fps)}
    try:
        player = MediaPlayer(device.url, format=device.format, options=options)
    except (av.FFmpegError, OSError, ValueError):
        log.info("camera could not be opened")
        return None
    if player.video is None:
        return None
    return CameraSource(player)
