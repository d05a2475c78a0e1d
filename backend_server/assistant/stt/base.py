"""What every speech-to-text engine offers the pipeline, and how it fails."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt


class TranscriptionError(RuntimeError):
    """The engine could not turn the audio into text (network, service or model failure).
    Messages name the cause, never audio content or transcript text."""


class TranscriberUnavailable(TranscriptionError):
    """The engine cannot run at all as configured (model missing or damaged, no key)."""


class Transcriber(Protocol):
    def transcribe(self, samples: npt.NDArray[np.float32]) -> str:
        """The German text spoken in ``samples`` (float32 mono 16 kHz); "" for silence."""
        ...
