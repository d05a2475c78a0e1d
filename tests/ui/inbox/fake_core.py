"""An in-memory core implementing InboxQueries/InboxActions, for UI tests only.

It records what the UI asked for (pages of ids, rows, sends), so tests can check laziness
and that each button reached the core with the right arguments.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.api.errors import ApiError, ServerUnreachable
from app.cache.calls import CallsCache
from app.events import EventBus
from app.inbox.types import (
    AttachmentInfo,
    FormDefinitionInfo,
    FormRequestInfo,
    InboxFilter,
    InboxRow,
    InquiryStatus,
    InquiryType,
    OutboxState,
    PatientRef,
    SealStatus,
    TemplateInfo,
    ThreadItem,
)
from app.video.appointments import VideoService

NOW = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@dataclass
class User:
    id: str
    display_name: str
    email: str = ""
    role: str = "staff"
    active: bool = True


@dataclass
class Conversation:
    id: str
    patient_name: str
    last_activity: datetime
    unread_count: int = 0
    items: list[ThreadItem] = field(default_factory=list)
    link_active: bool = True
    link_expires_at: str | None = iso(NOW + timedelta(days=30))
    expires_at: str | None = None  # when the retention purge removes it


class FakeInbox:
    def __init__(self) -> None:
        self.conversations: dict[str, Conversation] = {}
        self.template_list: list[TemplateInfo] = []
        self.id_calls: list[tuple[int, int]] = []
        self.row_calls: list[int] = []

    # -- helpers -----------------------------------------------------------------------
    def _inquiry(self, conv: Conversation) -> ThreadItem | None:
        open_ = [i for i in conv.items
                 if i.kind == "inquiry" and i.inquiry_status != InquiryStatus.DONE]
        return open_[-1] if open_ else None

    def row(self, conv: Conversation) -> InboxRow:
        inquiry = self._inquiry(conv)
        texts = [i for i in conv.items if i.kind in ("message", "inquiry", "outbox")]
        preview = texts[-1].text[:120] if texts else ""
        unanswered = False
        if inquiry is not None:
            after = conv.items[conv.items.index(inquiry) + 1:]
            unanswered = not any(i.kind == "message" and i.author == "staff" for i in after)
        return InboxRow(
            conversation_id=conv.id, patient_name=conv.patient_name,
            last_activity_at=iso(conv.last_activity), preview=preview,
            unread_count=conv.unread_count,
            open_inquiries=sum(1 for i in conv.items if i.kind == "inquiry"
                               and i.inquiry_status != InquiryStatus.DONE),
            inquiry_id=inquiry.id if inquiry else None,
            inquiry_type=inquiry.inquiry_type if inquiry else None,
            inquiry_status=inquiry.inquiry_status if inquiry else None,
            assignee_user_id=inquiry.assignee_user_id if inquiry else None,
            unanswered=unanswered, link_active=conv.link_active,
            link_expires_at=conv.link_expires_at, expires_at=conv.expires_at)

    def _matches(self, conv: Conversation, flt: InboxFilter) -> bool:
        inquiry = self._inquiry(conv)
        if flt.inquiry_type is not None and (inquiry is None
                                             or inquiry.inquiry_type != flt.inquiry_type):
            return False
        if flt.status is not None and (inquiry is None or inquiry.inquiry_status != flt.status):
            return False
        if flt.assignee_user_id is not None and (
                inquiry is None or inquiry.assignee_user_id != flt.assignee_user_id):
            return False
        if flt.unread_only and not conv.unread_count:
            return False
        if flt.search:
            needle = flt.search.casefold()
            haystack = [conv.patient_name, *(i.text for i in conv.items)]
            if not any(needle in text.casefold() for text in haystack):
                return False
        return True

    def _sorted(self, flt: InboxFilter) -> list[Conversation]:
        found = [c for c in self.conversations.values() if self._matches(c, flt)]
        found.sort(key=lambda c: (c.last_activity, c.id), reverse=True)
        return found

    # -- InboxQueries ------------------------------------------------------------------
    def inbox_count(self, flt: InboxFilter) -> int:
        return len(self._sorted(flt))

    def inbox_ids(self, flt: InboxFilter, offset: int, limit: int) -> list[str]:
        self.id_calls.append((offset, limit))
        return [c.id for c in self._sorted(flt)[offset:offset + limit]]

    def inbox_rows(self, conversation_ids: list[str]) -> dict[str, InboxRow]:
        self.row_calls.append(len(conversation_ids))
        return {cid: self.row(self.conversations[cid]) for cid in conversation_ids
                if cid in self.conversations}

    def thread_count(self, conversation_id: str) -> int:
        return len(self.conversations[conversation_id].items)

    def thread_items(self, conversation_id: str, offset: int, limit: int) -> list[ThreadItem]:
        return list(self.conversations[conversation_id].items[offset:offset + limit])

    def templates(self) -> list[TemplateInfo]:
        return list(self.template_list)

    def patient_of(self, conversation_id: str) -> PatientRef | None:
        conv = self.conversations.get(conversation_id)
        if conv is None:
            return None
        return PatientRef(f"pat-{conversation_id}", conv.patient_name, "1950-04-02")


@dataclass
class FakeSettings:
    record_export_dir: str | None = None
    saved: int = 0

    def save(self) -> None:
        self.saved += 1


def _no_server() -> Any:
    raise ServerUnreachable("no server in this test")


class FakeCore:
    def __init__(self, events: EventBus | None = None) -> None:
        self.events = events or EventBus()
        self._inbox = FakeInbox()
        self.calls = CallsCache(None)  # the Telefon tab reads nothing here (tests/ui/calls)
        self.users = [User("u-weber", "Dr. Anna Weber", role="physician"),
                      User("u-klein", "Jonas Klein"), User("u-yilmaz", "Selin Yılmaz")]
        self.sent: list[tuple[str, str, str | None]] = []
        self.retried: list[str] = []
        self.read: list[str] = []
        self.inquiry_updates: list[tuple[str, dict[str, Any]]] = []
        self.notes: list[tuple[str, str, str | None]] = []
        self.started: list[tuple[str, str, str | None, str | None]] = []
        self.exported: list[tuple[str, str]] = []
        self.links_issued: list[str] = []
        self.links_revoked: list[str] = []
        self.fail_links = False
        self.fail_sends = False
        # No server behind the fake: the video tab's requests fail as if offline.
        self.video = VideoService(_no_server, lambda: {"role": "staff"})
        self.attachment_bytes: dict[str, bytes] = {}
        # A future of the test's loop (an Event would look for a running loop, which the
        # qtbot waits do not have).
        self.download_gate: asyncio.Future[None] | None = None
        self.tmp_dir: Path | None = None
        self._counter = 0
        # Export into the patient record: the folder setting, and a failure to simulate.
        self.settings = FakeSettings()
        self.record_exports: list[str] = []
        self.record_export_error: str | None = None
        self.user: dict[str, Any] = {"id": "u-weber", "role": "admin"}
        self.patients_exported: list[tuple[str, str]] = []
        self.patients_erased: list[str] = []
        self.sync_requests = 0
        # Forms (issue 8): synced definitions, sends and withdrawals, the server's seal
        # verdicts by attachment id, and an error code to simulate ("server_unreachable"...).
        self.forms: list[FormDefinitionInfo] = []
        self.forms_sent: list[tuple[str, str]] = []
        self.forms_cancelled: list[str] = []
        self.seals: dict[str, SealStatus] = {}
        self.seal_calls: list[str] = []
        self.form_error: str | None = None

    def _next(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}-{self._counter}"

    @property
    def inbox(self) -> FakeInbox:
        return self._inbox

    def directory(self) -> list[User]:
        return list(self.users)

    def changed(self, *conversation_ids: str) -> None:
        self.events.emit("inbox_changed", list(conversation_ids))

    # -- InboxActions ------------------------------------------------------------------
    async def send_message(self, conversation_id: str, text: str,
                           attachment_path: str | None = None) -> str:
        await asyncio.sleep(0)
        self.sent.append((conversation_id, text, attachment_path))
        conv = self._inbox.conversations[conversation_id]
        outbox_id = self._next("out")
        state = OutboxState.FAILED if self.fail_sends else OutboxState.PENDING
        conv.items.append(ThreadItem(
            kind="outbox", id=outbox_id, created_at=iso(NOW), author="staff",
            author_user_id="u-klein", text=text, outbox_state=state,
            outbox_error="connection refused" if self.fail_sends else None))
        self.events.emit("outbox_changed", conversation_id)
        return outbox_id

    async def retry_outbox(self, outbox_id: str) -> None:
        await asyncio.sleep(0)
        self.retried.append(outbox_id)
        for conv in self._inbox.conversations.values():
            for n, item in enumerate(conv.items):
                if item.kind == "outbox" and item.id == outbox_id:
                    state = OutboxState.FAILED if self.fail_sends else OutboxState.PENDING
                    conv.items[n] = dataclasses.replace(item, outbox_state=state)
                    self.events.emit("outbox_changed", conv.id)

    async def mark_read(self, conversation_id: str) -> None:
        await asyncio.sleep(0)
        self.read.append(conversation_id)
        self._inbox.conversations[conversation_id].unread_count = 0
        self.changed(conversation_id)

    async def update_inquiry(self, inquiry_id: str, *, status: InquiryStatus | None = None,
                             assignee_user_id: str | None = None,
                             clear_assignee: bool = False) -> None:
        await asyncio.sleep(0)
        self.inquiry_updates.append((inquiry_id, {"status": status,
                                                  "assignee_user_id": assignee_user_id,
                                                  "clear_assignee": clear_assignee}))
        for conv in self._inbox.conversations.values():
            for position, item in enumerate(conv.items):
                if item.id == inquiry_id:
                    changes: dict[str, Any] = {}
                    if status is not None:
                        changes["inquiry_status"] = status
                    if assignee_user_id is not None or clear_assignee:
                        changes["assignee_user_id"] = assignee_user_id
                    conv.items[position] = dataclasses.replace(item, **changes)
                    self.changed(conv.id)

    async def add_note(self, conversation_id: str, text: str,
                       inquiry_id: str | None = None) -> None:
        await asyncio.sleep(0)
        self.notes.append((conversation_id, text, inquiry_id))
        self._inbox.conversations[conversation_id].items.append(ThreadItem(
            kind="note", id=self._next("note"), created_at=iso(NOW), author="staff",
            author_user_id="u-klein", text=text))
        self.changed(conversation_id)

    async def fetch_attachment(self, attachment_id: str, progress: Any = None) -> None:
        total = len(self.attachment_bytes.get(attachment_id, b"x" * 4000))
        for received in (0, total // 2):
            if callable(progress):
                progress(received, total)
            await asyncio.sleep(0)
        if self.download_gate is not None:
            await self.download_gate
        if callable(progress):
            progress(total, total)

    async def export_to_record(self, conversation_id: str) -> list[str]:
        from app.record_export.service import RecordExportError

        self.record_exports.append(conversation_id)
        folder = self.settings.record_export_dir
        if not folder:
            raise RecordExportError("not_configured")
        if self.record_export_error is not None:
            raise RecordExportError(self.record_export_error)
        stem = f"{folder}/20260312-0930_{conversation_id[:8]}"
        return [f"{stem}.pdf", f"{stem}.gdt"]

    async def export_attachment(self, attachment_id: str, destination: str) -> str:
        # A few bytes: blocking is harmless, and qtbot.waitUntil runs tasks without a
        # running loop, where to_thread cannot work.
        data = self.attachment_bytes.get(attachment_id, b"%PDF-1.4")
        Path(destination).write_bytes(data)  # noqa: ASYNC240
        self.exported.append((attachment_id, destination))
        return destination

    async def open_attachment_copy(self, attachment_id: str) -> str:
        assert self.tmp_dir is not None
        path = self.tmp_dir / f"{attachment_id}.pdf"
        path.write_bytes(self.attachment_bytes.get(attachment_id, b"%PDF-1.4"))
        return str(path)

    async def start_conversation(self, name: str, dob: str, email: str | None,
                                 phone: str | None = None) -> str:
        await asyncio.sleep(0)
        self.started.append((name, dob, email, phone))
        conversation_id = self._next("conv")
        self._inbox.conversations[conversation_id] = Conversation(
            conversation_id, name, NOW + timedelta(minutes=5))
        self.changed(conversation_id)
        return conversation_id

    async def reissue_patient_link(self, conversation_id: str) -> str:
        await asyncio.sleep(0)
        if self.fail_links:
            raise ApiError("server unreachable")
        self.links_issued.append(conversation_id)
        conv = self._inbox.conversations[conversation_id]
        conv.link_active = True
        conv.link_expires_at = iso(NOW + timedelta(days=30))
        self.changed(conversation_id)
        return f"https://praxis.example/p/token-{len(self.links_issued)}"

    async def revoke_patient_link(self, conversation_id: str) -> None:
        await asyncio.sleep(0)
        self.links_revoked.append(conversation_id)
        conv = self._inbox.conversations[conversation_id]
        conv.link_active, conv.link_expires_at = False, None
        self.changed(conversation_id)


    # -- admin: patient rights ---------------------------------------------------------
    async def export_patient(self, patient_id: str, destination: str) -> str:
        await asyncio.sleep(0)
        # A 22-byte empty ZIP; the test loop has no thread pool to hand this to.
        Path(destination).write_bytes(b"PK\x05\x06" + bytes(18))  # noqa: ASYNC240
        self.patients_exported.append((patient_id, destination))
        return destination

    async def erase_patient(self, patient_id: str) -> dict[str, int]:
        await asyncio.sleep(0)
        self.patients_erased.append(patient_id)
        gone = [cid for cid in self._inbox.conversations if f"pat-{cid}" == patient_id]
        for cid in gone:
            del self._inbox.conversations[cid]
        self.changed(*gone)
        return {"patient": 1, "conversation": len(gone)}

    def request_sync(self) -> None:
        self.sync_requests += 1

    # -- forms -------------------------------------------------------------------------
    def form_definitions(self, status: str | None = "active") -> list[FormDefinitionInfo]:
        return [f for f in self.forms if status is None or f.status == status]

    def form_requests_of(self, conversation_id: str) -> list[FormRequestInfo]:
        conv = self._inbox.conversations[conversation_id]
        return [FormRequestInfo(i.id, conversation_id, "", "", 1, i.text,
                                i.form_status or "sent", i.inquiry_id, None, i.created_at,
                                i.created_at, i.form_submitted_at)
                for i in reversed(conv.items) if i.kind == "form_request"]

    def _raise_form_error(self) -> None:
        if self.form_error is not None:
            err = ApiError(self.form_error)
            err.code = self.form_error
            raise err

    async def send_form(self, conversation_id: str, definition_id: str) -> str:
        await asyncio.sleep(0)
        self._raise_form_error()
        self.forms_sent.append((conversation_id, definition_id))
        form = next(f for f in self.forms if f.id == definition_id)
        request_id = self._next("freq")
        self._inbox.conversations[conversation_id].items.append(
            form_request(request_id, form.title, minutes=1))
        self.changed(conversation_id)
        return request_id

    async def cancel_form_request(self, request_id: str) -> None:
        await asyncio.sleep(0)
        self._raise_form_error()
        self.forms_cancelled.append(request_id)
        for conv in self._inbox.conversations.values():
            for n, item in enumerate(conv.items):
                if item.id == request_id:
                    conv.items[n] = dataclasses.replace(item, form_status="cancelled")
                    self.changed(conv.id)

    async def seal_status(self, attachment_id: str) -> SealStatus:
        await asyncio.sleep(0)
        self.seal_calls.append(attachment_id)
        if self.form_error is not None:
            self._raise_form_error()
        return self.seals.get(attachment_id, SealStatus(sealed=False))


# -- data builders -----------------------------------------------------------------------

def message(item_id: str, text: str, *, author: str = "patient", minutes: int = 0,
            read: bool = False, attachments: tuple[AttachmentInfo, ...] = (),
            user: str | None = None) -> ThreadItem:
    moment = NOW + timedelta(minutes=minutes)
    return ThreadItem(kind="message", id=item_id, created_at=iso(moment), author=author,
                      author_user_id=user or ("u-klein" if author == "staff" else None),
                      text=text, read_at=iso(moment) if read else None,
                      attachments=attachments)


def inquiry(item_id: str, kind: InquiryType, details: dict[str, object], text: str = "", *,
            status: InquiryStatus = InquiryStatus.NEW, assignee: str | None = None,
            minutes: int = 0) -> ThreadItem:
    return ThreadItem(kind="inquiry", id=item_id, created_at=iso(NOW + timedelta(
        minutes=minutes)), author="patient", author_user_id=None, text=text,
        inquiry_type=kind, inquiry_details=details, inquiry_status=status,
        assignee_user_id=assignee)


def form_request(item_id: str, title: str, *, status: str = "sent", minutes: int = 0,
                 inquiry_id: str | None = None,
                 submitted_minutes: int | None = None) -> ThreadItem:
    submitted = (iso(NOW + timedelta(minutes=submitted_minutes))
                 if submitted_minutes is not None else None)
    return ThreadItem(kind="form_request", id=item_id, created_at=iso(NOW + timedelta(
        minutes=minutes)), author="staff", author_user_id=None, text=title,
        inquiry_id=inquiry_id, form_status=status, form_submitted_at=submitted)


ANAMNESIS_ROWS: list[dict[str, str]] = [
    {"field_id": "name", "section": "Angaben zur Person", "label": "Name",
     "answer": "Helga Bauer"},
    {"field_id": "weight", "section": "Angaben zur Person", "label": "Gewicht (kg)",
     "answer": "68"},
    {"field_id": "allergies", "section": "Vorerkrankungen und Allergien",
     "label": "Haben Sie Allergien?", "answer": "Ja"},
    {"field_id": "allergy_list", "section": "Vorerkrankungen und Allergien",
     "label": "Welche Allergien?", "answer": "Penicillin, Hausstaub"},
    {"field_id": "conditions", "section": "Vorerkrankungen und Allergien",
     "label": "Bekannte Erkrankungen", "answer": "Bluthochdruck, Diabetes Typ 2"},
    {"field_id": "smoker", "section": "Lebensgewohnheiten", "label": "Rauchen Sie?",
     "answer": "Nein"},
    {"field_id": "signature", "section": "Unterschrift", "label": "Unterschrift",
     "answer": "unterschrieben"},
]


def form_details(attachment_id: str = "att-form",
                 request_id: str = "freq-anam") -> dict[str, object]:
    return {"form_request_id": request_id, "form_id": "anamnese", "version": 1,
            "title": "Anamnesebogen Allgemeinmedizin", "rows": list(ANAMNESIS_ROWS),
            "attachment_id": attachment_id, "pdf_sha256": "ab" * 32,
            "signed_at": "2026-03-12T08:58:00Z"}


def form_definition(definition_id: str, title: str, *, status: str = "active",
                    form_id: str = "anamnese", version: int = 1) -> FormDefinitionInfo:
    return FormDefinitionInfo(definition_id, form_id, version, title, status,
                              {"id": form_id, "version": version, "title": title,
                               "sections": []})


def add_form_conversation(core: FakeCore, *, seal_ok: bool | None = True) -> Conversation:
    """A conversation where an anamnesis form was sent and came back signed."""
    pdf = AttachmentInfo("att-form", "m-form", "Anamnesebogen Allgemeinmedizin.pdf",
                         "application/pdf", 41_200, cached=False)
    conv = add_conversation(core, "conv-form", "Helga Bauer", 2, [
        message("m-form-0", "Guten Morgen, ich komme morgen zum ersten Mal in die Praxis.",
                minutes=-50),
        form_request("freq-anam", "Anamnesebogen Allgemeinmedizin", status="submitted",
                     minutes=-45, inquiry_id="inq-form", submitted_minutes=-3),
        message("m-form-1", "Bitte füllen Sie das Formular „Anamnesebogen "
                "Allgemeinmedizin“ aus. Sie finden es auf Ihrer Seite unter „Formulare“.",
                author="staff", minutes=-45, read=True),
        message("m-form", "", minutes=-3, attachments=(pdf,)),
        inquiry("inq-form", InquiryType.FORM, form_details(), minutes=-3),
    ], unread=1)
    if seal_ok is not None:
        core.seals["att-form"] = SealStatus(
            sealed=True, ok=seal_ok, intact=seal_ok, trusted=True,
            signer="Hausarztpraxis Dr. Weber – Praxissiegel",
            signed_at="2026-03-12T08:58:00Z", sha256="ab" * 32,
            problem=None if seal_ok else "modified")
    core.forms = [form_definition("fd-anam", "Anamnesebogen Allgemeinmedizin"),
                  form_definition("fd-daten", "Einwilligung Datenverarbeitung",
                                  form_id="datenschutz"),
                  form_definition("fd-video", "Einwilligung Videosprechstunde",
                                  form_id="video"),
                  form_definition("fd-old", "Anamnesebogen (alt)", status="archived",
                                  form_id="anamnese_alt")]
    return conv


def note(item_id: str, text: str, *, minutes: int = 0) -> ThreadItem:
    return ThreadItem(kind="note", id=item_id, created_at=iso(NOW + timedelta(
        minutes=minutes)), author="staff", author_user_id="u-weber", text=text)


def add_conversation(core: FakeCore, conversation_id: str, name: str, minutes_ago: int,
                     items: list[ThreadItem], unread: int = 0) -> Conversation:
    conv = Conversation(conversation_id, name, NOW - timedelta(minutes=minutes_ago),
                        unread, items)
    core.inbox.conversations[conversation_id] = conv
    return conv


def many_conversations(core: FakeCore, count: int) -> None:
    for number in range(count):
        add_conversation(core, f"c{number:05d}", f"Patient {number:05d}", number,
                         [message(f"m{number}", f"Nachricht {number}")])


def demo_practice(core: FakeCore) -> None:
    """A realistic morning at the reception desk, for screenshots and end-to-end checks."""
    pdf = AttachmentInfo("att-1", "m-bauer-2", "Befund_Kardiologie.pdf", "application/pdf",
                         248_311, cached=False)
    add_conversation(core, "conv-bauer", "Helga Bauer", 4, [
        message("m-bauer-1", "Guten Morgen, ich bräuchte ein neues Rezept für meine "
                "Blutdrucktabletten. Die Packung reicht noch bis Freitag.", minutes=-70),
        inquiry("inq-bauer", InquiryType.PRESCRIPTION,
                {"medications": ["Ramipril 5 mg, 100 Stück", "Amlodipin 5 mg"]},
                "Bitte wie immer, ich hole es am Donnerstag ab.", minutes=-69,
                status=InquiryStatus.IN_PROGRESS, assignee="u-klein"),
        message("m-staff-1", "Guten Morgen Frau Bauer, wir kümmern uns darum. Das Rezept "
                "liegt ab Donnerstag 10 Uhr an der Anmeldung bereit.", author="staff",
                minutes=-40, read=True),
        note("note-bauer", "Dosis zuletzt im Januar angepasst – Dr. Weber bitte kurz "
             "gegenzeichnen.", minutes=-35),
        message("m-bauer-2", "Vielen Dank! Anbei noch der Befund vom Kardiologen.",
                minutes=-5, attachments=(pdf,)),
    ], unread=1)
    add_conversation(core, "conv-schmidt", "Thomas Schmidt", 12, [
        inquiry("inq-schmidt", InquiryType.APPOINTMENT,
                {"reason": "Rückenschmerzen seit einer Woche",
                 "preferred_windows": [{"start": "2026-03-13T07:00:00Z",
                                        "end": "2026-03-13T10:00:00Z"}]},
                "Gern früh morgens, ich muss danach zur Arbeit.", minutes=-12),
    ], unread=1)
    add_conversation(core, "conv-oezdemir", "Aylin Özdemir", 55, [
        inquiry("inq-oez", InquiryType.SICK_NOTE, {"from": "2026-03-11", "to": "2026-03-13"},
                "Fieber und Halsschmerzen", minutes=-55, assignee="u-weber"),
    ], unread=2)
    add_conversation(core, "conv-fischer", "Michael Fischer", 180, [
        inquiry("inq-fischer", InquiryType.REFERRAL, {"specialty": "Orthopädie"},
                minutes=-200, status=InquiryStatus.IN_PROGRESS, assignee="u-yilmaz"),
        message("m-fischer-2", "Die Überweisung liegt zur Abholung bereit.", author="staff",
                minutes=-180),
    ])
    add_conversation(core, "conv-wagner", "Sabine Wagner", 60 * 20, [
        inquiry("inq-wagner", InquiryType.RESULTS, {"subject": "Blutbild vom 02.03."},
                "Sind die Werte schon da?", minutes=-60 * 20),
    ])
    add_conversation(core, "conv-hoffmann", "Klaus Hoffmann", 60 * 30, [
        message("m-hoff", "Können Sie mir bitte mitteilen, ob die Praxis am Brückentag "
                "geöffnet hat?", minutes=-60 * 30),
        message("m-hoff-2", "Ja, wir haben regulär von 8 bis 12 Uhr geöffnet.",
                author="staff", minutes=-60 * 29, read=True),
    ])
    add_conversation(core, "conv-krueger", "Lena Krüger", 60 * 50, [
        message("m-kr", "Danke für den schnellen Termin!", minutes=-60 * 50),
    ])
    add_conversation(core, "conv-neumann", "Peter Neumann", 60 * 24 * 8, [
        inquiry("inq-neu", InquiryType.OTHER, {}, "Frage zur Impfung vor der Reise",
                minutes=-60 * 24 * 8, status=InquiryStatus.DONE),
        message("m-neu", "Bitte bringen Sie Ihren Impfpass mit.", author="staff",
                minutes=-60 * 24 * 8 + 30, read=True),
    ])
    core.inbox.template_list = [
        TemplateInfo("t1", "Rezept liegt bereit", "Ihr Rezept liegt ab morgen 10 Uhr an der "
                     "Anmeldung zur Abholung bereit."),
        TemplateInfo("t2", "Überweisung liegt bereit", "Ihre Überweisung liegt an der "
                     "Anmeldung für Sie bereit."),
        TemplateInfo("t3", "Terminbestätigung", "Wir bestätigen Ihren Termin. Bitte bringen "
                     "Sie Ihre Versichertenkarte mit."),
        TemplateInfo("t4", "Befund besprechen", "Bitte vereinbaren Sie einen Termin, um Ihren "
                     "Befund mit der Ärztin zu besprechen."),
    ]
