"""Reads for the record export that the inbox list does not need: the conversation's patient
with date of birth."""

from __future__ import annotations

from typing import Any


def conversation_patient(conn: Any, conversation_id: str) -> tuple[str, str, str | None] | None:
    """(patient id, name, date of birth ``YYYY-MM-DD`` or None), None for an unknown
    conversation."""
    row = conn.execute(
        "SELECT c.patient_id, coalesce(p.name, c.patient_name), p.dob FROM conversations c "
        "LEFT JOIN patients p ON p.id = c.patient_id WHERE c.id = ?",
        (conversation_id,)).fetchone()
    if row is None:
        return None
    return str(row[0]), str(row[1] or ""), (str(row[2]) if row[2] else None)
