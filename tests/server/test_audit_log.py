"""The audit log is append-only and hash-chained; tampering is found and named."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from backend_server import admin
from tests.server.harness import Harness

REPO_ROOT = Path(__file__).resolve().parents[2]


def _db(server: Harness) -> Path:
    return server.settings.sqlite_path


async def _some_history(server: Harness) -> None:
    practice = await server.practice()
    user = await server.logged_in(practice, "admin")
    await server.client.patch(f"/api/v1/users/{user.user_id}", headers=user.headers,
                              json={"display_name": "Dr. Neu"})


async def test_chain_of_real_activity_verifies(server: Harness) -> None:
    await _some_history(server)
    report = await admin.verify_audit_log(server.ctx)
    assert report.ok
    assert report.entries == 4


async def test_database_refuses_update_and_delete(server: Harness) -> None:
    await _some_history(server)
    conn = sqlite3.connect(_db(server))
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_log SET action = 'x' WHERE seq = 1")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE seq = 1")
    finally:
        conn.close()


def _tamper(db: Path, statement: str) -> None:
    """What an attacker with file access could do: drop the guard trigger, then edit."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


async def test_edited_entry_is_a_hash_mismatch(server: Harness) -> None:
    await _some_history(server)
    _tamper(_db(server), "UPDATE audit_log SET actor_user_id = NULL WHERE seq = 3")
    report = await admin.verify_audit_log(server.ctx)
    assert not report.ok
    assert report.first_bad_seq == 3
    assert report.problem is not None
    assert "hash mismatch" in report.problem


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend_server", *args],
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)


async def test_cli_names_the_entry_after_a_deleted_one(server: Harness) -> None:
    await _some_history(server)
    ok = await asyncio.to_thread(_cli, "audit", "verify", "--data-dir", str(server.data_dir))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "ok, 4 entries"

    _tamper(_db(server), "DELETE FROM audit_log WHERE seq = 2")
    broken = await asyncio.to_thread(_cli, "--data-dir", str(server.data_dir), "audit",
                                     "verify")
    assert broken.returncode == 1
    assert "seq 3" in broken.stdout
    assert "chain break" in broken.stdout


async def test_entries_hold_ids_not_content(server: Harness) -> None:
    practice = await server.practice()
    await server.user(practice, "staff", email="erika.musterfrau@example.org",
                      display_name="Erika Musterfrau")
    dump = "\n".join(sqlite3.connect(_db(server)).iterdump())
    audit_rows = [line for line in dump.splitlines() if "INSERT INTO \"audit_log\"" in line]
    assert audit_rows
    assert not any("Musterfrau" in row or "@" in row for row in audit_rows)


async def test_admin_lists_own_practice_audit_newest_first(server: Harness) -> None:
    await _some_history(server)
    other = await server.practice()
    admin_b = await server.logged_in(other, "admin")
    response = await server.client.get("/api/v1/audit", headers=admin_b.headers,
                                       params={"limit": 10})
    entries = response.json()
    assert [e["action"] for e in entries] == ["auth.login.ok", "user.create",
                                              "practice.create"]
    assert entries[0]["seq"] > entries[1]["seq"] > entries[2]["seq"]
    older = await server.client.get("/api/v1/audit", headers=admin_b.headers,
                                    params={"before": entries[0]["seq"], "limit": 1})
    assert [e["seq"] for e in older.json()] == [entries[1]["seq"]]


async def test_concurrent_requests_keep_one_unbroken_chain(server: Harness) -> None:
    practice = await server.practice()
    admin_account = await server.logged_in(practice, "admin")

    async def create(i: int) -> int:
        response = await server.client.post("/api/v1/users", headers=admin_account.headers,
                                            json={"email": f"c{i}@example.org",
                                                  "password": "long enough", "role": "staff",
                                                  "display_name": f"C {i}"})
        return response.status_code

    async def fail_login(i: int) -> int:
        response = await server.client.post("/api/v1/auth/login", json={
            "email": f"nobody{i}@example.org", "password": "wrong password"})
        return response.status_code

    statuses = await asyncio.gather(*(create(i) for i in range(8)),
                                    *(fail_login(i) for i in range(8)))
    assert statuses == [201] * 8 + [401] * 8
    report = await admin.verify_audit_log(server.ctx)
    assert report.ok
    assert report.entries == 3 + 16


async def test_cut_off_newest_entries_are_noticed(server: Harness) -> None:
    await _some_history(server)
    _tamper(_db(server), "DELETE FROM audit_log WHERE seq = 4")
    report = await admin.verify_audit_log(server.ctx)
    assert not report.ok
    assert report.first_bad_seq == 4
    assert report.problem is not None
    assert "missing" in report.problem


async def test_cli_appends_while_the_server_runs(server: Harness) -> None:
    await _some_history(server)
    created = await asyncio.to_thread(_cli, "create-practice", "Nebenbei", "--data-dir",
                                      str(server.data_dir))
    assert created.returncode == 0, created.stderr
    practice = await server.practice()  # the running app appends after the CLI did
    assert practice
    report = await admin.verify_audit_log(server.ctx)
    assert report.ok
    assert report.entries == 6
