"""``praxisdesk-server purge [--now ISO] [--dry-run] [--json]`` as IT runs it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.server.harness import Harness
from tests.server.retention.helpers import DAY, T0, get, seed
from tests.support.server_cli import CliResult, run_cli


def _cli(*args: str) -> CliResult:
    return run_cli(*args)


async def test_purge_command(rserver: Harness) -> None:
    practice = await rserver.practice()
    staff = await rserver.logged_in(practice)
    seeded = await seed(rserver, staff)
    data = str(rserver.data_dir)
    day_106 = (T0 + 106 * DAY).isoformat().replace("+00:00", "Z")

    dry = await asyncio.to_thread(_cli, "purge", "--now", day_106, "--dry-run", "--json",
                                  "--data-dir", data)
    assert dry.returncode == 0, dry.stderr
    body = json.loads(dry.stdout)
    expected = {"message": 2, "attachment": 1, "inquiry": 1, "note": 1, "patient_link": 1,
                "conversation": 1, "idempotency_key": 1, "video": 0, "form_request": 0, "call": 0}
    assert body == {"now": day_106, "dry_run": True, "counts": expected,
                    "practices": {practice: expected}}
    assert await get(rserver, staff, f"/conversations/{seeded.conversation_id}") == 200

    # No zone means UTC; the day-104 purge finds nothing.
    early = await asyncio.to_thread(_cli, "purge", "--now", "2026-04-19T09:30:00", "--json",
                                    "--data-dir", data)
    assert early.returncode == 0, early.stderr
    assert json.loads(early.stdout)["counts"]["message"] == 0

    real = await asyncio.to_thread(_cli, "--data-dir", data, "purge", "--now", day_106)
    assert real.returncode == 0, real.stderr
    assert "message: 2" in real.stdout
    assert "conversation: 1" in real.stdout
    assert await get(rserver, staff, f"/conversations/{seeded.conversation_id}") == 404
    assert not (rserver.data_dir / "blobs" / practice / seeded.attachment_id).exists()

    verify = await asyncio.to_thread(_cli, "audit", "verify", "--data-dir", data)
    assert verify.returncode == 0, verify.stdout


def test_bad_now_is_a_usage_error(tmp_path: Path) -> None:
    bad = _cli("purge", "--now", "next tuesday", "--data-dir", str(tmp_path / "d"))
    assert bad.returncode == 2
    assert "error: --now" in bad.stderr
    assert "next tuesday" in bad.stderr
    assert _cli("purge", "--help").stdout.count("--dry-run") >= 1
