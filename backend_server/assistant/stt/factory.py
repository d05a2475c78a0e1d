"""Choosing the speech-to-text engine from the server settings."""

from __future__ import annotations

import threading

from backend_server.assistant.stt.azure import AzureTranscriber, region_endpoint
from backend_server.assistant.stt.base import Transcriber
from backend_server.assistant.stt.whisper import WhisperTranscriber
from backend_server.config import Settings

_cache: dict[tuple[object, ...], Transcriber] = {}
_lock = threading.Lock()


def get_transcriber(settings: Settings) -> Transcriber:
    """The engine ``PRAXISDESK_ASSISTANT_STT_ENGINE`` names (``whisper`` by default), one per
    process and configuration. Raises TranscriberUnavailable when it cannot run."""
    if settings.assistant_stt_engine == "azure":
        endpoint = (settings.assistant_azure_endpoint
                    or region_endpoint(settings.assistant_azure_region))
        key: tuple[object, ...] = ("azure", endpoint,
                                   settings.assistant_azure_key.get_secret_value())
    else:
        key = ("whisper", str(settings.assistant_model_dir), settings.assistant_stt_beam_size,
               settings.assistant_stt_threads, settings.assistant_stt_vad)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        transcriber: Transcriber
        if settings.assistant_stt_engine == "azure":
            transcriber = AzureTranscriber(
                endpoint, settings.assistant_azure_key.get_secret_value(),
                timeout_seconds=settings.assistant_azure_timeout_seconds)
        else:
            transcriber = WhisperTranscriber(
                settings.assistant_model_dir, beam_size=settings.assistant_stt_beam_size,
                cpu_threads=settings.assistant_stt_threads, vad=settings.assistant_stt_vad)
        _cache[key] = transcriber
        return transcriber
