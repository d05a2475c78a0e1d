"""``praxisdesk --self-test`` from source (``python -m app``), as IT would run it: it
passes on a working installation, and when the server cannot start it fails within its
bound, names the step and leaves nothing behind."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from app import __version__
from tests.packaging.selftest_helpers import STEPS, bare_environment, report_of, step_names

REPO = Path(__file__).resolve().parents[2]


def run_self_test(cwd: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "--self-test", *extra], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=90, check=False)


def test_self_test_from_source_passes_without_keyring_or_display(tmp_path: Path) -> None:
    env = bare_environment(tmp_path / "tmp")
    started = time.monotonic()
    proc = run_self_test(REPO, env, "--json")
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = report_of(proc.stdout)
    assert report["ok"] is True
    assert report["version"] == __version__
    assert step_names(report) == STEPS
    assert all(step["ok"] and step["error"] is None for step in report["steps"])
    assert seconds < 60
    # The human-readable lines go to stderr with --json, one per step.
    assert proc.stderr.count("[ ok ]") == len(STEPS)
    assert "self-test passed" in proc.stderr
    # Throwaway data dir, profile and cache are gone again.
    assert list((tmp_path / "tmp").iterdir()) == []


def test_plain_output_without_json(tmp_path: Path) -> None:
    proc = run_self_test(REPO, bare_environment(tmp_path / "tmp"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[0] == f"Praxisdesk {__version__} self-test"
    assert len(lines) == len(STEPS) + 2
    for line, name in zip(lines[1:-1], STEPS, strict=True):
        assert line.startswith(f"[ ok ] {name} "), line
    assert lines[-1].startswith("self-test passed in ")


def _broken_server(shadow: Path) -> None:
    """A ``backend_server`` that does everything but serve: create-practice/create-user go
    to the real one, ``serve`` dies at once as a server that cannot bind would."""
    package = shadow / "backend_server"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(textwrap.dedent(f"""
        import subprocess
        import sys

        if "serve" in sys.argv:
            print("error: [Errno 98] address already in use", file=sys.stderr)
            sys.exit(1)
        sys.exit(subprocess.call([sys.executable, "-m", "backend_server", *sys.argv[1:]],
                                 cwd={str(REPO)!r}))
    """))


def test_server_that_cannot_start_fails_the_self_test_and_names_the_step(
        tmp_path: Path) -> None:
    shadow = tmp_path / "shadow"
    _broken_server(shadow)
    env = bare_environment(tmp_path / "tmp")
    env["PYTHONPATH"] = str(REPO)  # app from the checkout, backend_server from the shadow
    started = time.monotonic()
    proc = run_self_test(shadow, env, "--json")
    assert time.monotonic() - started < 60
    assert proc.returncode == 1, proc.stderr[-3000:]
    report = report_of(proc.stdout)
    assert report["ok"] is False
    failed = [step for step in report["steps"] if not step["ok"]]
    assert [step["name"] for step in failed] == ["start server"]
    assert "exited with 1" in failed[0]["error"]
    assert "address already in use" in failed[0]["error"]
    # Nothing after the failure ran, but the clean-up did.
    assert step_names(report) == [*STEPS[:5], "remove temp dirs"]
    assert "self-test FAILED at step: start server" in proc.stderr
    assert list((tmp_path / "tmp").iterdir()) == []


def test_json_alone_is_refused() -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "--json goes with --self-test" in proc.stderr


def test_self_test_takes_no_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "--self-test", "doctor"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "--self-test takes no command" in proc.stderr
