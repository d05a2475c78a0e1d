"""Inquiries are mirrored to clients through /sync/changes."""

from __future__ import annotations

from typing import Any

from backend_server.inquiries.schemas import InquiryOut
from backend_server.models.inquiry import Inquiry
from backend_server.sync.registry import register_sync_kind


def serialize_inquiry(inquiry: Inquiry) -> dict[str, Any]:
    return InquiryOut.model_validate(inquiry).model_dump(mode="json")


register_sync_kind(Inquiry, serialize_inquiry)
