"""Adaptive send quality: fewer pixels or frames when the connection suffers, more when it heals.

Pure logic: ``QualityAdapter.observe()`` takes one measurement (loss, RTT) and answers the send
format to use. Stepping down is quick (two bad samples in a row) because a congested link
gets worse the longer it is overfed; stepping up is slow (several good samples, and not soon
after a step down) so the quality does not oscillate. The thresholds for "bad" and "good" are
apart (hysteresis): a link sitting between them keeps its current level.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendFormat:
    width: int
    height: int
    fps: int

    @property
    def label(self) -> str:
        return f"{self.width}x{self.height}"


# Best first. 4:3 like the default camera format; frame rate drops before the picture gets tiny.
LADDER: tuple[SendFormat, ...] = (
    SendFormat(640, 480, 30),
    SendFormat(480, 360, 30),
    SendFormat(320, 240, 30),
    SendFormat(320, 240, 15),
    SendFormat(160, 120, 15),
)


@dataclass(frozen=True)
class Thresholds:
    bad_loss_pct: float = 5.0
    bad_rtt_ms: float = 400.0
    good_loss_pct: float = 1.0
    good_rtt_ms: float = 200.0
    bad_samples_to_step_down: int = 2
    good_samples_to_step_up: int = 5
    # Samples after a step down during which no step up happens (probing too early re-congests).
    hold_after_down: int = 8


def ladder_for(width: int, height: int, fps: int) -> tuple[SendFormat, ...]:
    """The ladder capped at the source format (never upscale a smaller camera)."""
    top = SendFormat(width, height, fps)
    lower = tuple(f for f in LADDER if f.width * f.height < width * height
                  or (f.width * f.height == width * height and f.fps < fps))
    return (top, *lower)


class QualityAdapter:
    def __init__(self, ladder: tuple[SendFormat, ...] = LADDER,
                 thresholds: Thresholds | None = None) -> None:
        if not ladder:
            raise ValueError("the ladder needs at least one format")
        self.ladder = ladder
        self.t = thresholds or Thresholds()
        self.level = 0
        self._bad = 0
        self._good = 0
        self._hold = 0
        self.lowest_level = 0

    @property
    def current(self) -> SendFormat:
        return self.ladder[self.level]

    def observe(self, loss_pct: float | None, rtt_ms: float | None) -> SendFormat:
        """One sample (None = not measured yet, counts as neither good nor bad)."""
        bad = ((loss_pct is not None and loss_pct >= self.t.bad_loss_pct)
               or (rtt_ms is not None and rtt_ms >= self.t.bad_rtt_ms))
        good = (not bad and loss_pct is not None
                and loss_pct <= self.t.good_loss_pct
                and (rtt_ms is None or rtt_ms <= self.t.good_rtt_ms))
        if self._hold:
            self._hold -= 1
        if bad:
            self._good = 0
            self._bad += 1
            if self._bad >= self.t.bad_samples_to_step_down and self.level < len(self.ladder) - 1:
                self.level += 1
                self.lowest_level = max(self.lowest_level, self.level)
                self._bad = 0
                self._hold = self.t.hold_after_down
        elif good:
            self._bad = 0
            self._good += 1
            if (self._good >= self.t.good_samples_to_step_up and self.level > 0
                    and not self._hold):
                self.level -= 1
                self._good = 0
        else:
            self._bad = 0
            self._good = 0
        return self.current
