"""``CallEngine``: one WebRTC call over aiortc, as offerer or answerer.

The engine owns the peer connection, the local tracks (camera or synthetic picture, microphone
or silence), the remote picture (``LatestFrameSink``) and sound (``SpeakerPlayout``), the
quality measurements and the adaptive send format. Signalling goes through any ``SignalChannel``
(the websocket client, or an in-memory pair in tests): frames are handled strictly one after
another, and remote ICE candidates wait until the remote description is set.

Media is end-to-end encrypted by WebRTC itself (DTLS-SRTP, mandatory in aiortc); the server
only relays the SDP and candidates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.sdp import candidate_from_sdp
from av import VideoFrame

from app.video.adapt import QualityAdapter, SendFormat, ladder_for
from app.video.audio_io import (
    MicrophoneCapture,
    PacedAudioTrack,
    SpeakerPlayout,
    SyntheticAudioTrack,
)
from app.video.devices import (
    MISSING_CAMERA,
    MISSING_MICROPHONE,
    MISSING_SPEAKER,
    CameraSource,
    DeviceReport,
    enumerate_devices,
    open_camera,
)
from app.video.ice import host_addresses, rtc_configuration
from app.video.sink import LatestFrameSink
from app.video.stats import QualitySample, StatsTracker
from app.video.tracks import AdaptiveVideoTrack, SyntheticVideoTrack

log = logging.getLogger(__name__)


class SignalChannel(Protocol):
    async def send(self, message: dict[str, Any]) -> None: ...

    def frames(self) -> AsyncIterator[dict[str, Any]]: ...

    async def close(self) -> None: ...


@dataclass
class CallOptions:
    width: int = 640
    height: int = 480
    fps: int = 30
    # "VP8" or "H264" to prefer one video codec; None keeps aiortc's order (VP8 first).
    video_codec: str | None = None
    # Host candidates to offer (None: the machine's addresses; see app.video.ice).
    host_addresses: Sequence[str] | None = None
    # False: never touch camera/microphone/speaker (synthetic media; used by tests/bench).
    use_devices: bool = True
    audio_tone_hz: float | None = None
    stats_interval: float = 1.0
    adapt: bool = True
    # The user's device choice (UI); None or a device that is gone: the first one found.
    camera_url: str | None = None
    microphone_index: int | None = None
    speaker_index: int | None = None


# End reasons ``run()`` answers.
END_LOCAL = "local"
END_REMOTE_HANGUP = "hangup"
END_PEER_LEFT = "peer-left"
END_SERVER = "ended"
END_FAILED = "failed"
END_CHANNEL_CLOSED = "channel-closed"


class CallEngine:
    def __init__(self, ice_servers: Sequence[dict[str, Any]] | None = None,
                 options: CallOptions | None = None,
                 on_state: Callable[[str], None] | None = None,
                 on_quality: Callable[[QualitySample], None] | None = None,
                 video_source: MediaStreamTrack | None = None,
                 audio_source: MediaStreamTrack | None = None) -> None:
        self.options = options or CallOptions()
        self.pc = RTCPeerConnection(rtc_configuration(ice_servers))
        self.on_state = on_state
        self.on_quality = on_quality
        self.remote_video = LatestFrameSink()
        self.playout = SpeakerPlayout(self.options.speaker_index)
        self.stats = StatsTracker()
        opts = self.options
        self.adapter = QualityAdapter(ladder_for(opts.width, opts.height, opts.fps))
        self.missing_devices: list[str] = []
        self.first_remote_frame_at: float | None = None
        self.connected_at: float | None = None
        self.end_reason: str | None = None
        self._pending_ice: list[dict[str, Any]] = []
        self._stop = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._camera: CameraSource | None = None
        self._microphone: MicrophoneCapture | None = None
        self._closed = False
        self._channel: SignalChannel | None = None
        self._remote_tracks: list[MediaStreamTrack] = []
        self._setup_media(video_source, audio_source)
        self.pc.on("track", self._on_track)
        self.pc.on("connectionstatechange", self._on_connection_state)

    # -- media -----------------------------------------------------------------------------

    def _setup_media(self, video_source: MediaStreamTrack | None,
                     audio_source: MediaStreamTrack | None) -> None:
        opts = self.options
        report = enumerate_devices() if opts.use_devices else DeviceReport()
        missing: list[str] = []
        if video_source is None and report.cameras:
            camera = next((c for c in report.cameras if c.url == opts.camera_url),
                          report.cameras[0])
            self._camera = open_camera(camera, opts.width, opts.height, opts.fps)
        if video_source is None:
            if self._camera is not None:
                video_source = self._camera.track
            else:
                missing.append(MISSING_CAMERA)
                video_source = SyntheticVideoTrack(opts.width, opts.height, opts.fps)
        if audio_source is None and report.microphones:
            chosen = next((m for m in report.microphones if m.index == opts.microphone_index),
                          report.microphones[0])
            mic = MicrophoneCapture(chosen.index)
            if mic.open():
                self._microphone = mic
                audio_source = mic.track()
        if audio_source is None:
            missing.append(MISSING_MICROPHONE)
            audio_source = SyntheticAudioTrack(opts.audio_tone_hz)
        if not (report.speakers and self.playout.open()):
            missing.append(MISSING_SPEAKER)
        self.missing_devices = missing if opts.use_devices else [
            MISSING_CAMERA, MISSING_MICROPHONE, MISSING_SPEAKER]
        self.video_track = AdaptiveVideoTrack(video_source, self.adapter.current)
        self.audio_track = audio_source

    def set_muted(self, muted: bool) -> None:
        """Mute sends silence (the stream stays, so unmuting needs no renegotiation)."""
        track = self.audio_track
        if isinstance(track, PacedAudioTrack):
            track.muted = muted

    def set_camera_enabled(self, enabled: bool) -> None:
        self.video_track.enabled = enabled

    def remote_queue_size(self) -> int:
        """Decoded frames waiting inside aiortc's remote tracks (ours drain them at once, so
        this stays near zero; the benchmark watches that it never grows)."""
        sizes = [getattr(track, "_queue", None) for track in self._remote_tracks]
        return max((q.qsize() for q in sizes if isinstance(q, asyncio.Queue)), default=0)

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._remote_tracks.append(track)
        if track.kind == "video":
            self._spawn(self._drain_video(track))
        elif track.kind == "audio":
            self.playout.start(track)

    async def _drain_video(self, track: MediaStreamTrack) -> None:
        # Always read: aiortc queues decoded frames without bound until someone does.
        try:
            while True:
                frame = await track.recv()
                if isinstance(frame, VideoFrame):
                    if self.first_remote_frame_at is None:
                        self.first_remote_frame_at = time.monotonic()
                    self.remote_video.put(frame)
        except MediaStreamError:
            return

    def _on_connection_state(self) -> None:
        state = self.pc.connectionState
        log.info("call connection state %s", state)
        if state == "connected" and self.connected_at is None:
            self.connected_at = time.monotonic()
            self._spawn(self._stats_loop())
        if self.on_state is not None:
            self.on_state(state)
        if state == "failed":
            self.end_reason = self.end_reason or END_FAILED
            self._stop.set()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- quality ---------------------------------------------------------------------------

    async def sample_stats(self) -> QualitySample:
        sample = self.stats.add(await self.pc.getStats())
        if self.options.adapt:
            fmt = self.adapter.observe(sample.loss_pct, sample.rtt_ms)
            if fmt != self.video_track.format:
                log.info("send format %s@%d", fmt.label, fmt.fps)
                self.video_track.set_format(fmt)
        if self.on_quality is not None:
            self.on_quality(sample)
        return sample

    async def _stats_loop(self) -> None:
        while not self._closed:
            await asyncio.sleep(self.options.stats_interval)
            if self._closed:
                return
            await self.sample_stats()

    def set_send_format(self, fmt: SendFormat) -> None:
        self.video_track.set_format(fmt)

    def quality_summary(self) -> dict[str, Any]:
        size = self.video_track.min_size
        return self.stats.summary(f"{size[0]}x{size[1]}" if size else None)

    def dtls_transports(self) -> list[RTCDtlsTransport]:
        seen: list[RTCDtlsTransport] = []
        for transceiver in self.pc.getTransceivers():
            transport = transceiver.sender.transport
            if transport is not None and transport not in seen:
                seen.append(transport)
        return seen

    def transport_info(self) -> dict[str, Any]:
        """What the tests and the UI check about encryption: DTLS state, SRTP keys in place,
        the SDP's secure profile and certificate fingerprints."""
        transports = self.dtls_transports()
        local = self.pc.localDescription.sdp if self.pc.localDescription else ""
        remote = self.pc.remoteDescription.sdp if self.pc.remoteDescription else ""
        return {
            "dtls_states": [t.state for t in transports],
            "srtp": bool(transports) and all(
                t._rx_srtp is not None and t._tx_srtp is not None for t in transports),
            "profile_secure": "UDP/TLS/RTP/SAVPF" in local and "UDP/TLS/RTP/SAVPF" in remote,
            "local_fingerprints": [f.value for t in transports
                                   for f in t.getLocalParameters().fingerprints],
            "remote_has_fingerprint": "a=fingerprint:" in remote,
        }

    # -- signalling ------------------------------------------------------------------------

    async def run(self, channel: SignalChannel, *, offerer: bool) -> str:
        """Until hang-up, peer left, failure or closed signalling; answers the end reason."""
        self._channel = channel
        reader = asyncio.ensure_future(self._read(channel, offerer))
        stopper = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({reader, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reader, stopper):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if reader.done() and not reader.cancelled() and reader.exception() is not None:
            self.end_reason = self.end_reason or END_CHANNEL_CLOSED
            raise reader.exception()  # type: ignore[misc]
        return self.end_reason or END_CHANNEL_CLOSED

    async def _read(self, channel: SignalChannel, offerer: bool) -> None:
        if offerer:
            await channel.send(await self._make_offer())
        async for message in channel.frames():
            kind = message.get("type")
            if kind == "offer":
                await channel.send(await self._on_offer(str(message.get("sdp", ""))))
            elif kind == "answer":
                await self._on_answer(str(message.get("sdp", "")))
            elif kind == "ice":
                await self._on_ice(message)
            elif kind in (END_REMOTE_HANGUP, END_PEER_LEFT, END_SERVER):
                self.end_reason = self.end_reason or str(kind)
                self._stop.set()
                return
            # Anything else (admitted, waiting-room news, future types) is not ours: ignored.
        self.end_reason = self.end_reason or END_CHANNEL_CLOSED

    def _prefer_codec(self) -> None:
        codec = self.options.video_codec
        if not codec:
            return
        caps = RTCRtpSender.getCapabilities("video")
        wanted = [c for c in caps.codecs if c.mimeType.lower() == f"video/{codec.lower()}"]
        rest = [c for c in caps.codecs if c.mimeType.lower() == "video/rtx"]
        for transceiver in self.pc.getTransceivers():
            if transceiver.kind == "video":
                transceiver.setCodecPreferences(wanted + rest)

    async def _make_offer(self) -> dict[str, Any]:
        self.pc.addTrack(self.audio_track)
        self.pc.addTrack(self.video_track)
        self._prefer_codec()
        offer = await self.pc.createOffer()
        with host_addresses(self.options.host_addresses):
            await self.pc.setLocalDescription(offer)
        return {"type": "offer", "sdp": self.pc.localDescription.sdp}

    async def _on_offer(self, sdp: str) -> dict[str, Any]:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await self._flush_ice()
        self.pc.addTrack(self.audio_track)
        self.pc.addTrack(self.video_track)
        self._prefer_codec()
        answer = await self.pc.createAnswer()
        with host_addresses(self.options.host_addresses):
            await self.pc.setLocalDescription(answer)
        return {"type": "answer", "sdp": self.pc.localDescription.sdp}

    async def _on_answer(self, sdp: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))
        await self._flush_ice()

    async def _on_ice(self, message: dict[str, Any]) -> None:
        if not message.get("candidate"):
            return  # end-of-candidates: aiortc needs no marker
        if self.pc.remoteDescription is None:
            self._pending_ice.append(message)
            return
        await self._add_ice(message)

    async def _flush_ice(self) -> None:
        pending, self._pending_ice = self._pending_ice, []
        for message in pending:
            await self._add_ice(message)

    async def _add_ice(self, message: dict[str, Any]) -> None:
        text = str(message["candidate"])
        if text.startswith("candidate:"):
            text = text[len("candidate:"):]
        try:
            candidate = candidate_from_sdp(text)
        except (AssertionError, ValueError, IndexError):
            log.info("unparsable remote ICE candidate ignored")
            return
        if candidate.protocol.lower() != "udp":
            return  # aiortc speaks ICE over UDP only
        candidate.sdpMid = message.get("sdpMid")
        index = message.get("sdpMLineIndex")
        candidate.sdpMLineIndex = int(index) if index is not None else None
        await self.pc.addIceCandidate(candidate)

    # -- ending ----------------------------------------------------------------------------

    async def hangup(self) -> None:
        """The local user ends the call: the peer is told, then everything closes."""
        self.end_reason = self.end_reason or END_LOCAL
        if self._channel is not None:
            with contextlib.suppress(Exception):
                await self._channel.send({"type": "hangup"})
        self._stop.set()

    async def close(self) -> None:
        """Idempotent: stops tracks, devices, tasks and the peer connection."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, MediaStreamError):
                await task
        await self.playout.close()
        self.video_track.stop()
        self.audio_track.stop()
        if self._camera is not None:
            self._camera.close()
        if self._microphone is not None:
            self._microphone.close()
        await self.pc.close()
        self.remote_video.clear()
