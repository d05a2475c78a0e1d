"""Azure Speech (EU region) through its REST API for short audio.

That API takes at most 60 s of audio per request, so longer recordings go in consecutive
pieces of ``CHUNK_SECONDS`` and the texts are joined. Audio leaves the server only when a
practice configures this engine (``PRAXISDESK_ASSISTANT_STT_ENGINE=azure``) with a region in
the EU, under its own data processing agreement.
"""

from __future__ import annotations

from typing import Final

import httpx
import numpy as np
import numpy.typing as npt

from backend_server.assistant.audio import pcm16_wav
from backend_server.assistant.stt.base import TranscriberUnavailable, TranscriptionError

SAMPLE_RATE: Final = 16_000
CHUNK_SECONDS: Final = 55
CONTENT_TYPE: Final = "audio/wav; codecs=audio/pcm; samplerate=16000"
# Statuses that mean "nothing was said", not a failure.
NOTHING_HEARD: Final = frozenset({"NoMatch", "InitialSilenceTimeout", "BabbleTimeout"})


def region_endpoint(region: str) -> str:
    return (f"https://{region}.stt.speech.microsoft.com/speech/recognition/conversation/"
            "cognitiveservices/v1")


class AzureTranscriber:
    def __init__(self, endpoint: str, key: str, *, language: str = "de-DE",
                 timeout_seconds: float = 30.0) -> None:
        if not key:
            raise TranscriberUnavailable(
                "Azure speech-to-text needs a key (PRAXISDESK_ASSISTANT_AZURE_KEY)")
        if not endpoint.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            # The key and the audio never travel in clear text over a real network.
            raise TranscriberUnavailable("the Azure speech endpoint must be an https:// URL")
        self.endpoint = endpoint
        self.language = language
        self._key = key
        self._timeout = timeout_seconds

    def transcribe(self, samples: npt.NDArray[np.float32]) -> str:
        if samples.size == 0:
            return ""
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
        step = CHUNK_SECONDS * SAMPLE_RATE
        texts: list[str] = []
        with httpx.Client(timeout=self._timeout) as client:
            for start in range(0, pcm.shape[0], step):
                text = self._recognise(client, pcm16_wav(pcm[start:start + step], SAMPLE_RATE))
                if text:
                    texts.append(text)
        return " ".join(texts)

    def _recognise(self, client: httpx.Client, wav: bytes) -> str:
        try:
            response = client.post(
                self.endpoint, params={"language": self.language, "format": "simple"},
                headers={"Ocp-Apim-Subscription-Key": self._key, "Content-Type": CONTENT_TYPE,
                         "Accept": "application/json"},
                content=wav)
        except httpx.HTTPError as exc:
            raise TranscriptionError(
                f"Azure speech service unreachable ({type(exc).__name__})") from exc
        if response.status_code in (401, 403):
            raise TranscriberUnavailable(
                f"Azure speech service refused the key (HTTP {response.status_code})")
        if response.status_code != 200:
            raise TranscriptionError(f"Azure speech service answered HTTP {response.status_code}")
        try:
            body = response.json()
            status = body["RecognitionStatus"]
        except (ValueError, KeyError, TypeError):
            raise TranscriptionError("Azure speech service sent an unreadable answer") from None
        if status == "Success":
            return str(body.get("DisplayText", "")).strip()
        if status in NOTHING_HEARD:
            return ""
        raise TranscriptionError(f"Azure speech recognition failed (status {status})")
