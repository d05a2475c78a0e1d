"""The self view: a pass-through track that copies each outgoing source frame into a sink.

It sits between the camera (or synthetic picture) and the engine's ``AdaptiveVideoTrack``, so
the encoder gets exactly the frames it got before; the UI reads the newest one from the sink
and never slows the call down (latest frame wins).
"""

from __future__ import annotations

from aiortc.mediastreams import MediaStreamTrack
from av import VideoFrame
from av.frame import Frame
from av.packet import Packet

from app.video.engine import CallEngine
from app.video.sink import LatestFrameSink


class PreviewTap(MediaStreamTrack):
    kind = "video"

    def __init__(self, source: MediaStreamTrack, sink: LatestFrameSink) -> None:
        super().__init__()
        self.source = source
        self.sink = sink

    async def recv(self) -> Frame | Packet:  # type: ignore[type-arg]
        frame = await self.source.recv()
        if isinstance(frame, VideoFrame):
            self.sink.put(frame)
        return frame

    def stop(self) -> None:
        super().stop()
        self.source.stop()


def attach_preview(engine: CallEngine) -> LatestFrameSink:
    """Taps the engine's local picture (before scaling and before "camera off")."""
    sink = LatestFrameSink()
    track = engine.video_track
    track.source = PreviewTap(track.source, sink)
    return sink
