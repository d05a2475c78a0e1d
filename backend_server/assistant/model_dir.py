"""Whether a Whisper model directory is usable: plain file checks, without the speech
libraries (numpy, PyAV, CTranslate2), so the server can warn at start at no cost."""

from __future__ import annotations

from pathlib import Path
from typing import Final

REQUIRED_FILES: Final = ("model.bin", "config.json", "tokenizer.json")


def missing_files(model_dir: Path) -> list[str]:
    return [name for name in REQUIRED_FILES if not (model_dir / name).is_file()]


def model_problem(model_dir: Path) -> str | None:
    """Why the model in model_dir cannot be used (missing or incomplete), else None; cheap,
    for a warning at server start (the bundle ships without the model, IT provides it)."""
    if not model_dir.is_dir():
        return f"speech-to-text model directory {model_dir} does not exist"
    missing = missing_files(model_dir)
    if missing:
        return f"speech-to-text model directory {model_dir} lacks {', '.join(missing)}"
    return None


