"""Writes of inbox objects into the cache: upserts and tombstones from sync (and from the
outbox's confirmed answers), with the search index and derived conversation columns kept in
step. Every function runs inside the caller's transaction and is idempotent."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from app.cache.search import (
    add_words,
    conversation_num,
    drop_words,
    is_stale,
    mark_stale,
    set_words,
)

PREVIEW_CHARS = 120


def norm_time(value: Any) -> str | None:
    """UTC, fixed width (microseconds, ``Z``), so that text order is time order."""
    if value is None or value == "":
        return None
    text = str(value)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- patients ----------------------------------------------------------------------------------

def upsert_patient(conn: Any, data: dict[str, Any], touched: set[str]) -> None:
    pid, name = str(data["id"]), str(data.get("name") or "")
    conn.execute(
        "INSERT INTO patients (id, name, dob, email, phone, updated_at) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET name=excluded.name, dob=excluded.dob, "
        "email=excluded.email, phone=excluded.phone, updated_at=excluded.updated_at",
        (pid, name, data.get("dob"), data.get("email"), data.get("phone"),
         norm_time(data.get("updated_at"))))
    renamed = [r[0] for r in conn.execute(
        "SELECT id FROM conversations WHERE patient_id = ? AND patient_name IS NOT ?",
        (pid, name))]
    for cid in renamed:
        conn.execute("UPDATE conversations SET patient_name = ? WHERE id = ?", (name, cid))
        mark_stale(conn, cid)  # the old name's words must go
        add_words(conn, cid, name)
    touched.update(renamed)


def delete_patient(conn: Any, patient_id: str, touched: set[str]) -> Counter[str]:
    """The patient and everything of theirs: an erased patient (Art. 17) must not live on
    in any cache."""
    removed: Counter[str] = Counter()
    for (cid,) in conn.execute("SELECT id FROM conversations WHERE patient_id = ?",
                               (patient_id,)).fetchall():
        removed.update(delete_conversation(conn, cid, touched))
    conn.execute("DELETE FROM patients WHERE id = ?", (patient_id,))
    return removed


# --- conversations -----------------------------------------------------------------------------

def set_link_state(conn: Any, conversation_id: str, active: int, expires_at: str | None) -> None:
    conn.execute("UPDATE conversations SET link_active = ?, link_expires_at = ? WHERE id = ?",
                 (active, expires_at, conversation_id))


def upsert_conversation(conn: Any, data: dict[str, Any], touched: set[str]) -> None:
    cid, pid = str(data["id"]), str(data.get("patient_id") or "")
    name = data.get("patient_name")
    if not name:
        row = conn.execute("SELECT name FROM patients WHERE id = ?", (pid,)).fetchone()
        name = row[0] if row else ""
    created = norm_time(data.get("created_at")) or now_iso()
    unread = int(data.get("unread_count") or 0)
    if unread and conn.execute(
            "SELECT 1 FROM outbox WHERE kind = 'mark_read' AND conversation_id = ? AND "
            "state = 'pending'", (cid,)).fetchone():
        unread = 0  # read here, the server has not heard yet: do not flash it unread again
    conn.execute(
        "INSERT INTO conversations (id, num, patient_id, patient_name, link_active, "
        "link_expires_at, unread_count, created_at, updated_at, last_activity_at, "
        "server_preview) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
        "patient_id=excluded.patient_id, patient_name=excluded.patient_name, "
        "link_active=excluded.link_active, link_expires_at=excluded.link_expires_at, "
        "unread_count=excluded.unread_count, created_at=excluded.created_at, "
        "updated_at=excluded.updated_at, last_activity_at=excluded.last_activity_at, "
        "server_preview=excluded.server_preview",
        (cid, conversation_num(conn, cid), pid, name, 1 if data.get("link_active") else 0,
         norm_time(data.get("link_expires_at")), unread, created,
         norm_time(data.get("updated_at")),
         norm_time(data.get("last_activity_at")) or created, data.get("last_message_preview")))
    add_words(conn, cid, str(name))
    touched.add(cid)


def delete_conversation(conn: Any, conversation_id: str, touched: set[str]) -> Counter[str]:
    """The conversation and everything in it (also unsent outbox items and its search
    document); returns how many rows of each kind went (purge counts)."""
    removed: Counter[str] = Counter()
    removed["attachment_blob"] = conn.execute(
        "DELETE FROM attachment_blobs WHERE attachment_id IN "
        "(SELECT id FROM attachments WHERE conversation_id = ?)", (conversation_id,)).rowcount
    removed["attachment"] = conn.execute("DELETE FROM attachments WHERE conversation_id = ?",
                                         (conversation_id,)).rowcount
    for table, kind in (("messages", "message"), ("inquiries", "inquiry"), ("notes", "note"),
                        ("form_requests", "form_request")):
        removed[kind] = conn.execute(
            f"DELETE FROM {table} WHERE conversation_id = ?",  # noqa: S608
            (conversation_id,)).rowcount
    conn.execute("DELETE FROM outbox WHERE conversation_id = ?", (conversation_id,))
    drop_words(conn, conversation_id)
    removed["conversation"] = conn.execute("DELETE FROM conversations WHERE id = ?",
                                           (conversation_id,)).rowcount
    touched.add(conversation_id)
    return removed


# --- messages and attachments ------------------------------------------------------------------

def upsert_message(conn: Any, data: dict[str, Any], touched: set[str]) -> None:
    mid, cid = str(data["id"]), str(data["conversation_id"])
    text = str(data.get("text") or "")
    attachments = data.get("attachments") or []
    conn.execute(
        "INSERT INTO messages (id, conversation_id, author, author_user_id, text, created_at,"
        " read_at, has_attachments) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
        "conversation_id=excluded.conversation_id, author=excluded.author, "
        "author_user_id=excluded.author_user_id, text=excluded.text, "
        "created_at=excluded.created_at, read_at=excluded.read_at, "
        "has_attachments=excluded.has_attachments",
        (mid, cid, str(data.get("author") or "patient"), data.get("author_user_id"), text,
         norm_time(data.get("created_at")) or now_iso(), norm_time(data.get("read_at")),
         1 if attachments else 0))
    keep = [str(a["id"]) for a in attachments]
    stale = [r[0] for r in conn.execute("SELECT id FROM attachments WHERE message_id = ?", (mid,))
             if r[0] not in keep]
    for aid in stale:
        conn.execute("DELETE FROM attachment_blobs WHERE attachment_id = ?", (aid,))
        conn.execute("DELETE FROM attachments WHERE id = ?", (aid,))
    for att in attachments:
        conn.execute(
            "INSERT INTO attachments (id, message_id, conversation_id, filename, content_type,"
            " size, sha256, created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
            "filename=excluded.filename, content_type=excluded.content_type, "
            "size=excluded.size, sha256=excluded.sha256",
            (str(att["id"]), mid, cid, str(att.get("filename") or ""),
             str(att.get("content_type") or "application/octet-stream"),
             int(att.get("size") or 0), str(att.get("sha256") or ""),
             norm_time(att.get("created_at"))))
    add_words(conn, cid, text)
    touched.add(cid)


def delete_message(conn: Any, message_id: str, touched: set[str]) -> None:
    row = conn.execute("SELECT conversation_id FROM messages WHERE id = ?",
                       (message_id,)).fetchone()
    conn.execute("DELETE FROM attachment_blobs WHERE attachment_id IN "
                 "(SELECT id FROM attachments WHERE message_id = ?)", (message_id,))
    conn.execute("DELETE FROM attachments WHERE message_id = ?", (message_id,))
    conn.execute("DELETE FROM messages WHERE id = ?", (message_id,))
    if row:
        mark_stale(conn, row[0])
        touched.add(row[0])


# --- inquiries, notes, templates ---------------------------------------------------------------

# Detail keys whose values are times or ids, not words anyone searches for (a form's
# details carry ids, its PDF's hash and the signing time beside the answers).
_NOT_WORDS = frozenset(("start", "end", "from", "to", "form_request_id", "attachment_id",
                        "pdf_sha256", "signed_at", "field_id", "form_id"))


def _inquiry_search_text(data: dict[str, Any]) -> str:
    parts = [str(data.get("text") or "")]

    def walk(value: Any) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_WORDS:
                    walk(item)

    walk(data.get("details") or {})
    return " ".join(p for p in parts if p)


def upsert_inquiry(conn: Any, data: dict[str, Any], touched: set[str]) -> bool:
    """Returns True when the inquiry was not in the cache before."""
    iid, cid = str(data["id"]), str(data["conversation_id"])
    existed = conn.execute("SELECT 1 FROM inquiries WHERE id = ?", (iid,)).fetchone()
    conn.execute(
        "INSERT INTO inquiries (id, conversation_id, type, details, text, status,"
        " assignee_user_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET conversation_id=excluded.conversation_id, "
        "type=excluded.type, details=excluded.details, text=excluded.text, "
        "status=excluded.status, assignee_user_id=excluded.assignee_user_id, "
        "created_at=excluded.created_at, updated_at=excluded.updated_at",
        (iid, cid, str(data.get("type") or "other"),
         json.dumps(data.get("details") or {}, ensure_ascii=False),
         str(data.get("text") or ""), str(data.get("status") or "new"),
         data.get("assignee_user_id"), norm_time(data.get("created_at")) or now_iso(),
         norm_time(data.get("updated_at"))))
    add_words(conn, cid, _inquiry_search_text(data))
    touched.add(cid)
    return existed is None


def delete_inquiry(conn: Any, inquiry_id: str, touched: set[str]) -> None:
    row = conn.execute("SELECT conversation_id FROM inquiries WHERE id = ?",
                       (inquiry_id,)).fetchone()
    conn.execute("DELETE FROM inquiries WHERE id = ?", (inquiry_id,))
    if row:
        mark_stale(conn, row[0])
        touched.add(row[0])


def upsert_note(conn: Any, data: dict[str, Any], touched: set[str]) -> None:
    nid, cid = str(data["id"]), str(data["conversation_id"])
    text = str(data.get("text") or "")
    conn.execute(
        "INSERT INTO notes (id, conversation_id, inquiry_id, author_user_id, text, created_at) "
        "VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
        "conversation_id=excluded.conversation_id, inquiry_id=excluded.inquiry_id, "
        "author_user_id=excluded.author_user_id, text=excluded.text, "
        "created_at=excluded.created_at",
        (nid, cid, data.get("inquiry_id"), data.get("author_user_id"), text,
         norm_time(data.get("created_at")) or now_iso()))
    add_words(conn, cid, text)
    touched.add(cid)


def delete_note(conn: Any, note_id: str, touched: set[str]) -> None:
    row = conn.execute("SELECT conversation_id FROM notes WHERE id = ?", (note_id,)).fetchone()
    conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    if row:
        mark_stale(conn, row[0])
        touched.add(row[0])


def upsert_template(conn: Any, data: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO templates (id, title, body, updated_at) VALUES (?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET title=excluded.title, body=excluded.body, "
        "updated_at=excluded.updated_at",
        (str(data["id"]), str(data.get("title") or ""), str(data.get("body") or ""),
         norm_time(data.get("updated_at"))))


def delete_template(conn: Any, template_id: str) -> None:
    conn.execute("DELETE FROM templates WHERE id = ?", (template_id,))


# --- forms (issue 8) ----------------------------------------------------------------------------

def upsert_form_definition(conn: Any, data: dict[str, Any]) -> None:
    definition = data.get("definition")
    conn.execute(
        "INSERT INTO form_definitions (id, form_id, version, title, status, definition, "
        "updated_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
        "form_id=excluded.form_id, version=excluded.version, title=excluded.title, "
        "status=excluded.status, definition=excluded.definition, "
        "updated_at=excluded.updated_at",
        (str(data["id"]), str(data.get("form_id") or ""), int(data.get("version") or 1),
         str(data.get("title") or ""), str(data.get("status") or "active"),
         json.dumps(definition if isinstance(definition, dict) else {}, ensure_ascii=False),
         norm_time(data.get("updated_at"))))


def delete_form_definition(conn: Any, definition_id: str) -> None:
    conn.execute("DELETE FROM form_definitions WHERE id = ?", (definition_id,))


def upsert_form_request(conn: Any, data: dict[str, Any], touched: set[str]) -> None:
    """A sent form (its line in the thread). Draft answers are never cached: the server does
    not send them to staff, and should one arrive it is dropped here."""
    rid, cid = str(data["id"]), str(data["conversation_id"])
    created = norm_time(data.get("created_at")) or now_iso()
    conn.execute(
        "INSERT INTO form_requests (id, conversation_id, form_definition_id, form_id, "
        "version, title, status, inquiry_id, attachment_id, created_at, updated_at, "
        "submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
        "conversation_id=excluded.conversation_id, "
        "form_definition_id=excluded.form_definition_id, form_id=excluded.form_id, "
        "version=excluded.version, title=excluded.title, status=excluded.status, "
        "inquiry_id=excluded.inquiry_id, attachment_id=excluded.attachment_id, "
        "created_at=excluded.created_at, updated_at=excluded.updated_at, "
        "submitted_at=excluded.submitted_at",
        (rid, cid, str(data.get("form_definition_id") or ""), str(data.get("form_id") or ""),
         int(data.get("version") or 1), str(data.get("title") or ""),
         str(data.get("status") or "sent"), data.get("inquiry_id"), data.get("attachment_id"),
         created, norm_time(data.get("updated_at")) or created,
         norm_time(data.get("submitted_at"))))
    touched.add(cid)


def delete_form_request(conn: Any, request_id: str, touched: set[str]) -> None:
    row = conn.execute("SELECT conversation_id FROM form_requests WHERE id = ?",
                       (request_id,)).fetchone()
    conn.execute("DELETE FROM form_requests WHERE id = ?", (request_id,))
    if row:
        touched.add(row[0])


# --- derived columns ---------------------------------------------------------------------------

def rebuild_words(conn: Any, conversation_id: str) -> None:
    """The conversation's search words from what is left of it (after deletions)."""
    texts = [r[0] for r in conn.execute("SELECT patient_name FROM conversations WHERE id = ?",
                                        (conversation_id,))]
    for table in ("messages", "notes"):
        texts.extend(r[0] for r in conn.execute(
            f"SELECT text FROM {table} WHERE conversation_id = ?",  # noqa: S608
            (conversation_id,)))
    for text, details in conn.execute(
            "SELECT text, details FROM inquiries WHERE conversation_id = ?", (conversation_id,)):
        try:
            parsed = json.loads(details or "{}")
        except ValueError:
            parsed = {}
        texts.append(_inquiry_search_text({"text": text, "details": parsed}))
    set_words(conn, conversation_id, texts)


def refresh_conversation(conn: Any, conversation_id: str) -> None:
    """Recompute preview, open inquiries and "unanswered" from the cached thread, and the
    search words if something was removed."""
    if is_stale(conn, conversation_id):
        rebuild_words(conn, conversation_id)
    row = conn.execute("SELECT server_preview FROM conversations WHERE id = ?",
                       (conversation_id,)).fetchone()
    if row is None:
        return
    server_preview = row[0]
    newest = conn.execute(
        "SELECT text, created_at, has_attachments FROM messages WHERE conversation_id = ? "
        "ORDER BY created_at DESC, id DESC LIMIT 1", (conversation_id,)).fetchone()
    newest_inq = conn.execute(
        "SELECT text, created_at, details FROM inquiries WHERE conversation_id = ? "
        "ORDER BY created_at DESC, id DESC LIMIT 1", (conversation_id,)).fetchone()
    preview = ""
    if newest_inq and (newest is None or newest_inq[1] > newest[1]):
        preview = newest_inq[0] or ""
        if not preview:
            try:
                details = json.loads(newest_inq[2] or "{}")
            except ValueError:
                details = {}
            if isinstance(details, dict) and details.get("rows") is not None \
                    and details.get("title"):
                preview = str(details["title"])  # a form: its title, not its answers
            else:
                preview = _inquiry_search_text({"details": details})
    elif newest:
        preview = newest[0]
        if not preview and newest[2]:
            att = conn.execute("SELECT a.filename FROM attachments a JOIN messages m ON "
                               "m.id = a.message_id WHERE m.conversation_id = ? ORDER BY "
                               "m.created_at DESC LIMIT 1", (conversation_id,)).fetchone()
            preview = att[0] if att else ""
    if not preview and server_preview:
        preview = str(server_preview)
    preview = " ".join(preview.split())[:PREVIEW_CHARS]
    open_count = int(conn.execute(
        "SELECT count(*) FROM inquiries WHERE conversation_id = ? AND status != 'done'",
        (conversation_id,)).fetchone()[0])
    open_inq = conn.execute(
        "SELECT id, type, status, assignee_user_id, created_at FROM inquiries "
        "WHERE conversation_id = ? AND status != 'done' ORDER BY created_at DESC, id DESC "
        "LIMIT 1", (conversation_id,)).fetchone()
    unanswered = 0
    if open_inq is not None:
        answered = conn.execute(
            "SELECT 1 FROM messages WHERE conversation_id = ? AND author = 'staff' AND "
            "created_at > ? LIMIT 1", (conversation_id, open_inq[4])).fetchone()
        unanswered = 0 if answered else 1
    latest = max([t for t in (newest[1] if newest else None,
                              newest_inq[1] if newest_inq else None) if t] or [""])
    conn.execute(
        "UPDATE conversations SET preview = ?, open_inquiries = ?, open_inquiry_id = ?, "
        "open_inquiry_type = ?, open_inquiry_status = ?, open_assignee = ?, unanswered = ?, "
        "last_activity_at = max(last_activity_at, ?) WHERE id = ?",
        (preview, open_count, open_inq[0] if open_inq else None,
         open_inq[1] if open_inq else None, open_inq[2] if open_inq else None,
         open_inq[3] if open_inq else None, unanswered, latest, conversation_id))
