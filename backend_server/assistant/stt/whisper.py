"""Offline German speech-to-text with faster-whisper (CTranslate2) from a local model directory.

The model is loaded once per process and directory and shared by every WhisperTranscriber;
a lock serialises transcriptions: CTranslate2 already uses the configured CPU threads, and two
calls at once would only slow each other down on a small practice server.

The model is built on a thread of this module that lives as long as the process: a model built
on a thread that then ends (the call worker's per-job daemon thread) made every later
transcription in the process two to five times slower (measured with ``bench.assistant``:
CPU seconds per call 3.0 -> 6-15).
"""

from __future__ import annotations

import os

# Never a model hub at runtime: faster-whisper reads the directory given, and should anything
# still reach for huggingface_hub, it stays offline. Set before faster_whisper is imported
# (huggingface_hub reads it at import).
os.environ["HF_HUB_OFFLINE"] = "1"

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from backend_server.assistant.model_dir import missing_files
from backend_server.assistant.stt.base import TranscriberUnavailable, TranscriptionError

if TYPE_CHECKING:
    from faster_whisper import WhisperModel  # type: ignore[import-untyped]

SAMPLE_RATE: Final = 16_000


@dataclass(frozen=True)
class _ModelKey:
    model_dir: str
    cpu_threads: int
    compute_type: str


_models: dict[_ModelKey, WhisperModel] = {}
_models_lock = threading.Lock()
# One transcription at a time per process (see module docstring).
_transcribe_lock = threading.Lock()


class _OwnerThread:
    """One daemon thread, started on first use and never ended, that builds the models (see
    the module docstring). Daemon: a process exit never waits for it."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], object], Future[object]]] = (
            queue.SimpleQueue())
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, fn: Callable[[], object]) -> object:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="whisper-owner",
                                                daemon=True)
                self._thread.start()
        done: Future[object] = Future()
        self._jobs.put((fn, done))
        return done.result()

    def _serve(self) -> None:
        while True:
            fn, done = self._jobs.get()
            try:
                done.set_result(fn())
            except BaseException as exc:  # handed to the caller, who reports it
                done.set_exception(exc)


_owner = _OwnerThread()


class WhisperTranscriber:
    def __init__(self, model_dir: Path, *, language: str = "de", beam_size: int = 5,
                 cpu_threads: int = 2, compute_type: str = "int8", vad: bool = True) -> None:
        self.model_dir = Path(model_dir)
        self.language = language
        self.beam_size = beam_size
        self.vad = vad
        self._key = _ModelKey(str(self.model_dir.resolve()), cpu_threads, compute_type)
        # Checked at once so a wrong setting shows at start-up, not with the first call.
        if not self.model_dir.is_dir():
            raise TranscriberUnavailable(
                f"speech-to-text model directory {self.model_dir} does not exist; run "
                "scripts/setup.sh or set PRAXISDESK_ASSISTANT_MODEL_DIR (installed bundle: "
                "see the IT guide, the model is provided separately)")
        missing = missing_files(self.model_dir)
        if missing:
            raise TranscriberUnavailable(
                f"speech-to-text model directory {self.model_dir} is incomplete (missing "
                f"{', '.join(missing)}); run scripts/setup.sh again")

    @property
    def loaded(self) -> bool:
        """Whether this process already holds the model (the next transcription is warm)."""
        return self._key in _models

    def load(self) -> float:
        """Loads the model now unless this process already has it; returns the seconds spent."""
        with _models_lock:
            if self._key in _models:
                return 0.0
            started = time.perf_counter()
            from faster_whisper import WhisperModel

            try:
                key = self._key
                model = _owner.run(lambda: WhisperModel(
                    key.model_dir, device="cpu", compute_type=key.compute_type,
                    cpu_threads=key.cpu_threads, local_files_only=True))
            except Exception as exc:  # ctranslate2/tokenizers raise plain RuntimeError & co
                raise TranscriberUnavailable(
                    f"speech-to-text model in {self.model_dir} could not be loaded (damaged? "
                    f"{type(exc).__name__}); run scripts/setup.sh again") from exc
            _models[self._key] = model
            return time.perf_counter() - started

    def transcribe(self, samples: npt.NDArray[np.float32]) -> str:
        if samples.size == 0:
            return ""
        self.load()
        model = _models[self._key]
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        with _transcribe_lock:
            try:
                # The segments come from a generator: decoding happens while it is consumed,
                # so it is consumed inside the lock.
                segments, _info = model.transcribe(
                    audio, language=self.language, beam_size=self.beam_size,
                    # Each call is short and stands alone: no carry-over between windows (a
                    # misheard phrase would otherwise repeat), no timestamps (not needed,
                    # fewer tokens to decode). No initial prompt either: on noise Whisper
                    # echoes the prompt's words ("Brustschmerzen") as if they were spoken.
                    condition_on_previous_text=False, without_timestamps=True,
                    # Silero VAD (shipped inside faster-whisper) drops silence and line
                    # noise, where Whisper would otherwise invent text.
                    vad_filter=self.vad)
                parts = [segment.text.strip() for segment in segments]
            except Exception as exc:
                raise TranscriptionError(
                    f"speech-to-text failed ({type(exc).__name__})") from exc
        return " ".join(part for part in parts if part)
