"""``praxisdesk-server`` commands run in-process: the same ``main()`` the console script
calls, without paying the interpreter start-up for every call (the entry point itself is
covered by tests/server/test_cli.py through real subprocesses)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from backend_server.cli import main


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


_lock = threading.Lock()  # stdout/stderr redirection is process-wide


@contextlib.contextmanager
def _environment(env: dict[str, str] | None, stdin: str | None) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (env or {})}
    saved_stdin = sys.stdin
    os.environ.update(env or {})
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        yield
    finally:
        sys.stdin = saved_stdin
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_cli(*args: str, stdin: str | None = None,
            env: dict[str, str] | None = None) -> CliResult:
    """Runs on its own thread (the commands use ``asyncio.run``, which cannot nest in a
    test's running loop) and returns what a shell would see. ``env`` is added to the
    environment for the call, ``stdin`` is what the command reads."""
    out, err = io.StringIO(), io.StringIO()
    result: list[int] = []

    def target() -> None:
        try:
            result.append(main(list(args)))
        except SystemExit as exc:  # argparse: usage errors and --help
            result.append(exc.code if isinstance(exc.code, int) else 2)

    with _lock, _environment(env, stdin), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        thread = threading.Thread(target=target, name="server-cli")
        thread.start()
        thread.join(timeout=120)
    if thread.is_alive() or not result:
        raise AssertionError(f"praxisdesk-server {' '.join(args)} did not finish")
    return CliResult(result[0], out.getvalue(), err.getvalue())
