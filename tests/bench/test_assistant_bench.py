"""bench.assistant in text mode: the summary line has the DESIGN.md shape and the targets
are met; it fails as soon as accuracy drops below a target."""

from __future__ import annotations

import json

import pytest

from bench import assistant


def test_assistant_bench_meets_its_targets(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = assistant.default_sample_path()
    if not path.is_file():
        pytest.skip(f"the evaluation sample is not on this machine: {path}")
    monkeypatch.delenv("PRAXISDESK_ASSISTANT_LLM_URL", raising=False)
    code = assistant.main(["--sample", str(path)])
    lines = capsys.readouterr().out.strip().splitlines()
    last = json.loads(lines[-1])
    assert last["bench"] == "assistant"
    assert set(last["targets"]) == set(assistant.TEXT_TARGETS)
    assert last["targets"]["emergency_recall"] == ">= 1"
    for name in assistant.TEXT_TARGETS:
        assert isinstance(last["figures"][name], float | int)
    assert last["met"] is True, lines
    assert code == 0


def test_a_drop_below_a_target_is_not_met() -> None:
    figures: dict[str, object] = {name: (1.0 if op == ">=" else 0.0)
                                  for name, (op, _) in assistant.TEXT_TARGETS.items()}
    assert assistant.met(figures, assistant.TEXT_TARGETS)
    figures["category_accuracy"] = 0.86
    assert not assistant.met(figures, assistant.TEXT_TARGETS)
    assert json.loads(assistant.summary(figures))["met"] is False
