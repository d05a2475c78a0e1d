"""Local video tracks: a synthetic moving pattern (no camera, CI) and the adaptive wrapper that
scales and thins frames before they reach the encoder."""

from __future__ import annotations

import asyncio
import fractions
import time

import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import VideoFrame

from app.video.adapt import SendFormat

VIDEO_CLOCK_RATE = 90_000
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK_RATE)


class SyntheticVideoTrack(MediaStreamTrack):
    """Moving diagonal stripes and a travelling block, generated straight in yuv420p.

    The content changes every frame (the encoder has real work, a receiver can see motion) yet
    costs little: each frame is a slice of a precomputed strip, no per-pixel Python.
    """

    kind = "video"

    def __init__(self, width: int = 640, height: int = 480, fps: int = 30) -> None:
        super().__init__()
        if width % 2 or height % 2 or width <= 0 or height <= 0:
            raise ValueError("width and height must be positive and even")
        if not 1 <= fps <= 60:
            raise ValueError("fps must be between 1 and 60")
        self.width, self.height, self.fps = width, height, fps
        period = 64
        x = np.arange(width + period, dtype=np.int32)[None, :]
        y = np.arange(height, dtype=np.int32)[:, None]
        self._strip = (((x + y) % period) * (200 // period) + 30).astype(np.uint8)
        self._period = period
        # Mid-grey chroma with a slow tint so colour is not flat either.
        self._u = np.full((height // 2, width // 2), 128, dtype=np.uint8)
        self._v = np.full((height // 2, width // 2), 128, dtype=np.uint8)
        self._n = 0
        self._start: float | None = None

    async def recv(self) -> VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        now = time.monotonic()
        if self._start is None:
            self._start = now
        due = self._start + self._n / self.fps
        if due > now:
            await asyncio.sleep(due - now)
        frame = VideoFrame.from_ndarray(self._image(self._n), format="yuv420p")
        frame.pts = self._n * VIDEO_CLOCK_RATE // self.fps
        frame.time_base = VIDEO_TIME_BASE
        self._n += 1
        return frame

    def _image(self, n: int) -> np.ndarray:
        w, h = self.width, self.height
        offset = (n * 4) % self._period
        luma = self._strip[:, offset:offset + w].copy()
        block = max(8, h // 8)
        top = (n * 6) % max(1, h - block)
        left = (n * 9) % max(1, w - block)
        luma[top:top + block, left:left + block] = 235
        self._v[:] = 128 + int(40 * np.sin(n / 15.0))
        flat = np.concatenate([luma.ravel(), self._u.ravel(), self._v.ravel()])
        return flat.reshape(h * 3 // 2, w)


class AdaptiveVideoTrack(MediaStreamTrack):
    """Wraps a source track: frames are scaled down and thinned to the current ``SendFormat``
    before the encoder sees them, so lower quality really means fewer bits on the wire."""

    kind = "video"

    def __init__(self, source: MediaStreamTrack, fmt: SendFormat | None = None) -> None:
        super().__init__()
        self.source = source
        self.format = fmt
        self._next_pts: int | None = None
        self.enabled = True
        self.sent_frames = 0
        self.last_size: tuple[int, int] | None = None
        self.min_size: tuple[int, int] | None = None

    def set_format(self, fmt: SendFormat) -> None:
        self.format = fmt
        self._next_pts = None

    async def recv(self) -> VideoFrame:
        frame: VideoFrame | None = None
        fmt = self.format
        while frame is None:
            got = await self.source.recv()
            if not isinstance(got, VideoFrame):
                continue
            fmt = self.format
            if fmt is not None and got.pts is not None and got.time_base is not None:
                step = int(1 / (fmt.fps * got.time_base))
                due = self._next_pts
                # A tenth of a frame of slack for camera timestamp jitter.
                if due is not None and got.pts < due - step // 10:
                    continue
                # Keep the ideal schedule (30 -> 20 fps keeps two of three), unless the source
                # fell behind by more than a frame: then restart from this one.
                base = due if due is not None and got.pts - due < step else got.pts
                self._next_pts = base + step
            frame = got
        if fmt is not None and (frame.width, frame.height) != (fmt.width, fmt.height) \
                and fmt.width * fmt.height < frame.width * frame.height:
            scaled = frame.reformat(width=fmt.width, height=fmt.height, format="yuv420p")
            scaled.pts, scaled.time_base = frame.pts, frame.time_base
            frame = scaled
        if not self.enabled:
            # Camera off: a black picture keeps the stream (and the peer's layout) alive.
            black = VideoFrame(frame.width, frame.height, "yuv420p")
            for plane, value in zip(black.planes, (16, 128, 128), strict=True):
                plane.update(bytes([value]) * plane.buffer_size)
            black.pts, black.time_base = frame.pts, frame.time_base
            frame = black
        size = (frame.width, frame.height)
        self.last_size = size
        if self.min_size is None or size[0] * size[1] < self.min_size[0] * self.min_size[1]:
            self.min_size = size
        self.sent_frames += 1
        return frame

    def stop(self) -> None:
        super().stop()
        self.source.stop()
