"""bench.purge_client at a tiny scale: everything expired goes, the GUI loop keeps ticking."""

from __future__ import annotations

import json
from pathlib import Path

from bench import purge_client


def test_purge_bench_removes_all_expired_without_stalling_the_loop(tmp_path: Path) -> None:
    figures = purge_client.run(5000, cache_dir=tmp_path / "cache")
    assert figures["messages"] == 5000
    assert figures["purged_messages"] == 5000
    assert figures["purged_attachment_blobs"] == 5
    assert figures["blobs_left"] == 0
    assert figures["attachments_left"] == 0
    # Only the active conversations' recent messages stay, with their words rebuilt.
    assert figures["conversations_left"] == figures["expected_active"] == 5
    assert figures["messages_left"] == 5
    assert figures["stale_left"] == 0
    assert figures["old_word_found"] == 0
    assert figures["purged_conversations"] == 45
    assert figures["max_stall_ms"] < purge_client.TARGETS["max_stall_ms"]
    assert figures["size_mb_after"] < figures["size_mb_before"]
    last = json.loads(purge_client.summary(figures))
    assert last["bench"] == "purge_client"
    assert last["met"] is True
