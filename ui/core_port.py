"""What the UI needs from the client core, written as structural types.

The UI is typed against these protocols rather than the concrete ``app`` classes so each
widget states exactly which part of the core it uses; ``app.core.ClientCore`` satisfies them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, Protocol

from app.calls.types import CallerFields, CallQueries, CallStatus, TakenInquiry
from app.forms.definition import FormDefinition
from app.forms.versions import FormVersion, ShippedTemplate
from app.inbox.types import (
    FormDefinitionInfo,
    FormRequestInfo,
    InboxActions,
    InboxQueries,
    SealStatus,
)
from app.server_compat import Compatibility
from app.video.appointments import VideoService


class EventSource(Protocol):
    def subscribe(self, event: str, callback: Callable[..., Any]) -> Callable[[], None]: ...


class SettingsLike(Protocol):
    server_url: str | None
    email: str | None
    language: str | None

    def save(self) -> Any: ...


class TotpCore(Protocol):
    async def totp_enroll(self) -> Any: ...

    async def totp_confirm(self, code: str) -> Any: ...

    async def totp_disable(self, code: str) -> Any: ...


class SecurityCore(TotpCore, Protocol):
    @property
    def user(self) -> dict[str, Any]: ...

    async def refresh_user(self) -> Any: ...

    async def list_sessions(self) -> Any: ...

    async def revoke_session(self, session_id: str) -> Any: ...


class TemplatesCore(Protocol):
    """What the Settings page's template section uses (writes are admin-only on the server)."""

    @property
    def user(self) -> dict[str, Any]: ...

    @property
    def inbox(self) -> InboxQueries: ...

    async def create_template(self, title: str, body: str) -> str: ...

    async def update_template(self, template_id: str, title: str, body: str) -> None: ...

    async def delete_template(self, template_id: str) -> None: ...


class SettingsHolder(Protocol):
    """The Settings page's record export group edits ``settings.record_export_dir``."""

    @property
    def settings(self) -> Any: ...


class FormsCore(Protocol):
    """Sending forms from a conversation and checking a submitted form's seal (issue 8)."""

    def form_definitions(self, status: str | None = "active") -> list[FormDefinitionInfo]: ...

    def form_requests_of(self, conversation_id: str) -> list[FormRequestInfo]: ...

    async def send_form(self, conversation_id: str, definition_id: str) -> str: ...

    async def cancel_form_request(self, request_id: str) -> None: ...

    async def seal_status(self, attachment_id: str) -> SealStatus: ...


class InboxCore(InboxActions, SettingsHolder, FormsCore, Protocol):
    """What the inbox page uses: the inbox interface plus the staff directory (assignees) and
    the export into the patient record (whose folder is in ``settings``)."""

    def directory(self) -> Sequence[Any]: ...

    async def export_to_record(self, conversation_id: str) -> list[str]: ...


class PatientRightsCore(Protocol):
    """Admin actions for one patient (Art. 15/20 export, Art. 17 erasure)."""

    @property
    def user(self) -> dict[str, Any]: ...

    @property
    def inbox(self) -> InboxQueries: ...

    async def export_patient(self, patient_id: str, destination: str) -> str: ...

    async def erase_patient(self, patient_id: str) -> dict[str, int]: ...

    def request_sync(self) -> None: ...


class PracticeDevicesCore(Protocol):
    """Admin view of every signed-in device of the practice."""

    @property
    def user(self) -> dict[str, Any]: ...

    async def list_practice_sessions(self) -> Sequence[Any]: ...

    async def revoke_practice_session(self, session_id: str) -> None: ...



    def directory(self) -> Sequence[Any]: ...

    async def export_to_record(self, conversation_id: str) -> list[str]: ...


class FormsAdminCore(Protocol):
    """Settings → "Formulare": the practice's form versions (any role reads, admins write)."""

    @property
    def user(self) -> dict[str, Any]: ...

    async def list_forms(self) -> list[FormVersion]: ...

    async def shipped_form_templates(self) -> list[ShippedTemplate]: ...

    async def create_form(self, definition: FormDefinition) -> FormVersion: ...

    async def new_form_version(self, definition_id: str,
                               definition: FormDefinition) -> FormVersion: ...

    async def set_form_status(self, definition_id: str, status: str) -> FormVersion: ...


class CallsCore(Protocol):
    """What the Telefon tab uses of the core."""

    @property
    def calls(self) -> CallQueries: ...

    def directory(self) -> Sequence[Any]: ...

    async def update_call(self, call_id: str, *, status: CallStatus | str | None = None,
                          assignee_user_id: str | None = None, clear_assignee: bool = False,
                          category: str | None = None,
                          caller: CallerFields | None = None) -> str | None: ...

    async def take_call_as_inquiry(self, call_id: str,
                                   patient_id: str | None = None) -> TakenInquiry: ...

    async def fetch_call_recording(self, call_id: str) -> bytes: ...


class VideoCore(Protocol):
    """Video appointments and calls (REST glue in app.video.appointments)."""

    @property
    def video(self) -> VideoService: ...


class CoreLike(SecurityCore, InboxCore, TemplatesCore, PatientRightsCore, PracticeDevicesCore,
               FormsAdminCore, CallsCore, VideoCore, Protocol):
    @property
    def settings(self) -> Any: ...

    @property
    def connection_state(self) -> Enum: ...

    @property
    def server_compat(self) -> Compatibility | None: ...

    def has_stored_login(self) -> bool: ...

    async def login(self, server_url: str, email: str, password: str,
                    totp: str | None = None) -> Any: ...

    async def open_cache(self) -> Any: ...

    async def start(self) -> Any: ...

    async def sync_once(self) -> Any: ...

    async def logout(self) -> Any: ...

    def request_sync(self) -> None: ...

    async def close(self) -> Any: ...

    def directory(self) -> Sequence[Any]: ...
