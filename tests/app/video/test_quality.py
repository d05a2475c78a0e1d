"""Stats parsing, the quality summary and the adaptation logic (pure)."""

from __future__ import annotations

import datetime as dt

from aiortc.stats import (
    RTCInboundRtpStreamStats,
    RTCOutboundRtpStreamStats,
    RTCRemoteInboundRtpStreamStats,
    RTCStatsReport,
)

from app.video.adapt import LADDER, QualityAdapter, SendFormat, Thresholds, ladder_for
from app.video.stats import StatsTracker, parse_report

NOW = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)


def report(*, sent_bytes: int, sent_packets: int, recv: int, lost: int, rtt_s: float | None,
           fraction_lost: int) -> RTCStatsReport:
    r = RTCStatsReport()
    for kind, share in (("audio", 0.2), ("video", 0.8)):
        r.add(RTCOutboundRtpStreamStats(
            timestamp=NOW, type="outbound-rtp", id=f"out-{kind}", ssrc=1, kind=kind,
            transportId="t", packetsSent=int(sent_packets * share),
            bytesSent=int(sent_bytes * share), trackId=kind))
        r.add(RTCInboundRtpStreamStats(
            timestamp=NOW, type="inbound-rtp", id=f"in-{kind}", ssrc=2, kind=kind,
            transportId="t", packetsReceived=int(recv * share), packetsLost=int(lost * share),
            jitter=0))
        r.add(RTCRemoteInboundRtpStreamStats(
            timestamp=NOW, type="remote-inbound-rtp", id=f"rin-{kind}", ssrc=1, kind=kind,
            transportId="t", packetsReceived=0, packetsLost=0, jitter=0,
            roundTripTime=rtt_s, fractionLost=fraction_lost))  # type: ignore[arg-type]
    return r


def test_parse_report_reads_rtt_loss_and_counters() -> None:
    totals = parse_report(report(sent_bytes=100_000, sent_packets=100, recv=200, lost=10,
                                 rtt_s=0.05, fraction_lost=64))
    assert totals.rtt_ms == 50.0
    assert totals.sent_loss_pct == 25.0  # RTCP fraction lost 64/256
    assert totals.bytes_sent == 100_000
    assert totals.audio_packets_sent == 20
    assert totals.video_packets_received == 160
    assert totals.packets_lost == 10


def test_tracker_samples_and_summary() -> None:
    clock = iter([0.0, 1.0, 2.0, 3.0]).__next__
    tracker = StatsTracker(clock=clock)
    first = tracker.add(report(sent_bytes=0, sent_packets=0, recv=0, lost=0, rtt_s=None,
                               fraction_lost=0))
    assert first.send_kbps is None
    assert first.rtt_ms is None
    s1 = tracker.add(report(sent_bytes=125_000, sent_packets=100, recv=100, lost=0,
                            rtt_s=0.02, fraction_lost=0))
    assert s1.send_kbps == 1000.0
    assert s1.loss_pct == 0.0
    s2 = tracker.add(report(sent_bytes=250_000, sent_packets=200, recv=190, lost=10,
                            rtt_s=0.04, fraction_lost=0))
    assert s2.loss_pct == 10.0  # 10 lost of 100 expected in this interval
    tracker.add(report(sent_bytes=300_000, sent_packets=300, recv=290, lost=10,
                       rtt_s=0.03, fraction_lost=13))
    summary = tracker.summary("320x240")
    assert summary == {"rtt_ms_median": 30.0, "loss_pct_max": 10.0,
                       "bitrate_kbps_median": 1000.0, "send_resolution_min": "320x240"}
    assert len(tracker.recent) == 4


def test_summary_without_measurements_is_all_none() -> None:
    assert StatsTracker().summary(None) == {"rtt_ms_median": None, "loss_pct_max": None,
                                            "bitrate_kbps_median": None,
                                            "send_resolution_min": None}


def test_adapter_steps_down_quickly_and_up_slowly_with_hysteresis() -> None:
    t = Thresholds()
    adapter = QualityAdapter(LADDER, t)
    assert adapter.current == SendFormat(640, 480, 30)
    # One bad sample is noise; two in a row step down.
    assert adapter.observe(10.0, 50) == LADDER[0]
    assert adapter.observe(10.0, 50) == LADDER[1]
    # High RTT alone is bad as well.
    adapter.observe(0.0, 600)
    assert adapter.observe(0.0, 600) == LADDER[2]
    # In between good and bad: stays where it is, however long.
    for _ in range(30):
        assert adapter.observe(3.0, 300) == LADDER[2]
    # Good again: held for a while after the last step down, then up one level per streak.
    levels = [adapter.observe(0.0, 40).label for _ in range(5)]
    assert levels == ["320x240"] * 4 + ["480x360"]
    for _ in range(t.good_samples_to_step_up):
        adapter.observe(0.0, 40)
    assert adapter.current == LADDER[0]
    assert adapter.lowest_level == 2


def test_adapter_never_leaves_the_ladder() -> None:
    adapter = QualityAdapter(LADDER)
    for _ in range(50):
        adapter.observe(50.0, 2000)
    assert adapter.current == LADDER[-1]
    for _ in range(200):
        adapter.observe(0.0, 10)
    assert adapter.current == LADDER[0]
    # No measurement yet: nothing changes.
    assert adapter.observe(None, None) == LADDER[0]


def test_ladder_is_capped_at_the_source_format() -> None:
    ladder = ladder_for(320, 240, 30)
    assert ladder[0] == SendFormat(320, 240, 30)
    assert all(f.width * f.height <= 320 * 240 for f in ladder)
    assert ladder[1] == SendFormat(320, 240, 15)
    assert ladder_for(1280, 720, 30)[1] == LADDER[0]
