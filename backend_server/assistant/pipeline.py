"""A recorded call from bytes to a CallAnalysis: decode → transcribe → triage and extraction.

Decoding and transcription are CPU-bound and take seconds; async callers (the job worker, the
API) use ``analyze_recording_async``, which runs the whole thing in a worker thread so the
event loop stays responsive.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from backend_server.assistant.analysis import CallAnalysis
from backend_server.assistant.audio import decode_to_pcm16k
from backend_server.assistant.stt import Transcriber, get_transcriber
from backend_server.assistant.triage import analyze_text
from backend_server.config import Settings


def transcribe_recording(data: bytes | Path, *, transcriber: Transcriber | None = None,
                         settings: Settings | None = None) -> str:
    """The transcript of a recording. Raises AudioDecodeError (unusable input) or
    TranscriptionError / TranscriberUnavailable (engine failure or misconfiguration)."""
    samples = decode_to_pcm16k(data)
    engine = transcriber or get_transcriber(settings if settings is not None else Settings())
    return engine.transcribe(samples)


def analyze_recording(data: bytes | Path, caller_id: str | None, *,
                      transcriber: Transcriber | None = None, settings: Settings | None = None,
                      today: date | None = None) -> CallAnalysis:
    """The analysis of one recording; ``caller_id`` is the number the call came from (the
    fallback callback number). ``settings`` default: from the environment."""
    settings = settings if settings is not None else Settings()
    transcript = transcribe_recording(data, transcriber=transcriber, settings=settings)
    return analyze_text(transcript, caller_id, today=today, settings=settings)


async def analyze_recording_async(data: bytes | Path, caller_id: str | None, *,
                                  transcriber: Transcriber | None = None,
                                  settings: Settings | None = None,
                                  today: date | None = None) -> CallAnalysis:
    return await asyncio.to_thread(analyze_recording, data, caller_id, transcriber=transcriber,
                                   settings=settings, today=today)
