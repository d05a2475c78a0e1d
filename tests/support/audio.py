"""Audio for telephony tests: a synthetic tone (no speech needed) and German speech from
espeak-ng (``espeak-ng -v de --stdout``, 22.05 kHz 16-bit mono WAV)."""

from __future__ import annotations

import io
import math
import shutil
import struct
import subprocess
import wave
from functools import cache


def tone_wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    """A 440 Hz tone as 16-bit PCM WAV."""
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
                      for n in range(int(seconds * rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return out.getvalue()


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


@cache
def speech_wav(text: str) -> bytes:
    """``text`` spoken by espeak-ng's German voice."""
    result = subprocess.run(["espeak-ng", "-v", "de", "--stdout", text],
                            capture_output=True, check=True, timeout=30)
    return result.stdout
