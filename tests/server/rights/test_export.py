"""Export of one patient (Art. 15/20): a ZIP an admin can hand over as it is."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tracemalloc
import zipfile

from sqlalchemy import select

from backend_server.models.audit_entry import AuditEntry
from backend_server.retention import export
from tests.server.attachments.helpers import staff_upload
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API, new_conversation
from tests.server.rights.helpers import seed_patient

EVIL_NAME = 'Eva <script>alert("x")</script> & Söhne'


async def test_export_holds_texts_decrypted_files_and_an_escaped_summary(
        server: Harness) -> None:
    practice = await server.practice()
    admin_user = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "staff")
    seeded = await seed_patient(server, staff, EVIL_NAME, marker="EXPORT-55")
    other = await seed_patient(server, staff, "Nicht Dabei", marker="FREMD-99")

    response = await server.client.get(f"{API}/patients/{seeded.patient_id}/export",
                                       headers=admin_user.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    assert seeded.patient_id in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    names = set(archive.namelist())

    patient = json.loads(archive.read("patient.json"))
    assert patient["name"] == EVIL_NAME
    assert patient["dob"] == "1984-08-12"
    assert {f"conversations/{c}.json" for c in seeded.conversations} <= names
    texts, inquiries, notes = [], [], []
    for conversation_id in seeded.conversations:
        body = json.loads(archive.read(f"conversations/{conversation_id}.json"))
        assert body["patient_id"] == seeded.patient_id
        texts += [m["text"] for m in body["messages"]]
        inquiries += [i["id"] for i in body["inquiries"]]
        notes += [n["text"] for n in body["notes"]]
        assert body["links"]
        assert all(link["expires_at"] for link in body["links"])
        assert all("token" not in json.dumps(link) for link in body["links"])
    assert sorted(texts) == sorted(seeded.texts)
    assert sorted(inquiries) == sorted(seeded.inquiries)
    assert len(notes) == 2

    # Attachments: decrypted, byte for byte what was uploaded.
    for attachment_id, original in seeded.attachments.items():
        members = [n for n in names if n.startswith(f"attachments/{attachment_id}/")]
        assert len(members) == 1, names
        data = archive.read(members[0])
        assert hashlib.sha256(data).hexdigest() == hashlib.sha256(original).hexdigest()
    assert any(n.endswith("/Befund _1_.pdf") for n in names)  # "<>" made safe at upload

    # The manifest covers every other file with the right hash.
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["patient_id"] == seeded.patient_id
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    for path, digest in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == digest

    # The summary is German, escapes what the patient typed, and loads nothing.
    html = archive.read("summary.html").decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Söhne" in html
    assert "Geburtsdatum" in html
    assert "12.08.1984" in html
    assert "EXPORT-55 Patientin 1" in html
    for forbidden in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert forbidden not in html

    # Nothing of the other patient, and no temporary file left behind.
    assert b"FREMD-99" not in response.content
    assert other.name.encode() not in response.content
    exports_dir = server.data_dir / "tmp" / "exports"
    assert not any(exports_dir.iterdir())

    async with server.ctx.db.session(system=True) as session:
        audited = list((await session.execute(
            select(AuditEntry).where(AuditEntry.action == "patient.export"))).scalars())
    assert [(a.object_id, a.actor_user_id) for a in audited] == [
        (seeded.patient_id, admin_user.user_id)]


async def test_export_is_for_admins_of_the_patients_practice_only(server: Harness) -> None:
    practice, other = await server.practice(), await server.practice()
    staff = await server.logged_in(practice, "staff")
    physician = await server.logged_in(practice, "physician")
    other_admin = await server.logged_in(other, "admin")
    seeded = await seed_patient(server, staff, "Erika Mustermann", marker="NUR-ADMIN")
    for who in (staff, physician):
        assert_problem(await server.client.get(f"{API}/patients/{seeded.patient_id}/export",
                                               headers=who.headers), 403, "forbidden")
    assert_problem(await server.client.get(f"{API}/patients/{seeded.patient_id}/export",
                                           headers=other_admin.headers), 404, "not_found")
    assert_problem(await server.client.get(f"{API}/patients/{seeded.patient_id}/export"),
                   401, "not_authenticated")


async def test_a_big_attachment_is_exported_with_bounded_memory(server: Harness) -> None:
    """The archive is built chunk by chunk: a 12 MB file never sits in memory whole."""
    practice = await server.practice()
    admin_user = await server.logged_in(practice, "admin")
    conversation = await new_conversation(server, admin_user)
    big = b"%PDF-1.7\n" + os.urandom(12 * 1024 * 1024)
    uploaded = await staff_upload(server, admin_user, conversation["id"], "scan.pdf", big)
    assert uploaded.status_code == 201, uploaded.text

    tracemalloc.start()
    try:
        async with server.ctx.db.session(practice_id=practice) as session:
            path = await export.export_patient(server.ctx, session, conversation["patient_id"],
                                               actor_user_id=admin_user.user_id,
                                               now=server.clock.now())
            await session.commit()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * 1024 * 1024, f"peak {peak} bytes"
    try:
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.endswith("/scan.pdf"))
            digest = hashlib.sha256()
            with archive.open(member) as fh:
                while chunk := fh.read(1024 * 1024):
                    digest.update(chunk)
        assert digest.hexdigest() == hashlib.sha256(big).hexdigest()
    finally:
        path.unlink()
