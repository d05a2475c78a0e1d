"""The issue's text-mode targets on the 30 labelled sample calls (evaluation only: the
classifier never trains on them)."""

from __future__ import annotations

from backend_server.config import Settings
from bench.assistant import SampleCall, run_text


def test_text_mode_meets_every_target(sample_calls: list[SampleCall]) -> None:
    figures = run_text(sample_calls, settings=Settings(assistant_llm_url=""))
    misses = figures["misses"]
    assert figures["calls"] == 30
    assert figures["category_accuracy"] >= 0.90, misses
    assert figures["emergency_recall"] == 1.0, misses
    assert figures["non_emergency_urgent_rate"] <= 0.05, misses
    assert figures["dob_exact"] >= 0.90, misses
    assert figures["phone_exact"] >= 0.90, misses
    assert figures["name_match"] >= 0.85, misses
