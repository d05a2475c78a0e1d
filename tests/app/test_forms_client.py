"""Forms in the client (issue 8): sync of definitions and requests into the encrypted cache,
sending and withdrawing from the core, the submitted form as an inquiry with its sealed PDF,
the seal check, the record export with the form's PDF, purge and tombstone cascades."""

from __future__ import annotations

import hashlib
import io
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from app.api.errors import ApiError
from app.cache.database import CacheDB, open_cache
from app.cache.inbox import InboxCache
from app.cache.purge import purge
from app.core import ClientCore
from app.events import EventBus
from app.inbox.types import InboxFilter, InquiryType
from app.record_export.gdt import parse_gdt
from app.settings import Profile
from app.sync.engine import ApplyContext, apply_page
from tests.app.conftest import PASSWORD, Practice, logged_in_core
from tests.app.inbox_helpers import API, Staff
from tests.support.live_server import LiveServer


@pytest.fixture
def practice(live_server: LiveServer) -> Practice:
    """A practice as create-practice makes it: with the three shipped forms (issue 8)."""
    pid = live_server.create_practice("Praxis Dr. Test", form_templates=True)
    live_server.create_user(pid, "chefin@praxis.example", "admin", PASSWORD, "Dr. Anna Test")
    live_server.create_user(pid, "empfang@praxis.example", "staff", PASSWORD, "Ben Empfang")
    return Practice(live_server, pid)


CONSENT = "Einwilligung Datenverarbeitung"


def signature() -> dict[str, Any]:
    name = [[40 + i * 6.0, 110 + (i % 7) * 5.0 - i * 0.4] for i in range(60)]
    underline = [[60 + i * 20.0, 170 - i * 0.8] for i in range(20)]
    return {"strokes": [name, underline], "width": 600, "height": 200}


def new_conversation(practice: Practice, name: str = "Jürgen Größmann") -> tuple[str, str]:
    staff = Staff(practice)
    try:
        patient = staff.patient(name, dob="1961-08-12")
        conversation = staff.conversation(patient["id"])
        return str(conversation["id"]), conversation["patient_link"].rsplit("/p/", 1)[1]
    finally:
        staff.close()


def patient_submits(practice: Practice, token: str, request_id: str,
                    answers: dict[str, Any]) -> dict[str, Any]:
    r = httpx.post(f"{practice.server.url}{API}/p/{token}/forms/{request_id}/submit",
                   json={"answers": answers}, headers={"Idempotency-Key": str(uuid.uuid4())},
                   timeout=30)
    assert r.status_code == 201, r.text
    return dict(r.json())


def check_export(folder: Path, paths: list[Path], form_sha256: str) -> None:
    """The conversation's PDF and GDT plus the sealed form PDF, byte for byte; the GDT
    names both PDFs (one 6302-6305 group each) and stays a valid record."""
    assert [p.suffix for p in paths] == [".pdf", ".gdt", ".pdf"]
    conversation_pdf, gdt, form_pdf = paths
    assert form_pdf.name == f"{conversation_pdf.stem}_formular_einwilligung-" \
                            "datenverarbeitung.pdf"
    assert hashlib.sha256(form_pdf.read_bytes()).hexdigest() == form_sha256
    fields = parse_gdt(gdt.read_bytes())
    assert int(dict(fields)["8100"]) == len(gdt.read_bytes())
    named = [value for field, value in fields if field == "6305"]
    assert named == [str(conversation_pdf.resolve()), str(form_pdf.resolve())]
    assert all(Path(p).is_file() for p in named)
    assert [value for field, value in fields if field == "6302"] == [
        conversation_pdf.stem, form_pdf.stem]
    reader = PdfReader(io.BytesIO(conversation_pdf.read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "Formular ausgefüllt" in text
    assert f"Formular: {CONSENT}" in text
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)


def patient_forms(practice: Practice, token: str) -> Any:
    r = httpx.get(f"{practice.server.url}{API}/p/{token}/forms", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


async def core_with_forms(profile: Profile, bus: EventBus, practice: Practice) -> ClientCore:
    core = await logged_in_core(profile, bus, practice)
    await core.sync_once()
    return core


def consent_id(core: ClientCore) -> str:
    return next(f.id for f in core.form_definitions() if f.title == CONSENT)


async def test_shipped_forms_arrive_by_sync(profile: Profile, bus: EventBus,
                                            practice: Practice) -> None:
    changed: list[object] = []
    bus.subscribe("forms_changed", lambda *a: changed.append(a))
    core = await core_with_forms(profile, bus, practice)
    try:
        forms = core.form_definitions("active")
        assert [f.title for f in forms] == ["Anamnesebogen Allgemeinmedizin", CONSENT,
                                            "Einwilligung Videosprechstunde"]
        assert all(f.version == 1 and f.status == "active" for f in forms)
        # The definition JSON comes along, for the editor and the preview.
        consent = next(f for f in forms if f.title == CONSENT)
        assert consent.form_id == "einwilligung-datenverarbeitung"
        assert [s["id"] for s in consent.definition["sections"]] == ["information", "signing"]
        assert core.form_definitions("archived") == []
        assert changed  # the menus re-read
    finally:
        await core.close()


async def test_send_submit_seal_and_export(tmp_path: Path, profile: Profile, bus: EventBus,
                                           practice: Practice) -> None:
    cid, token = new_conversation(practice)
    core = await core_with_forms(profile, bus, practice)
    try:
        request_id = await core.send_form(cid, consent_id(core))
        # In the cache at once: the line in the thread says "sent".
        [request] = core.form_requests_of(cid)
        assert (request.id, request.status, request.title) == (request_id, "sent", CONSENT)
        line = [i for i in core.inbox.thread_items(cid, 0, 50) if i.kind == "form_request"]
        assert [(i.id, i.text, i.form_status) for i in line] == [(request_id, CONSENT, "sent")]

        await core.sync_once()
        texts = [i.text for i in core.inbox.thread_items(cid, 0, 50) if i.kind == "message"]
        assert texts == [f"Bitte füllen Sie das Formular „{CONSENT}“ aus. Sie finden es auf "
                         "Ihrer Seite unter „Formulare“."]

        submitted = patient_submits(practice, token, request_id,
                                    {"consent": True, "email_notifications": False,
                                     "signature": signature()})
        await core.sync_once()
        [request] = core.form_requests_of(cid)
        assert request.status == "submitted"
        assert request.attachment_id == submitted["attachment_id"]
        assert request.inquiry_id is not None
        assert request.submitted_at is not None
        items = core.inbox.thread_items(cid, 0, 50)
        [card] = [i for i in items if i.kind == "inquiry"]
        assert card.id == request.inquiry_id
        assert card.inquiry_type is InquiryType.FORM
        assert card.inquiry_details["title"] == CONSENT
        answers = [(r["field_id"], r["answer"]) for r in card.inquiry_details["rows"]]
        assert answers == [("consent", "Ja"), ("email_notifications", "Nein"),
                           ("signature", "unterschrieben")]
        [pdf] = [a for i in items for a in i.attachments]
        assert (pdf.id, pdf.filename) == (request.attachment_id, f"{CONSENT}.pdf")
        # The inbox row and the search know it as a form.
        row = core.inbox.inbox_rows([cid])[cid]
        assert row.inquiry_type is InquiryType.FORM
        # The PDF's name or the form's title; never ids or the answers.
        assert row.preview in (CONSENT, f"{CONSENT}.pdf")
        found = InboxFilter(search="willige")  # words of the answered questions
        assert core.inbox.inbox_ids(found, 0, 10) == [cid]
        assert core.inbox.inbox_ids(InboxFilter(search=str(pdf.id)[:8]), 0, 10) == []

        seal = await core.seal_status(pdf.id)
        assert (seal.sealed, seal.ok, seal.intact, seal.trusted) == (True, True, True, True)
        assert "Praxis Dr. Test" in str(seal.signer)

        # A submitted form cannot be withdrawn.
        with pytest.raises(ApiError) as refused:
            await core.cancel_form_request(request_id)
        assert refused.value.code == "form_submitted"

        # Export into the patient record: the conversation's PDF and GDT plus the sealed
        # form PDF, byte for byte; the GDT names both PDFs and stays a valid record.
        folder = tmp_path / "akte"
        folder.mkdir()
        core.settings.record_export_dir = str(folder)
        paths = [Path(p) for p in await core.export_to_record(cid)]
        check_export(folder, paths, str(card.inquiry_details["pdf_sha256"]))
    finally:
        await core.close()


async def test_withdraw_a_sent_form(profile: Profile, bus: EventBus,
                                    practice: Practice) -> None:
    cid, token = new_conversation(practice)
    core = await core_with_forms(profile, bus, practice)
    try:
        request_id = await core.send_form(cid, consent_id(core))
        await core.cancel_form_request(request_id)
        assert [r.status for r in core.form_requests_of(cid)] == ["cancelled"]
        await core.sync_once()
        assert [r.status for r in core.form_requests_of(cid)] == ["cancelled"]
        # The patient no longer sees it.
        assert patient_forms(practice, token) == []
    finally:
        await core.close()


async def test_erasing_the_patient_removes_their_form_requests(
        profile: Profile, bus: EventBus, practice: Practice) -> None:
    cid, _token = new_conversation(practice, "Rosa Löschmann")
    core = await core_with_forms(profile, bus, practice)
    try:
        await core.send_form(cid, consent_id(core))
        await core.sync_once()
        patient = core.inbox.patient_of(cid)
        assert patient is not None
        await core.erase_patient(patient.id)
        await core.sync_once()
        assert core.form_requests_of(cid) == []
        assert core.inbox.thread_count(cid) == 0
        # Definitions are practice configuration: they stay.
        assert len(core.form_definitions()) == 3
    finally:
        await core.close()


# --- the appliers and the purge on the cache itself ----------------------------------------

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def at(days: float) -> str:
    return (T0 + timedelta(days=days)).isoformat().replace("+00:00", "Z")


def change(kind: str, object_id: str, data: dict[str, Any] | None,
           op: str = "upsert") -> dict[str, Any]:
    return {"kind": kind, "op": "delete" if data is None else op, "id": object_id,
            "data": data}


def definition_wire(definition_id: str, status: str = "active") -> dict[str, Any]:
    return {"id": definition_id, "form_id": "anamnese", "version": 2, "title": "Anamnese",
            "status": status, "definition": {"id": "anamnese", "version": 2,
                                             "title": "Anamnese", "sections": []},
            "created_by_user_id": None, "created_at": at(0), "updated_at": at(0)}


def request_wire(request_id: str, conversation_id: str, *, status: str = "sent",
                 updated: float = 0) -> dict[str, Any]:
    return {"id": request_id, "conversation_id": conversation_id,
            "form_definition_id": "fd-1", "form_id": "anamnese", "version": 2,
            "title": "Anamnese", "status": status, "sent_by_user_id": "u-1",
            "inquiry_id": None, "attachment_id": None, "created_at": at(0),
            "updated_at": at(updated), "submitted_at": None,
            # Must never be stored, should a server ever send it.
            "draft_answers": {"reason": "Zxqdraftmarker"}}


def conversation_wire(cid: str, patient_id: str, last: float) -> dict[str, Any]:
    return {"id": cid, "patient_id": patient_id, "patient_name": "Test Person",
            "created_at": at(0), "updated_at": at(last), "last_activity_at": at(last)}


@pytest.fixture
async def cache(tmp_path: Path) -> Any:
    db = await open_cache(tmp_path / "cache.db", secrets.token_bytes(32))
    yield db
    await db.aclose()


async def apply(db: CacheDB, changes: list[dict[str, Any]]) -> ApplyContext:
    ctx = ApplyContext()
    await db.run(lambda conn: apply_page(conn, changes, "c", ctx, finished=True))
    return ctx


async def test_appliers_store_and_tombstone_both_kinds(cache: CacheDB) -> None:
    ctx = await apply(cache, [
        change("patient", "p1", {"id": "p1", "name": "Test Person", "dob": "1970-01-01"}),
        change("conversation", "c1", conversation_wire("c1", "p1", 1)),
        change("form_definition", "fd-1", definition_wire("fd-1")),
        change("form_definition", "fd-0", definition_wire("fd-0", "archived")),
        change("form_request", "fr-1", request_wire("fr-1", "c1")),
    ])
    assert ctx.forms_changed
    assert ctx.counts["form_request"] == 1
    reader = InboxCache(cache.open_reader())
    try:
        assert [f.id for f in reader.form_definitions("active")] == ["fd-1"]
        assert {f.id for f in reader.form_definitions(None)} == {"fd-1", "fd-0"}
        [req] = reader.form_requests_of("c1")
        assert (req.status, req.title, req.version) == ("sent", "Anamnese", 2)
        assert reader.thread_count("c1") == 1
        dump = await cache.run(lambda conn: str(conn.execute(
            "SELECT * FROM form_requests").fetchall()))
        assert "Zxqdraftmarker" not in dump
        # The status moves on; tombstones remove.
        await apply(cache, [change("form_request", "fr-1",
                                   request_wire("fr-1", "c1", status="cancelled"))])
        assert [r.status for r in reader.form_requests_of("c1")] == ["cancelled"]
        await apply(cache, [change("form_request", "fr-1", None),
                            change("form_definition", "fd-0", None)])
        assert reader.form_requests_of("c1") == []
        assert {f.id for f in reader.form_definitions(None)} == {"fd-1"}
    finally:
        reader.close()


async def test_conversation_and_patient_tombstones_cascade(cache: CacheDB) -> None:
    await apply(cache, [
        change("patient", "p1", {"id": "p1", "name": "A", "dob": None}),
        change("patient", "p2", {"id": "p2", "name": "B", "dob": None}),
        change("conversation", "c1", conversation_wire("c1", "p1", 1)),
        change("conversation", "c2", conversation_wire("c2", "p2", 1)),
        change("conversation", "c3", conversation_wire("c3", "p2", 1)),
        change("form_request", "fr-1", request_wire("fr-1", "c1")),
        change("form_request", "fr-2", request_wire("fr-2", "c2")),
        change("form_request", "fr-3", request_wire("fr-3", "c3")),
    ])

    def left() -> Any:
        return cache.run(lambda conn: sorted(r[0] for r in conn.execute(
            "SELECT id FROM form_requests")))

    assert await left() == ["fr-1", "fr-2", "fr-3"]
    ctx = await apply(cache, [change("conversation", "c1", None)])
    assert ctx.purge_needed
    assert await left() == ["fr-2", "fr-3"]
    await apply(cache, [change("patient", "p2", None)])
    assert await left() == []


async def test_purge_removes_requests_by_their_last_change(cache: CacheDB) -> None:
    await apply(cache, [
        change("patient", "p1", {"id": "p1", "name": "A", "dob": None}),
        change("conversation", "c1", conversation_wire("c1", "p1", 200)),
        change("conversation", "c2", conversation_wire("c2", "p1", 1)),
        # Sent long ago, but changed (submitted) recently: kept, as on the server.
        change("form_request", "fr-old", request_wire("fr-old", "c1", updated=1)),
        change("form_request", "fr-new", request_wire("fr-new", "c1", updated=150)),
        change("form_request", "fr-gone", request_wire("fr-gone", "c2", updated=150)),
    ])
    report = await purge(cache, now=T0 + timedelta(days=200))
    # fr-old: older than 105 days; fr-gone: with its purged conversation.
    assert report.counts["form_request"] == 2
    assert await cache.run(lambda conn: [r[0] for r in conn.execute(
        "SELECT id FROM form_requests")]) == ["fr-new"]
    # Definitions are not content: untouched by the purge.
    await apply(cache, [change("form_definition", "fd-1", definition_wire("fd-1"))])
    await purge(cache, now=T0 + timedelta(days=400))
    assert await cache.run(lambda conn: conn.execute(
        "SELECT count(*) FROM form_definitions").fetchone()[0]) == 1


async def test_export_offline_without_the_form_pdf_writes_nothing(
        tmp_path: Path, profile: Profile, bus: EventBus, practice: Practice) -> None:
    from app.api.client import ApiClient
    from app.record_export.service import RecordExportError

    cid, token = new_conversation(practice)
    core = await core_with_forms(profile, bus, practice)
    try:
        request_id = await core.send_form(cid, consent_id(core))
        patient_submits(practice, token, request_id,
                        {"consent": True, "signature": signature()})
        await core.sync_once()
        folder = tmp_path / "akte"
        folder.mkdir()
        core.settings.record_export_dir = str(folder)
        # The server goes away before the PDF was ever downloaded to this computer.
        online = core._api
        core._api = ApiClient("http://127.0.0.1:9", timeout=2)
        try:
            with pytest.raises(RecordExportError) as failed:
                await core.export_to_record(cid)
        finally:
            await core._api.aclose()
            core._api = online
        assert failed.value.reason == "form_pdf_unavailable"
        assert list(folder.iterdir()) == []
    finally:
        await core.close()
