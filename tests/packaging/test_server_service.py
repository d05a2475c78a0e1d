"""The server as a machine service: the systemd unit IT installs, and the machine-wide data
dir the server picks when it runs as a service."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import platformdirs
import pytest

from backend_server.cli import _settings, build_parser
from backend_server.config import Settings
from backend_server.serve import ServeOptions, resolve_tls
from tests.support.server_cli import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
UNIT = REPO_ROOT / "packaging" / "linux" / "praxisdesk-server.service"
INSTALLED_SERVER = "/opt/praxisdesk/praxisdesk-server"

PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1  # linux/prctl.h, kernel 6.3+


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_values() -> dict[str, list[str]]:
    """Every value of every [Service] key in file order (systemd keys repeat)."""
    values: dict[str, list[str]] = {}
    section = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]":
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def _environment() -> dict[str, str]:
    return dict(v.partition("=")[::2] for v in _service_values()["Environment"])


def _exec_start_argv() -> list[str]:
    """ExecStart as systemd expands it with the unit's own Environment= defaults."""
    env = _environment()
    line = _service_values()["ExecStart"][0]
    line = re.sub(r"\$\{(\w+)\}", lambda m: shlex.quote(env[m.group(1)]), line)
    # Unbraced $VAR splits into words, which is how SERVE_TLS carries two options.
    return [word for part in shlex.split(line)
            for word in (env[part[1:]].split() if part.startswith("$") else [part])]


def test_unit_is_hardened_and_keeps_state_in_its_state_directory() -> None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(UNIT, encoding="utf-8")
    assert parser.sections() == ["Unit", "Service", "Install"]
    service = parser["Service"]
    expected = {
        "DynamicUser": "yes", "StateDirectory": "praxisdesk", "ProtectSystem": "strict",
        "ProtectHome": "yes", "PrivateTmp": "yes", "NoNewPrivileges": "yes",
        "CapabilityBoundingSet": "", "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter": "@system-service", "LockPersonality": "yes",
        # off: offline speech-to-text (CTranslate2/oneDNN) needs W+X memory, see the unit
        "MemoryDenyWriteExecute": "no", "Restart": "on-failure",
        "EnvironmentFile": "-/etc/praxisdesk/server.env", "UMask": "0077",
    }
    assert {key: service.get(key) for key in expected} == expected
    assert parser["Install"]["WantedBy"] == "multi-user.target"
    env = _environment()
    assert env["PRAXISDESK_DATA_DIR"] == "%S/praxisdesk"  # = /var/lib/praxisdesk
    assert env["PRAXISDESK_SERVICE"] == "1"
    # The optional file is read after the defaults, so IT's values override them.
    lines = UNIT.read_text(encoding="utf-8").splitlines()
    assert max(i for i, x in enumerate(lines) if x.startswith("Environment=")) < lines.index(
        "EnvironmentFile=-/etc/praxisdesk/server.env")


def test_unit_command_line_starts_a_tls_server_on_the_lan_in_the_service_data_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = _exec_start_argv()
    assert argv[0] == INSTALLED_SERVER
    args = build_parser().parse_args(argv[1:])
    assert (args.command, args.service, args.host, args.port) == ("serve", True, "0.0.0.0", 8765)
    # What systemd passes in: the StateDirectory wins over the service default.
    monkeypatch.setenv("PRAXISDESK_DATA_DIR", "/var/lib/praxisdesk")
    settings = _settings(args)
    assert settings.data_dir == Path("/var/lib/praxisdesk")
    opts = ServeOptions(host=args.host, port=args.port, tls_cert=args.tls_cert,
                        tls_key=args.tls_key, tls_self_signed=args.tls_self_signed,
                        insecure_lan=args.insecure_lan)
    # Not refused for lack of TLS on a LAN address: serves HTTPS with the data dir's cert.
    assert not opts.insecure_lan
    tls = resolve_tls(Settings(data_dir=tmp_path), opts)
    assert tls == (tmp_path / "tls-self-signed.crt", tmp_path / "tls-self-signed.key")


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    # verify insists that ExecStart's program exists; point it at this checkout's entry point.
    entry = Path(sys.executable).with_name("praxisdesk-server")
    assert entry.exists()
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED_SERVER, str(entry)),
                    encoding="utf-8")
    result = subprocess.run([tool, "verify", str(unit)], capture_output=True, text=True,
                            timeout=60, check=False)
    # verify reports unknown keys and bad values as warnings with exit code 0: none allowed.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    # The drop-ins the IT guide tells IT to add (own certificate, scheduled backups) are
    # valid too: specifiers like %d resolve, keys exist.
    guide = (REPO_ROOT / "docs" / "it-guide.md").read_text(encoding="utf-8")
    drop_ins = re.findall(r"```ini\n(.*?)```", guide, re.DOTALL)
    assert len(drop_ins) >= 2
    for number, drop_in in enumerate(drop_ins):
        combined = tmp_path / f"drop-in-{number}" / UNIT.name
        combined.parent.mkdir()
        combined.write_text(unit.read_text(encoding="utf-8") + "\n" + drop_in, encoding="utf-8")
        checked = subprocess.run([tool, "verify", str(combined)], capture_output=True,
                                 text=True, timeout=60, check=False)
        assert (checked.returncode, checked.stdout + checked.stderr) == (0, ""), drop_in
    security = subprocess.run([tool, "security", "--offline=yes", "--threshold=25", str(unit)],
                              capture_output=True, text=True, timeout=60, check=False)
    if "--offline" in security.stderr:
        return  # systemd < 250 cannot rate a unit file that is not installed
    assert security.returncode == 0, security.stdout[-600:]
    assert re.search(r"Overall exposure level for \S+: [0-2]\.\d OK", security.stdout)


def _mdwe_supported() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    probe = subprocess.run(
        [sys.executable, "-c",
         "import ctypes, sys; libc = ctypes.CDLL(None, use_errno=True); "
         f"sys.exit(0 if libc.prctl({PR_SET_MDWE}, {PR_MDWE_REFUSE_EXEC_GAIN}, 0, 0, 0) == 0 "
         "else ctypes.get_errno())"], capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


_MDWE_LAUNCHER = (
    "import ctypes, os, sys\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
    f"if libc.prctl({PR_SET_MDWE}, {PR_MDWE_REFUSE_EXEC_GAIN}, 0, 0, 0) != 0:\n"
    "    sys.exit('PR_SET_MDWE failed: errno %d' % ctypes.get_errno())\n"
    # The rule survives execve: the server below runs entirely under it.
    "os.execv(sys.executable, [sys.executable, '-m', 'backend_server', *sys.argv[1:]])\n"
)


def test_server_works_under_memory_deny_write_execute(tmp_path: Path) -> None:
    """MemoryDenyWriteExecute=yes kills a service that maps writable+executable memory (JITs,
    old libffi closures). The kernel's own W^X switch (PR_SET_MDWE) enforces the same rule on
    mmap/mprotect, so the server is run under it: TLS (cryptography), password hashing
    (argon2-cffi), SQLite and sync must all work."""
    if not _mdwe_supported():
        pytest.skip("the kernel lacks prctl(PR_SET_MDWE) (Linux 6.3+) to test W^X")
    data = tmp_path / "state"
    port = _free_port()
    env = {**os.environ, "PRAXISDESK_SERVICE": "1", "PRAXISDESK_DATA_DIR": str(data)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _MDWE_LAUNCHER, "serve", "--service", "--host", "127.0.0.1",
         "--port", str(port), "--tls-self-signed", "--demo"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO_ROOT, env=env)
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and not any("ready at" in x for x in lines):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
        assert any("ready at https://" in x for x in lines), lines[-15:]
        cafile = str(data / "tls-self-signed.crt")
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", timeout=20,
                          verify=ssl.create_default_context(cafile=cafile)) as client:
            assert client.get("/api/v1/health").json()["status"] == "ok"
            login = client.post("/api/v1/auth/login", json={
                "email": "empfang@demo.praxisdesk.de", "password": "demo-empfang-2024"})
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            changes = client.get("/api/v1/sync/changes",
                                 headers={"Authorization": f"Bearer {token}"})
            assert changes.status_code == 200
            assert changes.json()["changes"]
        # Probe that the rule really was in force: W+X memory is refused in a child of it.
        wx = subprocess.run(
            [sys.executable, "-c", _MDWE_LAUNCHER.replace(
                "os.execv(sys.executable, [sys.executable, '-m', 'backend_server', "
                "*sys.argv[1:]])",
                "import mmap\nmmap.mmap(-1, 4096, prot=7)")],
            capture_output=True, text=True, timeout=30, check=False)
        assert wx.returncode != 0
        assert "Permission denied" in wx.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# -- the machine-wide data dir ---------------------------------------------------------------

def _site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Points platformdirs' machine-wide dir into tmp_path (on Linux: $XDG_DATA_DIRS)."""
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "site"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    site = Path(platformdirs.site_data_dir("praxisdesk-server", appauthor=False))
    if sys.platform.startswith("linux"):
        assert site == tmp_path / "site" / "praxisdesk-server"
    return site


def test_service_mode_keeps_data_in_the_machine_wide_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, monkeypatch)
    user_dir = Path(platformdirs.user_data_dir("praxisdesk-server"))
    assert Settings().data_dir == user_dir  # an interactive run stays in the user's dir

    monkeypatch.setenv("PRAXISDESK_SERVICE", "1")
    assert Settings().data_dir == site
    created = run_cli("create-practice", "Praxis Dr. Muster", "--json")
    assert created.returncode == 0, created.stderr
    assert (site / "praxisdesk.sqlite3").is_file()
    assert not user_dir.exists()

    # An explicit data dir still wins, from the environment and from the command line.
    monkeypatch.setenv("PRAXISDESK_DATA_DIR", str(tmp_path / "explicit"))
    assert Settings().data_dir == tmp_path / "explicit"
    parsed = build_parser().parse_args(["serve", "--service"])
    assert _settings(parsed).data_dir == tmp_path / "explicit"
    parsed = build_parser().parse_args(["serve", "--service", "--data-dir", str(tmp_path / "cli")])
    assert _settings(parsed).data_dir == tmp_path / "cli"


def test_serve_service_flag_uses_the_machine_wide_dir(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, monkeypatch)
    monkeypatch.delenv("PRAXISDESK_SERVICE", raising=False)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend_server", "serve", "--service", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO_ROOT)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 30
        ready = False
        while time.monotonic() < deadline and not ready:
            line = proc.stdout.readline()
            if not line:
                break
            ready = "ready at" in line
        assert ready
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10).status_code == 200
        assert (site / "praxisdesk.sqlite3").is_file()
        assert (site / "jwt-secret").stat().st_mode & 0o077 == 0
        assert not (tmp_path / "home").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# -- admin commands against the service's data -------------------------------------------------

ADMIN = REPO_ROOT / "packaging" / "linux" / "praxisdesk-server-admin"


def _fake_tools(bin_dir: Path, log: Path) -> None:
    """Stand-ins for `id` (root) and `systemd-run` (records its argv and stdin)."""
    bin_dir.mkdir()
    (bin_dir / "id").write_text("#!/bin/sh\necho 0\n", encoding="utf-8")
    (bin_dir / "systemd-run").write_text(
        f"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > {shlex.quote(str(log))}\n"
        f"cat > {shlex.quote(str(log))}.stdin\n", encoding="utf-8")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)


def test_admin_wrapper_runs_commands_as_the_service_user_with_its_settings(
        tmp_path: Path) -> None:
    log = tmp_path / "argv"
    _fake_tools(tmp_path / "bin", log)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(ADMIN), "create-user", "--practice", "P1", "--email", "a@b.de",
         "--role", "admin", "--password-stdin", "--display-name", "Dr. Muster"],
        input="geheim\n", capture_output=True, text=True, env=env, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    argv = log.read_text(encoding="utf-8").splitlines()
    assert log.with_name("argv.stdin").read_text(encoding="utf-8") == "geheim\n"
    # The command itself, word for word (the display name keeps its space).
    assert argv[argv.index(INSTALLED_SERVER):] == [
        INSTALLED_SERVER, "create-user", "--practice", "P1", "--email", "a@b.de", "--role",
        "admin", "--password-stdin", "--display-name", "Dr. Muster"]
    assert {"--pipe", "--wait"} <= set(argv)
    props = dict(a.removeprefix("--property=").split("=", 1) for a in argv
                 if a.startswith("--property="))
    setenv = dict(a.removeprefix("--setenv=").split("=", 1) for a in argv
                  if a.startswith("--setenv="))
    unit = {key: values[-1] for key, values in _service_values().items()}
    # Same identity and data as the service, or files it makes would lock the service out.
    for key in ("DynamicUser", "User", "UMask", "EnvironmentFile"):
        assert props[key] == unit[key], key
    assert set(unit["StateDirectory"].split()) <= set(props["StateDirectory"].split())
    service_env = {k: v.replace("%S", "/var/lib") for k, v in _environment().items()
                   if k.startswith("PRAXISDESK_")}
    assert setenv == service_env


def test_admin_wrapper_refuses_without_root_and_explains_itself(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n", encoding="utf-8")
    (bin_dir / "id").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    refused = subprocess.run(["bash", str(ADMIN), "audit", "verify"], capture_output=True,
                             text=True, env=env, timeout=30, check=False)
    assert refused.returncode == 2
    assert "root" in refused.stderr
    usage = subprocess.run(["bash", str(ADMIN)], capture_output=True, text=True, env=env,
                           timeout=30, check=False)
    assert usage.returncode == 2
    assert "create-practice" in usage.stdout
    assert "systemctl stop praxisdesk-server" in usage.stdout
