"""Conversations and messages are mirrored to clients through /sync/changes."""

from __future__ import annotations

from typing import Any

from backend_server.conversations.schemas import ConversationOut, MessageOut
from backend_server.models.conversation import Conversation
from backend_server.models.message import Message
from backend_server.sync.registry import register_sync_kind


def serialize_conversation(conversation: Conversation) -> dict[str, Any]:
    # The link itself is never stored, so a synced conversation carries only its state.
    # A sync answer has no "now" of its own: link_active says "not revoked", and clients
    # compare link_expires_at with their clock.
    expires_at = conversation.link_expires_at  # null once every link is revoked
    active = expires_at is not None
    return ConversationOut(
        id=conversation.id, practice_id=conversation.practice_id,
        patient_id=conversation.patient_id, patient_link=None, link_active=active,
        link_expires_at=expires_at if active else None,
        unread_count=conversation.unread_count, created_at=conversation.created_at,
        updated_at=conversation.updated_at, last_activity_at=conversation.last_activity_at,
        patient_name=conversation.patient_name,
        last_message_preview=conversation.last_message_preview,
        open_inquiries=conversation.open_inquiries,
    ).model_dump(mode="json")


def serialize_message(message: Message) -> dict[str, Any]:
    return MessageOut.model_validate(message).model_dump(mode="json")


register_sync_kind(Conversation, serialize_conversation)
register_sync_kind(Message, serialize_message)
