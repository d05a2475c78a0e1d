"""Connection quality from ``RTCPeerConnection.getStats()``: RTT, packet loss, bitrate.

aiortc's report: ``remote-inbound-rtp`` (what the peer's receiver reports about our stream:
RTT in seconds, ``fractionLost`` as the raw RTCP 8-bit value, 0..255), ``inbound-rtp`` (what
we receive: cumulative packets received and lost), ``outbound-rtp`` (cumulative bytes sent).
A ``StatsTracker`` turns successive reports into per-interval samples and, at the end, the
quality summary stored with the call's metadata.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QualitySample:
    at: float
    rtt_ms: float | None
    loss_pct: float | None  # the worse of sent (peer's view) and received loss
    send_kbps: float | None
    recv_packets: int
    sent_packets: int


@dataclass(frozen=True)
class Totals:
    bytes_sent: int = 0
    packets_sent: int = 0
    packets_received: int = 0
    packets_lost: int = 0
    audio_packets_sent: int = 0
    audio_packets_received: int = 0
    video_packets_sent: int = 0
    video_packets_received: int = 0
    rtt_ms: float | None = None
    sent_loss_pct: float | None = None


def parse_report(report: Any) -> Totals:
    """Cumulative counters of one report (any mapping of id -> stats object)."""
    bytes_sent = packets_sent = packets_received = packets_lost = 0
    audio_sent = audio_recv = video_sent = video_recv = 0
    rtts: list[float] = []
    fractions: list[float] = []
    for stat in report.values():
        kind = getattr(stat, "type", None)
        if kind == "outbound-rtp":
            bytes_sent += int(stat.bytesSent)
            packets_sent += int(stat.packetsSent)
            if stat.kind == "audio":
                audio_sent += int(stat.packetsSent)
            else:
                video_sent += int(stat.packetsSent)
        elif kind == "inbound-rtp":
            packets_received += int(stat.packetsReceived)
            packets_lost += max(0, int(stat.packetsLost))
            if stat.kind == "audio":
                audio_recv += int(stat.packetsReceived)
            else:
                video_recv += int(stat.packetsReceived)
        elif kind == "remote-inbound-rtp":
            if stat.roundTripTime is not None:
                rtts.append(float(stat.roundTripTime) * 1000.0)
            if stat.fractionLost is not None:
                fractions.append(float(stat.fractionLost) / 256.0 * 100.0)
    return Totals(bytes_sent=bytes_sent, packets_sent=packets_sent,
                  packets_received=packets_received, packets_lost=packets_lost,
                  audio_packets_sent=audio_sent, audio_packets_received=audio_recv,
                  video_packets_sent=video_sent, video_packets_received=video_recv,
                  rtt_ms=max(rtts) if rtts else None,
                  sent_loss_pct=max(fractions) if fractions else None)


class StatsTracker:
    """Feed it reports at a steady interval; keeps a bounded window of samples for the
    quality indicator plus running figures for the final summary."""

    def __init__(self, window: int = 30, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._prev: Totals | None = None
        self._prev_at: float | None = None
        self.recent: deque[QualitySample] = deque(maxlen=window)
        # One float per interval for the medians: a 2-hour call at 1 s is ~7,200 numbers.
        self._rtts: list[float] = []
        self._kbps: list[float] = []
        self._loss_max: float | None = None
        self.last_totals = Totals()

    def add(self, report: Any) -> QualitySample:
        totals = parse_report(report)
        now = self._clock()
        send_kbps = recv_loss = None
        if self._prev is not None and self._prev_at is not None and now > self._prev_at:
            dt = now - self._prev_at
            send_kbps = max(0, totals.bytes_sent - self._prev.bytes_sent) * 8 / 1000 / dt
            received = totals.packets_received - self._prev.packets_received
            lost = totals.packets_lost - self._prev.packets_lost
            if received + lost > 0:
                recv_loss = max(0.0, lost) / (received + max(0, lost)) * 100.0
        losses = [x for x in (recv_loss, totals.sent_loss_pct) if x is not None]
        loss = max(losses) if losses else None
        sample = QualitySample(at=now, rtt_ms=totals.rtt_ms, loss_pct=loss, send_kbps=send_kbps,
                               recv_packets=totals.packets_received,
                               sent_packets=totals.packets_sent)
        self.recent.append(sample)
        if totals.rtt_ms is not None:
            self._rtts.append(totals.rtt_ms)
        if send_kbps is not None:
            self._kbps.append(send_kbps)
        if loss is not None:
            self._loss_max = loss if self._loss_max is None else max(self._loss_max, loss)
        self._prev, self._prev_at = totals, now
        self.last_totals = totals
        return sample

    def summary(self, send_resolution_min: str | None) -> dict[str, Any]:
        """The ``quality`` object of the call metadata (contract: VideoCall.quality)."""
        return {
            "rtt_ms_median": round(statistics.median(self._rtts), 1) if self._rtts else None,
            "loss_pct_max": round(self._loss_max, 2) if self._loss_max is not None else None,
            "bitrate_kbps_median": (round(statistics.median(self._kbps), 1)
                                    if self._kbps else None),
            "send_resolution_min": send_resolution_min,
        }
