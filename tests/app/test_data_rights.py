"""The admin's data-rights and device functions of the client core, against a live server:
export a patient to a file, erase a patient (two clients lose it), list and end sessions."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from app.api.errors import Forbidden
from app.core import ClientCore
from app.events import EventBus
from app.settings import Profile
from backend_server.attachments.samples import lab_report_pdf
from tests.app.conftest import PASSWORD, Practice, logged_in_core
from tests.app.inbox_helpers import Staff

PDF = lab_report_pdf("Helga Bauer", ["Kalium 4,1 mmol/l"])


def upload(staff: Staff, conversation_id: str) -> str:
    response = staff.http.post(f"/conversations/{conversation_id}/messages/upload",
                               headers={"Idempotency-Key": "befund-1"},
                               files={"file": ("Befund.pdf", PDF, "application/pdf")},
                               data={"text": "Ihr Befund"})
    assert response.status_code == 201, response.text
    return str(response.json()["attachments"][0]["id"])


async def staff_core(tmp_path: Path, bus: EventBus, practice: Practice) -> ClientCore:
    core = ClientCore(Profile(tmp_path / "staff-profile"), bus)
    await core.login(practice.server.url, practice.staff_email, PASSWORD)
    return core


async def test_export_saves_a_private_complete_zip(profile: Profile, bus: EventBus,
                                                   practice: Practice, tmp_path: Path) -> None:
    staff = Staff(practice)
    patient = staff.patient("Helga Bauer")
    conversation = staff.conversation(patient["id"])
    staff.send(conversation["id"], "Rückruf wegen Laborwerten")
    attachment_id = upload(staff, conversation["id"])
    core = await logged_in_core(profile, bus, practice)
    folder = tmp_path / "exports"
    folder.mkdir()
    try:
        saved = Path(await core.export_patient(patient["id"], str(folder)))
        assert saved.parent == folder
        assert saved.name == f"patient-{patient['id']}.zip"
        assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
        assert [p.name for p in folder.iterdir()] == [saved.name]  # no temporary leftovers
        with zipfile.ZipFile(saved) as archive:
            assert json.loads(archive.read("patient.json"))["name"] == "Helga Bauer"
            body = json.loads(archive.read(f"conversations/{conversation['id']}.json"))
            assert "Rückruf wegen Laborwerten" in [m["text"] for m in body["messages"]]
            data = archive.read(f"attachments/{attachment_id}/Befund.pdf")
            assert hashlib.sha256(data).digest() == hashlib.sha256(PDF).digest()
            assert "Helga Bauer" in archive.read("summary.html").decode("utf-8")

        named = tmp_path / "auskunft.zip"
        assert await core.export_patient(patient["id"], str(named)) == str(named)
        assert zipfile.is_zipfile(named)
    finally:
        await core.close()
        staff.close()


async def test_staff_cannot_export_and_no_file_is_left(bus: EventBus, practice: Practice,
                                                       tmp_path: Path) -> None:
    staff = Staff(practice)
    patient = staff.patient("Helga Bauer")
    core = await staff_core(tmp_path, bus, practice)
    target = tmp_path / "out"
    target.mkdir()
    try:
        with pytest.raises(Forbidden):
            await core.export_patient(patient["id"], str(target / "x.zip"))
        with pytest.raises(Forbidden):
            await core.erase_patient(patient["id"])
        with pytest.raises(Forbidden):
            await core.list_practice_sessions()
        assert os.listdir(target) == []
    finally:
        await core.close()
        staff.close()


async def test_erasure_leaves_both_clients_caches(profile: Profile, bus: EventBus,
                                                  practice: Practice, tmp_path: Path) -> None:
    staff = Staff(practice)
    erased = staff.patient("Helga Bauer")
    kept = staff.patient("Karl Bleibt")
    gone_conversation = staff.conversation(erased["id"])["id"]
    kept_conversation = staff.conversation(kept["id"])["id"]
    staff.send(gone_conversation, "GEHEIM-4471 Laborwerte")
    staff.send(kept_conversation, "Termin am Montag")
    admin_core = await logged_in_core(profile, bus, practice)
    other_core = await staff_core(tmp_path, EventBus(), practice)
    try:
        for core in (admin_core, other_core):
            await core.sync_once()
            assert set(core.inbox.inbox_rows([gone_conversation, kept_conversation])) == {
                gone_conversation, kept_conversation}

        counts = await admin_core.erase_patient(erased["id"])
        assert counts["patient"] == 1
        assert counts["conversation"] == 1
        assert counts["message"] == 1

        for core in (admin_core, other_core):
            await core.sync_once()
            rows = core.inbox.inbox_rows([gone_conversation, kept_conversation])
            assert set(rows) == {kept_conversation}
            assert core.cache is not None
            dump = await core.cache.run(lambda conn: "\n".join(
                str(r) for t in ("messages", "conversations", "patients")
                for r in conn.execute(f"SELECT * FROM {t}").fetchall()))  # noqa: S608
            assert "GEHEIM-4471" not in dump
            assert "Helga Bauer" not in dump
            assert "Termin am Montag" in dump
    finally:
        await admin_core.close()
        await other_core.close()
        staff.close()


async def test_admin_lists_and_ends_another_users_session(profile: Profile, bus: EventBus,
                                                          practice: Practice) -> None:
    staff = Staff(practice)
    core = await logged_in_core(profile, bus, practice)
    try:
        sessions = await core.list_practice_sessions()
        assert len(sessions) == 2
        own = next(s for s in sessions if s.current)
        assert own.user_email == practice.admin_email
        assert own.user_display_name == "Dr. Anna Test"
        reception = next(s for s in sessions if s.user_id == staff.user_id)
        assert reception.current is False
        assert reception.user_email == practice.staff_email
        assert reception.last_used_at.tzinfo is not None

        await core.revoke_practice_session(reception.id)

        refused = staff.http.get("/me")
        assert refused.status_code == 401
        assert [s.id for s in await core.list_practice_sessions()] == [own.id]
    finally:
        await core.close()
        staff.close()
