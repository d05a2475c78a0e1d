"""Export in die Patientenakte: a conversation from the real cache as PDF + GDT 3.0."""

from __future__ import annotations

import errno
import io
import stat
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from app.core import ClientCore
from app.events import EventBus
from app.record_export import service
from app.record_export.gdt import ENCODING, parse_gdt
from app.record_export.service import RecordExportError
from app.settings import Profile
from tests.app.conftest import Practice, logged_in_core
from tests.app.inbox_helpers import API, Staff, patient_writes

PATIENT = "Jürgen Weiß-Öztürk"
STAFF_TEXT = "Ihr Rezept über 12,50 € liegt bereit. Grüße aus der Praxis, Straße 3"
PATIENT_TEXT = "Vielen Dank! Ich hole es morgen ab – schöne Grüße, Jürgen"
NOTE_TEXT = "Rückruf erledigt, Überweisung folgt"


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def seed_conversation(practice: Practice) -> str:
    """Patient, conversation, an inquiry and messages from both sides, a note."""
    staff = Staff(practice)
    try:
        patient = staff.patient(PATIENT, dob="1958-02-03")
        conversation = staff.conversation(patient["id"])
        token = conversation["patient_link"].rsplit("/p/", 1)[1]
        r = httpx.post(f"{practice.server.url}{API}/p/{token}/inquiries", timeout=10,
                       json={"type": "prescription", "text": "Bitte bis Freitag",
                             "details": {"medications": ["Ibuprofen 600"]}},
                       headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.text
        staff.send(conversation["id"], STAFF_TEXT)
        patient_writes(practice, token, PATIENT_TEXT)
        r = staff.http.post(f"/conversations/{conversation['id']}/notes",
                            json={"text": NOTE_TEXT},
                            headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.text
        return str(conversation["id"])
    finally:
        staff.close()


async def seeded_core(profile: Profile, bus: EventBus, practice: Practice,
                      folder: Path | None) -> tuple[ClientCore, str]:
    cid = seed_conversation(practice)
    core = await logged_in_core(profile, bus, practice)
    await core.sync_once()
    core.settings.record_export_dir = str(folder) if folder is not None else None
    return core, cid


async def test_export_writes_pdf_and_gdt(tmp_path: Path, profile: Profile, bus: EventBus,
                                         practice: Practice) -> None:
    folder = tmp_path / "akte"
    folder.mkdir()
    core, cid = await seeded_core(profile, bus, practice, folder)
    try:
        paths = [Path(p) for p in await core.export_to_record(cid)]
        pdf, gdt = paths
        assert (pdf.suffix, gdt.suffix) == (".pdf", ".gdt")
        assert pdf.stem == gdt.stem
        assert pdf.stem.endswith("_" + cid.replace("-", "")[:8])
        assert "Jürgen" not in pdf.name
        assert "Weiß" not in pdf.name
        assert sorted(folder.iterdir()) == sorted(paths)  # no temp files left
        for path in paths:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600

        text = pdf_text(pdf)
        for expected in (PATIENT, "03.02.1958", STAFF_TEXT, PATIENT_TEXT, NOTE_TEXT,
                         "Ibuprofen 600", "Praxis Dr. Test", "Exportiert aus Praxisdesk",
                         "Dr. Anna Test", "Rezeptanfrage"):
            assert expected in " ".join(text.split()), expected

        data = gdt.read_bytes()
        fields = parse_gdt(data)  # checks every line's length prefix
        values = dict(fields)
        assert fields[0] == ("8000", "6310")
        assert fields[1][0] == "8100"
        assert int(values["8100"]) == len(data)
        assert values["9218"] == "03.00"
        assert values["9206"] == "3"  # ISO 8859-15, as encoded
        assert values["3101"] == "Weiß-Öztürk"
        assert values["3102"] == "Jürgen"
        assert values["3103"] == "03021958"
        assert values["3000"].startswith("PD")
        assert not values["3000"].isdigit()
        assert len(values["6200"]) == 8
        assert len(values["6201"]) == 6
        assert values["6303"] == "PDF"
        assert Path(values["6305"]) == pdf.resolve()
        text_lines = " ".join(v for k, v in fields if k == "6220")
        assert "12,50 €" in text_lines
        assert "Grüße" in text_lines
        assert all(len(v) <= 60 for k, v in fields if k == "6220")
        assert "Jürgen".encode(ENCODING) in data
        assert "€".encode(ENCODING) in data
        assert data.endswith(b"\r\n")
        assert b"\n" not in data.replace(b"\r\n", b"")

        # A second export in the same minute never overwrites the first.
        first = pdf.read_bytes()
        again = [Path(p) for p in await core.export_to_record(cid)]
        assert again[0] != pdf
        assert again[0].stem == pdf.stem + "_2"
        assert pdf.read_bytes() == first
        assert len(list(folder.iterdir())) == 4
    finally:
        await core.close()


async def test_export_errors_leave_nothing_behind(tmp_path: Path, profile: Profile,
                                                  bus: EventBus, practice: Practice,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    core, cid = await seeded_core(profile, bus, practice, None)
    try:
        with pytest.raises(RecordExportError) as caught:
            await core.export_to_record(cid)
        assert caught.value.reason == "not_configured"

        core.settings.record_export_dir = str(tmp_path / "does-not-exist")
        with pytest.raises(RecordExportError) as caught:
            await core.export_to_record(cid)
        assert caught.value.reason == "folder_missing"

        folder = tmp_path / "akte"
        folder.mkdir()
        core.settings.record_export_dir = str(folder)
        real = service._write_temp
        calls: list[int] = []

        def disk_fills_up(where: Path, data: bytes) -> Path:
            calls.append(len(data))
            if len(calls) == 2:  # the PDF fitted, the GDT does not
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(where, data)

        monkeypatch.setattr(service, "_write_temp", disk_fills_up)
        with pytest.raises(RecordExportError) as caught:
            await core.export_to_record(cid)
        assert caught.value.reason == "disk_full"
        assert list(folder.iterdir()) == []

        def read_only(where: Path, data: bytes) -> Path:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(service, "_write_temp", read_only)
        with pytest.raises(RecordExportError) as caught:
            await core.export_to_record(cid)
        assert caught.value.reason == "not_writable"
        assert list(folder.iterdir()) == []

        with pytest.raises(RecordExportError) as caught:
            await core.export_to_record(str(uuid.uuid4()))
        assert caught.value.reason == "not_found"
    finally:
        await core.close()


def test_gdt_record_stays_within_five_digit_length() -> None:
    from app.record_export.document import RecordDocument, RecordEntry, RecordPatient
    from app.record_export.gdt import TRUNCATED, render_gdt

    now = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
    long_text = "Ärztliche Auskunft über Befunde und Maßnahmen " * 60
    doc = RecordDocument("Patientenkommunikation", "c", "Praxis", RecordPatient(
        "0f0e", "Müller, Anna", None), now, "Empfang",
        tuple(RecordEntry(now, "Nachricht", "Anna Müller", long_text) for _ in range(60)))
    data = render_gdt(doc, "/akte/x.pdf", "x")
    fields = parse_gdt(data)
    assert int(dict(fields)["8100"]) == len(data) <= 99_999
    assert (fields[-5][0], fields[-5][1]) == ("6220", TRUNCATED)
    assert dict(fields)["3101"] == "Müller"
    assert dict(fields)["3102"] == "Anna"
    assert "3103" not in dict(fields)  # unknown date of birth: left out, not invented
