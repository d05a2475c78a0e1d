"""Phone assistant, audio mode: accuracy and speed of the whole recording pipeline.

Each caller text of ``sample.jsonl`` (evaluation only, never training) is spoken by espeak-ng
(``-v de``, its default 175 words per minute), written as a 16 kHz WAV and run through the same
steps as ``praxisdesk-server assistant analyze --wav`` (decode → transcribe → triage). Figures:

- ``category_accuracy`` (target ≥ 0.80) and ``emergency_recall`` (calls labelled emergency that
  were flagged urgent; target 1.0);
- ``rtf``: wall-clock transcription time / audio duration (target ≤ 0.25; model load excluded,
  reported as ``model_load_seconds``). The machine may be shared: ``load_average`` is reported
  with it, and ``rtf_cpu`` (CPU seconds / audio seconds / engine threads) estimates the
  factor on an otherwise idle machine;
- an 8 kHz μ-law smoke run over the first ``--mulaw N`` calls (report only: Whisper base
  hears espeak's telephone-band audio badly).

Run: ``python -m bench.assistant_audio [--sample PATH] [--limit N] [--mulaw N]``. The last line
is the JSON summary. ``run_audio(sample_path)`` returns the figures for ``bench.assistant``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from backend_server.assistant.analysis import CallAnalysis
from backend_server.assistant.audio import SAMPLE_RATE, decode_to_pcm16k
from backend_server.assistant.stt import WhisperTranscriber, get_transcriber
from backend_server.assistant.synth import Telephony, synthesize
from backend_server.assistant.triage import analyze_text
from backend_server.config import Settings
from bench.assistant import SampleCall, default_sample_path, evaluate, load_sample, met

AUDIO_TARGETS: dict[str, tuple[str, float]] = {
    "category_accuracy": (">=", 0.80),
    "emergency_recall": (">=", 1.0),
    "rtf": ("<=", 0.25),
}
# espeak-ng's own default speed: the bench speaks as `espeak-ng -v de` does.
WORDS_PER_MINUTE = 175
REPORTED = ("calls", "category_accuracy", "emergency_recall", "non_emergency_urgent_rate",
            "dob_exact", "phone_exact", "name_match")


def _run_calls(sample: Sequence[SampleCall], fmt: Telephony, settings: Settings,
               log: Callable[[str], None]) -> dict[str, Any]:
    """Each call spoken, decoded, transcribed (timed) and triaged: the steps of
    ``pipeline.analyze_recording``, split so that transcription can be timed alone."""
    transcriber = get_transcriber(settings)
    analyses: list[CallAnalysis] = []
    audio_seconds = wall = cpu = 0.0
    for call in sample:
        samples = decode_to_pcm16k(synthesize(call.text, fmt=fmt,
                                               words_per_minute=WORDS_PER_MINUTE))
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        transcript = transcriber.transcribe(samples)
        wall += time.perf_counter() - wall_start
        cpu += time.process_time() - cpu_start
        audio_seconds += samples.shape[0] / SAMPLE_RATE
        result = analyze_text(transcript, None, settings=settings)
        analyses.append(result)
        log(f"{fmt} {call.id}: {samples.shape[0] / SAMPLE_RATE:5.1f} s audio, expected "
            f"{call.category}, got {result.category}{' URGENT' if result.urgent else ''}")
    evaluated = evaluate(sample, analyses)
    figures = {key: evaluated[key] for key in REPORTED}
    figures["misses"] = evaluated["misses"]
    threads = settings.assistant_stt_threads
    figures.update({
        "audio_seconds": round(audio_seconds, 1),
        "transcribe_seconds": round(wall, 1),
        "rtf": round(wall / audio_seconds, 3) if audio_seconds else 0.0,
        "rtf_cpu": round(cpu / audio_seconds / threads, 3) if audio_seconds else 0.0,
    })
    return figures


def run_audio(sample_path: Path, *, limit: int | None = None, mulaw: int = 6,
              log: Callable[[str], None] = print) -> dict[str, Any]:
    """The audio-mode figures (flat dict; ``mulaw8k_*`` for the telephone-quality smoke run,
    ``misses`` lists the call ids behind each figure that fell short)."""
    settings = Settings()
    sample = load_sample(sample_path)[:limit]
    transcriber = get_transcriber(settings)
    load_seconds = transcriber.load() if isinstance(transcriber, WhisperTranscriber) else 0.0
    load_before = os.getloadavg()[0]
    figures: dict[str, Any] = {
        "engine": settings.assistant_stt_engine,
        "beam_size": settings.assistant_stt_beam_size,
        "model_load_seconds": round(load_seconds, 2),
    }
    figures.update(_run_calls(sample, "pcm16k", settings, log))
    if mulaw:
        smoke = _run_calls(sample[:mulaw], "mulaw8k", settings, log)
        figures.update({f"mulaw8k_{key}": smoke[key] for key in
                        ("calls", "category_accuracy", "emergency_recall", "rtf")})
    # The machine is shared: how busy it was belongs next to the speed figures.
    figures["load_average"] = round(max(load_before, os.getloadavg()[0]), 1)
    figures["cpu_count"] = os.cpu_count()
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.assistant_audio",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N calls")
    parser.add_argument("--mulaw", type=int, default=6,
                        help="calls in the 8 kHz μ-law smoke run (0: none)")
    args = parser.parse_args(argv)
    figures = run_audio(args.sample or default_sample_path(), limit=args.limit,
                        mulaw=args.mulaw)
    print(json.dumps({"misses": figures.pop("misses")}))
    ok = met(figures, AUDIO_TARGETS)
    print(json.dumps({"bench": "assistant_audio", "figures": figures,
                      "targets": {k: f"{op} {bound:g}" for k, (op, bound) in
                                  AUDIO_TARGETS.items()},
                      "met": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
