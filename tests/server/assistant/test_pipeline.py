"""A recording end to end: espeak-ng speech (made here) → decode → Whisper → triage, in-process
and through ``praxisdesk-server assistant analyze --wav`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend_server.assistant.audio import AudioDecodeError
from backend_server.assistant.pipeline import analyze_recording, analyze_recording_async
from backend_server.assistant.synth import synthesize
from backend_server.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[3]


async def test_emergency_recording_is_flagged_urgent() -> None:
    # Telephone quality (8 kHz μ-law) is what Twilio records, but Whisper base hears espeak
    # badly there (platform facts): the pipeline is checked on 16 kHz speech.
    recording = synthesize(
        "Mein Vater hat starke Schmerzen in der Brust und bekommt keine Luft.")
    result = await analyze_recording_async(recording, "07531 123456")
    assert result.urgent is True
    assert result.category == "emergency"
    # Whisper base hears espeak-ng's robot voice imperfectly (~25% word errors): the words
    # that carry the meaning must be there.
    transcript = result.transcript.lower()
    assert "schmerzen" in transcript
    assert "keine luft" in transcript
    # No number in the message: the caller id is the callback number, normalised.
    assert result.caller.phone == "+497531123456"


def test_undecodable_recording_is_refused_before_transcription() -> None:
    with pytest.raises(AudioDecodeError):
        analyze_recording(b"not audio" * 100, None, settings=Settings())


def test_cli_analyzes_a_wav_file(tmp_path: Path) -> None:
    wav = tmp_path / "anruf.wav"
    wav.write_bytes(synthesize("Ich brauche eine Überweisung zum Orthopäden."))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PRAXISDESK_DATA_DIR": str(tmp_path),
           # The subprocess runs from the same virtual environment: the same default model.
           "PRAXISDESK_ASSISTANT_MODEL_DIR": str(Settings().assistant_model_dir)}
    for key in ("XDG_RUNTIME_DIR",):
        if key in os.environ:
            env[key] = os.environ[key]
    done = subprocess.run([sys.executable, "-m", "backend_server", "assistant", "analyze",
                           "--wav", str(wav), "--json"], capture_output=True, text=True,
                          cwd=REPO_ROOT, env=env, timeout=90)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) >= {"transcript", "category", "urgent", "caller"}
    assert set(out["caller"]) == {"name", "dob", "phone"}
    assert "überweisung" in out["transcript"].lower()
    assert out["caller"]["dob"] is None
    assert out["category"] == "referral"
    assert out["urgent"] is False
