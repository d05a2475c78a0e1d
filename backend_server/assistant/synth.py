"""German speech from text with espeak-ng: test recordings, benchmarks and the demo's calls.

espeak-ng writes a 22.05 kHz 16-bit WAV; it can be resampled to 16 kHz PCM (what the tests and
the audio benchmark feed the pipeline) or to 8 kHz μ-law (what a telephone system records).
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Final, Literal

from backend_server.assistant.audio import decode_to_pcm16k, encode_wav

ESPEAK: Final = "espeak-ng"
TIMEOUT_SECONDS: Final = 60.0

Telephony = Literal["espeak", "pcm16k", "mulaw8k"]


class SpeechSynthesisUnavailable(RuntimeError):
    """espeak-ng is missing or failed."""


def synthesize(text: str, *, fmt: Telephony = "pcm16k", words_per_minute: int = 150,
               voice: str = "de") -> bytes:
    """``text`` spoken by espeak-ng as WAV bytes: ``espeak`` = as espeak-ng writes it,
    ``pcm16k`` = 16 kHz 16-bit PCM, ``mulaw8k`` = 8 kHz μ-law (telephone quality)."""
    binary = shutil.which(ESPEAK)
    if binary is None:
        raise SpeechSynthesisUnavailable(
            "espeak-ng is not installed (Debian/Ubuntu: apt-get install espeak-ng; "
            "scripts/setup.sh installs it when run as root)")
    try:
        # The text goes in on stdin: no argument parsing surprises with leading dashes.
        result = subprocess.run(
            [binary, "-v", voice, "-s", str(words_per_minute), "--stdout"],
            input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT_SECONDS,
            check=False)
    except subprocess.TimeoutExpired:
        raise SpeechSynthesisUnavailable("espeak-ng did not finish in time") from None
    if result.returncode != 0 or not result.stdout:
        raise SpeechSynthesisUnavailable(f"espeak-ng failed (exit {result.returncode})")
    if fmt == "espeak":
        return result.stdout
    samples = decode_to_pcm16k(result.stdout)
    if fmt == "pcm16k":
        return encode_wav(samples, 16_000)
    return encode_wav(samples, 16_000, codec="pcm_mulaw", out_rate=8_000)
