"""``praxisdesk-server`` commands run in-process: the same ``main()`` the console script
calls, without paying the interpreter start-up for every call (the entry point itself is
covered by tests/server/test_cli.py through real subprocesses)."""

from __future__ import annotations

import contextlib
import io
import threading
from dataclasses import dataclass

from backend_server.cli import main


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


_lock = threading.Lock()  # stdout/stderr redirection is process-wide


def run_cli(*args: str) -> CliResult:
    """Runs on its own thread (the commands use ``asyncio.run``, which cannot nest in a
    test's running loop) and returns what a shell would see."""
    out, err = io.StringIO(), io.StringIO()
    result: list[int] = []

    def target() -> None:
        try:
            result.append(main(list(args)))
        except SystemExit as exc:  # argparse: usage errors and --help
            result.append(exc.code if isinstance(exc.code, int) else 2)

    with _lock, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        thread = threading.Thread(target=target, name="server-cli")
        thread.start()
        thread.join(timeout=120)
    if thread.is_alive() or not result:
        raise AssertionError(f"praxisdesk-server {' '.join(args)} did not finish")
    return CliResult(result[0], out.getvalue(), err.getvalue())
