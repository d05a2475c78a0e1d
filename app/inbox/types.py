"""Plain data the inbox UI reads from the cache. No Qt here; ``ui`` builds its models on these.

The UI never runs SQL itself: it asks :class:`InboxQueries` (implemented over the cache in
``app.cache.inbox``) for ids and rows, lazily, so 50,000 conversations cost a few pages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


class InquiryType(enum.StrEnum):
    APPOINTMENT = "appointment"
    PRESCRIPTION = "prescription"
    REFERRAL = "referral"
    SICK_NOTE = "sick_note"
    RESULTS = "results"
    OTHER = "other"
    # A form the patient filled in and signed (issue 8): ``details`` hold the answers as
    # display rows, the sealed PDF is an attachment of the patient's message.
    FORM = "form"


class InquiryStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class InboxFilter:
    """Every field narrows the list; ``None``/``False`` means "any"."""

    inquiry_type: InquiryType | None = None
    status: InquiryStatus | None = None
    assignee_user_id: str | None = None
    unread_only: bool = False
    search: str = ""  # full-text over messages, inquiries, notes and patient names


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox: a conversation, with its newest open inquiry if any."""

    conversation_id: str
    patient_name: str
    last_activity_at: str  # UTC ISO 8601
    preview: str
    unread_count: int
    open_inquiries: int
    # The newest inquiry of the conversation that is not done (None: no open inquiry).
    inquiry_id: str | None
    inquiry_type: InquiryType | None
    inquiry_status: InquiryStatus | None
    assignee_user_id: str | None
    # An inquiry is unanswered while no staff message came after it; the UI highlights it.
    unanswered: bool
    # The patient's link: not revoked, and until when the newest one lives (UTC ISO 8601).
    # Expiry is the UI's to compare; the link itself is never cached.
    link_active: bool = False
    link_expires_at: str | None = None
    # When the retention purge removes the whole conversation (last activity + the
    # practice's content period, UTC ISO 8601). The UI marks rows due within 7 days.
    expires_at: str | None = None


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    message_id: str
    filename: str
    content_type: str
    size: int
    cached: bool  # the encrypted local copy exists


@dataclass(frozen=True)
class ThreadItem:
    """One entry in a conversation view, oldest first: a message, an inquiry card or a note."""

    kind: str  # "message" | "inquiry" | "note" | "outbox" | "form_request"
    id: str
    created_at: str
    author: str  # "staff" | "patient"
    author_user_id: str | None
    text: str
    read_at: str | None = None
    attachments: tuple[AttachmentInfo, ...] = ()
    inquiry_type: InquiryType | None = None
    inquiry_details: dict[str, object] = field(default_factory=dict)
    inquiry_status: InquiryStatus | None = None
    assignee_user_id: str | None = None
    outbox_state: OutboxState | None = None  # kind == "outbox": a send not yet confirmed
    outbox_error: str | None = None
    outbox_kind: str | None = None  # kind == "outbox": "message" or "note"
    inquiry_id: str | None = None  # kind == "note": the inquiry the note belongs to
    # kind == "form_request": a form sent to the patient (``text`` is its title,
    # ``inquiry_id`` the result once submitted): "sent" | "submitted" | "cancelled".
    form_status: str | None = None
    form_submitted_at: str | None = None


@dataclass(frozen=True)
class OutboxItem:
    """One queued write (its id is the Idempotency-Key)."""

    id: str
    kind: str  # "message" | "note" | "inquiry_update" | "mark_read"
    conversation_id: str | None
    state: OutboxState
    error: str | None  # readable reason when failed
    error_code: str | None
    attempts: int
    created_at: str
    result_id: str | None  # the server's id of what was created, once confirmed


@dataclass(frozen=True)
class PatientRef:
    """Who a conversation is with (for the admin's export and erasure actions)."""

    id: str
    name: str
    dob: str | None  # ISO date


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    title: str
    body: str


@dataclass(frozen=True)
class FormDefinitionInfo:
    """One version of a practice's form, as synced (``definition`` is the form's JSON)."""

    id: str
    form_id: str
    version: int
    title: str
    status: str  # "active" | "archived"
    definition: dict[str, object]
    updated_at: str | None = None


@dataclass(frozen=True)
class FormRequestInfo:
    """A form sent to the patient of a conversation (no draft answers: those are the
    patient's and never reach staff)."""

    id: str
    conversation_id: str
    form_definition_id: str
    form_id: str
    version: int
    title: str
    status: str  # "sent" | "submitted" | "cancelled"
    inquiry_id: str | None
    attachment_id: str | None
    created_at: str
    updated_at: str | None
    submitted_at: str | None


@dataclass(frozen=True)
class SealStatus:
    """The server's check of a form PDF's practice seal (``GET /attachments/{id}/seal``).
    ``sealed`` False: not a form PDF (the rest is None)."""

    sealed: bool
    ok: bool | None = None
    intact: bool | None = None
    trusted: bool | None = None
    signer: str | None = None
    signed_at: str | None = None
    sha256: str | None = None
    problem: str | None = None


class InboxQueries(Protocol):
    """Synchronous reads on the open cache; cheap enough for the GUI thread (< 30 ms)."""

    def inbox_count(self, flt: InboxFilter) -> int: ...

    def inbox_ids(self, flt: InboxFilter, offset: int, limit: int) -> list[str]:
        """Conversation ids, newest activity first; unanswered inquiries first among equals."""
        ...

    def inbox_rows(self, conversation_ids: list[str]) -> dict[str, InboxRow]: ...

    def thread_count(self, conversation_id: str) -> int: ...

    def thread_items(self, conversation_id: str, offset: int, limit: int) -> list[ThreadItem]: ...

    def templates(self) -> list[TemplateInfo]: ...

    def outbox_items(self, conversation_id: str | None = None) -> list[OutboxItem]:
        """Queued writes in delivery order (all, or one conversation's)."""
        ...

    def outbox_item(self, outbox_id: str) -> OutboxItem | None: ...

    def patient_of(self, conversation_id: str) -> PatientRef | None: ...


@dataclass(frozen=True)
class SyncProgress:
    """Initial sync progress for the progress bar; ``total`` is 0 while unknown."""

    done: int
    total: int
    finished: bool


class InboxActions(Protocol):
    """Writes and fetches, implemented by ``app.core.ClientCore``. All are coroutines the UI
    runs through its task runner. Events (see ``app.events``) tell the UI what changed:

    - ``"inbox_changed"`` (conversation_ids: list[str]) after sync/outbox touched the cache
    - ``"sync_progress"`` (progress: SyncProgress) during the initial sync
    - ``"outbox_changed"`` (conversation_id: str)
    - ``"new_inquiry"`` (count: int) when live sync brought inquiries created by patients;
      the tray notification says only "Neue Anfrage".
    """

    @property
    def inbox(self) -> InboxQueries: ...

    async def send_message(self, conversation_id: str, text: str,
                           attachment_path: str | None = None) -> str:
        """Queue in the outbox (returns the outbox id) and deliver in the background,
        exactly once (the outbox id is the Idempotency-Key)."""
        ...

    async def retry_outbox(self, outbox_id: str) -> None:
        """Put a failed item back in the queue, with the same Idempotency-Key."""
        ...

    async def mark_read(self, conversation_id: str) -> None: ...

    async def update_inquiry(self, inquiry_id: str, *, status: InquiryStatus | None = None,
                             assignee_user_id: str | None = None,
                             clear_assignee: bool = False) -> None: ...

    async def add_note(self, conversation_id: str, text: str,
                       inquiry_id: str | None = None) -> None: ...

    async def fetch_attachment(self, attachment_id: str,
                               progress: object | None = None) -> None:
        """Download into the encrypted cache; ``progress(received, total)`` is called."""
        ...

    async def export_attachment(self, attachment_id: str, destination: str) -> str:
        """Decrypt to ``destination`` ("Speichern unter"); returns the written path."""
        ...

    async def open_attachment_copy(self, attachment_id: str) -> str:
        """Decrypt into a private temp dir (0700, wiped at exit) for the system viewer."""
        ...

    async def start_conversation(self, name: str, dob: str, email: str | None,
                                 phone: str | None = None) -> str:
        """Find or create the patient, create the conversation (server mails the link);
        returns the conversation id."""
        ...

    async def reissue_patient_link(self, conversation_id: str) -> str:
        """A new link for the patient; every older one stops working. Returns the link,
        which the server shows only this once (the cache never keeps it)."""
        ...

    async def revoke_patient_link(self, conversation_id: str) -> None:
        """Every link of the conversation stops working."""
        ...
