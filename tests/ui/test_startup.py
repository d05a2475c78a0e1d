"""The real entry point: ``python -m app`` starts the GUI, reports readiness, quits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_startup_probe_reports_ready_and_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "PRAXISDESK_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--profile", str(tmp_path / "profile"), "--lang", "en"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [line for line in proc.stdout.splitlines() if line.startswith("PRAXISDESK_READY")]
    assert len(lines) == 1, proc.stdout
    seconds = float(lines[0].split()[1])
    # Measured from process start, so it includes the interpreter and all imports.
    assert 0.05 < seconds < 30
    assert "Traceback" not in proc.stderr
