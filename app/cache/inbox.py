"""The inbox's reads (:class:`app.inbox.types.InboxQueries`) over the encrypted cache.

Runs on the GUI thread on its own read-only connection (WAL: never waits for the sync
writer). Pages come from the activity index; a filter's count and a search's match are
computed once per filter and cache state (``PRAGMA data_version``). A search is one FTS5
query over one document of words per conversation (see ``app.cache.search``).
"""

from __future__ import annotations

import json
import threading
from typing import Any

import sqlcipher3

from app.cache.purge import MAX_CONTENT_DAYS, content_days, expires_at
from app.cache.search import match_query, query_words
from app.inbox.types import (
    AttachmentInfo,
    FormDefinitionInfo,
    FormRequestInfo,
    InboxFilter,
    InboxRow,
    InquiryStatus,
    InquiryType,
    OutboxItem,
    OutboxState,
    PatientRef,
    TemplateInfo,
    ThreadItem,
)

ORDER = "ORDER BY c.last_activity_at DESC, c.unanswered DESC, c.id"
# Up to this many matching conversations a search sorts its matches; above it, it walks
# the activity index instead (cheaper when most of the page is a match anyway).
SPARSE_MATCHES = 500

# Outbox items stay in the thread until the object the server created is in the cache, so
# the confirmed message replaces the pending one in a single step (no gap, no duplicate).
_VISIBLE_OUTBOX = (
    "o.conversation_id = ? AND o.kind IN ('message', 'note') AND NOT (o.result_id IS NOT NULL "
    "AND (EXISTS (SELECT 1 FROM messages m WHERE m.id = o.result_id) "
    "OR EXISTS (SELECT 1 FROM notes n WHERE n.id = o.result_id)))"
)

# SQL built here only ever joins fixed fragments and "?" placeholders; values are bound.
_THREAD = f"""
SELECT * FROM (
  SELECT 'message' AS kind, id, created_at, author, author_user_id, text, read_at,
         has_attachments AS extra, NULL AS itype, NULL AS details, NULL AS status,
         NULL AS assignee, NULL AS ostate, NULL AS oerror, NULL AS okind
    FROM messages WHERE conversation_id = ?
  UNION ALL
  SELECT 'inquiry', id, created_at, 'patient', NULL, text, NULL, 0, type, details, status,
         assignee_user_id, NULL, NULL, NULL
    FROM inquiries WHERE conversation_id = ?
  UNION ALL
  SELECT 'note', id, created_at, 'staff', author_user_id, text, NULL, 0, NULL, inquiry_id,
         NULL, NULL, NULL, NULL, NULL
    FROM notes WHERE conversation_id = ?
  UNION ALL
  SELECT 'form_request', id, created_at, 'staff', NULL, title, submitted_at, 0, NULL,
         inquiry_id, status, NULL, NULL, NULL, NULL
    FROM form_requests WHERE conversation_id = ?
  UNION ALL
  SELECT 'outbox', o.id, o.created_at, 'staff', NULL,
         coalesce(json_extract(o.payload, '$.text'), ''), NULL,
         o.file_name IS NOT NULL, NULL, o.file_name, NULL, NULL, o.state, o.error, o.kind
    FROM outbox o WHERE {_VISIBLE_OUTBOX}
) ORDER BY created_at, kind = 'outbox', id LIMIT ? OFFSET ?
"""  # noqa: S608


def _walk(where: str) -> str:
    """For a filtered page, walk the activity index (it covers id, num and unread_count)
    rather than look up every candidate and sort them: a first page stops early, and a
    sequential read is cheap even on a cold, encrypted page cache."""
    return "" if where == "1" else "INDEXED BY conversations_activity"


def _opt_enum(enum_type: Any, value: Any) -> Any:
    if value is None:
        return None
    try:
        return enum_type(value)
    except ValueError:
        return None


class InboxCache:
    """Implements ``InboxQueries``. Thread-safe (one lock around its connection)."""

    def __init__(self, conn: Any | None) -> None:
        # None while no cache is open (before login, during a reset): reads are empty.
        self._conn: Any = conn
        self._lock = threading.Lock()
        self._memo: tuple[int, InboxFilter, int] | None = None
        self._search_memo: tuple[int, tuple[str, ...], tuple[str, int] | None] | None = None

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        self.attach(None)

    def attach(self, conn: Any | None) -> None:
        """Point at another cache connection (after a reset), closing the previous one; the
        UI keeps the same object throughout."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            self._conn = conn
            self._memo = None
            self._search_memo = None

    def _all(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
        with self._lock:
            if self._conn is None:
                return []
            return list(self._conn.execute(sql, params).fetchall())

    # --- inbox list ----------------------------------------------------------------------------

    @staticmethod
    def _where(flt: InboxFilter) -> tuple[str, list[Any]]:
        """SQL conditions on ``c`` for everything but the search text."""
        clauses: list[str] = []
        params: list[Any] = []
        if flt.unread_only:
            clauses.append("c.unread_count > 0")
        inquiry: list[str] = []
        if flt.inquiry_type is not None:
            inquiry.append("i.type = ?")
            params.append(flt.inquiry_type.value)
        if flt.status is not None:
            inquiry.append("i.status = ?")
            params.append(flt.status.value)
        if flt.assignee_user_id is not None:
            inquiry.append("i.assignee_user_id = ?")
            params.append(flt.assignee_user_id)
        if inquiry:
            clauses.append("c.id IN (SELECT i.conversation_id FROM inquiries i WHERE "  # noqa: S608
                           + " AND ".join(inquiry) + ")")
        return " AND ".join(clauses) or "1", params

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _search(self, search: str) -> tuple[str, int] | None:
        """(MATCH expression, number of conversations holding every word), memoised per
        cache state so the count and the pages of one search share it. None: no match.
        Caller holds the lock."""
        words = tuple(query_words(search))
        version = self._version()
        if self._search_memo is not None and self._search_memo[:2] == (version, words):
            return self._search_memo[2]
        result: tuple[str, int] | None = None
        try:
            match = match_query(self._conn, search)
            if match is not None:
                total = int(self._conn.execute(
                    "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?",
                    (match,)).fetchone()[0])
                result = (match, total) if total else None
        except sqlcipher3.OperationalError:
            # Whatever is typed, the search box must not raise; an unparsable query (not
            # expected: words are quoted letters and digits) finds nothing.
            result = None
        self._search_memo = (version, words, result)
        return result

    def inbox_count(self, flt: InboxFilter) -> int:
        where, params = self._where(flt)
        with self._lock:
            if self._conn is None:
                return 0
            # The view asks for the count, then for pages: count once per cache state.
            version = self._version()
            if self._memo is not None and self._memo[0] == version and self._memo[1] == flt:
                return self._memo[2]
            if not flt.search.strip():
                count = int(self._conn.execute(
                    f"SELECT count(*) FROM conversations c WHERE {where}",  # noqa: S608
                    params).fetchone()[0])
            else:
                found = self._search(flt.search)
                if found is None:
                    count = 0
                elif where == "1":
                    # Words exist only for cached conversations (a deleted one drops them).
                    count = found[1]
                else:
                    count = int(self._conn.execute(
                        f"SELECT count(*) FROM conversations c WHERE {where} AND c.num IN "  # noqa: S608
                        "(SELECT rowid FROM search_fts WHERE search_fts MATCH ?)",
                        [*params, found[0]]).fetchone()[0])
            self._memo = (version, flt, count)
            return count

    def _search_ids(self, flt: InboxFilter, where: str, params: list[Any], offset: int,
                    limit: int) -> list[str]:
        found = self._search(flt.search)
        if found is None:
            return []
        # Few matches: look each up and sort them. Many: walk the activity index (it holds
        # num) newest first; a page stops as soon as it is full.
        walk = "INDEXED BY conversations_activity" if found[1] > SPARSE_MATCHES else ""
        rows = self._conn.execute(
            f"SELECT c.id FROM conversations c {walk} WHERE {where} AND c.num IN "  # noqa: S608
            f"(SELECT rowid FROM search_fts WHERE search_fts MATCH ?) {ORDER} "
            "LIMIT ? OFFSET ?", [*params, found[0], limit, offset])
        return [r[0] for r in rows]

    def inbox_ids(self, flt: InboxFilter, offset: int, limit: int) -> list[str]:
        where, params = self._where(flt)
        offset, limit = max(offset, 0), max(limit, 0)
        if flt.search.strip():
            with self._lock:
                if self._conn is None:
                    return []
                return self._search_ids(flt, where, params, offset, limit)
        rows = self._all(f"SELECT c.id FROM conversations c {_walk(where)} WHERE {where} "  # noqa: S608
                         f"{ORDER} LIMIT ? OFFSET ?", [*params, limit, offset])
        return [r[0] for r in rows]

    def inbox_rows(self, conversation_ids: list[str]) -> dict[str, InboxRow]:
        out: dict[str, InboxRow] = {}
        with self._lock:
            days = content_days(self._conn) if self._conn is not None else MAX_CONTENT_DAYS
        for start in range(0, len(conversation_ids), 500):
            chunk = conversation_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._all(
                    "SELECT id, patient_name, last_activity_at, preview, unread_count, "  # noqa: S608
                    "open_inquiries, open_inquiry_id, open_inquiry_type, open_inquiry_status, "
                    "open_assignee, unanswered, link_active, link_expires_at "
                    f"FROM conversations WHERE id IN ({marks})", chunk):
                out[r[0]] = InboxRow(
                    conversation_id=r[0], patient_name=r[1], last_activity_at=r[2],
                    preview=r[3], unread_count=int(r[4]), open_inquiries=int(r[5]),
                    inquiry_id=r[6], inquiry_type=_opt_enum(InquiryType, r[7]),
                    inquiry_status=_opt_enum(InquiryStatus, r[8]), assignee_user_id=r[9],
                    unanswered=bool(r[10]), link_active=bool(r[11]),
                    link_expires_at=r[12], expires_at=expires_at(r[2], days))
        return out

    # --- thread --------------------------------------------------------------------------------

    def thread_count(self, conversation_id: str) -> int:
        cid = conversation_id
        row = self._all(
            "SELECT (SELECT count(*) FROM messages WHERE conversation_id = ?) + "  # noqa: S608
            "(SELECT count(*) FROM inquiries WHERE conversation_id = ?) + "
            "(SELECT count(*) FROM notes WHERE conversation_id = ?) + "
            "(SELECT count(*) FROM form_requests WHERE conversation_id = ?) + "
            f"(SELECT count(*) FROM outbox o WHERE {_VISIBLE_OUTBOX})",
            (cid, cid, cid, cid, cid))
        return int(row[0][0])

    def thread_items(self, conversation_id: str, offset: int, limit: int) -> list[ThreadItem]:
        cid = conversation_id
        rows = self._all(_THREAD, (cid, cid, cid, cid, cid, max(limit, 0), max(offset, 0)))
        with_files = [r[1] for r in rows if r[0] == "message" and r[7]]
        attachments: dict[str, list[AttachmentInfo]] = {}
        if with_files:
            marks = ",".join("?" * len(with_files))
            for a in self._all(
                    "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, "  # noqa: S608
                    "b.attachment_id IS NOT NULL FROM attachments a LEFT JOIN attachment_blobs "
                    f"b ON b.attachment_id = a.id WHERE a.message_id IN ({marks}) "
                    "ORDER BY a.created_at, a.id", with_files):
                attachments.setdefault(a[1], []).append(
                    AttachmentInfo(a[0], a[1], a[2], a[3], int(a[4]), bool(a[5])))
        items: list[ThreadItem] = []
        for r in rows:
            kind = r[0]
            if kind == "message":
                items.append(ThreadItem(kind, r[1], r[2], r[3], r[4], r[5], read_at=r[6],
                                        attachments=tuple(attachments.get(r[1], ()))))
            elif kind == "inquiry":
                try:
                    details = json.loads(r[9] or "{}")
                except ValueError:
                    details = {}
                items.append(ThreadItem(
                    kind, r[1], r[2], r[3], None, r[5],
                    inquiry_type=_opt_enum(InquiryType, r[8]),
                    inquiry_details=details if isinstance(details, dict) else {},
                    inquiry_status=_opt_enum(InquiryStatus, r[10]), assignee_user_id=r[11]))
            elif kind == "note":
                items.append(ThreadItem(kind, r[1], r[2], r[3], r[4], r[5], inquiry_id=r[9]))
            elif kind == "form_request":
                items.append(ThreadItem(kind, r[1], r[2], r[3], None, r[5], inquiry_id=r[9],
                                        form_status=r[10], form_submitted_at=r[6]))
            else:
                files: tuple[AttachmentInfo, ...] = ()
                if r[9]:
                    files = (AttachmentInfo(r[1], r[1], r[9], "", 0, True),)
                items.append(ThreadItem(kind, r[1], r[2], r[3], None, r[5], attachments=files,
                                        outbox_state=_opt_enum(OutboxState, r[12]),
                                        outbox_error=r[13], outbox_kind=r[14]))
        return items

    # --- templates and outbox ------------------------------------------------------------------

    def templates(self) -> list[TemplateInfo]:
        return [TemplateInfo(r[0], r[1], r[2]) for r in self._all(
            "SELECT id, title, body FROM templates ORDER BY title COLLATE NOCASE, id")]

    _OUTBOX_COLS = ("SELECT id, kind, conversation_id, state, error, error_code, attempts, "
                    "created_at, result_id FROM outbox")

    @staticmethod
    def _outbox(r: Any) -> OutboxItem:
        return OutboxItem(r[0], r[1], r[2], OutboxState(r[3]), r[4], r[5], int(r[6]), r[7], r[8])

    def outbox_items(self, conversation_id: str | None = None) -> list[OutboxItem]:
        if conversation_id is None:
            rows = self._all(f"{self._OUTBOX_COLS} ORDER BY seq")
        else:
            rows = self._all(f"{self._OUTBOX_COLS} WHERE conversation_id = ? ORDER BY seq",
                             (conversation_id,))
        return [self._outbox(r) for r in rows]

    def outbox_item(self, outbox_id: str) -> OutboxItem | None:
        rows = self._all(f"{self._OUTBOX_COLS} WHERE id = ?", (outbox_id,))
        return self._outbox(rows[0]) if rows else None

    # --- forms (issue 8) ------------------------------------------------------------------------

    def form_definitions(self, status: str | None = "active") -> list[FormDefinitionInfo]:
        """Synced form versions by title, newest version first (``status`` None: all)."""
        sql = ("SELECT id, form_id, version, title, status, definition, updated_at "
               "FROM form_definitions")
        params: tuple[Any, ...] = ()
        if status is not None:
            sql += " WHERE status = ?"
            params = (status,)
        out: list[FormDefinitionInfo] = []
        for r in self._all(sql + " ORDER BY title COLLATE NOCASE, version DESC, id", params):
            try:
                definition = json.loads(r[5] or "{}")
            except ValueError:
                definition = {}
            out.append(FormDefinitionInfo(
                r[0], r[1], int(r[2]), r[3], r[4],
                definition if isinstance(definition, dict) else {}, r[6]))
        return out

    def form_requests_of(self, conversation_id: str) -> list[FormRequestInfo]:
        """The forms sent in a conversation, newest first."""
        return [FormRequestInfo(r[0], r[1], r[2], r[3], int(r[4]), r[5], r[6], r[7], r[8],
                                r[9], r[10], r[11]) for r in self._all(
            "SELECT id, conversation_id, form_definition_id, form_id, version, title, status, "
            "inquiry_id, attachment_id, created_at, updated_at, submitted_at "
            "FROM form_requests WHERE conversation_id = ? ORDER BY created_at DESC, id DESC",
            (conversation_id,))]

    # --- the conversation's patient ------------------------------------------------------------

    def patient_of(self, conversation_id: str) -> PatientRef | None:
        rows = self._all(
            "SELECT c.patient_id, COALESCE(p.name, c.patient_name), p.dob FROM conversations c "
            "LEFT JOIN patients p ON p.id = c.patient_id WHERE c.id = ?", (conversation_id,))
        if not rows or not rows[0][0]:
            return None
        pid, name, dob = rows[0]
        return PatientRef(str(pid), str(name or ""), str(dob) if dob else None)
