from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend_server.attachments.schemas import AttachmentOut
from backend_server.inquiries.schemas import PatientInquiryOut

MAX_TEXT = 10_000

Author = Literal["staff", "patient"]


class ConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: str = Field(min_length=1, max_length=36)


class ConversationOut(BaseModel):
    id: str
    practice_id: str
    patient_id: str
    patient_link: str | None = Field(
        description="the patient's page; only in the answer that issued it (the server keeps "
                    "a hash of the token only), else null")
    link_active: bool
    link_expires_at: datetime | None
    unread_count: int = Field(description="patient messages with read_at null")
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    patient_name: str
    last_message_preview: str = Field(
        description="first 120 characters of the newest message or inquiry text")
    open_inquiries: int = Field(description="inquiries not done")


class ConversationPage(BaseModel):
    items: list[ConversationOut]
    cursor: str | None
    has_more: bool


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT)


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    conversation_id: str
    author: Author
    author_user_id: str | None
    text: str
    created_at: datetime
    attachments: list[AttachmentOut]
    read_at: datetime | None


class MessagePage(BaseModel):
    items: list[MessageOut]
    cursor: str | None
    has_more: bool


class PatientMessageOut(BaseModel):
    """What the patient sees of a message: no staff ids, no internal data."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    author: Author
    text: str
    created_at: datetime
    attachments: list[AttachmentOut]
    read_at: datetime | None


class PatientConversationOut(BaseModel):
    practice_name: str
    link_expires_at: datetime
    messages: list[PatientMessageOut]
    inquiries: list[PatientInquiryOut]
