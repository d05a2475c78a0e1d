"""End of contract: export a whole practice, then delete it completely, as IT runs it."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

from sqlalchemy import select

from backend_server.models import Base
from backend_server.models.deletion_log import DeletionLog
from backend_server.retention.erasure import reapply_erasures
from tests.server.attachments.helpers import blob_files
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API
from tests.server.rights.helpers import rows_mentioning, seed_patient
from tests.support.server_cli import CliResult, run_cli


def cli(data_dir: Path, *args: str) -> CliResult:
    return run_cli("--data-dir", str(data_dir), *args)


async def rows_with_practice(server: Harness, practice_id: str) -> dict[str, int]:
    found: dict[str, int] = {}
    async with server.ctx.db.session(system=True) as session:
        for table in Base.metadata.sorted_tables:
            column = "practice_id" if "practice_id" in table.c else (
                "id" if table.name == "practices" else None)
            if column is None:
                continue
            rows = (await session.execute(
                select(table).where(table.c[column] == practice_id))).all()
            if rows:
                found[table.name] = len(rows)
    return found


async def test_export_then_delete_a_practice_leaves_nothing_and_spares_the_other(
        server: Harness, tmp_path: Path) -> None:
    gone, stays = await server.practice("Praxis Ende"), await server.practice("Praxis Bleibt")
    gone_admin = await server.logged_in(gone, "admin", display_name="Dr. Ende")
    gone_staff = await server.logged_in(gone, "staff")
    first = await seed_patient(server, gone_staff, "Erika Ende", marker="ENDE-1")
    second = await seed_patient(server, gone_staff, "Paul Ende", marker="ENDE-2")
    template = await server.client.post(f"{API}/templates", headers={
        **gone_admin.headers, "Idempotency-Key": "tpl-1"},
                                        json={"title": "Rezept", "body": "Liegt bereit."})
    assert template.status_code == 201, template.text
    stays_staff = await server.logged_in(stays, "staff")
    kept = await seed_patient(server, stays_staff, "Karl Bleibt", marker="BLEIBT-3")
    kept_rows = await rows_mentioning(server, kept.all_ids)
    kept_blobs = [p for p in blob_files(server) if stays in str(p)]
    assert len(kept_blobs) == 2
    # An earlier erasure, so the deletion log has something to export.
    erased = await seed_patient(server, gone_staff, "Weg Schon", marker="ENDE-0")
    assert (await server.client.post(f"{API}/patients/{erased.patient_id}/erase",
                                     headers=gone_admin.headers)).status_code == 200

    # --- export ---
    target = tmp_path / "ende.zip"
    result = cli(server.data_dir, "export-practice", gone, str(target), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["patients"] == 2
    assert summary["attachments"] == 4
    assert target.stat().st_mode & 0o077 == 0
    archive = zipfile.ZipFile(target)
    names = set(archive.namelist())
    for seeded in (first, second):
        prefix = f"patients/{seeded.patient_id}/"
        assert json.loads(archive.read(prefix + "patient.json"))["name"] == seeded.name
        assert prefix + "summary.html" in names
        texts = []
        for conversation_id in seeded.conversations:
            body = json.loads(archive.read(f"{prefix}conversations/{conversation_id}.json"))
            texts += [m["text"] for m in body["messages"]]
        assert sorted(texts) == sorted(seeded.texts)
        for attachment_id, original in seeded.attachments.items():
            member = next(n for n in names if n.startswith(f"{prefix}attachments/"
                                                           f"{attachment_id}/"))
            assert archive.read(member) == original
    users = json.loads(archive.read("users.json"))
    assert {u["id"] for u in users} == {gone_admin.user_id, gone_staff.user_id}
    assert "password" not in json.dumps(users)
    assert "totp_secret" not in json.dumps(users)
    assert [t["title"] for t in json.loads(archive.read("templates.json"))] == ["Rezept"]
    audit = json.loads(archive.read("audit_log.json"))
    assert len(audit) > 20
    assert {"patient.create", "deletion.erasure"} <= {e["action"] for e in audit}
    deletions = json.loads(archive.read("deletion_log.json"))
    assert [d["kind"] for d in deletions] == ["erasure"]
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    for path, digest in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == digest
    assert b"BLEIBT-3" not in target.read_bytes()
    assert cli(server.data_dir, "export-practice", gone, str(target)).returncode == 2

    # --- refusals ---
    unconfirmed = cli(server.data_dir, "delete-practice", gone, "--confirm", stays)
    assert unconfirmed.returncode == 2
    assert "--confirm" in unconfirmed.stderr
    missing = cli(server.data_dir, "delete-practice", gone)
    assert missing.returncode == 2
    unknown_id = "00000000-0000-4000-8000-000000000000"
    unknown = cli(server.data_dir, "delete-practice", unknown_id, "--confirm", unknown_id)
    assert unknown.returncode == 2
    assert "no practice" in unknown.stderr
    assert cli(server.data_dir, "export-practice", unknown_id,
               str(tmp_path / "x.zip")).returncode == 2
    assert not (tmp_path / "x.zip").exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".praxisdesk-export-")]
    assert await rows_with_practice(server, gone)  # nothing deleted yet

    # --- deletion ---
    result = cli(server.data_dir, "delete-practice", gone, "--confirm", gone, "--json")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)["counts"]
    assert counts["patients"] == 2
    assert counts["users"] == 2

    left = await rows_with_practice(server, gone)
    assert set(left) == {"audit_log", "deletion_log"}, left
    assert not (server.data_dir / "blobs" / gone).exists()
    assert server.ctx.keystore.get_practice_key(gone) is None
    assert server.ctx.keystore.blob_ids(gone) == set()
    async with server.ctx.db.session(system=True) as session:
        entry = (await session.execute(select(DeletionLog).where(
            DeletionLog.kind == "practice_delete"))).scalar_one()
    assert entry.practice_id == gone
    assert entry.counts["practices"] == 1
    assert [e.object_kind for e in server.ctx.keystore.erasures()] == ["patient", "practice"]
    assert_problem(await server.client.get(f"{API}/me", headers=gone_admin.headers),
                   401, "not_authenticated")
    # No plaintext of the deleted practice remains in the data dir.
    for path in server.data_dir.rglob("*"):
        if path.is_file():
            assert b"ENDE-1" not in path.read_bytes(), path

    # The other practice noticed nothing.
    assert await rows_mentioning(server, kept.all_ids) == kept_rows
    assert [p for p in blob_files(server) if stays in str(p)] == kept_blobs
    some_attachment = next(iter(kept.attachments))
    download = await server.client.get(f"{API}/attachments/{some_attachment}",
                                       headers=stays_staff.headers)
    assert download.status_code == 200
    assert download.content == kept.attachments[some_attachment]
    verify = cli(server.data_dir, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


async def test_a_restored_deleted_practice_is_deleted_again(server: Harness) -> None:
    """A backup older than the deletion brings the practice back; the ledger entry written
    by delete-practice makes the next start delete it again."""
    back, other = await server.practice("Wieder da"), await server.practice("Andere")
    staff = await server.logged_in(back, "staff")
    await seed_patient(server, staff, "Erika Zurück", marker="ZURUECK")
    other_staff = await server.logged_in(other, "staff")
    kept = await seed_patient(server, other_staff, "Karl Bleibt", marker="ANDERS")
    server.ctx.keystore.record_erasure(back, "practice", back, server.clock.now())

    assert await reapply_erasures(server.ctx) == 1
    assert set(await rows_with_practice(server, back)) == {"audit_log", "deletion_log"}
    assert not (server.data_dir / "blobs" / back).exists()
    assert await rows_mentioning(server, {kept.patient_id})
    assert await reapply_erasures(server.ctx) == 0
    assert (await server.client.get(f"{API}/me", headers=other_staff.headers)).status_code \
        == 200
