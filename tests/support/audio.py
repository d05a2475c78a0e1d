"""Audio for telephony tests: a synthetic tone (no speech needed) and German speech from
espeak-ng (the assistant's own synthesis, 16 kHz 16-bit PCM WAV)."""

from __future__ import annotations

import io
import math
import struct
import wave
from functools import cache

from backend_server.assistant.synth import synthesize


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


@cache
def speech_wav(text: str) -> bytes:
    """``text`` spoken by espeak-ng's German voice."""
    return synthesize(text, fmt="pcm16k")
