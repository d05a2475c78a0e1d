"""``praxisdesk --self-test``: prove an installation works end to end, with nothing kept.

IT runs it after installing (and CI on every bundle): a throwaway server is started from
the same installation on a free loopback port, a throwaway account logs in, an encrypted
cache is opened with a random key (no OS keyring needed, so it also runs where there is
none), one sync runs, Qt starts offscreen with the German catalog, a video call between two
synthetic peers runs over loopback (aiortc, codecs, DTLS-SRTP), and everything is stopped and
removed again. The server runs as a subprocess: the client never imports it.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from app import __version__
from app.api.client import ApiClient
from app.api.errors import ApiError
from app.cache.database import KEY_BYTES, CacheDB, is_encrypted_file, open_cache
from app.sync.engine import SyncEngine

# The whole run stays within TOTAL_BUDGET_S: the steps up to the Qt check share
# WORK_BUDGET_S, the rest is kept for stopping the server and removing the temp dirs.
TOTAL_BUDGET_S = 60.0
WORK_BUDGET_S = 45.0
STOP_GRACE_S = 7.0
KILL_WAIT_S = 3.0
HEALTH_POLL_S = 0.1
# Two synthetic peers on 127.0.0.1 connect and exchange pictures in about a second.
VIDEO_BUDGET_S = 15.0
SELF_TEST_EMAIL = "selbsttest@praxisdesk.example"
# Windows: the client is a GUI program; its console-program server must not pop up a window.
NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)

StepBody = Callable[[], Awaitable[str | None]]


class StepFailed(Exception):
    """A step's check did not hold; the message is what the report shows."""


@dataclass
class StepResult:
    name: str
    ok: bool
    seconds: float
    error: str | None = None
    detail: str | None = None


@dataclass
class Report:
    version: str = __version__
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)

    @property
    def failed_step(self) -> str | None:
        return next((step.name for step in self.steps if not step.ok), None)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "version": self.version,
                "steps": [{k: v for k, v in asdict(step).items() if k != "detail"}
                          for step in self.steps]}


def server_command() -> list[str]:
    """The bundled server: the ``praxisdesk-server`` executable beside a frozen client,
    else the ``backend_server`` package of this Python."""
    if getattr(sys, "frozen", False):
        suffix = ".exe" if sys.platform == "win32" else ""
        return [str(Path(sys.executable).with_name(f"praxisdesk-server{suffix}"))]
    return [sys.executable, "-m", "backend_server"]


def server_environment() -> dict[str, str]:
    # The machine's server settings (a PostgreSQL URL, keys or backup dir, SMTP) must not
    # reach the throwaway server: it would write into the practice's real data.
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PRAXISDESK_")}
    if getattr(sys, "frozen", False):
        # Another PyInstaller program: it must set up its own environment, not ours.
        env["PYINSTALLER_RESET_ENVIRONMENT"] = "1"
    return env


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


class SelfTest:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.command = server_command()
        self.report = Report()
        self.started = time.monotonic()
        self.root: Path | None = None
        self.port = 0
        self.practice_id = ""
        self.password = secrets.token_urlsafe(24)
        self.server: subprocess.Popen[bytes] | None = None
        self.server_log: Path | None = None
        self.api: ApiClient | None = None
        self.cache: CacheDB | None = None

    # --- bookkeeping ---------------------------------------------------------------------

    def remaining(self, budget: float = WORK_BUDGET_S) -> float:
        return budget - (time.monotonic() - self.started)

    async def step(self, name: str, body: StepBody, *, budget: float = WORK_BUDGET_S) -> bool:
        begun = time.monotonic()
        error: str | None = None
        detail: str | None = None
        try:
            left = self.remaining(budget)
            if left <= 0:
                raise StepFailed(f"time budget of {budget:.0f} s used up")
            async with asyncio.timeout(left):
                detail = await body()
        except TimeoutError:
            error = f"did not finish within the time budget of {budget:.0f} s"
        except (StepFailed, ApiError, OSError, subprocess.SubprocessError) as exc:
            error = str(exc) or type(exc).__name__
        except Exception as exc:  # the report must name every failure, whatever it is
            error = f"{type(exc).__name__}: {exc}"
        result = StepResult(name, error is None, round(time.monotonic() - begun, 3), error,
                            detail)
        self.report.steps.append(result)
        mark = " ok " if result.ok else "FAIL"
        extra = f": {error}" if error else (f" ({detail})" if detail else "")
        print(f"[{mark}] {name} {result.seconds:.2f} s{extra}", file=self.out, flush=True)
        return result.ok

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "server-data"

    @property
    def profile_dir(self) -> Path:
        assert self.root is not None
        return self.root / "client-profile"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- steps ---------------------------------------------------------------------------

    async def make_temp_dirs(self) -> str:
        self.root = Path(tempfile.mkdtemp(prefix="praxisdesk-selftest-"))
        self.data_dir.mkdir(mode=0o700)
        self.profile_dir.mkdir(mode=0o700)
        self.server_log = self.root / "server.log"
        return str(self.root)

    async def pick_port(self) -> str:
        self.port = free_loopback_port()
        return f"127.0.0.1:{self.port}"

    async def _server_cli(self, *args: str, stdin: str | None = None) -> dict[str, Any]:
        argv = [*self.command, "--data-dir", str(self.data_dir), *args]

        def run() -> subprocess.CompletedProcess[str]:
            return subprocess.run(argv, input=stdin, capture_output=True, text=True,
                                  env=server_environment(), check=False,
                                  timeout=max(1.0, self.remaining()), creationflags=NO_WINDOW)

        try:
            done = await asyncio.to_thread(run)
        except FileNotFoundError:
            raise StepFailed(f"the server program is missing: {self.command[0]}") from None
        except subprocess.TimeoutExpired:
            raise StepFailed(f"'{args[0]}' did not finish within the time budget") from None
        if done.returncode != 0:
            raise StepFailed(f"'{args[0]}' exited with {done.returncode}: "
                             f"{_last_line(done.stderr or done.stdout)}")
        try:
            answer = json.loads(_last_line(done.stdout))
        except ValueError:
            raise StepFailed(f"'{args[0]}' printed no JSON: {_last_line(done.stdout)}") from None
        if not isinstance(answer, dict) or "id" not in answer:
            raise StepFailed(f"'{args[0]}' printed no id")
        return answer

    async def create_practice(self) -> str:
        answer = await self._server_cli("create-practice", "Praxisdesk Selbsttest", "--json")
        self.practice_id = str(answer["id"])
        return f"practice {self.practice_id}"

    async def create_user(self) -> str:
        answer = await self._server_cli(
            "create-user", "--practice", self.practice_id, "--email", SELF_TEST_EMAIL,
            "--role", "staff", "--password-stdin", "--json", stdin=self.password + "\n")
        return f"user {answer['id']}"

    def _spawn_server(self) -> subprocess.Popen[bytes]:
        assert self.server_log is not None
        argv = [*self.command, "--data-dir", str(self.data_dir), "serve",
                "--host", "127.0.0.1", "--port", str(self.port)]
        # Output goes to a file in the temp dir: a pipe nobody reads could fill and block it.
        with self.server_log.open("wb") as log_file:
            try:
                return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_file,
                                        stderr=subprocess.STDOUT, env=server_environment(),
                                        creationflags=NO_WINDOW)
            except FileNotFoundError:
                raise StepFailed(f"the server program is missing: {self.command[0]}") from None

    async def start_server(self) -> str:
        self.server = self._spawn_server()
        probe = ApiClient(self.url, timeout=2.0)
        try:
            while True:
                if self.server.poll() is not None:
                    code, self.server = self.server.returncode, None  # nothing left to stop
                    raise StepFailed(f"the server exited with {code}: "
                                     f"{self._server_log_tail()}")
                try:
                    health = await probe.health()
                    break
                except ApiError:
                    await asyncio.sleep(HEALTH_POLL_S)
        finally:
            await probe.aclose()
        if health.get("version") != __version__:
            raise StepFailed(f"the server is version {health.get('version')}, "
                             f"this client {__version__}")
        return f"{self.url}, version {health.get('version')}"

    def _server_log_tail(self) -> str:
        try:
            assert self.server_log is not None
            return _last_line(self.server_log.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return "(no server log)"

    async def log_in(self) -> str:
        self.api = ApiClient(self.url, timeout=10.0)
        tokens = await self.api.login(SELF_TEST_EMAIL, self.password,
                                      device_name="Praxisdesk self-test")
        if not self.api.access_token:
            raise StepFailed("the server answered the login without an access token")
        return f"role {tokens.user.get('role', '?')}"

    async def open_encrypted_cache(self) -> str:
        # A random key held only in memory: the cache dies with the temp dir.
        self.cache = await open_cache(self.profile_dir / "cache.db", secrets.token_bytes(KEY_BYTES))
        return f"SQLCipher {self.cache.cipher_version}"

    async def sync(self) -> str:
        assert self.api is not None
        assert self.cache is not None
        result = await SyncEngine(self.api, self.cache).sync_once()
        if result.applied < 0 or result.pages < 1:
            raise StepFailed(f"implausible sync result: {result.applied} changes in "
                             f"{result.pages} pages")
        if not is_encrypted_file(self.cache.path):
            raise StepFailed("the cache file on disk is not encrypted")
        return f"{result.applied} change(s) in {result.pages} page(s), cache encrypted"

    async def check_qt(self) -> str:
        # ui is imported late, as for the GUI: the core itself never imports Qt.
        check = importlib.import_module("ui.self_check")
        return str(check.qt_self_check("de"))

    async def video_call(self) -> str:
        # Imported late like ui: aiortc and PyAV load only for this step.
        loopback = importlib.import_module("app.video.loopback")
        try:
            summary = await loopback.loopback_call(min(VIDEO_BUDGET_S, self.remaining()))
        except loopback.LoopbackCallFailed as exc:
            raise StepFailed(str(exc)) from None
        # The call above used synthetic media; microphone and speaker need PortAudio (the
        # system's or the bundle's copy). Loading it touches no device.
        sounddevice = importlib.import_module("app.video.audio_io")._sounddevice()
        if sounddevice is None:
            raise StepFailed("the PortAudio library is missing: calls would have no sound")
        version = str(sounddevice.get_portaudio_version()[1]).split(",")[0]
        return f"{summary}, {version}"

    async def stop_server(self) -> str:
        await self._close_client()
        server, self.server = self.server, None
        if server is None:
            return "not running"
        if server.poll() is not None:
            raise StepFailed(f"the server had already exited with {server.returncode}: "
                             f"{self._server_log_tail()}")
        server.terminate()
        try:
            await asyncio.to_thread(server.wait, STOP_GRACE_S)
            return f"exited with {server.returncode}"
        except subprocess.TimeoutExpired:
            server.kill()
            await asyncio.to_thread(server.wait, KILL_WAIT_S)
            raise StepFailed(f"the server ignored the stop request for {STOP_GRACE_S:.0f} s "
                             "and was killed") from None

    async def remove_temp_dirs(self) -> str:
        await self._close_client()
        root, self.root = self.root, None
        if root is None:
            return "nothing to remove"
        shutil.rmtree(root, ignore_errors=True)
        if root.exists():
            # Windows may hold the files a moment after the server exited.
            await asyncio.sleep(1.0)
            shutil.rmtree(root)
        return str(root)

    async def _close_client(self) -> None:
        cache, self.cache = self.cache, None
        if cache is not None:
            await cache.aclose()
        api, self.api = self.api, None
        if api is not None:
            await api.aclose()

    # --- the run -------------------------------------------------------------------------

    async def run(self) -> Report:
        work: list[tuple[str, StepBody]] = [
            ("create temp dirs", self.make_temp_dirs),
            ("pick free loopback port", self.pick_port),
            ("create practice", self.create_practice),
            ("create user", self.create_user),
            ("start server", self.start_server),
            ("log in", self.log_in),
            ("open encrypted cache", self.open_encrypted_cache),
            ("sync", self.sync),
            ("Qt offscreen + translations", self.check_qt),
            ("video call (loopback, DTLS-SRTP)", self.video_call),
        ]
        try:
            for name, body in work:
                if not await self.step(name, body):
                    break
        finally:
            # Always, also after a failure: nothing may outlive the self-test.
            if self.server is not None:
                await self.step("stop server", self.stop_server, budget=TOTAL_BUDGET_S)
            if self.root is not None:
                await self.step("remove temp dirs", self.remove_temp_dirs,
                                budget=TOTAL_BUDGET_S)
            await self._close_client()
        return self.report


def main(*, as_json: bool) -> int:
    """Entry point of ``praxisdesk --self-test [--json]``: 0 only when every step passed."""
    # With --json the report alone goes to stdout; the step lines still reach a person.
    out = sys.stderr if as_json else sys.stdout
    print(f"Praxisdesk {__version__} self-test", file=out, flush=True)
    test = SelfTest(out)
    report = asyncio.run(test.run())
    seconds = time.monotonic() - test.started
    if as_json:
        print(json.dumps({**report.as_json(), "seconds": round(seconds, 3)}), flush=True)
    if report.ok:
        print(f"self-test passed in {seconds:.1f} s", file=out, flush=True)
        return 0
    print(f"self-test FAILED at step: {report.failed_step}", file=out, flush=True)
    return 1
