"""A backup older than a purge or an erasure, restored into an empty data dir, brings neither
back: the erasure ledger in the key store is applied again and the purge runs again as part
of ``restore``, and the shredded attachment keys stay shredded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from backend_server.cli import main as server_cli
from backend_server.clock import MutableClock
from backend_server.config import Settings
from backend_server.models import DeletionLog, Message, Patient
from backend_server.retention.purge import run_purge
from tests.server.attachments.helpers import API, PNG, first_attachment, staff_upload
from tests.server.backup.helpers import download, running
from tests.server.harness import Harness
from tests.server.inbox.helpers import new_conversation, new_patient, staff_send

OLD_MARKER = "ALT-9931-VERFALLEN"
ERASED_MARKER = "WEG-5512-GELOESCHT"


def files_with(root: Path, marker: str) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and marker.encode() in p.read_bytes()]


async def count(server: Harness, model: type, **where: object) -> int:
    async with server.ctx.db.session(system=True) as session:
        stmt: Any = select(model)
        for column, value in where.items():
            stmt = stmt.where(getattr(model, column) == value)
        return len((await session.execute(stmt)).scalars().all())


async def _deletions(server: Harness) -> list[DeletionLog]:
    async with server.ctx.db.session(system=True) as session:
        return list((await session.execute(select(DeletionLog))).scalars().all())


async def test_old_backup_restored_keeps_purge_and_erasure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(UTC)
    live = Settings(data_dir=tmp_path / "live")
    archive = tmp_path / "offsite" / "old.pxbak"
    clock = MutableClock(start=now - timedelta(days=110))  # the old content's day
    async with running(live, clock) as server:
        practice = await server.practice()
        admin = await server.logged_in(practice, role="admin")
        old_conv = await new_conversation(server, admin)
        assert (await staff_send(server, admin, old_conv["id"], f"Befund {OLD_MARKER}")
                ).status_code == 201
        upload = await staff_upload(server, admin, old_conv["id"], "Foto.png", PNG)
        old_file = first_attachment(upload.json())["id"]
        clock.set(now - timedelta(days=2))  # recent content, which must survive
        admin = await server.login(admin)  # the old access token has long expired
        erased_patient = await new_patient(server, admin, name="Rosa Löschmann")
        erased_conv = await new_conversation(server, admin, erased_patient["id"])
        assert (await staff_send(server, admin, erased_conv["id"], f"Notiz {ERASED_MARKER}")
                ).status_code == 201
        kept_conv = await new_conversation(server, admin)
        assert (await staff_send(server, admin, kept_conv["id"], "Termin am Montag")
                ).status_code == 201

        # The backup holds all of it (taken while the server runs).
        assert await asyncio.to_thread(
            server_cli, ["backup", str(archive), "--data-dir", str(live.data_dir)]) == 0

        # Afterwards: the patient is erased, and time passes the old content's 105 days.
        erased = await server.client.post(f"{API}/patients/{erased_patient['id']}/erase",
                                          headers=admin.headers)
        assert erased.status_code == 200, erased.text
        clock.set(now)
        admin = await server.login(admin)
        report = await run_purge(server.ctx, now)
        assert report.counts["message"] >= 1
        assert report.counts["attachment"] == 1
        assert (await download(server, admin, old_file)).status_code in (404, 410)

    # Disaster: the data dir is gone; the backup is restored into an empty one with the
    # key store that outlived it (PRAXISDESK_KEYS_DIR, as on a separate volume).
    monkeypatch.setenv("PRAXISDESK_KEYS_DIR", str(live.effective_keys_dir))
    fresh = Settings(data_dir=tmp_path / "fresh")
    assert fresh.effective_keys_dir == live.effective_keys_dir
    capsys.readouterr()
    assert await asyncio.to_thread(
        server_cli, ["restore", str(archive), "--data-dir", str(fresh.data_dir)]) == 0
    said = capsys.readouterr().out
    assert "re-applied 1 erasure(s)" in said

    # Nothing of the erased patient or of the expired content is readable anywhere in the
    # restored data dir, not even in freed pages of the database.
    assert files_with(fresh.data_dir, ERASED_MARKER) == []
    assert files_with(fresh.data_dir, OLD_MARKER) == []
    async with running(fresh) as again:
        assert await count(again, Patient, id=erased_patient["id"]) == 0
        assert await count(again, Message, conversation_id=erased_conv["id"]) == 0
        assert await count(again, Message, conversation_id=old_conv["id"]) == 0
        assert await count(again, Message, conversation_id=kept_conv["id"]) == 1
        kinds = {entry.kind for entry in await _deletions(again)}
        assert {"erasure", "restore_purge"} <= kinds
        login = await again.login(admin)
        # The attachment's key was shredded after the backup: unreadable for good.
        assert (await download(again, login, old_file)).status_code in (404, 410)
