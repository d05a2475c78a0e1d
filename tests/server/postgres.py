"""A throwaway PostgreSQL server in a temp dir, for running server tests against PostgreSQL."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_USER = "praxis"


def find_pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit()
                        else 0)
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    def __init__(self, bindir: Path, base: Path, port: int, as_user: list[str]) -> None:
        self.bindir, self.base, self.port, self._as_user = bindir, base, port, as_user
        self._counter = 0

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as_user, str(self.bindir / tool), *args], check=True,
                       capture_output=True, text=True, timeout=60)

    def new_database_url(self) -> str:
        """A fresh, empty database per call, so tests do not see each other's rows."""
        self._counter += 1
        name = f"praxisdesk_{self._counter}"
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, name)
        return f"postgresql+asyncpg://{PG_USER}@127.0.0.1:{self.port}/{name}"


@contextmanager
def throwaway_postgres(bindir: Path) -> Iterator[PostgresServer]:
    base = Path(tempfile.mkdtemp(prefix="praxisdesk-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root; the postgres package brings its own system user.
        shutil.chown(base, user="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    server = PostgresServer(bindir, base, port, as_user)
    data = base / "data"
    try:
        server._run("initdb", "-D", str(data), "-U", PG_USER, "--auth=trust", "-E", "UTF8",
                    "--no-sync", "--no-instructions")
        options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        server._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(base / "log"),
                    "-w", "start")
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m",
                            "immediate", "stop"], capture_output=True, check=False, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
