"""Speech-to-text behind one small interface: offline Whisper (default) or Azure Speech (EU)."""

from backend_server.assistant.stt.azure import AzureTranscriber
from backend_server.assistant.stt.base import (
    Transcriber,
    TranscriberUnavailable,
    TranscriptionError,
)
from backend_server.assistant.stt.factory import get_transcriber
from backend_server.assistant.stt.whisper import WhisperTranscriber

__all__ = ["AzureTranscriber", "Transcriber", "TranscriberUnavailable", "TranscriptionError",
           "WhisperTranscriber", "get_transcriber"]
