"""The offline speech-to-text engine's set-up and failures, and the engine choice. The model is
loaded once per test process (the transcriber caches it); German speech goes through it in
test_pipeline (each transcription costs seconds on a busy two-core machine)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from backend_server.assistant.stt import (
    AzureTranscriber,
    TranscriberUnavailable,
    WhisperTranscriber,
    get_transcriber,
)
from backend_server.config import Settings


@pytest.fixture(scope="module")
def whisper() -> WhisperTranscriber:
    transcriber = get_transcriber(Settings())
    assert isinstance(transcriber, WhisperTranscriber)
    transcriber.load()
    return transcriber


def test_never_a_model_hub(whisper: WhisperTranscriber) -> None:
    # Told before the library was imported; the model itself comes from a local directory
    # (German speech through it: test_pipeline, which runs the real engine).
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert whisper.model_dir == Settings().assistant_model_dir


def test_silence_gives_an_empty_transcript(whisper: WhisperTranscriber) -> None:
    assert whisper.transcribe(np.zeros(16_000 * 3, dtype=np.float32)) == ""
    assert whisper.transcribe(np.zeros(0, dtype=np.float32)) == ""


def test_missing_model_dir_is_named_in_the_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-model-here"
    with pytest.raises(TranscriberUnavailable, match=str(missing)):
        get_transcriber(Settings(assistant_model_dir=missing))


def test_incomplete_or_damaged_model_dir_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(TranscriberUnavailable, match=r"incomplete \(missing model.bin"):
        WhisperTranscriber(tmp_path)
    (tmp_path / "model.bin").write_bytes(b"\0" * 1024)
    (tmp_path / "tokenizer.json").write_text("{}")
    damaged = WhisperTranscriber(tmp_path)
    with pytest.raises(TranscriberUnavailable, match=f"{tmp_path}.*could not be loaded"):
        damaged.transcribe(np.ones(16_000, dtype=np.float32) * 0.1)


def test_engine_is_chosen_by_setting() -> None:
    settings = Settings(assistant_stt_engine="azure", assistant_azure_key="k",
                        assistant_azure_region="westeurope")
    azure = get_transcriber(settings)
    assert isinstance(azure, AzureTranscriber)
    assert azure.endpoint == ("https://westeurope.stt.speech.microsoft.com/speech/recognition/"
                              "conversation/cognitiveservices/v1")
    with pytest.raises(TranscriberUnavailable, match="needs a key"):
        get_transcriber(Settings(assistant_stt_engine="azure"))
    assert get_transcriber(Settings()) is get_transcriber(Settings())  # one per process
