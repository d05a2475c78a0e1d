"""praxisdesk-server as IT runs it: a real subprocess per command."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.server_cli import run_cli

# Everything else runs the same main() in-process: an interpreter start per call made these
# tests the slowest of the suite.
cli = run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]


def cli_process(*args: str, stdin: str | None = None,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed entry point in its own interpreter (for what only a process shows)."""
    return subprocess.run([sys.executable, "-m", "backend_server", *args], input=stdin,
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
                          env={**os.environ, **(env or {})})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_create_backup_restore_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    created = cli("create-practice", "Praxis Dr. Muster", "--json", "--data-dir", str(data))
    assert created.returncode == 0, created.stderr
    practice_id = json.loads(created.stdout)["id"]
    user = cli("--data-dir", str(data), "create-user", "--practice", practice_id, "--email",
               "chefin@muster.de", "--role", "admin", "--password-stdin", "--json",
               "--display-name", "Dr. Muster", stdin="geheimes passwort\n")
    assert user.returncode == 0, user.stderr
    user_id = json.loads(user.stdout)["id"]

    backup = tmp_path / "backup.pxbak"
    result = cli("backup", str(backup), env={"PRAXISDESK_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert backup.stat().st_mode & 0o077 == 0  # health data: owner only
    assert b"chefin@muster.de" not in backup.read_bytes()  # encrypted
    # The keys stay with the live server (default: inside its data dir).
    keys = {"PRAXISDESK_KEYS_DIR": str(data / "keys")}

    # Data added after the backup is what a restore rolls back.
    cli("create-practice", "Später", "--json", "--data-dir", str(data))
    refused = cli("restore", str(backup), "--data-dir", str(data))
    assert refused.returncode == 2
    assert "--force" in refused.stderr

    fresh = tmp_path / "fresh"
    without_keys = cli("restore", str(backup), "--data-dir", str(fresh))
    assert without_keys.returncode == 2
    assert "keys directory" in without_keys.stderr
    assert not fresh.exists()
    restored = cli("restore", str(backup), "--data-dir", str(fresh), env=keys)
    assert restored.returncode == 0, restored.stderr
    assert "erasures" in restored.stdout
    conn = sqlite3.connect(fresh / "praxisdesk.sqlite3")
    try:
        assert conn.execute("SELECT id, email FROM users").fetchall() == [
            (user_id, "chefin@muster.de")]
        assert [r[0] for r in conn.execute("SELECT name FROM practices")] == [
            "Praxis Dr. Muster"]
    finally:
        conn.close()
    verify = cli("audit", "verify", "--data-dir", str(fresh), env=keys)
    assert verify.returncode == 0
    assert verify.stdout.strip() == "ok, 2 entries"

    forced = cli("restore", str(backup), "--force", "--data-dir", str(data))
    assert forced.returncode == 0, forced.stderr
    kept = list(data.glob("praxisdesk.sqlite3.pre-restore-*"))
    assert len(kept) == 1  # the replaced database is not thrown away
    conn = sqlite3.connect(data / "praxisdesk.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM practices").fetchone() == (1,)
    finally:
        conn.close()


def test_restore_refuses_a_file_that_is_not_a_praxisdesk_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for candidate in (junk, other, tmp_path / "missing.sqlite3"):
        result = cli("restore", str(candidate), "--data-dir", str(tmp_path / "d"))
        assert result.returncode == 2
        assert result.stderr.startswith("error: ")
    assert not (tmp_path / "d" / "praxisdesk.sqlite3").exists()


def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    unknown = cli("create-user", "--practice", "no-such-id", "--email", "a@b.de", "--role",
                  "staff", "--password-stdin", "--data-dir", data, stdin="long enough\n")
    assert unknown.returncode == 2
    assert "No such practice" in unknown.stderr
    practice_id = json.loads(cli("create-practice", "P", "--json", "--data-dir", data).stdout)["id"]
    empty = cli("create-user", "--practice", practice_id, "--email", "a@b.de", "--role",
                "staff", "--password-stdin", "--data-dir", data, stdin="")
    assert empty.returncode == 2
    assert "password" in empty.stderr
    role = cli("create-user", "--practice", practice_id, "--email", "a@b.de", "--role",
               "boss", "--password-stdin", "--data-dir", data, stdin="long enough\n")
    assert role.returncode == 2
    blank = cli("create-practice", "   ", "--data-dir", data)
    assert blank.returncode == 2
    assert "name" in blank.stderr


def test_serve_refuses_a_lan_address_without_tls(tmp_path: Path) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", str(_free_port()),
                 "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "without TLS" in result.stderr
    assert "--tls-self-signed" in result.stderr
    assert not (tmp_path / "praxisdesk.sqlite3").exists()


def _serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen([sys.executable, "-m", "backend_server", "serve",
                             "--data-dir", str(tmp_path), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=REPO_ROOT)
    lines: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if "ready at" in line:
            return proc, lines
    proc.kill()
    pytest.fail(f"server did not report ready: {lines}")


def test_serve_with_self_signed_tls_and_demo(tmp_path: Path) -> None:
    port = _free_port()
    proc, lines = _serve(tmp_path, "--port", str(port), "--tls-self-signed", "--demo")
    try:
        assert lines[-1] == f"Praxisdesk server ready at https://127.0.0.1:{port}"
        fingerprint = next(line for line in lines if line.startswith("SHA-256 fingerprint"))
        assert len(fingerprint.split(": ", 1)[1].split(":")) == 32
        assert any("empfang@demo.praxisdesk.de" in line for line in lines)
        cert = tmp_path / "tls-self-signed.crt"
        with httpx.Client(verify=ssl.create_default_context(cafile=str(cert))) as client:
            assert client.get(f"https://127.0.0.1:{port}/api/v1/health").status_code == 200
            login = client.post(f"https://127.0.0.1:{port}/api/v1/auth/login", json={
                "email": "empfang@demo.praxisdesk.de", "password": "demo-empfang-2024"})
            assert login.status_code == 200
            assert login.json()["user"]["role"] == "staff"
        # A second server on the same data dir would fight over the database.
        second = cli_process("serve", "--port", str(_free_port()), "--data-dir", str(tmp_path))
        assert second.returncode == 2
        assert "already running" in second.stderr
        running = cli("restore", str(tmp_path / "x.sqlite3"), "--data-dir", str(tmp_path))
        assert running.returncode == 2
        assert "running" in running.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=15)

    # Demo seeding is idempotent and the certificate is reused.
    proc, lines2 = _serve(tmp_path, "--port", str(port), "--tls-self-signed", "--demo")
    proc.terminate()
    proc.wait(timeout=15)
    assert [line for line in lines2 if "fingerprint" in line] == [
        line for line in lines if "fingerprint" in line]
    conn = sqlite3.connect(tmp_path / "praxisdesk.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (4,)
        assert conn.execute("SELECT count(*) FROM practices").fetchone() == (1,)
    finally:
        conn.close()


def test_help_lists_the_public_commands() -> None:
    result = cli_process("--help")
    assert result.returncode == 0
    for command in ("serve", "create-practice", "create-user", "audit", "backup", "restore"):
        assert command in result.stdout


def test_tls_rules_for_serve(tmp_path: Path) -> None:
    from backend_server.config import Settings
    from backend_server.serve import ServeOptions, ServeRefused, resolve_tls

    settings = Settings(data_dir=tmp_path)
    assert resolve_tls(settings, ServeOptions(host="127.0.0.1")) is None
    assert resolve_tls(settings, ServeOptions(host="::1")) is None
    assert resolve_tls(settings, ServeOptions(host="localhost")) is None
    assert resolve_tls(settings, ServeOptions(host="192.168.1.20", insecure_lan=True)) is None
    for refused in (
        ServeOptions(host="192.168.1.20"),
        ServeOptions(host="praxis-server.local"),
        ServeOptions(host="0.0.0.0", tls_cert=tmp_path / "c.pem"),
        ServeOptions(host="0.0.0.0", tls_cert=tmp_path / "c.pem", tls_key=tmp_path / "k.pem"),
        ServeOptions(host="0.0.0.0", tls_self_signed=True, tls_cert=tmp_path / "c.pem"),
    ):
        with pytest.raises(ServeRefused):
            resolve_tls(settings, refused)
    cert, key = resolve_tls(settings, ServeOptions(host="192.168.1.20",
                                                   tls_self_signed=True)) or (None, None)
    assert cert is not None
    assert key is not None
    assert key.stat().st_mode & 0o777 == 0o600
    given = resolve_tls(settings, ServeOptions(host="0.0.0.0", tls_cert=cert, tls_key=key))
    assert given == (cert, key)
