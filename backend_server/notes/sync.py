"""Notes are mirrored to staff clients through /sync/changes (never to patients)."""

from __future__ import annotations

from typing import Any

from backend_server.models.note import Note
from backend_server.notes.schemas import NoteOut
from backend_server.sync.registry import register_sync_kind


def serialize_note(note: Note) -> dict[str, Any]:
    return NoteOut.model_validate(note).model_dump(mode="json")


register_sync_kind(Note, serialize_note)
