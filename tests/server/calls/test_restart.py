"""A real server process is killed (SIGKILL) while it transcribes a call; a server started
again on the same data takes the job up once the lease has run out and completes it exactly
once."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.audio import speech_wav
from tests.support.live_server import start_live_server
from tests.support.server_cli import run_cli

REPO_ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"
SPEECH = "Ich hätte gerne einen Termin in der nächsten Woche."
# About 40 s of speech: its transcription is still running seconds after it started.
LONG_SPEECH = " ".join([SPEECH, "Am liebsten vormittags, weil ich nachmittags arbeite.",
                        "Es geht um meine Rückenschmerzen, die seit drei Wochen da sind."] * 4)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PRAXISDESK_CALLS_JOB_LEASE_SECONDS": "1",
           "PRAXISDESK_CALLS_POLL_SECONDS": "0.1"}
    proc = subprocess.Popen([sys.executable, "-m", "backend_server", "serve", "--data-dir",
                             str(data_dir), "--port", str(port)], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90  # the interpreter's start alone is slow on a busy machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        assert proc.poll() is None, "the server exited during start-up"
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the server did not become healthy")


def _jobs(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT kind, state, attempts, locked_until FROM call_jobs "
                            "ORDER BY kind").fetchall()
    finally:
        conn.close()


def test_killed_mid_processing_the_job_completes_once_after_restart(tmp_path: Path) -> None:
    data = tmp_path / "server-data"  # where start_live_server(tmp_path) looks
    practice = run_cli("create-practice", "Praxis Neustart", "--json", "--data-dir", str(data))
    assert practice.returncode == 0, practice.stderr
    practice_id = practice.stdout.split('"id": "')[1].split('"')[0]
    created = run_cli("create-user", "--practice", practice_id, "--email", "a@neustart.example",
                      "--role", "admin", "--password-stdin", "--json", "--data-dir", str(data),
                      stdin=PASSWORD)
    assert created.returncode == 0, created.stderr
    wav = speech_wav(SPEECH)
    db = data / "praxisdesk.sqlite3"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api/v1"

    proc = _serve(data, port)
    try:
        token = httpx.post(f"{url}/auth/login", json={"email": "a@neustart.example",
                                                      "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        key = httpx.post(f"{url}/telephony/upload-key", headers=headers).json()["api_key"]
        accepted = httpx.post(f"{url}/telephony/upload", headers={"X-Api-Key": key},
                              data={"caller": "+4930999888"},
                              files={"file": ("anruf.wav", wav, "audio/wav")})
        assert accepted.status_code == 202, accepted.text
        call_id = accepted.json()["call_id"]
        # Kill the moment the worker holds the process job (model load + transcription
        # take well over a second).
        deadline = time.monotonic() + 60
        while True:
            jobs = _jobs(db)
            if jobs and jobs[0][1] == "pending" and jobs[0][3] is not None:
                break
            assert time.monotonic() < deadline, f"the job was never taken: {jobs}"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert _jobs(db)[0][:3] == ("process", "pending", 1)  # interrupted, not completed

    # Restarted (in this process: one interpreter start less) on the same data dir.
    live = start_live_server(tmp_path, port=port, calls_job_lease_seconds=1,
                             calls_poll_seconds=0.1)
    try:
        token = httpx.post(f"{url}/auth/login", json={"email": "a@neustart.example",
                                                      "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        deadline = time.monotonic() + 90
        while True:
            call = httpx.get(f"{url}/calls/{call_id}", headers=headers).json()
            if call["processing"] == "ready":
                break
            assert call["processing"] != "failed", call
            assert time.monotonic() < deadline, f"not processed after the restart: {call}"
            time.sleep(0.05)
        assert call["transcript"]
        processed_at = call["processed_at"]
        time.sleep(0.5)  # a few worker rounds: nothing runs the job again
        again = httpx.get(f"{url}/calls/{call_id}", headers=headers).json()
        assert again["processed_at"] == processed_at
        assert len(httpx.get(f"{url}/calls", headers=headers).json()) == 1
    finally:
        live.stop()
    assert _jobs(db) == [("process", "done", 2, None)]



# Run as a separate interpreter: a server in this process, stopped while it transcribes,
# then a normal interpreter exit.
_STOP_DURING_TRANSCRIPTION = """
import sys, time, httpx
from pathlib import Path
from tests.support.live_server import start_live_server
from tests.support.audio import speech_wav
tmp, wav_text = Path(sys.argv[1]), sys.argv[2]
live = start_live_server(tmp, calls_poll_seconds=0.1)
url = live.url + "/api/v1"
key = sys.argv[3]
accepted = httpx.post(f"{url}/telephony/upload", headers={"X-Api-Key": key},
                      data={"caller": "+4930999777"},
                      files={"file": ("anruf.wav", speech_wav(wav_text), "audio/wav")})
assert accepted.status_code == 202, accepted.text
time.sleep(4.0)  # the model is loaded and decoding runs
live.stop()
print("stopped", flush=True)
"""


def test_stopped_during_a_transcription_the_process_exits_cleanly(tmp_path: Path) -> None:
    """A server stopped while its worker transcribes lets the transcription end before the
    process exits: exiting while CTranslate2's native threads are busy ends in
    std::terminate (SIGABRT, exit status 134 — a red CI run, a failed systemd stop)."""
    data = tmp_path / "server-data"
    practice = run_cli("create-practice", "Praxis Halt", "--json", "--data-dir", str(data))
    assert practice.returncode == 0, practice.stderr
    practice_id = practice.stdout.split('"id": "')[1].split('"')[0]
    created = run_cli("create-user", "--practice", practice_id, "--email", "a@halt.example",
                      "--role", "admin", "--password-stdin", "--json", "--data-dir", str(data),
                      stdin=PASSWORD)
    assert created.returncode == 0, created.stderr
    live = start_live_server(tmp_path)
    try:
        token = httpx.post(f"{live.url}/api/v1/auth/login",
                           json={"email": "a@halt.example", "password": PASSWORD}).json()
        key = httpx.post(f"{live.url}/api/v1/telephony/upload-key", headers={
            "Authorization": f"Bearer {token['access_token']}"}).json()["api_key"]
    finally:
        live.stop()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    done = subprocess.run([sys.executable, "-c", _STOP_DURING_TRANSCRIPTION, str(tmp_path),
                           LONG_SPEECH, key], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert "stopped" in done.stdout, done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
