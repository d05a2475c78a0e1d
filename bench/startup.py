"""Start-up times.

- server: process start to the first successful ``GET /api/v1/health`` (target < 2 s), on a
  fresh data directory (migrations included) and on an existing one;
- client: process start to an interactive main window, offscreen, already logged in
  (target: median < 1.5 s). The client prints ``PRAXISDESK_READY`` when its main window is
  shown and the event loop is idle (``PRAXISDESK_STARTUP_PROBE=1``).

Run: ``python -m bench.startup [--runs N]``. The last line is the JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SERVER_TARGET_S = 2.0
CLIENT_TARGET_S = 1.5
PASSWORD = "bench-password-1"  # noqa: S105 - throwaway account in a temp data dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.01)
    raise RuntimeError("server did not become healthy")


@contextmanager
def running_server(data_dir: Path) -> Iterator[tuple[str, float]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend_server", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(url, proc)
        yield url, time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    r = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True,
                       env=env, check=False, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"{args[:3]} failed: {r.stderr.strip()[-500:]}")
    return r.stdout


def bench_server(runs: int, root: Path) -> dict[str, float]:
    fresh: list[float] = []
    warm: list[float] = []
    for i in range(runs):
        data_dir = root / f"server-{i}"
        with running_server(data_dir) as (_, t):
            fresh.append(t)
        with running_server(data_dir) as (_, t):
            warm.append(t)
    print(f"server start -> health, fresh data dir: {[round(x, 3) for x in fresh]}")
    print(f"server start -> health, existing data dir: {[round(x, 3) for x in warm]}")
    return {"server_fresh_median_s": statistics.median(fresh),
            "server_warm_median_s": statistics.median(warm)}


def client_start_once(profile: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--profile", str(profile)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**env, "PRAXISDESK_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("PRAXISDESK_READY"):
                return time.perf_counter() - start
        raise RuntimeError(f"client exited ({proc.wait()}) without reaching the main window")
    finally:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bench_client(runs: int, root: Path) -> dict[str, float]:
    from tests.support.secret_service import private_secret_service

    server_dir = root / "client-server"
    with private_secret_service() as keyring_env, running_server(server_dir) as (url, _):
        env = {**os.environ, **keyring_env}
        practice = json.loads(cli("-m", "backend_server", "--data-dir", str(server_dir),
                                  "create-practice", "Bench-Praxis", "--json", env=env))["id"]
        cli("-m", "backend_server", "--data-dir", str(server_dir), "create-user", "--practice",
            practice, "--email", "bench@example.org", "--role", "staff", "--password-stdin",
            "--json", stdin=PASSWORD, env=env)
        profile = root / "profile"
        cli("-m", "app", "--profile", str(profile), "login", "--server", url, "--email",
            "bench@example.org", "--password-stdin", stdin=PASSWORD, env=env)
        client_start_once(profile, env)  # first run warms the OS file cache, as on a real PC
        times = [client_start_once(profile, env) for _ in range(runs)]
    print(f"client start -> interactive main window (offscreen, logged in): "
          f"{[round(x, 3) for x in times]}")
    return {"client_median_s": statistics.median(times), "client_max_s": max(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="praxisdesk-bench-") as tmp:
        root = Path(tmp)
        figures = {**bench_server(args.runs, root), **bench_client(args.runs, root)}
    figures = {k: round(v, 3) for k, v in figures.items()}
    targets = {
        "server_fresh_median_s": f"< {SERVER_TARGET_S}",
        "server_warm_median_s": f"< {SERVER_TARGET_S}",
        "client_median_s": f"< {CLIENT_TARGET_S}",
    }
    met = (figures["server_fresh_median_s"] < SERVER_TARGET_S
           and figures["server_warm_median_s"] < SERVER_TARGET_S
           and figures["client_median_s"] < CLIENT_TARGET_S)
    print(json.dumps({"bench": "startup", "figures": figures, "targets": targets, "met": met}))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
