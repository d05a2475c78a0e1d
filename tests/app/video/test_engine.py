"""Two CallEngines (two real aiortc peers) on loopback: media both ways, encrypted."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from app.video.adapt import SendFormat
from app.video.engine import END_LOCAL, END_REMOTE_HANGUP, CallEngine, CallOptions
from tests.app.video.memory_channel import MemoryChannel, channel_pair

LOOPBACK = ("127.0.0.1",)


async def wait_until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


def options(**kw) -> CallOptions:  # type: ignore[no-untyped-def]
    return CallOptions(host_addresses=LOOPBACK, use_devices=False, **kw)


@pytest.mark.parametrize("codec", ["VP8", "H264"])
async def test_two_engines_exchange_media_over_dtls_srtp(codec: str) -> None:
    states: list[str] = []
    a = CallEngine([], options(video_codec=codec, width=320, height=240, audio_tone_hz=440),
                   on_state=states.append)
    b = CallEngine([], options(width=320, height=240))
    ca, cb = channel_pair()
    run_a = asyncio.ensure_future(a.run(ca, offerer=True))
    run_b = asyncio.ensure_future(b.run(cb, offerer=False))
    try:
        await wait_until(lambda: a.remote_video.received >= 30 and b.remote_video.received >= 30)
        # The pictures really arrive: the remote frames have the sender's size.
        frame = b.remote_video.take()
        assert frame is not None
        assert (frame.width, frame.height) == (320, 240)
        assert "connected" in states
        for engine in (a, b):
            info = engine.transport_info()
            assert set(info["dtls_states"]) == {"connected"}
            assert info["srtp"]
            assert info["profile_secure"]
            assert info["remote_has_fingerprint"]
            assert info["local_fingerprints"]
        # The preferred codec is the one negotiated.
        answer = b.pc.localDescription.sdp
        m_video = next(line for line in answer.splitlines() if line.startswith("m=video"))
        first_pt = m_video.split()[3]
        assert f"a=rtpmap:{first_pt} {codec}/90000" in answer
        # Each side's SDP carries its own certificate's fingerprint (what DTLS verifies).
        assert a.transport_info()["local_fingerprints"][0] in b.pc.remoteDescription.sdp
        await wait_until(lambda: a.playout.frames > 20 and b.playout.frames > 20)
        sample_a = await a.sample_stats()
        totals = a.stats.last_totals
        assert totals.audio_packets_sent > 0
        assert totals.audio_packets_received > 0
        assert totals.video_packets_sent > 0
        assert totals.video_packets_received > 0
        assert sample_a.sent_packets > 0
        await a.hangup()
        assert await asyncio.wait_for(run_a, 5) == END_LOCAL
        assert await asyncio.wait_for(run_b, 5) == END_REMOTE_HANGUP
    finally:
        await a.close()
        await b.close()
    assert a.pc.connectionState == "closed"
    assert b.pc.connectionState == "closed"


async def test_adaptation_changes_the_sent_frame_size() -> None:
    a = CallEngine([], options(width=640, height=480))
    b = CallEngine([], options(width=320, height=240))
    ca, cb = channel_pair()
    runs = [asyncio.ensure_future(a.run(ca, offerer=True)),
            asyncio.ensure_future(b.run(cb, offerer=False))]
    try:
        await wait_until(lambda: b.remote_video.received >= 5)
        b.remote_video.take()
        await wait_until(lambda: (f := b.remote_video.take()) is not None
                         and (f.width, f.height) == (640, 480))
        a.set_send_format(SendFormat(320, 240, 15))
        await wait_until(lambda: (f := b.remote_video.take()) is not None
                         and (f.width, f.height) == (320, 240))
        assert a.quality_summary()["send_resolution_min"] == "320x240"
    finally:
        await a.hangup()
        await asyncio.wait(runs, timeout=5)
        await a.close()
        await b.close()


async def test_no_devices_call_still_runs_and_says_what_is_missing() -> None:
    # This machine has no camera and no audio devices: with use_devices=True the engine looks
    # for them, fails gracefully and falls back to synthetic media.
    a = CallEngine([], CallOptions(host_addresses=LOOPBACK, width=160, height=120))
    b = CallEngine([], options(width=160, height=120))
    assert a.missing_devices == ["camera", "microphone", "speaker"]
    ca, cb = channel_pair()
    runs = [asyncio.ensure_future(a.run(ca, offerer=False)),
            asyncio.ensure_future(b.run(cb, offerer=True))]
    try:
        await wait_until(lambda: a.remote_video.received >= 5 and b.remote_video.received >= 5)
        await wait_until(lambda: a.playout.frames > 5)
    finally:
        await b.hangup()
        await asyncio.wait(runs, timeout=5)
        await a.close()
        await b.close()


class TricklingChannel(MemoryChannel):
    """Sends an offer's candidates as separate ``ice`` frames *before* the offer itself, the
    order a trickling browser and a fast relay can produce: the answerer must queue them."""

    async def send(self, message: dict[str, Any]) -> None:
        if message.get("type") != "offer":
            await super().send(message)
            return
        kept, ice, index, mid = [], [], -1, None
        for line in str(message["sdp"]).splitlines():
            if line.startswith("m="):
                index, mid = index + 1, None
            elif line.startswith("a=mid:"):
                mid = line[len("a=mid:"):]
            if line.startswith("a=candidate:"):
                ice.append((line[2:], index, mid))
                continue
            if line.startswith("a=end-of-candidates"):
                continue
            kept.append(line)
        # sdpMid is only known after the a=mid line: resolve per m-section afterwards.
        mids = {i: m for _line, i, m in ice if m is not None}
        assert ice, "aiortc puts its candidates in the SDP"
        for line, i, _mid in ice:
            await super().send({"type": "ice", "candidate": line, "sdpMid": mids.get(i),
                                "sdpMLineIndex": i})
        await super().send({"type": "offer", "sdp": "\r\n".join(kept) + "\r\n"})


class CandidateFreeAnswerChannel(MemoryChannel):
    """Strips the answer's candidates (and never sends them): the offerer then knows no
    address of the answerer and the call can only connect through the answerer's checks
    towards the offerer's candidates, i.e. through the ICE frames it had to queue."""

    async def send(self, message: dict[str, Any]) -> None:
        if message.get("type") == "answer":
            lines = [line for line in str(message["sdp"]).splitlines()
                     if not line.startswith(("a=candidate:", "a=end-of-candidates"))]
            message = {"type": "answer", "sdp": "\r\n".join(lines) + "\r\n"}
        await super().send(message)


async def test_ice_before_the_offer_is_queued_until_the_remote_description() -> None:
    a = CallEngine([], options(width=160, height=120))
    b = CallEngine([], options(width=160, height=120))
    ca, cb = TricklingChannel(), CandidateFreeAnswerChannel()
    ca.peer, cb.peer = cb, ca
    runs = [asyncio.ensure_future(a.run(ca, offerer=True)),
            asyncio.ensure_future(b.run(cb, offerer=False))]
    try:
        await wait_until(lambda: b.remote_video.received >= 5 and a.remote_video.received >= 5)
        assert [m["type"] for m in ca.sent][-1] == "offer"
        assert ca.sent[0]["type"] == "ice"
        # Neither description carried a candidate: only the queued ones can have connected.
        assert "a=candidate" not in ca.sent[-1]["sdp"]
        assert "a=candidate" not in cb.sent[0]["sdp"]
    finally:
        await a.hangup()
        await asyncio.wait(runs, timeout=5)
        await a.close()
        await b.close()
