from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AttachmentOut(BaseModel):
    """An attachment as staff and patient see it (never its keys)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    message_id: str
    conversation_id: str
    filename: str = Field(description="sanitised name (NFC, at most 120 characters)")
    content_type: str = Field(description="sniffed from the bytes, not the client's claim")
    size: int
    sha256: str = Field(description="hex sha256 of the file's bytes")
    created_at: datetime


# The upload form, for the OpenAPI document (the body is read as a stream, not by FastAPI).
UPLOAD_REQUEST_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "PDF, JPEG, PNG or HEIC; at most "
                                    "PRAXISDESK_ATTACHMENT_MAX_BYTES (default 20 MiB)"},
            "text": {"type": "string", "maxLength": 10_000,
                     "description": "optional message text (may be empty)"},
        },
    }}},
}
