"""``praxisdesk-server assistant analyze``: the DESIGN.md JSON shape (one real subprocess),
the human summary, and clear exits for files it cannot use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backend_server import cli

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_analyze_text_json_in_a_subprocess(tmp_path: Path) -> None:
    text = ("Hallo, hier ist Greta Hansen, geboren am 12.3.58. Mein Mann hat seit einer "
            "halben Stunde Druck auf der Brust. Bitte rufen Sie zurück unter 0171 5550123.")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PRAXISDESK_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "backend_server", "assistant", "analyze",
                           "--text", text, "--json"], capture_output=True, text=True,
                          cwd=REPO_ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) >= {"transcript", "category", "urgent", "caller"}
    assert set(out["caller"]) == {"name", "dob", "phone"}
    assert out["transcript"] == text
    assert out["category"] == "emergency"
    assert out["urgent"] is True
    assert out["caller"] == {"name": "Greta Hansen", "dob": "1958-03-12",
                             "phone": "+491715550123"}
    assert out["urgent_reasons"] == ["chest_pain"]
    assert out["wished_time"] is None


def test_human_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRAXISDESK_ASSISTANT_LLM_URL", raising=False)
    code = cli.main(["--data-dir", str(tmp_path), "assistant", "analyze", "--text",
                     "Ich bräuchte eine Überweisung zum Orthopäden. Nummer 0711 123456."])
    assert code == 0
    out = capsys.readouterr().out
    assert "category: referral" in out
    assert "URGENT" not in out
    assert "callback: +49711123456" in out


def test_wav_that_cannot_be_read_exits_2(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    code = cli.main(["--data-dir", str(tmp_path), "assistant", "analyze", "--wav",
                     str(tmp_path / "missing.wav"), "--json"])
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot read" in err
    assert "missing.wav" in err


def test_text_and_wav_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["assistant", "analyze", "--text", "x", "--wav", "y.wav"])
    assert exc.value.code == 2
    assert "not allowed with" in capsys.readouterr().err
