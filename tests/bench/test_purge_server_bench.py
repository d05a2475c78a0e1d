"""bench.purge_server at a tiny scale: the fill is realistic and the purge removes every
expired row (and file) while the fresh messages of active conversations stay."""

from __future__ import annotations

import json
from pathlib import Path

from bench import purge_server


def test_server_purge_bench_removes_everything_expired(tmp_path: Path) -> None:
    figures = purge_server.run(2000, data_dir=tmp_path)
    made = figures["made"]
    purged = figures["purged"]
    left = figures["left"]
    assert isinstance(made, dict)
    assert isinstance(purged, dict)
    assert isinstance(left, dict)
    for kind in ("message", "attachment", "inquiry", "note", "patient_link",
                 "idempotency_key", "conversation"):
        assert purged[kind] == made[kind], kind
    assert purged["video"] == 0
    # Only the fresh message of each active conversation (and the conversation) is left.
    assert left == {"messages": made["active_conversations"], "attachments": 0,
                    "inquiries": 0, "notes": 0, "patient_links": 0,
                    "conversations": made["active_conversations"], "idempotency_keys": 0,
                    "change_log_of_messages": 0}
    assert figures["blobs_left"] == 0
    seconds = figures["seconds"]
    assert isinstance(seconds, float)
    assert 0 < seconds < 60

    last = json.loads(purge_server.summary(figures))
    assert last["bench"] == "purge_server"
    assert last["targets"] == {"server_purge_seconds": "< 60"}
    assert last["met"] is True
