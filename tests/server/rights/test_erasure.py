"""Erasure of one patient (Art. 17): everything of theirs goes, nothing of anyone else."""

from __future__ import annotations

import json

from sqlalchemy import select

from backend_server import admin
from backend_server.models.deletion_log import DeletionLog
from backend_server.retention.erasure import reapply_erasures
from tests.server.attachments.helpers import blob_files
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API
from tests.server.inquiries.helpers import changes_after, sync_cursor
from tests.server.rights.helpers import rows_mentioning, seed_patient


async def test_erasure_removes_every_trace_and_leaves_other_patients_alone(
        server: Harness) -> None:
    practice = await server.practice()
    admin_user = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "staff")
    erased = await seed_patient(server, staff, "Erika Mustermann", marker="LÖSCHEN-7731")
    kept = await seed_patient(server, staff, "Karl Bleibt", marker="BLEIBT-2210")
    blobs_before = blob_files(server)
    assert len(blobs_before) == 4
    kept_rows_before = await rows_mentioning(server, kept.all_ids)

    response = await server.client.post(f"{API}/patients/{erased.patient_id}/erase",
                                        headers=admin_user.headers)
    assert response.status_code == 200, response.text
    counts = response.json()["counts"]
    assert counts["patient"] == 1
    assert counts["conversation"] == 2
    assert counts["message"] == 6
    assert counts["attachment"] == 2
    assert counts["inquiry"] == 2
    assert counts["note"] == 2
    assert counts["patient_link"] == 2
    assert counts["idempotency_key"] >= 3  # patient.create, conversation.create, inquiry.update

    # Every table: the erased ids survive only as ids in the audit log, the deletion log and
    # the tombstones of the patient and the conversations.
    left = await rows_mentioning(server, erased.all_ids)
    assert set(left) <= {"audit_log", "deletion_log", "change_log"}, left
    tombstones = {(r["kind"], r["object_id"], r["op"]) for r in left["change_log"]}
    assert tombstones == {("patient", erased.patient_id, "delete"),
                          *{("conversation", c, "delete") for c in erased.conversations}}
    for row in left.get("audit_log", []):
        assert erased.name not in json.dumps({k: str(v) for k, v in row.items()})

    # The other patient is untouched, row for row.
    assert await rows_mentioning(server, kept.all_ids) == kept_rows_before
    got = await server.client.get(f"{API}/patients/{kept.patient_id}", headers=staff.headers)
    assert got.status_code == 200
    gone = await server.client.get(f"{API}/patients/{erased.patient_id}", headers=staff.headers)
    assert_problem(gone, 404, "not_found")

    # Blob files of the erased patient are gone, their keys too; the other patient's stay.
    blobs_after = blob_files(server)
    assert len(blobs_after) == 2
    assert not any(a in p.name for p in blobs_after for a in erased.attachments)
    assert all(any(a in p.name for p in blobs_after) for a in kept.attachments)
    assert not (server.ctx.keystore.blob_ids() & set(erased.attachments))
    for attachment_id in erased.attachments:
        download = await server.client.get(f"{API}/attachments/{attachment_id}",
                                           headers=staff.headers)
        assert_problem(download, 404, "not_found")
    # No plaintext of the erased patient anywhere in the data dir.
    for path in server.data_dir.rglob("*"):
        if path.is_file():
            assert b"L\xc3\x96SCHEN-7731" not in path.read_bytes(), path

    # Deletion log: ids and counts, never the name; the audit chain holds.
    async with server.ctx.db.session(system=True) as session:
        entries = list((await session.execute(
            select(DeletionLog).where(DeletionLog.kind == "erasure"))).scalars())
    assert len(entries) == 1
    entry = entries[0]
    assert entry.practice_id == practice
    assert entry.actor_user_id == admin_user.user_id
    assert entry.ids["patient"] == [erased.patient_id]
    assert sorted(entry.ids["attachment"]) == sorted(erased.attachments)
    assert entry.counts["message"] == 6
    assert "Erika" not in json.dumps(entry.ids) + json.dumps(entry.counts)
    assert (await admin.verify_audit_log(server.ctx)).ok
    ledger = server.ctx.keystore.erasures()
    assert [(e.practice_id, e.object_kind, e.object_id) for e in ledger] == [
        (practice, "patient", erased.patient_id)]


async def test_two_sync_clients_both_receive_the_tombstones(server: Harness) -> None:
    practice = await server.practice()
    admin_user = await server.logged_in(practice, "admin")
    first = await server.logged_in(practice, "staff")
    second = await server.logged_in(practice, "physician")
    erased = await seed_patient(server, first, "Erika Mustermann", marker="ZWEI-CLIENTS")
    cursor_second = await sync_cursor(server, second)  # second client syncs early ...
    later = await server.client.post(
        f"{API}/conversations/{erased.conversations[0]}/messages",
        headers={**first.headers, "Idempotency-Key": "late-one"}, json={"text": "spät"})
    assert later.status_code == 201
    cursor_first = await sync_cursor(server, first)  # ... the first one after everything

    response = await server.client.post(f"{API}/patients/{erased.patient_id}/erase",
                                        headers=admin_user.headers)
    assert response.status_code == 200, response.text

    for who, cursor in ((first, cursor_first), (second, cursor_second)):
        changes = await changes_after(server, who, cursor)
        deletes = {(c["kind"], c["id"]) for c in changes if c["op"] == "delete"}
        assert ("patient", erased.patient_id) in deletes
        assert {("conversation", c) for c in erased.conversations} <= deletes
        # Nothing of the erased patient comes back as content, not even the late message.
        assert all(c["data"] is None for c in changes
                   if c["id"] in erased.all_ids | {later.json()["id"]})
        assert "spät" not in json.dumps(changes)


async def test_only_admins_may_erase_and_only_their_own_practice(server: Harness) -> None:
    practice, other = await server.practice(), await server.practice()
    staff = await server.logged_in(practice, "staff")
    physician = await server.logged_in(practice, "physician")
    other_admin = await server.logged_in(other, "admin")
    erased = await seed_patient(server, staff, "Erika Mustermann", marker="ROLLEN")
    for who in (staff, physician):
        refused = await server.client.post(f"{API}/patients/{erased.patient_id}/erase",
                                           headers=who.headers)
        assert_problem(refused, 403, "forbidden")
    foreign = await server.client.post(f"{API}/patients/{erased.patient_id}/erase",
                                       headers=other_admin.headers)
    assert_problem(foreign, 404, "not_found")
    still = await server.client.get(f"{API}/patients/{erased.patient_id}",
                                    headers=staff.headers)
    assert still.status_code == 200
    assert server.ctx.keystore.erasures() == []


async def test_a_restored_patient_is_erased_again_from_the_ledger(server: Harness) -> None:
    """What a restore of an older backup looks like: the ledger names a patient the
    database holds again. reapply_erasures (server start) erases it once more."""
    practice = await server.practice()
    staff = await server.logged_in(practice, "staff")
    back = await seed_patient(server, staff, "Wieder Da", marker="RESTORE")
    other = await seed_patient(server, staff, "Andere Person", marker="ANDERE")
    server.ctx.keystore.record_erasure(practice, "patient", back.patient_id,
                                       server.clock.now())
    assert await reapply_erasures(server.ctx) == 1
    left = await rows_mentioning(server, back.all_ids)
    assert set(left) <= {"audit_log", "deletion_log", "change_log"}, left
    assert await rows_mentioning(server, {other.patient_id})
    assert await reapply_erasures(server.ctx) == 0  # nothing left to do
    async with server.ctx.db.session(system=True) as session:
        entries = list((await session.execute(select(DeletionLog))).scalars())
    assert [e.kind for e in entries] == ["erasure"]
    assert (await admin.verify_audit_log(server.ctx)).ok
