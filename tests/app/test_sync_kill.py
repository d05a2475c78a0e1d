"""``praxisdesk sync --once`` killed with SIGKILL in the middle of an initial sync of a few
thousand messages: the rerun completes it, and every message is in the cache (and in the
search index) exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.cache.database import open_cache_sync
from app.secrets import SecretStore
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice
from tests.app.inbox_helpers import seed_many
from tests.app.test_cli import praxisdesk

CONVERSATIONS, PER_CONVERSATION = 20, 150


def test_killed_initial_sync_resumes_without_duplicates(tmp_path: Path,
                                                        practice: Practice) -> None:
    seed_many(practice, CONVERSATIONS, PER_CONVERSATION)
    total = CONVERSATIONS * PER_CONVERSATION
    profile_dir = tmp_path / "it-profile"
    ok = praxisdesk("--profile", str(profile_dir), "login", "--server", practice.server.url,
                    "--email", practice.staff_email, "--password-stdin", stdin=PASSWORD + "\n")
    assert ok.returncode == 0, ok.stderr
    profile = Profile(profile_dir)
    settings = profile.load_settings()
    settings.sync_page_size = 100  # many small transactions: a kill lands between two
    settings.save()
    assert settings.server_url is not None
    assert settings.email is not None
    key = SecretStore(profile.id, settings.server_url, settings.email).get_cache_key()
    assert key is not None
    cache = open_cache_sync(profile.cache_path, key)
    reader = cache.open_reader()

    def cached_messages() -> int:
        return int(reader.execute("SELECT count(*) FROM messages").fetchone()[0])

    proc = subprocess.Popen([sys.executable, "-m", "app", "--profile", str(profile_dir),
                             "sync", "--once"], env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while cached_messages() < 500 and proc.poll() is None:
            assert time.monotonic() < deadline, "the sync did not start"
            time.sleep(0.01)
        assert proc.poll() is None, "the sync finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    interrupted_at = cached_messages()
    assert 0 < interrupted_at < total

    rerun = praxisdesk("--profile", str(profile_dir), "sync", "--once", "--json")
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["cache"] == "opened"  # the same encrypted cache, not a wiped one
    assert report["counts"]["message"] <= total - interrupted_at + 100

    row = reader.execute(
        "SELECT count(*), count(DISTINCT id) FROM messages").fetchone()
    assert tuple(row) == (total, total)
    # The search index is complete too: every conversation finds its last message's words.
    hits = reader.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?",
                          (f'"{PER_CONVERSATION - 1}" AND "nachricht"',)).fetchone()[0]
    assert hits == CONVERSATIONS
    per_conversation = reader.execute(
        "SELECT count(*) FROM conversations WHERE id IN (SELECT conversation_id FROM messages "
        "GROUP BY conversation_id HAVING count(*) = ?)", (PER_CONVERSATION,)).fetchone()[0]
    assert per_conversation == CONVERSATIONS
    reader.close()
    cache.close()
