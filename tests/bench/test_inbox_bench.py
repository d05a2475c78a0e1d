"""bench.inbox at a tiny scale, so the benchmark keeps working as the code under it changes."""

from __future__ import annotations

import json
from pathlib import Path

from bench import inbox


def test_inbox_bench_measures_every_figure_at_a_tiny_scale(tmp_path: Path) -> None:
    scale = inbox.Scale(conversations=40, messages=2400, ui_runs=1, queries=10,
                        sync_conversations=6, sync_per_conversation=15, e2e_messages=3,
                        ws_clients=3, broadcasts=2)
    # The test session's private keyring serves the client (tests/conftest.py).
    figures = inbox.run(scale, cache_dir=tmp_path / "cache", own_keyring=False)

    for name in inbox.TARGETS:
        assert figures[name] > 0, name
    # Every seeded message reached the fresh cache, and every broadcast every client.
    assert figures["initial_sync_messages"] == 6 * 15
    assert figures["ws_clients"] == 3
    # Even on a busy test machine a tiny inbox is far inside the targets.
    assert figures["first_screen_ms"] < 3000
    assert figures["e2e_message_p95_ms"] < 3000

    last = json.loads(inbox.summary(figures))
    assert last["bench"] == "inbox"
    assert set(last["targets"]) == set(inbox.TARGETS)
    assert isinstance(last["met"], bool)

    # A second run reuses the built cache instead of building it again.
    assert (tmp_path / "cache" / "cache.db").exists()
    path, _key, big = inbox.ensure_cache(tmp_path / "cache", 40, 2400)
    assert path == tmp_path / "cache" / "cache.db"
    assert big
