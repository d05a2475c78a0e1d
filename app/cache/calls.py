"""The phone assistant's calls in the cache: the sync applier's writes, the purge step, and
the queue's reads (:class:`CallsCache`, on its own read-only connection like the inbox).

Calls are content (transcripts, caller names, dates of birth): they fall under the 105-day
rule by ``created_at`` and are never written anywhere but this encrypted cache. Recordings are
not cached at all (fetched into memory when played).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

from app.cache.inbox_store import norm_time
from app.calls.types import CallerFields, CallFilter, CallRow, CallStatus

CHUNK_ROWS = 2000

# "Open urgent calls first, then newest": ``pinned`` is the derived flag
# (urgent and not done), kept by every write so the queue is one index scan.
QUEUE_ORDER = "ORDER BY pinned DESC, started_at DESC, id"

_COLUMNS = ("id, source, from_number, to_number, started_at, duration_seconds, status, "
            "processing, category, urgent, urgent_reasons, transcript, caller_name, caller_dob, "
            "caller_phone, wished_time, assignee_user_id, has_recording, patient_id, inquiry_id, "
            "created_at, updated_at, processed_at")


def _status(value: Any) -> str:
    try:
        return CallStatus(str(value)).value
    except ValueError:
        return CallStatus.NEW.value


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


# --- writes (sync applier, outbox answers, local edits) ---------------------------------------

def upsert_call(conn: Any, data: dict[str, Any]) -> bool:
    """Insert or replace a call from its wire shape. Returns True when this makes the call
    alert-worthy (urgent, analysed, open) for the first time on this device: the mark is
    set here, in the same transaction, so a call alerts once however often it changes."""
    call_id = str(data["id"])
    caller = data.get("caller") if isinstance(data.get("caller"), dict) else {}
    assert isinstance(caller, dict)
    reasons = data.get("urgent_reasons")
    created = norm_time(data.get("created_at")) or norm_time(data.get("started_at")) or ""
    started = norm_time(data.get("started_at")) or created
    status = _status(data.get("status"))
    urgent = 1 if data.get("urgent") else 0
    duration = data.get("duration_seconds")
    conn.execute(
        f"INSERT INTO calls ({_COLUMNS}, pinned) "  # noqa: S608
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET source=excluded.source, "
        "from_number=excluded.from_number, to_number=excluded.to_number, "
        "started_at=excluded.started_at, duration_seconds=excluded.duration_seconds, "
        "status=excluded.status, processing=excluded.processing, category=excluded.category, "
        "urgent=excluded.urgent, urgent_reasons=excluded.urgent_reasons, "
        "transcript=excluded.transcript, caller_name=excluded.caller_name, "
        "caller_dob=excluded.caller_dob, caller_phone=excluded.caller_phone, "
        "wished_time=excluded.wished_time, assignee_user_id=excluded.assignee_user_id, "
        "has_recording=excluded.has_recording, patient_id=excluded.patient_id, "
        "inquiry_id=excluded.inquiry_id, created_at=excluded.created_at, "
        "updated_at=excluded.updated_at, processed_at=excluded.processed_at, "
        "pinned=excluded.pinned",
        (call_id, str(data.get("source") or ""), _opt_str(data.get("from_number")),
         _opt_str(data.get("to_number")), started,
         int(duration) if isinstance(duration, int | float) else None, status,
         str(data.get("processing") or "pending"), _opt_str(data.get("category")), urgent,
         json.dumps([str(r) for r in reasons] if isinstance(reasons, list) else [],
                    ensure_ascii=False),
         _opt_str(data.get("transcript")), _opt_str(caller.get("name")),
         _opt_str(caller.get("dob")), _opt_str(caller.get("phone")),
         _opt_str(data.get("wished_time")), _opt_str(data.get("assignee_user_id")),
         1 if data.get("has_recording") else 0, _opt_str(data.get("patient_id")),
         _opt_str(data.get("inquiry_id")), created, norm_time(data.get("updated_at")),
         norm_time(data.get("processed_at")),
         1 if urgent and status != CallStatus.DONE.value else 0))
    if not (urgent and data.get("processing") == "ready" and status != CallStatus.DONE.value):
        return False
    return bool(conn.execute("UPDATE calls SET alerted = 1 WHERE id = ? AND alerted = 0",
                             (call_id,)).rowcount > 0)


def delete_call(conn: Any, call_id: str) -> bool:
    return bool(conn.execute("DELETE FROM calls WHERE id = ?", (call_id,)).rowcount > 0)


def apply_local_edit(conn: Any, call_id: str, payload: dict[str, Any]) -> None:
    """Show a queued ``PATCH /calls/{id}`` at once (the server's answer replaces it)."""
    sets: list[str] = []
    params: list[Any] = []
    if "status" in payload:
        sets.append("status = ?")
        params.append(_status(payload["status"]))
    if "assignee_user_id" in payload:
        sets.append("assignee_user_id = ?")
        params.append(_opt_str(payload["assignee_user_id"]))
    if "category" in payload:
        sets.append("category = ?")
        params.append(_opt_str(payload["category"]))
    if "urgent" in payload:
        sets.append("urgent = ?")
        params.append(1 if payload["urgent"] else 0)
    caller = payload.get("caller")
    if isinstance(caller, dict):
        for key, column in (("name", "caller_name"), ("dob", "caller_dob"),
                            ("phone", "caller_phone")):
            if key in caller:
                sets.append(f"{column} = ?")
                params.append(_opt_str(caller[key]))
    if not sets:
        return
    conn.execute(f"UPDATE calls SET {', '.join(sets)} WHERE id = ?",  # noqa: S608
                 [*params, call_id])
    conn.execute("UPDATE calls SET pinned = (urgent = 1 AND status != 'done') WHERE id = ?",
                 (call_id,))


def set_taken(conn: Any, call_id: str, inquiry_id: str, patient_id: str) -> None:
    """``POST /calls/{id}/inquiry`` succeeded: the call points at its inquiry and is in
    progress if it was new (the server did the same; the next sync confirms)."""
    conn.execute("UPDATE calls SET inquiry_id = ?, patient_id = ?, status = CASE status "
                 "WHEN 'new' THEN 'in_progress' ELSE status END WHERE id = ?",
                 (inquiry_id, patient_id, call_id))


def purge_calls(conn: Any, cutoff: str, counts: Counter[str], touched: set[str]) -> int:
    """Purge step (app.cache.purge): calls created before the cutoff, in bounded chunks."""
    ids = [r[0] for r in conn.execute("SELECT id FROM calls WHERE created_at < ? LIMIT ?",
                                      (cutoff, CHUNK_ROWS))]
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        counts["call"] += conn.execute(
            f"DELETE FROM calls WHERE id IN ({','.join('?' * len(part))})",  # noqa: S608
            part).rowcount
    return len(ids)


# --- reads ------------------------------------------------------------------------------------

def _row(r: Any) -> CallRow:
    try:
        reasons = json.loads(r[10] or "[]")
    except ValueError:
        reasons = []
    return CallRow(
        id=r[0], source=r[1], from_number=r[2], to_number=r[3], started_at=r[4],
        duration_seconds=r[5], status=CallStatus(_status(r[6])), processing=r[7],
        category=r[8], urgent=bool(r[9]),
        urgent_reasons=tuple(str(x) for x in reasons) if isinstance(reasons, list) else (),
        transcript=r[11], caller=CallerFields(r[12], r[13], r[14]), wished_time=r[15],
        assignee_user_id=r[16], has_recording=bool(r[17]), patient_id=r[18],
        inquiry_id=r[19], created_at=r[20], updated_at=r[21], processed_at=r[22])


def _where(flt: CallFilter) -> str:
    if flt is CallFilter.OPEN:
        return "WHERE status != 'done'"
    if flt is CallFilter.DONE:
        return "WHERE status = 'done'"
    return ""


class CallsCache:
    """The queue's reads on the GUI thread. Thread-safe (one lock around its connection);
    reads nothing (empty answers) while no cache is open."""

    def __init__(self, conn: Any | None) -> None:
        self._conn: Any = conn
        self._lock = threading.Lock()

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def attach(self, conn: Any | None) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            self._conn = conn

    def close(self) -> None:
        self.attach(None)

    def _all(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
        with self._lock:
            if self._conn is None:
                return []
            return list(self._conn.execute(sql, params).fetchall())

    def call_ids(self, flt: CallFilter = CallFilter.ALL) -> list[str]:
        """Every call of the filter in queue order (open urgent first, then newest). Ids
        only: a practice has at most a few thousand calls within the retention period."""
        return [r[0] for r in self._all(
            f"SELECT id FROM calls INDEXED BY calls_queue {_where(flt)} {QUEUE_ORDER}")]  # noqa: S608

    def call_rows(self, ids: list[str]) -> dict[str, CallRow]:
        found: dict[str, CallRow] = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for r in self._all(f"SELECT {_COLUMNS} FROM calls "  # noqa: S608
                               f"WHERE id IN ({','.join('?' * len(part))})", part):
                found[r[0]] = _row(r)
        return found

    def call(self, call_id: str) -> CallRow | None:
        return self.call_rows([call_id]).get(call_id)

    def queue(self, flt: CallFilter = CallFilter.ALL, limit: int = 500) -> list[CallRow]:
        """The first ``limit`` calls of the queue, as rows."""
        rows = self._all(f"SELECT {_COLUMNS} FROM calls INDEXED BY calls_queue "  # noqa: S608
                         f"{_where(flt)} {QUEUE_ORDER} LIMIT ?", (limit,))
        return [_row(r) for r in rows]

    def open_count(self) -> int:
        rows = self._all("SELECT count(*) FROM calls WHERE status != 'done'")
        return int(rows[0][0]) if rows else 0
