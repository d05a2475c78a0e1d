"""The headless commands IT uses, run as real processes against a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.app.conftest import PASSWORD, Practice
from tests.support.live_server import LiveServer


def praxisdesk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, text=True,
                          capture_output=True, env=dict(os.environ), timeout=60, check=False)


def test_login_sync_doctor(tmp_path: Path, practice: Practice) -> None:
    profile = str(tmp_path / "profile")
    url = practice.server.url

    bad = praxisdesk("--profile", profile, "login", "--server", url, "--email",
                     practice.staff_email, "--password-stdin", stdin="nope\n")
    assert bad.returncode == 1
    assert "password is wrong" in bad.stderr
    assert "nope" not in bad.stderr + bad.stdout

    not_yet = praxisdesk("--profile", profile, "sync", "--once")
    assert not_yet.returncode == 1
    assert "Not logged in" in not_yet.stderr

    ok = praxisdesk("--profile", profile, "login", "--server", url, "--email",
                    practice.staff_email, "--password-stdin", stdin=PASSWORD + "\n")
    assert ok.returncode == 0, ok.stderr
    assert "staff" in ok.stdout

    synced = praxisdesk("--profile", profile, "sync", "--once", "--json")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["applied"] == 2

    doctor = praxisdesk("--profile", profile, "doctor", "--json")
    assert doctor.returncode == 0, doctor.stderr
    report = json.loads(doctor.stdout)
    assert report["cache_encrypted"] is True
    assert report["cipher_version"].startswith("4.")
    assert report["keyring_backend"].endswith("SecretService.Keyring")
    assert report["server_reachable"] is True
    assert report["server_compatible"] is True
    assert report["logged_in"] is True
    assert report["cache_path"] == str(Path(profile) / "cache.db")


def test_doctor_reports_problems_instead_of_crashing(tmp_path: Path) -> None:
    env = {**os.environ, "PRAXISDESK_SERVER_URL": "http://127.0.0.1:9"}
    r = subprocess.run([sys.executable, "-m", "app", "--profile", str(tmp_path / "p"),
                        "doctor", "--json"], capture_output=True, text=True, env=env,
                       timeout=60, check=False)
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["server_reachable"] is False
    assert "cannot be reached" in report["server_error"]
    assert report["cache_exists"] is False
    assert report["cache_encrypted"] is False


def test_plain_http_login_to_remote_server_is_refused(tmp_path: Path) -> None:
    r = praxisdesk("--profile", str(tmp_path / "p"), "login", "--server",
                   "http://praxis.example", "--email", "a@b.de", "--password-stdin",
                   stdin="x\n")
    assert r.returncode == 2
    assert "https" in r.stderr


def test_login_to_a_self_signed_server_with_its_certificate(tmp_path: Path,
                                                           live_server_tls: LiveServer) -> None:
    pid = live_server_tls.create_practice("TLS-Praxis")
    live_server_tls.create_user(pid, "tls@praxis.example", "staff", PASSWORD)
    profile = str(tmp_path / "p")
    args = ("--profile", profile, "login", "--server", live_server_tls.url, "--email",
            "tls@praxis.example", "--password-stdin")
    untrusted = praxisdesk(*args, stdin=PASSWORD + "\n")
    assert untrusted.returncode == 2
    assert "certificate is not trusted" in untrusted.stderr
    trusted = praxisdesk(*args, "--ca-file", str(live_server_tls.cert_path),
                         stdin=PASSWORD + "\n")
    assert trusted.returncode == 0, trusted.stderr
    assert praxisdesk("--profile", profile, "sync", "--once").returncode == 0
