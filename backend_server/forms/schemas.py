"""Wire shapes of forms: definitions (staff), requests (staff and patient), seal status."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend_server.models.form import FormRequest

FormStatus = Literal["active", "archived"]
FormRequestStatus = Literal["sent", "submitted", "cancelled"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FormDefinitionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    form_id: str
    version: int
    title: str
    status: FormStatus
    definition: dict[str, Any]
    created_by_user_id: str | None
    created_at: datetime
    updated_at: datetime


class FormTemplateOut(BaseModel):
    form_id: str
    title: str
    definition: dict[str, Any]


class FormCreate(_Strict):
    # Checked by the forms library (422 invalid_form), not here: its messages are better.
    definition: dict[str, Any]


class FormStatusUpdate(_Strict):
    status: FormStatus


class FormRequestCreate(_Strict):
    form_definition_id: str = Field(min_length=1, max_length=36)


class FormRequestOut(BaseModel):
    id: str
    conversation_id: str
    form_definition_id: str
    form_id: str
    version: int
    title: str
    status: FormRequestStatus
    sent_by_user_id: str | None
    inquiry_id: str | None
    attachment_id: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @classmethod
    def of(cls, request: FormRequest) -> FormRequestOut:
        """No draft answers: the draft is the patient's, not the practice's."""
        definition = request.form_definition
        return cls(id=request.id, conversation_id=request.conversation_id,
                   form_definition_id=request.form_definition_id, form_id=definition.form_id,
                   version=definition.version, title=definition.title,
                   status=request.status,
                   sent_by_user_id=request.sent_by_user_id, inquiry_id=request.inquiry_id,
                   attachment_id=request.attachment_id, created_at=request.created_at,
                   updated_at=request.updated_at, submitted_at=request.submitted_at)


class SealStatusOut(BaseModel):
    sealed: bool
    ok: bool | None = None
    intact: bool | None = None
    trusted: bool | None = None
    signer: str | None = None
    signed_at: datetime | None = None
    sha256: str | None = None
    problem: str | None = None


# --- patient side -------------------------------------------------------------------------

class PatientFormSummary(BaseModel):
    id: str
    title: str
    status: FormRequestStatus
    created_at: datetime
    submitted_at: datetime | None


class PatientFormOut(BaseModel):
    id: str
    title: str
    status: FormRequestStatus
    definition: dict[str, Any]
    draft_answers: dict[str, Any]
    submitted_at: datetime | None


class AnswersIn(_Strict):
    answers: dict[str, Any]


class SubmittedOut(BaseModel):
    id: str
    status: FormRequestStatus
    submitted_at: datetime | None
    attachment_id: str | None


def patient_summary(request: FormRequest) -> PatientFormSummary:
    return PatientFormSummary(id=request.id, title=request.form_definition.title,
                              status=request.status,
                              created_at=request.created_at, submitted_at=request.submitted_at)
